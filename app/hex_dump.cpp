#include "hex_dump.h"

#include <algorithm>

namespace wsdemo {

std::string hexDumpLine(std::string_view bytes, std::size_t offset) {
    static constexpr char kDigits[] = "0123456789abcdef";
    bytes = bytes.substr(0, kHexDumpBytesPerLine);
    std::string line;
    line.reserve(80);
    // At least eight digits, more past 4 GiB.
    int shift = 28;
    while (shift < 60 && (offset >> (shift + 4)) != 0) shift += 4;
    for (; shift >= 0; shift -= 4) line += kDigits[(offset >> shift) & 0xF];
    line += ' ';
    for (std::size_t i = 0; i < kHexDumpBytesPerLine; ++i) {
        if (i % 8 == 0) line += ' ';
        if (i < bytes.size()) {
            const auto byte = static_cast<unsigned char>(bytes[i]);
            line += kDigits[byte >> 4];
            line += kDigits[byte & 0xF];
            line += ' ';
        } else {
            line += "   ";
        }
    }
    line += " |";
    for (const char c : bytes) line += c >= 0x20 && c < 0x7f ? c : '.';
    line += '|';
    return line;
}

std::size_t hexDumpLineCount(std::size_t size) {
    return std::max<std::size_t>(1, (size + kHexDumpBytesPerLine - 1) / kHexDumpBytesPerLine);
}

std::string_view utf8Prefix(std::string_view text, std::size_t maxBytes) {
    if (text.size() <= maxBytes) return text;
    std::size_t end = maxBytes;
    // Back up over continuation bytes to the start of the cut character.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end);
}

}  // namespace wsdemo
