#include "wsdemo/text.h"

namespace wsdemo {

bool Utf8Validator::feed(std::string_view bytes) {
    for (const char c : bytes) {
        if (failed_) return false;
        const auto byte = static_cast<unsigned char>(c);
        if (pending_ > 0) {
            failed_ = byte < low_ || byte > high_;
            low_ = 0x80;
            high_ = 0xBF;
            --pending_;
            continue;
        }
        if (byte < 0x80) continue;
        if (byte >= 0xC2 && byte <= 0xDF) {
            pending_ = 1;
        } else if (byte >= 0xE0 && byte <= 0xEF) {
            pending_ = 2;
            if (byte == 0xE0) low_ = 0xA0;   // Overlong.
            if (byte == 0xED) high_ = 0x9F;  // UTF-16 surrogates.
        } else if (byte >= 0xF0 && byte <= 0xF4) {
            pending_ = 3;
            if (byte == 0xF0) low_ = 0x90;   // Overlong.
            if (byte == 0xF4) high_ = 0x8F;  // Above U+10FFFF.
        } else {
            failed_ = true;  // Continuation byte without a lead, overlong lead, or 0xF5..0xFF.
        }
    }
    return !failed_;
}

bool isValidUtf8(std::string_view text) {
    Utf8Validator validator;
    return validator.feed(text) && validator.complete();
}

std::string toHex(std::string_view bytes, std::string_view separator) {
    static const char kHex[] = "0123456789abcdef";
    std::string text;
    text.reserve(bytes.size() * (2 + separator.size()));
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const auto byte = static_cast<unsigned char>(bytes[i]);
        if (i) text += separator;
        text += kHex[byte >> 4];
        text += kHex[byte & 15];
    }
    return text;
}

std::string quoted(std::string_view text) {
    constexpr std::size_t kShown = 60;
    std::string out = "'";
    for (std::size_t i = 0; i < text.size() && i < kShown; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else {
            out += "\\x" + toHex(text.substr(i, 1));
        }
    }
    if (text.size() > kShown) out += "...";
    return out + "'";
}

std::string_view utf8Prefix(std::string_view text, std::size_t maxBytes) {
    if (text.size() <= maxBytes) return text;
    std::size_t end = maxBytes;
    // Back up over continuation bytes to the start of the cut character.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end);
}

}  // namespace wsdemo
