// The pure parts of channel.h: checking connect options, the reconnect backoff, and the names
// of states and stages. No libwebsockets here, so the command line and the fuzzers use them as
// they are.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "wsdemo/channel.h"
#include "wsdemo/text.h"

namespace wsdemo {

namespace {

// RFC 7230 3.2.6: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" /
// "_" / "`" / "|" / "~" / DIGIT / ALPHA.
bool isTokenChar(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) return false;
    return std::isalnum(byte) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), isTokenChar);
}

constexpr const char* kTokenChars = "letters, digits and !#$%&'*+-.^_`|~";

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// Why libwebsockets or RFC 6455 own this header, or null when the user may set it.
const char* whyHeaderIsOwned(std::string_view name) {
    if (equalsIgnoringCase(name, "Origin")) return "the origin has a setting of its own";
    for (const char* handshake : {"Host", "Upgrade", "Connection"})
        if (equalsIgnoringCase(name, handshake)) return "the WebSocket handshake sets it";
    if (name.size() >= 14 && equalsIgnoringCase(name.substr(0, 14), "Sec-WebSocket-"))
        return "the WebSocket handshake sets it (subprotocols and compression have settings)";
    for (const char* framing : {"Content-Length", "Transfer-Encoding"})
        if (equalsIgnoringCase(name, framing)) return "an upgrade request has no body";
    return nullptr;
}

bool isControlOtherThanTab(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && byte != '\t') || byte == 0x7f;
}

std::string_view trimSpaceAndTab(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

std::variant<Header, std::string> parseHeader(std::string_view text) {
    // RFC 7230 3.2: field values are visible characters, space, tab and bytes from 0x80 up.
    if (std::any_of(text.begin(), text.end(), isControlOtherThanTab))
        return std::string("a header cannot contain a control character such as CR, LF or NUL");
    const auto colon = text.find(':');
    if (colon == std::string_view::npos)
        return "no colon in " + printableQuote(text) + ": expected 'Name: value'";
    const std::string_view name = text.substr(0, colon);
    if (name.empty()) return "no header name before the colon in " + printableQuote(text);
    if (!isToken(name))
        return "the header name " + printableQuote(name) + " may only hold " + kTokenChars;
    if (const char* why = whyHeaderIsOwned(name))
        return "the header " + printableQuote(name) + " cannot be set: " + why;
    return Header{std::string(name), std::string(trimSpaceAndTab(text.substr(colon + 1)))};
}

std::string checkOrigin(std::string_view origin) {
    if (std::any_of(origin.begin(), origin.end(), isControlOtherThanTab))
        return "the origin cannot contain a control character such as CR, LF or NUL";
    return {};
}

std::string whyUnreadable(const std::string& path) {
    // stat() first: opening a FIFO or a device could block or have effects.
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return std::strerror(errno);
    if (!S_ISREG(info.st_mode)) return "not a regular file";
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return std::strerror(errno);
    ::close(fd);
    return {};
}

std::string checkSubprotocol(std::string_view name) {
    if (name.empty()) return "a subprotocol name cannot be empty";
    if (!isToken(name))
        return "the subprotocol " + printableQuote(name) + " may only hold " + kTokenChars;
    return {};
}

std::chrono::milliseconds reconnectDelay(const ReconnectOptions& options, unsigned attempt,
                                         double random01) {
    const int64_t minDelay = std::max<int64_t>(0, options.minDelay.count());
    const int64_t maxDelay = std::max<int64_t>(minDelay, options.maxDelay.count());
    // min(maxDelay, minDelay * 2^attempt) without overflowing: stop doubling at the ceiling.
    int64_t ceiling = minDelay;
    for (unsigned doubling = 0; doubling < attempt && ceiling > 0 && ceiling < maxDelay; ++doubling)
        ceiling = ceiling > maxDelay / 2 ? maxDelay : ceiling * 2;
    // NaN and values outside [0, 1) must not leave the bounds either.
    const double fraction = std::isnan(random01) ? 0.0 : std::clamp(random01, 0.0, 1.0);
    const auto jitter = static_cast<int64_t>(static_cast<double>(ceiling - minDelay) * fraction);
    return std::chrono::milliseconds(minDelay + std::min(jitter, ceiling - minDelay));
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
            return "resolving the host name";
        case ConnectStage::kTcp:
            return "opening the TCP connection";
        case ConnectStage::kTls:
            return "TLS handshake";
        case ConnectStage::kUpgrade:
            return "WebSocket opening handshake";
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
