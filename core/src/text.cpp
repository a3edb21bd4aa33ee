#include "wsdemo/text.h"

#include <algorithm>
#include <cstdint>

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

std::string printableQuote(std::string_view text) {
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

namespace {
constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The 6-bit value of a base64 digit, or -1.
int base64Value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}
}  // namespace

std::string toBase64(std::string_view bytes) {
    std::string text;
    text.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::size_t count = std::min<std::size_t>(3, bytes.size() - i);
        uint32_t group = 0;
        for (std::size_t k = 0; k < 3; ++k)
            group = group << 8 | (k < count ? static_cast<unsigned char>(bytes[i + k]) : 0u);
        for (std::size_t k = 0; k < 4; ++k)
            text += k <= count ? kBase64Alphabet[(group >> (18 - 6 * k)) & 63] : '=';
    }
    return text;
}

std::optional<std::string> fromBase64(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=')
        ++padding;
    std::string bytes;
    bytes.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        const std::size_t digits = last ? 4 - padding : 4;
        uint32_t group = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            const int value = k < digits ? base64Value(text[i + k]) : 0;
            if (value < 0) return std::nullopt;
            group = group << 6 | static_cast<uint32_t>(value);
        }
        // Canonical: the bits the padding leaves over must be zero.
        if (digits < 4 && (group & ((1u << (8 * (4 - digits))) - 1)) != 0) return std::nullopt;
        for (std::size_t k = 0; k + 1 < digits; ++k)
            bytes += static_cast<char>((group >> (16 - 8 * k)) & 0xFF);
    }
    return bytes;
}

namespace {

// Calls `outside(c)` for each character of `text` outside JSON strings and their quotes, until
// it returns false. Whether the text ends within a string. The one reading of JSON strings
// for the scans below.
template <class Visit>
bool scanOutsideJsonStrings(std::string_view text, Visit outside) {
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (!outside(c)) {
            break;
        }
    }
    return inString;
}

}  // namespace

bool jsonNestsDeeperThan(std::string_view text, int limit) {
    int depth = 0;
    bool deeper = false;
    scanOutsideJsonStrings(text, [&](char c) {
        if (c == '[' || c == '{') {
            deeper = ++depth > limit;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
        return !deeper;
    });
    return deeper;
}

bool jsonEndsInsideString(std::string_view text) {
    return scanOutsideJsonStrings(text, [](char) { return true; });
}

}  // namespace wsdemo
