#include "wsdemo/message.h"

#include "wsdemo/text.h"

namespace wsdemo {

bool isSendableCloseCode(uint16_t code) {
    switch (code) {
        case 1000:
        case 1001:
        case 1002:
        case 1003:
        case 1007:
        case 1008:
        case 1009:
        case 1010:
        case 1011:
        case 1012:
        case 1013:
        case 1014:
            return true;
        default:
            return code >= 3000 && code <= 4999;
    }
}

std::variant<ClosePayload, ClosePayloadError> parseClosePayload(std::string_view payload) {
    if (payload.empty()) return ClosePayload{};
    if (payload.size() == 1)
        return ClosePayloadError{CloseCode::kProtocolError, "a close frame with a 1-byte payload"};
    const auto code = static_cast<uint16_t>(static_cast<unsigned char>(payload[0]) << 8 |
                                            static_cast<unsigned char>(payload[1]));
    // 1015 is sendable by nobody: it only reports a TLS failure locally.
    if (!isSendableCloseCode(code) || code == 1015)
        return ClosePayloadError{CloseCode::kProtocolError,
                                 "the invalid close code " + std::to_string(code)};
    const std::string_view reason = payload.substr(2);
    if (!isValidUtf8(reason))
        return ClosePayloadError{CloseCode::kInvalidPayload,
                                 "a close reason that is not valid UTF-8"};
    return ClosePayload{code, std::string(reason)};
}

}  // namespace wsdemo
