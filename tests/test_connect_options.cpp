#include <catch2/catch.hpp>

#include <cctype>
#include <cmath>
#include <set>
#include <string>

#include "wsdemo/channel.h"

using namespace std::chrono_literals;
using wsdemo::Header;
using wsdemo::parseHeader;

namespace {

Header acceptedHeader(std::string_view text) {
    auto result = parseHeader(text);
    if (auto* error = std::get_if<std::string>(&result)) FAIL(*error);
    return std::get<Header>(result);
}

std::string refusedHeader(std::string_view text) {
    auto result = parseHeader(text);
    REQUIRE(std::holds_alternative<std::string>(result));
    return std::get<std::string>(result);
}

}  // namespace

TEST_CASE("parseHeader splits a header and trims white space around the value",
          "[connect_options]") {
    const Header plain = acceptedHeader("X-Token: abc");
    CHECK(plain.name == "X-Token");
    CHECK(plain.value == "abc");

    SECTION("space and tab around the value are not part of it, inside they are") {
        const Header padded = acceptedHeader("X-Token:\t  a b\tc \t");
        CHECK(padded.value == "a b\tc");
        CHECK(acceptedHeader("X-Token:abc").value == "abc");
    }
    SECTION("the value may hold colons: the first colon ends the name") {
        const Header withColons = acceptedHeader("Authorization: Basic a:b:c");
        CHECK(withColons.name == "Authorization");
        CHECK(withColons.value == "Basic a:b:c");
    }
    SECTION("an empty value is a header too") {
        const Header empty = acceptedHeader("X-Empty:   ");
        CHECK(empty.name == "X-Empty");
        CHECK(empty.value.empty());
    }
    SECTION("every token character may be in a name") {
        CHECK(acceptedHeader("!#$%&'*+-.^_`|~09azAZ: v").name == "!#$%&'*+-.^_`|~09azAZ");
    }
    SECTION("bytes past ASCII may be in a value") {
        CHECK(acceptedHeader("X-Name: h\xc3\xa9llo").value == "h\xc3\xa9llo");
    }
}

TEST_CASE("parseHeader refuses CR, LF, NUL and every other control character anywhere",
          "[connect_options]") {
    for (const std::string& text :
         {std::string("X-A: b\r\nX-Evil: 1"), std::string("X-A: b\n"), std::string("X-A: \rb"),
          std::string("X-\nA: b"), std::string("X-A: b\0c", 8), std::string("\0X-A: b", 7),
          std::string("X-A: b\x01"), std::string("X-A: \x1f"), std::string("X-A: b\x7f")}) {
        CAPTURE(text);
        CHECK_THAT(refusedHeader(text), Catch::Contains("CR, LF or NUL"));
    }
    CHECK(acceptedHeader("X-A: b\tc").value == "b\tc");
}

TEST_CASE("parseHeader refuses a header without a name or a colon", "[connect_options]") {
    CHECK_THAT(refusedHeader("X-Token abc"), Catch::Equals("no colon in 'X-Token abc': expected "
                                                           "'Name: value'"));
    CHECK_THAT(refusedHeader(""), Catch::Contains("no colon"));
    CHECK_THAT(refusedHeader(": abc"), Catch::Contains("no header name"));
}

TEST_CASE("parseHeader refuses a name that is not an RFC 7230 token", "[connect_options]") {
    for (const char* text : {"X Token: a", "X-Token : a", " X-Token: a", "\tX: a", "X(1): a",
                             "X/1: a", "X\"1: a", "X@: a", "X\xc3\xa9: a", "{X}: a", "X,Y: a",
                             "X;Y: a", "X=Y: a", "[X]: a", "X?: a", "X\\Y: a"}) {
        CAPTURE(text);
        CHECK_THAT(refusedHeader(text), Catch::Contains("may only hold"));
    }
}

TEST_CASE("parseHeader refuses the headers that libwebsockets and RFC 6455 own, in any case",
          "[connect_options]") {
    for (const char* name : {"Host", "Upgrade", "Connection", "Origin", "Content-Length",
                             "Transfer-Encoding", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
                             "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions",
                             "Sec-WebSocket-Accept", "Sec-WebSocket-", "Sec-WebSocket-X"}) {
        for (const auto& spelled : {std::string(name), Catch::toLower(name), [&] {
                                        std::string upper = name;
                                        for (char& c : upper)
                                            c = static_cast<char>(std::toupper(c));
                                        return upper;
                                    }()}) {
            CAPTURE(spelled);
            CHECK_THAT(refusedHeader(spelled + ": x"), Catch::Contains("cannot be set"));
        }
    }
    // Close to an owned name is not owned.
    for (const char* text : {"Hosts: x", "X-Host: x", "Sec-WebSocket: x", "Sec-WebSocketX: x",
                             "Origin-X: x", "Connections: x"}) {
        CAPTURE(text);
        acceptedHeader(text);
    }
    CHECK_THAT(refusedHeader("origin: https://x"), Catch::Contains("setting of its own"));
}

