#include <catch2/catch.hpp>

#include "status_text.h"

using namespace wsdemo;

TEST_CASE("status lines say what state the connection is in", "[status_text]") {
    const std::string url = "ws://127.0.0.1:9/";
    ChannelStatus status;
    CHECK(describeStatus(status, url) == "Connecting to ws://127.0.0.1:9/ ...");
    status.state = ReadyState::kOpen;
    CHECK(describeStatus(status, url) == "Connected to ws://127.0.0.1:9/");

    status.state = ReadyState::kClosed;
    status.closeCode = 4000;
    status.closeReason = "bye";
    CHECK(describeStatus(status, url) == "Connection closed: code 4000, reason \"bye\"");

    status.closeCode = CloseCode::kNoStatus;
    status.closeReason.clear();
    CHECK(describeStatus(status, url) == "Connection closed: code 1005 (no status code)");

    status.closeCode = CloseCode::kAbnormal;
    status.error = "the connection was lost without a close frame";
    CHECK(describeStatus(status, url) ==
          "Connection closed: code 1006: the connection was lost without a close frame");

    status.closeCode = 0;
    status.error = "cannot connect to ws://127.0.0.1:9/: connection refused";
    CHECK(describeStatus(status, url) == status.error);
}
