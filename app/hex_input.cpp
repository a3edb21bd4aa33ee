#include "hex_input.h"

#include <cstdio>

namespace wsdemo {

namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool isContinuation(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// The character at `offset` as a person reads it: 'g', 'é', or U+0007 / byte 0xff for what
// would not print.
std::string describeCharacter(std::string_view typed, std::size_t offset) {
    const auto lead = static_cast<unsigned char>(typed[offset]);
    char name[16];
    if (lead < 0x20 || lead == 0x7f) {
        std::snprintf(name, sizeof name, "U+%04X", lead);
        return name;
    }
    if (lead < 0x80) return std::string("'") + typed[offset] + "'";
    const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
    bool whole = length > 0 && offset + length <= typed.size();
    for (std::size_t i = 1; whole && i < length; ++i) whole = isContinuation(typed[offset + i]);
    if (whole) return "'" + std::string(typed.substr(offset, length)) + "'";
    std::snprintf(name, sizeof name, "byte 0x%02x", lead);
    return name;
}

// "column 5" or "line 2, column 5", counting characters (not bytes) from 1.
std::string describePlace(std::string_view typed, std::size_t offset) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
        if (typed[i] == '\n') {
            ++line;
            column = 1;
        } else if (!isContinuation(typed[i])) {
            ++column;
        }
    }
    const bool severalLines = typed.find('\n') != std::string_view::npos;
    return (severalLines ? "line " + std::to_string(line) + ", " : std::string()) + "column " +
           std::to_string(column);
}

HexParse failure(std::string_view typed, std::size_t offset, const char* what) {
    return {{},
            describeCharacter(typed, offset) + " at " + describePlace(typed, offset) + what,
            offset};
}

}  // namespace

HexParse parseHexInput(std::string_view typed) {
    HexParse parse{{}, {}, 0};
    parse.bytes.reserve(typed.size() / 2);
    for (std::size_t i = 0; i < typed.size(); ++i) {
        if (isSpace(typed[i])) continue;
        const int high = hexValue(typed[i]);
        if (high < 0) return failure(typed, i, " is not a hex digit");
        if (i + 1 == typed.size() || hexValue(typed[i + 1]) < 0) {
            if (i + 1 < typed.size() && !isSpace(typed[i + 1]))
                return failure(typed, i + 1, " is not a hex digit");
            return failure(typed, i, " has no second digit: a byte is two hex digits");
        }
        parse.bytes.push_back(static_cast<char>(high << 4 | hexValue(typed[++i])));
    }
    return parse;
}

}  // namespace wsdemo
