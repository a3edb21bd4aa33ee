// TEMPORARY: stand-ins so that the Channel links until the other helper's connect_options.cpp
// lands on issue7 (the lead takes that version at merge, replacing this file whole).
#include <algorithm>
#include <cctype>
#include <cmath>

#include "wsdemo/channel.h"

namespace wsdemo {

namespace {

bool isTokenChar(char c) {
    if (std::isalnum(static_cast<unsigned char>(c))) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), isTokenChar);
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

std::variant<Header, std::string> parseHeader(std::string_view text) {
    if (text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
        return std::string("a header may not contain CR, LF or NUL");
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) return std::string("a header needs 'Name: value'");
    const std::string_view name = text.substr(0, colon);
    if (name.empty()) return std::string("a header needs a name before ':'");
    if (!isToken(name)) return "'" + std::string(name) + "' is not a valid header name";
    for (const std::string_view owned :
         {"Host", "Upgrade", "Connection", "Origin", "Content-Length", "Transfer-Encoding"})
        if (iequals(name, owned))
            return "the " + std::string(owned) + " header is set by the client itself";
    if (name.size() >= 14 && iequals(name.substr(0, 14), "Sec-WebSocket-"))
        return std::string("the Sec-WebSocket-* headers are set by the client itself");
    std::string_view value = text.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    return Header{std::string(name), std::string(value)};
}

std::string checkSubprotocol(std::string_view name) {
    if (isToken(name)) return {};
    return "'" + std::string(name) + "' is not a valid subprotocol name";
}

std::chrono::milliseconds reconnectDelay(const ReconnectOptions& options, unsigned attempt,
                                         double random01) {
    const double minimum = static_cast<double>(options.minDelay.count());
    const double maximum = static_cast<double>(options.maxDelay.count());
    const double ceiling =
        std::min(maximum, minimum * std::pow(2.0, static_cast<double>(std::min(attempt, 40u))));
    const double delay = std::max(minimum, ceiling * random01);
    return std::chrono::milliseconds(static_cast<long long>(delay));
}

const char* toString(ReadyState state) {
    switch (state) {
        case ReadyState::kConnecting:
            return "connecting";
        case ReadyState::kOpen:
            return "open";
        case ReadyState::kClosing:
            return "closing";
        case ReadyState::kClosed:
            return "closed";
    }
    return "?";
}

const char* toString(ConnectStage stage) {
    switch (stage) {
        case ConnectStage::kResolving:
            return "resolving";
        case ConnectStage::kTcp:
            return "TCP";
        case ConnectStage::kTls:
            return "TLS";
        case ConnectStage::kUpgrade:
            return "upgrade";
    }
    return "?";
}

const char* toString(FailureStage stage) {
    switch (stage) {
        case FailureStage::kNone:
            return "none";
        case FailureStage::kUrl:
            return "URL";
        case FailureStage::kOptions:
            return "options";
        case FailureStage::kDns:
            return "DNS";
        case FailureStage::kTcp:
            return "TCP";
        case FailureStage::kTls:
            return "TLS";
        case FailureStage::kHttp:
            return "HTTP";
        case FailureStage::kTimeout:
            return "timeout";
        case FailureStage::kCancelled:
            return "cancelled";
    }
    return "?";
}

const char* toString(SendResult result) {
    switch (result) {
        case SendResult::kQueued:
            return "queued";
        case SendResult::kClosed:
            return "the connection is closed";
        case SendResult::kQueueFull:
            return "the send queue is full";
        case SendResult::kTooLarge:
            return "the message is larger than the limit";
        case SendResult::kInvalidUtf8:
            return "the text is not valid UTF-8";
    }
    return "?";
}

}  // namespace wsdemo
