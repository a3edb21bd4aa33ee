#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <utility>

#include "wsdemo/text.h"

using wsdemo::isValidUtf8;
using wsdemo::jsonNestsDeeperThan;
using wsdemo::printableQuote;

TEST_CASE("UTF-8 validation follows RFC 3629", "[text]") {
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

TEST_CASE("UTF-8 is validated across chunk boundaries", "[text]") {
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

TEST_CASE("outside text is quoted so that it cannot garble a terminal", "[text]") {
    CHECK(printableQuote("--url") == "'--url'");
    CHECK(printableQuote("\xff\x1b[2J\n") == "'\\xff\\x1b[2J\\x0a'");
    CHECK(printableQuote(std::string(100, 'a')) == "'" + std::string(60, 'a') + "...'");
}

TEST_CASE("bytes are written as lowercase hex", "[text]") {
    CHECK(wsdemo::toHex("") == "");
    CHECK(wsdemo::toHex(std::string("\x00\xff\x10", 3)) == "00ff10");
    CHECK(wsdemo::toHex(std::string("\x00\xab", 2), " ") == "00 ab");
}

TEST_CASE("base64 follows RFC 4648 with padding", "[text]") {
    using wsdemo::fromBase64;
    using wsdemo::toBase64;
    SECTION("the test vectors of RFC 4648 section 10") {
        const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                               {"f", "Zg=="},
                                                               {"fo", "Zm8="},
                                                               {"foo", "Zm9v"},
                                                               {"foob", "Zm9vYg=="},
                                                               {"fooba", "Zm9vYmE="},
                                                               {"foobar", "Zm9vYmFy"}};
        for (const auto& [bytes, text] : vectors) {
            CHECK(toBase64(bytes) == text);
            CHECK(fromBase64(text) == std::optional<std::string>(bytes));
        }
    }
    SECTION("every byte value survives a round trip") {
        std::string bytes;
        for (int value = 0; value < 256; ++value) bytes += static_cast<char>(value);
        CHECK(toBase64(bytes).substr(0, 8) == "AAECAwQF");
        CHECK(fromBase64(toBase64(bytes)) == bytes);
        CHECK(fromBase64("+/+/") == std::string("\xfb\xff\xbf"));
    }
    SECTION("anything but canonical padded base64 is refused") {
        for (const char* bad :
             {"Zg", "Zg=", "Zm8", "Zg===", "=Zg=", "Z===", "====", "Zm9v\n", " Zm9v", "Zm 9v",
              "Zm9-", "Zm9_", "Zh==", "Zm9=", "Zg==Zg==", "Zm=v"}) {
            INFO(bad);
            CHECK_FALSE(fromBase64(bad));
        }
    }
}

TEST_CASE("JSON nesting is counted outside strings only", "[text]") {
    CHECK_FALSE(jsonNestsDeeperThan("[[{}]]", 3));
    CHECK(jsonNestsDeeperThan("[[{}]]", 2));
    CHECK_FALSE(jsonNestsDeeperThan(R"(["[[[[", "\"[[[["])", 1));
    CHECK(jsonNestsDeeperThan(std::string(100000, '['), 64));
    // A stray closing bracket cannot hide nesting that follows it.
    CHECK(jsonNestsDeeperThan("]]]][[", 1));
}

TEST_CASE("JSON text ending within a string is told apart, escapes included", "[text]") {
    CHECK_FALSE(wsdemo::jsonEndsInsideString(R"({"a": "b"})"));
    CHECK(wsdemo::jsonEndsInsideString(R"({"a": "b)"));
    CHECK(wsdemo::jsonEndsInsideString(R"({"a": "say \"hi\")"));
    CHECK_FALSE(wsdemo::jsonEndsInsideString(R"(["\\", 12)"));
    CHECK(wsdemo::jsonEndsInsideString(R"(["\\", "x 12)"));
    CHECK_FALSE(wsdemo::jsonEndsInsideString(""));
}
