// parseHexInput: the composer's Binary mode, checked as typed. Any input: either bytes, and then
// the input was only hex digits in pairs and white space, or an error that names a place in it.
// And the round trip: the hex of any bytes, contiguous or spaced, parses back to those bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hex_input.h"
#include "support.h"
#include "wsdemo/text.h"

namespace {

bool isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Independent of the parser: white space and runs of hex digits of even length, nothing else.
bool referenceIsValid(std::string_view typed, std::size_t& digits) {
    std::size_t run = 0;
    digits = 0;
    for (const char c : typed) {
        if (isHexDigit(c)) {
            ++run;
            ++digits;
            continue;
        }
        if (!isSpace(c) || run % 2 != 0) return false;
        run = 0;
    }
    return run % 2 == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string_view typed = fuzz::asText(data, size);
    const wsdemo::HexParse parse = wsdemo::parseHexInput(typed);
    std::size_t digits = 0;
    const bool valid = referenceIsValid(typed, digits);
    fuzz::check(parse.error.empty() == valid, "an error exactly when the reference refuses");
    if (valid) {
        fuzz::check(parse.bytes.size() == digits / 2, "one byte for every two digits");
    } else {
        fuzz::check(parse.bytes.empty(), "no bytes with an error");
        fuzz::check(parse.errorOffset < typed.size(), "the error names a place in the input");
        fuzz::check(parse.error.find("column ") != std::string::npos, "the error names a column");
    }

    for (const std::string_view separator : {"", " ", "\n", " \t\r\n"}) {
        const wsdemo::HexParse back = wsdemo::parseHexInput(wsdemo::toHex(typed, separator));
        fuzz::check(back.error.empty() && back.bytes == typed, "hex of any bytes parses back");
    }
    return 0;
}
