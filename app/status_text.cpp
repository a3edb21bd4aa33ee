#include "status_text.h"

#include <algorithm>
#include <cstdio>

#include "wsdemo/text.h"

namespace wsdemo {

namespace {

// "code 1000 (normal closure)", "code 4000".
std::string describeCode(uint16_t code) {
    std::string text = "code " + std::to_string(code);
    if (const std::string meaning = closeCodeMeaning(code); !meaning.empty())
        text += " (" + meaning + ")";
    return text;
}

// "permessage-deflate; client_max_window_bits=12, x" -> "permessage-deflate, x": the names
// say what is in use, the parameters only make the line run off the window.
std::string extensionNames(const std::string& extensions) {
    std::string names;
    std::size_t start = 0;
    while (start < extensions.size()) {
        const std::size_t end = std::min(extensions.find(',', start), extensions.size());
        const std::string item = extensions.substr(start, end - start);
        const std::size_t first = item.find_first_not_of(' ');
        const std::size_t last = std::min(item.find(';'), item.size());
        if (first < last) {
            const std::string name = item.substr(first, last - first);
            names += (names.empty() ? "" : ", ") + name.substr(0, name.find_last_not_of(' ') + 1);
        }
        start = end + 1;
    }
    return names;
}

std::string describeOpen(const ChannelStatus& status) {
    std::string text = "Connected to " + status.url;
    std::string details;
    if (!status.protocol.empty()) details = "subprotocol " + printableQuote(status.protocol);
    if (const std::string names = extensionNames(status.extensions); !names.empty())
        details += (details.empty() ? "" : ", ") + std::string("extensions: ") + names;
    if (!details.empty()) text += " (" + details + ")";
    return text;
}

std::string describeClosed(const ChannelStatus& status) {
    if (status.failure != FailureStage::kNone)
        return status.error.empty()
                   ? "Could not connect to " + status.url + " (" + toString(status.failure) + ")"
                   : status.error;
    if (status.closeCode == 0) return "Not connected";
    std::string text;
    switch (status.closedBy) {
        case CloseInitiator::kClient:
            text = "Closed by us: ";
            break;
        case CloseInitiator::kServer:
            text = "Closed by the server: ";
            break;
        case CloseInitiator::kNone:
            text = "Connection lost: ";
            break;
    }
    text += describeCode(status.closeCode);
    if (!status.closeReason.empty()) text += ", reason \"" + status.closeReason + "\"";
    if (!status.error.empty()) text += ": " + status.error;
    return text;
}

}  // namespace

std::string describeStatus(const ChannelStatus& status) {
    std::string text;
    switch (status.state) {
        case ReadyState::kConnecting:
            // The stage first: a log row cut to its column's width still tells them apart.
            text = "Connecting (" + std::string(toString(status.stage)) + ") to " + status.url +
                   " ...";
            break;
        case ReadyState::kOpen:
            text = describeOpen(status);
            break;
        case ReadyState::kClosing:
            text = "Closing the connection to " + status.url + " ...";
            break;
        case ReadyState::kClosed:
            text = describeClosed(status);
            break;
    }
    if (status.state == ReadyState::kClosed && status.unsentMessages)
        text += "; " + std::to_string(status.unsentMessages) + " message(s) never sent";
    return text;
}

std::string closeCodeMeaning(uint16_t code) {
    switch (code) {
        case CloseCode::kNormal:
            return "normal closure";
        case CloseCode::kGoingAway:
            return "going away";
        case CloseCode::kProtocolError:
            return "protocol error";
        case CloseCode::kUnsupportedData:
            return "unsupported data";
        case CloseCode::kNoStatus:
            return "no status code";
        case CloseCode::kAbnormal:
            return "no close frame";
        case CloseCode::kInvalidPayload:
            return "invalid payload data";
        case CloseCode::kPolicyViolation:
            return "policy violation";
        case CloseCode::kMessageTooBig:
            return "message too big";
        case 1010:
            return "mandatory extension missing";
        case CloseCode::kInternalError:
            return "internal server error";
        case 1012:
            return "service restart";
        case 1013:
            return "try again later";
        case 1014:
            return "bad gateway";
        case 1015:
            return "TLS handshake failure";
        default:
            return {};
    }
}

std::string describeReconnect(const ReconnectScheduled& reconnect) {
    char text[80];
    std::snprintf(text, sizeof text, "reconnecting in %.1f s (attempt %u)",
                  std::chrono::duration<double>(reconnect.delay).count(), reconnect.attempt);
    return text;
}

std::string describePong(const PongReceived& pong) {
    if (!pong.roundTrip) return "pong received (not asked for)";
    char text[48];
    std::snprintf(text, sizeof text, "pong in %.3f ms",
                  std::chrono::duration<double, std::milli>(*pong.roundTrip).count());
    return text;
}

}  // namespace wsdemo
