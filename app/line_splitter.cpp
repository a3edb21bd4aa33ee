#include "line_splitter.h"

#include <utility>

namespace wsdemo {

void LineSplitter::feed(std::string_view bytes) {
    buffer_.append(bytes);
}

std::optional<LineSplitter::Line> LineSplitter::next() {
    for (;;) {
        const std::size_t newline = buffer_.find('\n', scanned_);
        if (newline == std::string::npos) {
            scanned_ = buffer_.size();
            // Memory stays bounded whatever the stream holds: an over-long line is reported
            // as soon as it is known to be one, and its bytes are not kept.
            // A "\r" at the end may be the start of "\r\n": it does not count yet.
            const bool endsInCr = !buffer_.empty() && buffer_.back() == '\r';
            if (buffer_.size() - (endsInCr ? 1 : 0) <= maxLineBytes_) return std::nullopt;
            buffer_.clear();
            scanned_ = 0;
            if (std::exchange(skipping_, true)) return std::nullopt;
            return Line{{}, true};
        }
        std::string text = buffer_.substr(0, newline);
        buffer_.erase(0, newline + 1);
        scanned_ = 0;
        if (std::exchange(skipping_, false)) continue;  // The tail of an over-long line.
        if (!text.empty() && text.back() == '\r') text.pop_back();
        if (text.size() > maxLineBytes_) return Line{{}, true};
        return Line{std::move(text), false};
    }
}

std::optional<LineSplitter::Line> LineSplitter::finish() {
    std::string text = std::exchange(buffer_, {});
    scanned_ = 0;
    if (text.empty() || std::exchange(skipping_, false)) return std::nullopt;
    if (text.back() == '\r') text.pop_back();
    return Line{std::move(text), false};
}

}  // namespace wsdemo
