#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "line_splitter.h"

using wsdemo::LineSplitter;

namespace {

// Every line the splitter hands out for these chunks, then end of stream; "!" for too long.
std::vector<std::string> split(std::size_t maxLine, const std::vector<std::string>& chunks) {
    LineSplitter splitter(maxLine);
    std::vector<std::string> lines;
    const auto take = [&](std::optional<LineSplitter::Line> line) {
        if (!line) return false;
        lines.push_back(line->tooLong ? "!" : line->text);
        return true;
    };
    for (const auto& chunk : chunks) {
        splitter.feed(chunk);
        while (take(splitter.next())) {
        }
    }
    while (take(splitter.finish())) {
    }
    return lines;
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("lines are split on newlines, whatever the chunks", "[line_splitter]") {
    CHECK(split(100, {"a\nbc\n"}) == Lines{"a", "bc"});
    CHECK(split(100, {"a", "b", "\n", "c\nd"}) == Lines{"ab", "c", "d"});
    CHECK(split(100, {"\n\n"}) == Lines{"", ""});
    CHECK(split(100, {"crlf\r\n", "last\r"}) == Lines{"crlf", "last"});
    CHECK(split(100, {"inner\rcr\n"}) == Lines{"inner\rcr"});
    CHECK(split(100, {}).empty());
    CHECK(split(100, {"no newline"}) == Lines{"no newline"});
}

TEST_CASE("a line over the limit is reported once and skipped", "[line_splitter]") {
    CHECK(split(4, {"1234\n12345\nok\n"}) == Lines{"1234", "!", "ok"});
    // Reported before its newline arrives, without keeping its bytes.
    CHECK(split(4, {"12345", "6789", "0\nok"}) == Lines{"!", "ok"});
    CHECK(split(4, {"123456789"}) == Lines{"!"});
    CHECK(split(4, {"12\n345678", "\n"}) == Lines{"12", "!"});
    // Found by fuzz_line_splitter: a read that ends between "\r" and "\n" at the limit.
    CHECK(split(4, {"1234\r", "\nok"}) == Lines{"1234", "ok"});
    CHECK(split(4, {"1234\r"}) == Lines{"1234"});
}
