// parseSlashCommand(): the input is one stdin line. What it accepts is something the channel
// can send as it is; a refusal is one printable line, and only a command can be refused.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "slash_command.h"
#include "support.h"
#include "wsdemo/message.h"

namespace {

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

// "/ping" alone, or "/ping " and the payload.
bool carries(std::string_view line, std::string_view command, std::string_view payload) {
    return payload.empty() ? line == command || line == std::string(command) + " "
                           : line == std::string(command) + " " + std::string(payload);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string_view line = fuzz::asText(data, size);
    const auto command = wsdemo::parseSlashCommand(line);

    if (const auto* text = std::get_if<wsdemo::SendText>(&command)) {
        if (startsWith(line, "//"))
            fuzz::check(text->text == line.substr(1), "//text sends /text");
        else
            fuzz::check(!startsWith(line, "/") && text->text == line,
                        "a line that is not a command is sent as it is");
    } else if (const auto* ping = std::get_if<wsdemo::Ping>(&command)) {
        fuzz::check(ping->payload.size() <= 125, "a ping payload fits a control frame");
        fuzz::check(carries(line, "/ping", ping->payload), "/ping sends what follows it");
    } else if (const auto* pong = std::get_if<wsdemo::Pong>(&command)) {
        fuzz::check(pong->payload.size() <= 125, "a pong payload fits a control frame");
        fuzz::check(carries(line, "/pong", pong->payload), "/pong sends what follows it");
    } else if (const auto* close = std::get_if<wsdemo::Close>(&command)) {
        fuzz::check(wsdemo::isSendableCloseCode(close->code), "a close code may be sent");
        fuzz::check(close->reason.size() <= 123, "a close reason fits a control frame");
        fuzz::check(fuzz::referenceIsValidUtf8(close->reason), "a close reason is UTF-8");
        fuzz::check(startsWith(line, "/close") &&
                        (close->reason.empty() || line.substr(line.size() - close->reason.size() -
                                                              1) == " " + close->reason),
                    "/close sends the code and reason written after it");
    } else {
        const auto& error = std::get<std::string>(command);
        fuzz::check(startsWith(line, "/") && !startsWith(line, "//"),
                    "only a command can be refused");
        fuzz::check(!error.empty(), "a refusal says why");
        fuzz::check(fuzz::isPrintableAsciiLine(error), "a refusal is one line of printable ASCII");
    }
    return 0;
}
