// Values that cross between the channel's worker thread and its users.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace wsdemo {

// RFC 6455 section 7.4 close codes (IXWebSocket and Flutter's status.dart use the same names).
namespace CloseCode {
constexpr uint16_t kNormal = 1000;
constexpr uint16_t kGoingAway = 1001;
constexpr uint16_t kProtocolError = 1002;
constexpr uint16_t kUnsupportedData = 1003;
constexpr uint16_t kNoStatus = 1005;  // The peer's close frame carried no code.
constexpr uint16_t kAbnormal = 1006;  // The connection ended without a close frame.
constexpr uint16_t kInvalidPayload = 1007;
constexpr uint16_t kPolicyViolation = 1008;
constexpr uint16_t kMessageTooBig = 1009;
constexpr uint16_t kInternalError = 1011;
}  // namespace CloseCode

// True for the codes an endpoint may put in a close frame it sends (RFC 6455 7.4.1, 7.4.2).
bool isSendableCloseCode(uint16_t code);

// A close frame's payload (RFC 6455 5.5.1): empty, or a code and a UTF-8 reason.
struct ClosePayload {
    uint16_t code = CloseCode::kNoStatus;  // kNoStatus for an empty payload.
    std::string reason;
};

// Why a peer's close payload breaks the rules, and the code to answer it with.
struct ClosePayloadError {
    uint16_t answerCode;
    std::string error;
};

std::variant<ClosePayload, ClosePayloadError> parseClosePayload(std::string_view payload);

// One whole WebSocket message: fragments are joined before a Message exists.
struct Message {
    enum class Type { kText, kBinary };
    Type type = Type::kText;
    std::string data;  // Text: UTF-8. Binary: raw bytes.
    // Received messages: when its last fragment arrived, for latency figures.
    std::chrono::steady_clock::time_point receivedAt{};
};

// Messages are shared, never copied, between the worker, the event queue and the latest slot:
// a 16 MiB message is held once.
using MessagePtr = std::shared_ptr<const Message>;

}  // namespace wsdemo
