// ws:// and wss:// URLs, parsed without libwebsockets so that every mistake gets its own message.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace wsdemo {

struct WsUrl {
    bool secure = false;  // wss://
    std::string host;     // Without the brackets of an IPv6 literal.
    uint16_t port = 0;    // 80 / 443 when the URL has none.
    std::string path;     // Starts with '/', includes the query.

    std::string toString() const;
};

// Longer URLs are refused rather than passed on to a handshake that servers would reject anyway.
constexpr std::size_t kMaxUrlLength = 2048;

// Either the URL or a one-line, human-readable reason it was refused.
using UrlParseResult = std::variant<WsUrl, std::string>;

UrlParseResult parseWsUrl(std::string_view text);

}  // namespace wsdemo