TEST_CASE("checkSubprotocol accepts tokens only", "[connect_options]") {
    CHECK(wsdemo::checkSubprotocol("chat").empty());
    CHECK(wsdemo::checkSubprotocol("v2.chat.example.com").empty());
    CHECK(wsdemo::checkSubprotocol("!#$%&'*+-.^_`|~09azAZ").empty());
    CHECK_THAT(wsdemo::checkSubprotocol(""), Catch::Contains("cannot be empty"));
    for (const std::string& name :
         {std::string("a b"), std::string("a,b"), std::string("a\r"), std::string("a\0", 2),
          std::string("\xc3\xa9"), std::string("a/b"), std::string("(a)"), std::string("a:b")}) {
        CAPTURE(name);
        CHECK_THAT(wsdemo::checkSubprotocol(name), Catch::Contains("may only hold"));
    }
}

TEST_CASE("reconnectDelay stays within full-jitter bounds for every attempt", "[connect_options]") {
    const wsdemo::ReconnectOptions options;  // 0.5 s to 30 s.
    // Just under 1: the largest double below it.
    const double almostOne = std::nextafter(1.0, 0.0);

    SECTION("random01 0 waits the minimum on every attempt") {
        for (unsigned attempt = 1; attempt <= 40; ++attempt)
            CHECK(wsdemo::reconnectDelay(options, attempt, 0.0) == 500ms);
    }
    SECTION("random01 just under 1 waits just under the doubling ceiling, then 30 s") {
        CHECK(wsdemo::reconnectDelay(options, 1, almostOne) == 999ms);
        CHECK(wsdemo::reconnectDelay(options, 2, almostOne) == 1999ms);
        CHECK(wsdemo::reconnectDelay(options, 3, almostOne) == 3999ms);
        CHECK(wsdemo::reconnectDelay(options, 5, almostOne) == 15999ms);
        for (unsigned attempt = 6; attempt <= 40; ++attempt) {
            CAPTURE(attempt);
            CHECK(wsdemo::reconnectDelay(options, attempt, almostOne) == 29999ms);
        }
    }
    SECTION("halfway is halfway between the minimum and the ceiling") {
        CHECK(wsdemo::reconnectDelay(options, 1, 0.5) == 750ms);
        CHECK(wsdemo::reconnectDelay(options, 40, 0.5) == 15250ms);
    }
    SECTION("never overflows, whatever the attempt number and limits") {
        for (const unsigned attempt : {0u, 62u, 63u, 64u, 1000u, ~0u}) {
            CAPTURE(attempt);
            const auto delay = wsdemo::reconnectDelay(options, attempt, almostOne);
            CHECK(delay >= 500ms);
            CHECK(delay <= 30000ms);
        }
        wsdemo::ReconnectOptions huge;
        huge.minDelay = std::chrono::milliseconds(1);
        huge.maxDelay = std::chrono::milliseconds::max();
        for (unsigned attempt = 1; attempt <= 70; ++attempt) {
            CAPTURE(attempt);
            CHECK(wsdemo::reconnectDelay(huge, attempt, almostOne) >= 1ms);
        }
        CHECK(wsdemo::reconnectDelay(huge, 70, 0.0) == 1ms);
    }
    SECTION("odd limits and random values stay within bounds") {
        wsdemo::ReconnectOptions inverted;
        inverted.minDelay = 2000ms;
        inverted.maxDelay = 1000ms;
        CHECK(wsdemo::reconnectDelay(inverted, 3, 0.9) == 2000ms);
        wsdemo::ReconnectOptions zero;
        zero.minDelay = 0ms;
        CHECK(wsdemo::reconnectDelay(zero, 4000000000u, 0.9) == 0ms);
        CHECK(wsdemo::reconnectDelay(options, 1, std::nan("")) == 500ms);
        CHECK(wsdemo::reconnectDelay(options, 1, -1.0) == 500ms);
        CHECK(wsdemo::reconnectDelay(options, 1, 7.0) == 1000ms);
    }
}

TEST_CASE("every state, stage and send result has a name of its own", "[connect_options]") {
    using namespace wsdemo;
    std::set<std::string> names;
    const auto add = [&](const char* name) {
        CAPTURE(name);
        CHECK(std::string(name) != "?");
        CHECK(names.insert(name).second);
    };
    for (auto state :
         {ReadyState::kConnecting, ReadyState::kOpen, ReadyState::kClosing, ReadyState::kClosed})
        add(toString(state));
    for (auto stage :
         {ConnectStage::kResolving, ConnectStage::kTcp, ConnectStage::kTls, ConnectStage::kUpgrade})
        add(toString(stage));
    names.clear();  // "TLS" may name a stage and a failure.
    for (auto failure : {FailureStage::kNone, FailureStage::kUrl, FailureStage::kOptions,
                         FailureStage::kDns, FailureStage::kTcp, FailureStage::kTls,
                         FailureStage::kHttp, FailureStage::kTimeout, FailureStage::kCancelled})
        add(toString(failure));
    for (auto result : {SendResult::kQueued, SendResult::kClosed, SendResult::kQueueFull,
                        SendResult::kTooLarge, SendResult::kInvalidUtf8})
        add(toString(result));
}

TEST_CASE("checkOrigin refuses control characters but tab", "[connect_options]") {
    using wsdemo::checkOrigin;
    CHECK(checkOrigin("https://app.example").empty());
    CHECK(checkOrigin("null").empty());
    CHECK(checkOrigin("").empty());
    for (const std::string& origin : {std::string("https://a\r\nX: y"), std::string("a\0b", 3),
                                      std::string("a\x01"), std::string("a\x7f")})
        CHECK_THAT(checkOrigin(origin), Catch::Contains("control character"));
}
