// JSON read whole, or up to a cut: a value the cut may have shortened is left out, never kept
// short.
#include <catch2/catch.hpp>

#include <string>

#include "json_document.h"

using namespace wsdemo;
using Json = nlohmann::json;

namespace {

// The document left by cutting `text` short; fails the test if it was not seen as cut off.
Json beforeCut(const std::string& text, std::string* cutAt = nullptr) {
    JsonDocument document = readJsonDocument(text);
    INFO(text);
    REQUIRE_FALSE(document.whole);
    REQUIRE(document.cutOff);
    if (cutAt) *cutAt = document.cutAt;
    return document.beforeCut;
}

}  // namespace

TEST_CASE("Whole JSON reads as nlohmann's parser reads it", "[json_document]") {
    for (const std::string text :
         {R"({"a": [1, -2.5e3, "x", true, null, {"b": {}}], "c": [], "a2": 18446744073709551615})",
          R"("just a string")", "0", R"([[[]], [{}]])", R"({"k": 1, "k": 2})"}) {
        INFO(text);
        const JsonDocument document = readJsonDocument(text);
        REQUIRE(document.whole);
        CHECK(*document.whole == Json::parse(text));
        CHECK_FALSE(document.cutOff);
    }
}

TEST_CASE("JSON that is wrong before its end is not a cut", "[json_document]") {
    const JsonDocument document = readJsonDocument(R"({"a": [1,]})");
    CHECK_FALSE(document.whole);
    CHECK_FALSE(document.cutOff);
    CHECK(document.errorAt == 10);
}

TEST_CASE("JSON cut off keeps what came whole before the cut", "[json_document]") {
    std::string cutAt;
    SECTION("what is open is closed, and the innermost open value named") {
        CHECK(beforeCut(R"({"items": [{"n": 1}, {"n": 2}, {"n": 3, "s": "ab)", &cutAt) ==
              Json::parse(R"({"items": [{"n": 1}, {"n": 2}, {"n": 3}]})"));
        CHECK(cutAt == "items[2]");
        CHECK(beforeCut(R"({"a": {"b": [[1], [2, 3)", &cutAt) ==
              Json::parse(R"({"a": {"b": [[1], [2]]}})"));
        CHECK(cutAt == "a.b[1]");
    }
    SECTION("a key that is not a plain name is quoted in the path, on one line") {
        beforeCut("{\"a b\": {\"line\\nbreak\": [{\"ok_1\": [", &cutAt);
        CHECK(cutAt == "['a b']['line\\x0abreak'][0].ok_1");
    }
    SECTION("a number that runs to the cut may be short, so it goes") {
        CHECK(beforeCut(R"({"time": 17)") == Json::object());
        CHECK(beforeCut(R"([1, 2, 3)") == Json::parse("[1, 2]"));
        CHECK(beforeCut(R"({"time": 1.5e)") == Json::object());
    }
    SECTION("a number with something after it is whole") {
        CHECK(beforeCut(R"({"time": 17,)") == Json::parse(R"({"time": 17})"));
        CHECK(beforeCut(R"({"time": 17 )") == Json::parse(R"({"time": 17})"));
        CHECK(beforeCut(R"([1, 2, 3, )") == Json::parse("[1, 2, 3]"));
    }
    SECTION("a string, a literal or a key cut short is not there at all") {
        CHECK(beforeCut(R"({"a": "whole", "b": "hal)") == Json::parse(R"({"a": "whole"})"));
        CHECK(beforeCut(R"({"a": tr)") == Json::object());
        CHECK(beforeCut(R"({"a": 1, "ke)") == Json::parse(R"({"a": 1})"));
        CHECK(beforeCut(R"({"a": 1, "key": )", &cutAt) == Json::parse(R"({"a": 1})"));
        CHECK(cutAt.empty());
    }
    SECTION("objects that are not array elements stay, with what they had") {
        CHECK(beforeCut(R"({"log": {"version": "1.2", "entries": [)", &cutAt) ==
              Json::parse(R"({"log": {"version": "1.2", "entries": []}})"));
        CHECK(cutAt == "log.entries");
    }
    SECTION("nothing before the cut") {
        CHECK(beforeCut(R"("abc)").is_null());
        CHECK(beforeCut("").is_null());
    }
}
