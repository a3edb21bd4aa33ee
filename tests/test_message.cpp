#include <catch2/catch.hpp>

#include "wsdemo/message.h"

using wsdemo::isSendableCloseCode;
using wsdemo::isValidUtf8;

TEST_CASE("UTF-8 validation follows RFC 3629", "[message]") {
    CHECK(isValidUtf8(""));
    CHECK(isValidUtf8("plain ASCII"));
    CHECK(isValidUtf8("h\xc3\xa9llo \xe2\x9c\x93 \xe6\x97\xa5 \xf0\x9f\x8e\x89"));
    CHECK(isValidUtf8(std::string("nul\0inside", 10)));
    CHECK(isValidUtf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF

    CHECK_FALSE(isValidUtf8("\x80"));              // Lone continuation byte.
    CHECK_FALSE(isValidUtf8("\xc3"));              // Truncated sequence.
    CHECK_FALSE(isValidUtf8("\xc0\xaf"));          // Overlong '/'.
    CHECK_FALSE(isValidUtf8("\xe0\x80\xaf"));      // Overlong, three bytes.
    CHECK_FALSE(isValidUtf8("\xed\xa0\x80"));      // UTF-16 surrogate.
    CHECK_FALSE(isValidUtf8("\xf4\x90\x80\x80"));  // Above U+10FFFF.
    CHECK_FALSE(isValidUtf8("\xff"));
    CHECK_FALSE(isValidUtf8("ok\xe2\x9c"));  // Cut off at the end.
}

TEST_CASE("only codes an endpoint may send are sendable", "[message]") {
    for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999})
        CHECK(isSendableCloseCode(static_cast<uint16_t>(code)));
    for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000})
        CHECK_FALSE(isSendableCloseCode(static_cast<uint16_t>(code)));
}

TEST_CASE("UTF-8 is validated across chunk boundaries", "[message]") {
    const std::string text = "h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x8e\x89";
    for (std::size_t split = 0; split <= text.size(); ++split) {
        wsdemo::Utf8Validator validator;
        CHECK(validator.feed(text.substr(0, split)));
        CHECK(validator.feed(text.substr(split)));
        CHECK(validator.complete());
    }
    SECTION("an incomplete character is not complete") {
        wsdemo::Utf8Validator validator;
        CHECK(validator.feed("ok\xf0\x9f"));
        CHECK_FALSE(validator.complete());
    }
    SECTION("it fails at the first bad byte and stays failed") {
        wsdemo::Utf8Validator validator;
        CHECK_FALSE(validator.feed("a\xe2\x28"));
        CHECK_FALSE(validator.feed("plain"));
    }
}
