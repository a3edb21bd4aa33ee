// Binary messages as typed in the composer: hex digits, two a byte.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wsdemo {

struct HexParse {
    std::string bytes;        // The bytes typed; empty when error is set.
    std::string error;        // Empty when the whole input is valid.
    std::size_t errorOffset;  // Byte offset of the character the error names; 0 when valid.
};

// Accepts pairs of hex digits (either case), contiguous ("48656c") or with white space (space,
// tab, CR, LF) between bytes ("48 65\n6c"); no "0x" prefixes, no separators inside a byte.
// Refuses, naming the character and its place ("'g' at column 5 is not a hex digit", with
// "line 2, " in front when the input has several lines): a character that is neither hex nor
// white space, and a digit that starts a byte but has no second digit after it.
HexParse parseHexInput(std::string_view typed);

}  // namespace wsdemo
