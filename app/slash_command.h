// --slash: a stdin line that starts with '/' is a command, as in wscat. /ping [payload],
// /pong [payload] and /close [code [reason]] send control frames; "//text" sends "/text"; any
// other line is a text message. With --unsafe, /close takes any code and reason a close frame
// can carry, for testing servers (sent with Channel::disconnectUnchecked()).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "wsdemo/message.h"

namespace wsdemo {

struct SendText {
    std::string text;
};
struct Ping {
    std::string payload;  // At most 125 bytes.
};
struct Pong {
    std::string payload;  // At most 125 bytes.
};
struct Close {
    uint16_t code = CloseCode::kNormal;  // isSendableCloseCode() unless unchecked.
    std::string reason;                  // UTF-8 unless unchecked; at most 123 bytes.
    // Unsafe: any code from 0 (a close frame with no payload, and so no reason) to 65535, any
    // reason bytes.
    bool unchecked = false;
};

// What a line asks for, or one line saying what is wrong with it.
using SlashCommand = std::variant<SendText, Ping, Pong, Close, std::string>;

// `line` without its line ending. A command word ends at the first space; what follows that
// one space is the payload (or "code reason") exactly as written.
SlashCommand parseSlashCommand(std::string_view line, bool unsafe = false);

}  // namespace wsdemo
