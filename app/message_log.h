// The window's message log: every message sent and received, every state change, ping and pong,
// one row each, in a ring bounded by rows and by bytes of message data (LogLimits). No Dear
// ImGui here: log_panel.h draws it, inspector_panel.h shows one row whole.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include "settings.h"
#include "wsdemo/channel.h"
#include "wsdemo/message.h"

namespace wsdemo {

enum class LogKind : uint8_t { kMessage, kState, kPing, kPong, kReconnect };
enum class LogDirection : uint8_t { kIn, kOut, kNone };
enum class LogType : uint8_t { kText, kBinary, kEvent };

const char* toString(LogDirection direction);  // "in", "out", "".
const char* toString(LogType type);            // "text", "binary", "event".

// One row. Small on purpose (48 bytes): a message row shares the channel's MessagePtr (never a
// copy of its data) and its summary is made when drawn, so a row costs sizeof(LogEntry) beyond
// its message.
struct LogEntry {
    // Longest summary in bytes, before a trailing " ..." that says there is more.
    static constexpr std::size_t kSummaryBytes = 96;

    uint64_t seq = 0;  // Numbers rows from 0 in arrival order; never reused, not even by clear().
    std::chrono::system_clock::time_point wallTime;
    LogKind kind = LogKind::kMessage;
    LogDirection direction = LogDirection::kNone;
    LogType type = LogType::kEvent;
    bool timed = false;    // A message the composer's timer sent.
    std::size_t size = 0;  // Bytes of the message, or of the ping or pong payload.
    // A message row's message, shared with the channel; for other rows their line, as text.
    MessagePtr message;

    // The first line of a text message, the first 16 bytes of a binary one in hex, or the
    // event's line: at most kSummaryBytes, never half a character, " ..." when cut.
    std::string summary() const;
    // The whole text a row stands for: a text message's data, the event line; empty for binary.
    std::string_view text() const;
};

class MessageLog {
public:
    explicit MessageLog(LogLimits limits = {}) : limits_(limits) {}

    // Applies new limits, dropping the oldest rows at once if they are now exceeded.
    void setLimits(LogLimits limits);
    const LogLimits& limits() const { return limits_; }

    // One row per event. Then the oldest rows go until both limits hold again, but the row just
    // added always stays: a message larger than maxBytes is held alone until the next row.
    // `timed`: the event is the MessageSent of a timed send.
    void add(const ChannelEvent& event, std::chrono::system_clock::time_point wallTime,
             bool timed = false);
    void clear();

    std::size_t size() const { return rows_.size(); }
    const LogEntry& entry(std::size_t index) const { return rows_[index]; }  // 0: the oldest.
    // The row numbered `seq`, or nullptr once it was dropped or cleared (or is still to come).
    const LogEntry* findBySeq(uint64_t seq) const;
    uint64_t nextSeq() const { return nextSeq_; }  // The seq the next row will get.

    uint64_t droppedRows() const { return dropped_; }     // Evicted since start or clear().
    std::size_t heldBytes() const { return heldBytes_; }  // Message data of the rows held.

private:
    void evict();

    LogLimits limits_;
    std::deque<LogEntry> rows_;
    uint64_t nextSeq_ = 0;
    uint64_t dropped_ = 0;
    std::size_t heldBytes_ = 0;
};

}  // namespace wsdemo
