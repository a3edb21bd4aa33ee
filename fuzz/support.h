// What the fuzz targets share: invariant checks that survive NDEBUG, and independent references.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace fuzz {

// Not assert(): the fuzz build is RelWithDebInfo, and a broken invariant must stop the run so
// that libFuzzer saves the input.
inline void check(bool ok, const char* invariant) {
    if (ok) return;
    std::fprintf(stderr, "fuzz invariant broken: %s\n", invariant);
    std::abort();
}

inline std::string_view asText(const uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// What a message shown to the user on one line may hold.
inline bool isPrintableAsciiLine(std::string_view text) {
    for (const char c : text)
        if (c < 0x20 || c >= 0x7f) return false;  // char is signed: bytes >= 0x80 are < 0.
    return true;
}

// Cuts text into chunks whose sizes (1 to 8) come from each chunk's first byte, so that the
// fuzzer moves the boundaries by mutating the input, and they often fall inside a character
// or between "\r" and "\n".
inline std::vector<std::string_view> chunksOf(std::string_view text) {
    std::vector<std::string_view> chunks;
    while (!text.empty()) {
        const std::size_t size = 1 + static_cast<unsigned char>(text.front()) % 8;
        chunks.push_back(text.substr(0, size));
        text.remove_prefix(chunks.back().size());
    }
    return chunks;
}

// RFC 3629 written as a decoder rather than as byte ranges, to check Utf8Validator against:
// decode each character, then reject overlong forms, surrogates and code points past U+10FFFF.
inline bool referenceIsValidUtf8(std::string_view text) {
    static constexpr uint32_t kSmallest[] = {0, 0x80, 0x800, 0x10000};  // By continuation count.
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t continuations;
        uint32_t codePoint;
        if (lead < 0x80) {
            continuations = 0;
            codePoint = lead;
        } else if ((lead & 0xE0) == 0xC0) {
            continuations = 1;
            codePoint = lead & 0x1Fu;
        } else if ((lead & 0xF0) == 0xE0) {
            continuations = 2;
            codePoint = lead & 0x0Fu;
        } else if ((lead & 0xF8) == 0xF0) {
            continuations = 3;
            codePoint = lead & 0x07u;
        } else {
            return false;
        }
        if (text.size() - i <= continuations) return false;  // Cut off.
        for (std::size_t k = 1; k <= continuations; ++k) {
            const auto byte = static_cast<unsigned char>(text[i + k]);
            if ((byte & 0xC0) != 0x80) return false;
            codePoint = codePoint << 6 | (byte & 0x3Fu);
        }
        if (codePoint < kSmallest[continuations] || codePoint > 0x10FFFF ||
            (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            return false;
        i += 1 + continuations;
    }
    return true;
}

}  // namespace fuzz
