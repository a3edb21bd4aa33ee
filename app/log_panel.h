// The message log's panel: a filter, direction toggles, Clear, Copy, the dropped-row count, and a
// table of the rows that pass the filter, one selectable row each, that follows new rows while
// scrolled to the bottom. Drawn into the current window by the App.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "message_log.h"

namespace wsdemo {

// Which rows the table shows.
struct LogFilter {
    std::string text;    // Substring, case-sensitive: in a text message's whole text, else in the
                         // row's summary (a binary message's first bytes in hex) or event line.
    bool in = true;      // Messages received.
    bool out = true;     // Messages sent.
    bool events = true;  // Everything else: state changes, pings, pongs, reconnects.

    bool matches(const LogEntry& entry) const;
};

class LogPanel {
public:
    void draw(MessageLog& log);
    // Empties the log (Clear, Ctrl+K) and the selection.
    void clear(MessageLog& log);

    std::optional<uint64_t> selectedSeq() const { return selected_; }
    const LogFilter& filter() const { return filter_; }

private:
    // Brings matching_ up to date with the log: drops the rows it evicted, examines only the
    // rows added since the last frame. Returns how many shown rows were evicted.
    std::size_t sync(const MessageLog& log);
    void rebuild(const MessageLog& log);
    void drawToolbar(MessageLog& log);
    void drawTable(const MessageLog& log, std::size_t evictedShown);
    void copySelected(const MessageLog& log) const;

    LogFilter filter_;
    // The seqs of the rows that pass filter_, oldest first: the table's rows. Kept up to date
    // row by row, so a flood costs each row one look, not the whole log each frame.
    std::deque<uint64_t> matching_;
    uint64_t examinedUpTo_ = 0;  // Rows below this seq were looked at already.
    std::optional<uint64_t> selected_;
};

}  // namespace wsdemo
