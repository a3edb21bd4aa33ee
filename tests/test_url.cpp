#include <catch2/catch.hpp>

#include "wsdemo/url.h"

using wsdemo::parseWsUrl;
using wsdemo::WsUrl;

namespace {

WsUrl parsed(const std::string& text) {
    auto result = parseWsUrl(text);
    INFO(text);
    REQUIRE(std::holds_alternative<WsUrl>(result));
    return std::get<WsUrl>(result);
}

std::string refusal(const std::string& text) {
    auto result = parseWsUrl(text);
    INFO(text);
    REQUIRE(std::holds_alternative<std::string>(result));
    return std::get<std::string>(result);
}

}  // namespace

TEST_CASE("ws and wss URLs are split into host, port and path", "[url]") {
    SECTION("defaults") {
        const WsUrl url = parsed("ws://example.com");
        CHECK_FALSE(url.secure);
        CHECK(url.host == "example.com");
        CHECK(url.port == 80);
        CHECK(url.path == "/");
        CHECK(parsed("wss://example.com").port == 443);
        CHECK(parsed("WSS://example.com").secure);
    }
    SECTION("explicit port, path and query") {
        const WsUrl url = parsed("ws://127.0.0.1:8080/chat/room?id=1&x=%20");
        CHECK(url.host == "127.0.0.1");
        CHECK(url.port == 8080);
        CHECK(url.path == "/chat/room?id=1&x=%20");
        CHECK(parsed("ws://host?q").path == "/?q");
    }
    SECTION("IPv6 literal") {
        const WsUrl url = parsed("ws://[::1]:9000/");
        CHECK(url.host == "::1");
        CHECK(url.port == 9000);
        CHECK(url.toString() == "ws://[::1]:9000/");
    }
    SECTION("round trip") {
        CHECK(parsed("wss://echo.example.org/ws").toString() == "wss://echo.example.org:443/ws");
    }
}

TEST_CASE("bad URLs are refused with a specific reason", "[url]") {
    CHECK_THAT(refusal("ftp://x"), Catch::Contains("unsupported URL scheme 'ftp'"));
    CHECK_THAT(refusal("http://x"), Catch::Contains("ws:// or wss://"));
    CHECK_THAT(refusal("example.com"), Catch::Contains("must start with ws://"));
    CHECK_THAT(refusal("ws://"), Catch::Contains("no host"));
    CHECK_THAT(refusal("ws:///path"), Catch::Contains("no host"));
    CHECK_THAT(refusal("ws://host:99999"), Catch::Contains("out of range"));
    CHECK_THAT(refusal("ws://host:0"), Catch::Contains("out of range"));
    CHECK_THAT(refusal("ws://host:12ab"), Catch::Contains("invalid port"));
    CHECK_THAT(refusal("ws://host:"), Catch::Contains("no port"));
    CHECK_THAT(refusal("ws://user:pw@host"), Catch::Contains("user information"));
    CHECK_THAT(refusal("ws://ho st/"), Catch::Contains("invalid host"));
    CHECK_THAT(refusal("ws://[::1/"), Catch::Contains("unclosed"));
    CHECK_THAT(refusal("ws://[xyz]/"), Catch::Contains("invalid IPv6"));
    CHECK_THAT(refusal("ws://host/a b"), Catch::Contains("percent-encode"));
    CHECK_THAT(refusal("ws://host/\xc3\xa9"), Catch::Contains("percent-encode"));
    CHECK_THAT(refusal("ws://host/#frag"), Catch::Contains("fragment"));
    CHECK_THAT(refusal("ws://host/" + std::string(5000, 'a')), Catch::Contains("the limit is"));
    SECTION("what was most likely meant, when that is a URL") {
        CHECK(refusal("localhost:8080/chat") ==
              "URL must start with ws:// or wss:// (did you mean 'ws://localhost:8080/chat'?)");
        CHECK(refusal("http://127.0.0.1:9/") ==
              "unsupported URL scheme 'http': use ws:// or wss:// (did you mean "
              "'ws://127.0.0.1:9/'?)");
        CHECK_THAT(refusal("https://example.com"),
                   Catch::EndsWith("(did you mean 'wss://example.com'?)"));
        CHECK(refusal("not a url") == "URL must start with ws:// or wss://");
        CHECK(refusal("ftp://x") == "unsupported URL scheme 'ftp': use ws:// or wss://");
    }
    // Found by fuzz_url: 2048 bytes as typed, over the limit once ":80/" is spelled out.
    CHECK_THAT(refusal("ws://" + std::string(2043, 'h')), Catch::Contains("spelled out"));
}
