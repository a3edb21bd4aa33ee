// LineSplitter: --headless's stdin. The first input byte picks maxLineBytes (1 to 32, so that
// long lines are common), the rest is the stream. Fed whole, byte by byte or in chunks, the
// splitter must hand out the lines a plain split gives, and report an over-long line as soon
// as the bytes so far prove it too long: that is what keeps its memory bounded.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "line_splitter.h"
#include "support.h"

namespace {

using Line = wsdemo::LineSplitter::Line;

bool operator==(const Line& a, const Line& b) {
    return a.tooLong == b.tooLong && a.text == b.text;
}

Line expectedLine(std::string_view line, std::size_t maxLineBytes) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > maxLineBytes) return {{}, true};
    return {std::string(line), false};
}

// The whole stream split on "\n" at once; a last line without "\n" counts unless empty.
std::vector<Line> expectedLines(std::string_view stream, std::size_t maxLineBytes) {
    std::vector<Line> lines;
    while (!stream.empty()) {
        const auto newline = stream.find('\n');
        lines.push_back(expectedLine(stream.substr(0, newline), maxLineBytes));
        stream.remove_prefix(newline == std::string_view::npos ? stream.size() : newline + 1);
    }
    return lines;
}

void checkSplit(const std::vector<std::string_view>& chunks, std::size_t maxLineBytes,
                const std::vector<Line>& expected) {
    wsdemo::LineSplitter splitter(maxLineBytes);
    std::vector<Line> lines;
    const auto take = [&](std::optional<Line> line) {
        if (!line) return false;
        fuzz::check(line->text.size() <= maxLineBytes, "no line is longer than the limit");
        fuzz::check(!line->tooLong || line->text.empty(), "a too long line has no text");
        fuzz::check(lines.size() < expected.size(), "no more lines than the stream holds");
        fuzz::check(*line == expected[lines.size()], "each line is the plain split's");
        lines.push_back(std::move(*line));
        return true;
    };
    // What the bytes fed so far decide: their complete lines, and the line still open once it
    // is too long whatever follows (a "\r" at its end may yet be the start of "\r\n").
    std::size_t newlines = 0, open = 0;  // The open line's bytes, "\r" included.
    bool openEndsInCr = false;
    for (const auto chunk : chunks) {
        splitter.feed(chunk);
        while (take(splitter.next())) {
        }
        for (const char c : chunk) {
            if (c == '\n') ++newlines;
            open = c == '\n' ? 0 : open + 1;
            openEndsInCr = c == '\r';
        }
        const bool openTooLong = open - (openEndsInCr ? 1 : 0) > maxLineBytes;
        fuzz::check(lines.size() == newlines + (openTooLong ? 1 : 0),
                    "every line is handed out as soon as the bytes so far decide it");
    }
    take(splitter.finish());
    fuzz::check(lines.size() == expected.size(), "the last line comes out at the end");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t maxLineBytes = 1 + data[0] % 32;
    const std::string_view stream = fuzz::asText(data + 1, size - 1);
    const auto expected = expectedLines(stream, maxLineBytes);

    checkSplit({stream}, maxLineBytes, expected);
    std::vector<std::string_view> bytes;
    for (std::size_t i = 0; i < stream.size(); ++i) bytes.push_back(stream.substr(i, 1));
    checkSplit(bytes, maxLineBytes, expected);
    checkSplit(fuzz::chunksOf(stream), maxLineBytes, expected);
    return 0;
}
