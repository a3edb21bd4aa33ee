#include "status_text.h"

namespace wsdemo {

std::string describeStatus(const ChannelStatus& status, const std::string& url) {
    switch (status.state) {
        case ReadyState::kConnecting:
            return "Connecting to " + url + " ...";
        case ReadyState::kOpen:
            return "Connected to " + url;
        case ReadyState::kClosing:
            return "Closing the connection to " + url + " ...";
        case ReadyState::kClosed:
            break;
    }
    if (status.closeCode == 0) return status.error;
    std::string text = "Connection closed: code " + std::to_string(status.closeCode);
    if (status.closeCode == CloseCode::kNoStatus) text += " (no status code)";
    if (!status.closeReason.empty()) text += ", reason \"" + status.closeReason + "\"";
    if (!status.error.empty()) text += ": " + status.error;
    return text;
}

}  // namespace wsdemo
