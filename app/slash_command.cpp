#include "slash_command.h"

#include "wsdemo/text.h"

namespace wsdemo {

namespace {

constexpr std::size_t kMaxControlPayload = 125;  // RFC 6455 5.5.
constexpr std::size_t kMaxCloseReason = kMaxControlPayload - 2;

constexpr const char* kUsage =
    "/ping [payload], /pong [payload], /close [code [reason]], or //text to send /text";

// The word after the '/' and what follows the space after it.
struct Split {
    std::string_view word;
    std::string_view argument;
};

Split splitCommand(std::string_view line) {
    const std::string_view rest = line.substr(1);
    const auto space = rest.find(' ');
    if (space == std::string_view::npos) return {rest, {}};
    return {rest.substr(0, space), rest.substr(space + 1)};
}

std::string checkControlPayload(std::string_view command, std::string_view payload) {
    if (payload.size() <= kMaxControlPayload) return {};
    return std::string(command) + " payload of " + std::to_string(payload.size()) +
           " bytes: at most " + std::to_string(kMaxControlPayload);
}

SlashCommand parseClose(std::string_view argument, bool unsafe) {
    if (argument.empty()) return Close{};
    const auto space = argument.find(' ');
    const std::string_view codeText = argument.substr(0, space);
    const std::string_view reason =
        space == std::string_view::npos ? std::string_view() : argument.substr(space + 1);
    unsigned code = 0;
    const bool digits = !codeText.empty() && codeText.size() <= 5 &&
                        codeText.find_first_not_of("0123456789") == std::string_view::npos;
    if (digits)
        for (const char c : codeText) code = code * 10 + static_cast<unsigned>(c - '0');
    if (unsafe && (!digits || code > 0xFFFF))
        return "/close code " + wsdemo::printableQuote(codeText) +
               " is not a number from 0 to 65535";
    if (!unsafe && (!digits || code > 0xFFFF || !isSendableCloseCode(static_cast<uint16_t>(code))))
        return "/close code " + wsdemo::printableQuote(codeText) +
               " cannot be sent: use 1000-1003, 1007-1014 or 3000-4999";
    if (reason.size() > kMaxCloseReason)
        return "/close reason of " + std::to_string(reason.size()) + " bytes: at most " +
               std::to_string(kMaxCloseReason);
    if (unsafe && code == 0 && !reason.empty())
        return std::string("/close 0 sends a close frame with no payload: it takes no reason");
    if (!unsafe && !isValidUtf8(reason))
        return "/close reason " + wsdemo::printableQuote(reason) + " is not valid UTF-8";
    return Close{static_cast<uint16_t>(code), std::string(reason), unsafe};
}

}  // namespace

SlashCommand parseSlashCommand(std::string_view line, bool unsafe) {
    if (line.empty() || line.front() != '/') return SendText{std::string(line)};
    if (line.size() >= 2 && line[1] == '/') return SendText{std::string(line.substr(1))};
    const auto [word, argument] = splitCommand(line);
    if (word == "ping" || word == "pong") {
        if (std::string error = checkControlPayload("/" + std::string(word), argument);
            !error.empty())
            return error;
        if (word == "ping") return Ping{std::string(argument)};
        return Pong{std::string(argument)};
    }
    if (word == "close") return parseClose(argument, unsafe);
    return "unknown command " + wsdemo::printableQuote("/" + std::string(word)) + ": " + kUsage;
}

}  // namespace wsdemo
