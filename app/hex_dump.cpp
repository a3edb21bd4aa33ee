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

}  // namespace wsdemo
