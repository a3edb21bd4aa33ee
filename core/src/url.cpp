#include "wsdemo/url.h"

#include "wsdemo/text.h"

#include <algorithm>
#include <cctype>

namespace wsdemo {

namespace {

bool isHostChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

bool isIpv6Char(char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
}

// Printable ASCII except space: what may stand in a request line's target unescaped.
bool isPathChar(char c) {
    return c > ' ' && c < 0x7f;
}

// " (did you mean 'ws://host/'?)" when `scheme` + "://" + `rest` is a URL: what someone who
// typed the host alone, or an http:// address, most likely meant. Empty otherwise.
std::string suggestion(const char* scheme, std::string_view rest) {
    const std::string guess = scheme + std::string("://") + std::string(rest);
    if (!std::holds_alternative<WsUrl>(parseWsUrl(guess))) return {};
    return " (did you mean " + printableQuote(guess) + "?)";
}

}  // namespace

std::string WsUrl::toString() const {
    const bool ipv6 = host.find(':') != std::string::npos;
    std::string text = secure ? "wss://" : "ws://";
    text += ipv6 ? "[" + host + "]" : host;
    text += ":" + std::to_string(port) + path;
    return text;
}

UrlParseResult parseWsUrl(std::string_view text) {
    if (text.size() > kMaxUrlLength)
        return "URL is " + std::to_string(text.size()) + " bytes long; the limit is " +
               std::to_string(kMaxUrlLength);

    WsUrl url;
    const auto schemeEnd = text.find("://");
    if (schemeEnd == std::string_view::npos)
        return "URL must start with ws:// or wss://" + suggestion("ws", text);
    std::string scheme(text.substr(0, schemeEnd));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (scheme == "wss") {
        url.secure = true;
    } else if (scheme != "ws") {
        const char* likely = scheme == "http" ? "ws" : scheme == "https" ? "wss" : nullptr;
        return "unsupported URL scheme " + printableQuote(scheme) + ": use ws:// or wss://" +
               (likely ? suggestion(likely, text.substr(schemeEnd + 3)) : std::string());
    }
    url.port = url.secure ? 443 : 80;

    std::string_view rest = text.substr(schemeEnd + 3);
    const auto authorityEnd = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, authorityEnd);
    std::string_view target =
        authorityEnd == std::string_view::npos ? std::string_view() : rest.substr(authorityEnd);

    if (authority.find('@') != std::string_view::npos)
        return std::string("URL must not contain user information (user@host)");

    std::string_view portText;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos)
            return std::string("URL has an unclosed '[' in its host");
        std::string_view literal = authority.substr(1, close - 1);
        if (literal.empty() || !std::all_of(literal.begin(), literal.end(), isIpv6Char))
            return "URL has an invalid IPv6 address " + printableQuote(literal);
        url.host = std::string(literal);
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return std::string("URL has text after its IPv6 address");
            portText = after.substr(1);
            if (portText.empty()) return std::string("URL has a ':' but no port number");
        }
    } else {
        const auto colon = authority.rfind(':');
        url.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            portText = authority.substr(colon + 1);
            if (portText.empty()) return std::string("URL has a ':' but no port number");
        }
        if (!std::all_of(url.host.begin(), url.host.end(), isHostChar))
            return "URL has an invalid host name " + printableQuote(url.host);
    }
    if (url.host.empty()) return std::string("URL has no host");

    if (!portText.empty()) {
        if (portText.size() > 5 || !std::all_of(portText.begin(), portText.end(),
                                                [](char c) { return c >= '0' && c <= '9'; }))
            return "URL has an invalid port " + printableQuote(portText);
        const unsigned long port = std::stoul(std::string(portText));
        if (port < 1 || port > 65535)
            return "URL port " + std::string(portText) + " is out of range (1-65535)";
        url.port = static_cast<uint16_t>(port);
    }

    if (target.find('#') != std::string_view::npos)
        return std::string("URL must not contain a fragment ('#')");
    if (!std::all_of(target.begin(), target.end(), isPathChar))
        return std::string("URL path has a space or a non-ASCII byte: percent-encode it");
    url.path =
        target.empty() || target.front() != '/' ? "/" + std::string(target) : std::string(target);
    // The limit holds for the spelled-out form too (default port, "/"), so that whatever is
    // accepted parses again from toString(). Found by fuzz_url.
    if (const std::size_t length = url.toString().size(); length > kMaxUrlLength)
        return "URL is " + std::to_string(length) +
               " bytes long with its port and path spelled out; the limit is " +
               std::to_string(kMaxUrlLength);
    return url;
}

}  // namespace wsdemo
