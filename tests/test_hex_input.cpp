// Binary messages typed as hex in the composer.
#include <catch2/catch.hpp>

#include <string>

#include "hex_input.h"

using namespace wsdemo;

TEST_CASE("hex digits give the bytes, contiguous or spaced", "[hex_input]") {
    SECTION("contiguous, either case") {
        const HexParse parse = parseHexInput("48656C6c6f00ff");
        CHECK(parse.error.empty());
        CHECK(parse.bytes == std::string("Hello\0\xff", 7));
    }
    SECTION("white space between bytes: spaces, tabs, CR and new lines") {
        const HexParse parse = parseHexInput("  01 02\t03\r\n04\n\n0a0B ");
        CHECK(parse.error.empty());
        CHECK(parse.bytes == "\x01\x02\x03\x04\x0a\x0b");
    }
    SECTION("nothing typed is no bytes") {
        const HexParse parse = parseHexInput(" \n ");
        CHECK(parse.error.empty());
        CHECK(parse.bytes.empty());
    }
}

TEST_CASE("bad hex names the character and its column", "[hex_input]") {
    SECTION("a character that is not hex") {
        const HexParse parse = parseHexInput("0a1g");
        CHECK(parse.error == "'g' at column 4 is not a hex digit");
        CHECK(parse.errorOffset == 3);
        CHECK(parse.bytes.empty());
    }
    SECTION("the first bad character, at the start of a byte") {
        const HexParse parse = parseHexInput("01 zz");
        CHECK(parse.error == "'z' at column 4 is not a hex digit");
        CHECK(parse.errorOffset == 3);
    }
    SECTION("an odd digit at the end") {
        const HexParse parse = parseHexInput("01 0");
        CHECK(parse.error == "'0' at column 4 has no second digit: a byte is two hex digits");
        CHECK(parse.errorOffset == 3);
    }
    SECTION("a space inside a byte") {
        const HexParse parse = parseHexInput("a bc");
        CHECK(parse.error == "'a' at column 1 has no second digit: a byte is two hex digits");
    }
    SECTION("a \"0x\" prefix is not hex") {
        CHECK(parseHexInput("0x41").error == "'x' at column 2 is not a hex digit");
    }
    SECTION("several lines: the line too; a character in UTF-8 is named whole") {
        const HexParse parse = parseHexInput("00\n11 \xc3\xa9");  // "é" on line 2.
        CHECK(parse.error == "'\xc3\xa9' at line 2, column 4 is not a hex digit");
        CHECK(parse.errorOffset == 6);
    }
    SECTION("what would not print is named by its code") {
        CHECK(parseHexInput("00\x07").error == "U+0007 at column 3 is not a hex digit");
        CHECK(parseHexInput("\xff").error == "byte 0xff at column 1 is not a hex digit");
    }
}
