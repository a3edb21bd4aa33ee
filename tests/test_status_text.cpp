#include <catch2/catch.hpp>

#include "status_text.h"

using namespace wsdemo;
using namespace std::chrono_literals;

TEST_CASE("status lines say what state the connection is in", "[status_text]") {
    ChannelStatus status;
    status.url = "ws://127.0.0.1:9/";
    CHECK(describeStatus(status) == "Not connected");

    status.state = ReadyState::kConnecting;
    status.stage = ConnectStage::kUpgrade;
    CHECK(describeStatus(status) ==
          "Connecting (WebSocket opening handshake) to ws://127.0.0.1:9/ ...");
    status.stage = ConnectStage::kTcp;
    CHECK(describeStatus(status) ==
          "Connecting (opening the TCP connection) to ws://127.0.0.1:9/ ...");

    status.state = ReadyState::kOpen;
    CHECK(describeStatus(status) == "Connected to ws://127.0.0.1:9/");
    SECTION("open: the negotiated subprotocol and extensions") {
        status.protocol = "chat";
        CHECK(describeStatus(status) == "Connected to ws://127.0.0.1:9/ (subprotocol 'chat')");
        status.extensions = "permessage-deflate";
        CHECK(describeStatus(status) ==
              "Connected to ws://127.0.0.1:9/ (subprotocol 'chat', extensions: "
              "permessage-deflate)");
        status.protocol.clear();
        CHECK(describeStatus(status) ==
              "Connected to ws://127.0.0.1:9/ (extensions: permessage-deflate)");
        // Names only: parameters would run the line off the window.
        status.extensions =
            "permessage-deflate; server_max_window_bits=12; client_max_window_bits=12, x-other";
        CHECK(describeStatus(status) ==
              "Connected to ws://127.0.0.1:9/ (extensions: permessage-deflate, x-other)");
    }

    status.state = ReadyState::kClosing;
    CHECK(describeStatus(status) == "Closing the connection to ws://127.0.0.1:9/ ...");
}

TEST_CASE("closed lines say who closed, the code and what it means", "[status_text]") {
    ChannelStatus status;
    status.state = ReadyState::kClosed;
    status.url = "ws://127.0.0.1:9/";
    status.closeCode = 4000;
    status.closeReason = "bye";
    status.closedBy = CloseInitiator::kServer;
    CHECK(describeStatus(status) == "Closed by the server: code 4000, reason \"bye\"");

    status.closeCode = CloseCode::kNormal;
    status.closeReason.clear();
    status.closedBy = CloseInitiator::kClient;
    CHECK(describeStatus(status) == "Closed by us: code 1000 (normal closure)");

    status.closeCode = CloseCode::kNoStatus;
    status.closedBy = CloseInitiator::kServer;
    CHECK(describeStatus(status) == "Closed by the server: code 1005 (no status code)");

    status.closeCode = CloseCode::kAbnormal;
    status.closedBy = CloseInitiator::kNone;
    status.error = "the connection was lost without a close frame";
    CHECK(describeStatus(status) ==
          "Connection lost: code 1006 (no close frame): the connection was lost without a "
          "close frame");

    SECTION("messages accepted but never written are counted") {
        status.unsentMessages = 3;
        CHECK(describeStatus(status) ==
              "Connection lost: code 1006 (no close frame): the connection was lost without a "
              "close frame; 3 message(s) never sent");
    }
}

TEST_CASE("a failed attempt shows the channel's reason, or the stage", "[status_text]") {
    ChannelStatus status;
    status.state = ReadyState::kClosed;
    status.url = "ws://127.0.0.1:9/";
    status.failure = FailureStage::kTcp;
    status.error = "cannot connect to ws://127.0.0.1:9/: connection refused";
    CHECK(describeStatus(status) == status.error);
    status.error.clear();
    CHECK(describeStatus(status) == std::string("Could not connect to ws://127.0.0.1:9/ (") +
                                        toString(FailureStage::kTcp) + ")");
}

TEST_CASE("close codes have their registered meanings", "[status_text]") {
    CHECK(closeCodeMeaning(1000) == "normal closure");
    CHECK(closeCodeMeaning(1001) == "going away");
    CHECK(closeCodeMeaning(1002) == "protocol error");
    CHECK(closeCodeMeaning(1006) == "no close frame");
    CHECK(closeCodeMeaning(1009) == "message too big");
    CHECK(closeCodeMeaning(1011) == "internal server error");
    CHECK(closeCodeMeaning(1015) == "TLS handshake failure");
    CHECK(closeCodeMeaning(1004).empty());  // Reserved, no meaning.
    CHECK(closeCodeMeaning(3000).empty());
    CHECK(closeCodeMeaning(4000).empty());
}

TEST_CASE("events read as one line each", "[status_text]") {
    CHECK(describeReconnect(ReconnectScheduled{2, 1300ms}) == "reconnecting in 1.3 s (attempt 2)");
    CHECK(describeReconnect(ReconnectScheduled{1, 500ms}) == "reconnecting in 0.5 s (attempt 1)");
    CHECK(describePong(PongReceived{"x", 213us}) == "pong in 0.213 ms");
    CHECK(describePong(PongReceived{"x", std::nullopt}) == "pong received (not asked for)");
    CHECK(std::string(toString(ConnectStage::kResolving)) == "resolving the host name");
    CHECK(std::string(toString(ConnectStage::kTls)) == "TLS handshake");
}
