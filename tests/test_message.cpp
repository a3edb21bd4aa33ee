#include <catch2/catch.hpp>

#include "wsdemo/message.h"

using wsdemo::isSendableCloseCode;

TEST_CASE("only codes an endpoint may send are sendable", "[message]") {
    for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999})
        CHECK(isSendableCloseCode(static_cast<uint16_t>(code)));
    for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000})
        CHECK_FALSE(isSendableCloseCode(static_cast<uint16_t>(code)));
}

TEST_CASE("a close payload is parsed, or the rule it breaks named", "[message]") {
    using wsdemo::ClosePayload;
    using wsdemo::ClosePayloadError;
    using wsdemo::parseClosePayload;
    const auto ok = [](std::string_view payload) {
        auto parsed = parseClosePayload(payload);
        REQUIRE(std::holds_alternative<ClosePayload>(parsed));
        return std::get<ClosePayload>(parsed);
    };
    const auto bad = [](std::string_view payload) {
        auto parsed = parseClosePayload(payload);
        REQUIRE(std::holds_alternative<ClosePayloadError>(parsed));
        return std::get<ClosePayloadError>(parsed);
    };
    CHECK(ok("").code == wsdemo::CloseCode::kNoStatus);
    CHECK(ok("\x03\xe8").code == 1000);
    CHECK(ok("\x0f\xa0"
             "r\xc3\xa9"
             "ason")
              .reason ==
          "r\xc3\xa9"
          "ason");
    CHECK(ok("\x13\x87").code == 4999);

    CHECK(bad("\x03").answerCode == wsdemo::CloseCode::kProtocolError);
    CHECK_THAT(bad("\x03").error, Catch::Contains("1-byte payload"));
    CHECK_THAT(bad("\x13\x88").error, Catch::Contains("invalid close code 5000"));
    CHECK_THAT(bad("\x03\xed").error, Catch::Contains("invalid close code 1005"));
    CHECK_THAT(bad("\x03\xf7").error, Catch::Contains("invalid close code 1015"));
    CHECK(bad("\x03\xe8\xc3\x28").answerCode == wsdemo::CloseCode::kInvalidPayload);
}
