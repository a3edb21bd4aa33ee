// Close: the code and reason that Disconnect sends, checked as typed. A choice that breaks
// RFC 6455 is shown in red and never applied: choice() keeps the last valid one. With Unsafe
// on, it is applied with a warning instead (any code 0-65535, any reason up to 123 bytes) and
// Disconnect sends it unchecked, to test how a server copes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "actions.h"

namespace wsdemo {

// A close frame's payload is at most 125 bytes: 2 for the code, 123 for the reason.
constexpr std::size_t kMaxCloseReasonBytes = 123;
// The codes an application may choose for itself (RFC 6455 7.4.2).
constexpr uint16_t kMinCustomCloseCode = 3000;
constexpr uint16_t kMaxCustomCloseCode = 4999;

// Empty when `reason` may go in a close frame, else why not ("over 123 bytes").
std::string whyBadCloseReason(std::string_view reason);
// The code typed as decimal digits, or why it cannot be sent ("3000-4999 only").
std::variant<uint16_t, std::string> parseCustomCloseCode(std::string_view typed);
// Unsafe: any code 0-65535 typed as decimal digits, or "0-65535 only".
std::variant<uint16_t, std::string> parseAnyCloseCode(std::string_view typed);

class ClosePanel {
public:
    void draw();
    const DisconnectAction& choice() const { return choice_; }
    // True when what the panel shows is what choice() holds: no error on screen.
    bool valid() const { return codeError_.empty() && reasonError_.empty(); }
    bool unsafe() const { return choice_.unchecked; }

private:
    enum class CodeKind { kNormal, kGoingAway, kCustom };

    void drawUnsafe();
    void drawCode();
    void drawReason();
    void applyCode();
    void applyReason();

    DisconnectAction choice_;
    CodeKind kind_ = CodeKind::kNormal;
    std::string customCode_ = "4000";
    std::string reason_;
    std::string codeError_;
    std::string reasonError_;
    std::string codeWarning_;    // Unsafe: what is wrong with the code, sent anyway.
    std::string reasonWarning_;  // The same for the reason.
};

}  // namespace wsdemo
