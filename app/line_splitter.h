// Splits a byte stream (stdin) into lines, holding at most one line's worth of bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wsdemo {

class LineSplitter {
public:
    struct Line {
        std::string text;  // Without "\n" and a "\r" before it.
        bool tooLong;      // Over maxLineBytes: text is empty, the line was skipped.
    };

    explicit LineSplitter(std::size_t maxLineBytes) : maxLineBytes_(maxLineBytes) {}

    void feed(std::string_view bytes);
    // The next complete line, if the bytes fed so far hold one.
    std::optional<Line> next();
    // At the end of the stream, once next() has nothing more: a last line without "\n".
    std::optional<Line> finish();

private:
    const std::size_t maxLineBytes_;
    std::string buffer_;       // Bytes after the last line handed out.
    std::size_t scanned_ = 0;  // Bytes of buffer_ known to hold no "\n".
    bool skipping_ = false;    // Dropping the rest of a line already reported too long.
};

}  // namespace wsdemo
