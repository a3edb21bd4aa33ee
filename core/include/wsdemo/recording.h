// Recordings: what happened on connections, kept as events and written to or read from a file,
// as JSON Lines (ours, lossless) or HAR 1.2 with the WebSocket frames as Chrome devtools and
// Playwright write them (`_resourceType: "websocket"`, `_webSocketMessages`).
//
// JSON Lines, one object a line; the first line names the format:
//   {"format":"wsdemo-recording","version":1}
//   {"t":1764370000123456,"conn":1,"event":"open","url":"ws://h/","headers":[["Origin","x"]],
//    "subprotocols":["chat"],"protocol":"chat","extensions":"permessage-deflate"}
//   {"t":...,"conn":1,"event":"message","dir":"send","opcode":1,"text":"hi","timed":true}
//   {"t":...,"conn":1,"event":"message","dir":"receive","opcode":2,"base64":"AQL/"}
//   {"t":...,"conn":1,"event":"ping","dir":"send","base64":""}     (also "pong")
//   {"t":...,"conn":1,"event":"close","code":1000,"reason":"bye","by":"client"}
// "t" is wall-clock time in microseconds since the Unix epoch (1970 to 2200). "timed" appears
// only when true. A close reason that is not UTF-8 (Channel::disconnectUnchecked) is written as
// "reason_base64" instead of "reason".
// A text message whose bytes are not UTF-8 cannot occur (the channel refuses them).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "wsdemo/channel.h"
#include "wsdemo/message.h"

namespace wsdemo {

using WallClock = std::chrono::system_clock;

// Wall-clock times for the channel's steady-clock stamps (ChannelEvent::at), through one offset
// taken when it is made: recorded times keep the events' order and spacing, however late they
// are drained.
class WallClockMapping {
public:
    WallClock::time_point operator()(SteadyClock::time_point at) const {
        return wall_ + std::chrono::duration_cast<WallClock::duration>(at - steady_);
    }

private:
    const WallClock::time_point wall_ = WallClock::now();
    const SteadyClock::time_point steady_ = SteadyClock::now();
};

// What a connection started with, recorded once it opened.
struct RecordedConnection {
    std::string url;
    std::vector<Header> headers;  // The request's extra headers, Origin included when sent.
    std::vector<std::string> subprotocols;  // Offered, in order.
    std::string protocol;                   // Negotiated; empty if none.
    std::string extensions;                 // Negotiated, e.g. "permessage-deflate".
};

enum class RecordedKind : uint8_t { kOpen, kMessage, kPing, kPong, kClose };
enum class RecordedDirection : uint8_t { kSend, kReceive };
const char* toString(RecordedKind kind);            // "open", "message", "ping", "pong", "close"
const char* toString(RecordedDirection direction);  // "send", "receive"

struct RecordedEvent {
    WallClock::time_point wallTime;  // Microseconds in files.
    uint64_t connection = 0;         // ChannelEvent::connection; 1 for a file's first.
    RecordedKind kind = RecordedKind::kMessage;
    // kMessage, kPing, kPong: which way it went. kClose: who sent the first close frame
    // (kSend: we did).
    RecordedDirection direction = RecordedDirection::kReceive;
    MessagePtr message;      // kMessage: shared with the channel and the log, never copied.
    std::string payload;     // kPing, kPong: the payload. kClose: the reason.
    uint16_t closeCode = 0;  // kClose: the code (1006 when no close frame ended it).
    bool timed = false;      // kMessage sent by a timer (timed messages).
    std::shared_ptr<const RecordedConnection> opened;  // kOpen.
};

// Bounds of a recording held in memory, and of a file read: the log's (LogLimits) by default.
struct RecordingLimits {
    std::size_t maxEvents = 10000;
    std::size_t maxBytes = 256u << 20;  // Of message data and payloads.
};

// Keeps the events of every connection since start (or since clear()), bounded: once a limit
// would be exceeded, later events are not kept and cutShort() says so (a recording that
// silently lost its middle would replay wrong). Feed it every ChannelEvent, in order.
class Recorder {
public:
    explicit Recorder(RecordingLimits limits = {}) : limits_(limits) {}

    // Before Channel::connect(): the request the next connection opens with (url, headers,
    // Origin, subprotocols), recorded with its kOpen event.
    void willConnect(const std::string& url, const ConnectOptions& options);
    // One event (in the order drained). `timed`: a MessageSent of a timed message.
    void add(const ChannelEvent& event, WallClock::time_point wallTime, bool timed = false);
    void clear();
    // For the events that come next. What is held stays, even over the new limits (a
    // recording keeps its beginning), and a recording cut short stays so until clear().
    void setLimits(RecordingLimits limits) { limits_ = limits; }

    const std::deque<RecordedEvent>& events() const { return events_; }
    bool cutShort() const { return cutShort_; }  // An event was not kept for a limit.
    const RecordingLimits& limits() const { return limits_; }

private:
    RecordingLimits limits_;
    std::deque<RecordedEvent> events_;
    std::size_t bytes_ = 0;
    bool cutShort_ = false;
    RecordedConnection pending_;  // From willConnect(), for the next kOpen.
};

enum class RecordingFormat { kJsonLines, kHar };
// By the file name: ".har" (any case) is HAR, anything else JSON Lines.
RecordingFormat formatForPath(std::string_view path);

// One JSON Lines line, without the newline; the header line that starts every file.
std::string toJsonLine(const RecordedEvent& event);
std::string jsonLinesHeader();
// A whole HAR 1.2 document: one entry per connection (request URL and headers, response
// status 101 with Sec-WebSocket-Protocol/Extensions), its messages as _webSocketMessages
// ({type: "send"|"receive", time: seconds since the epoch, opcode: 1|2, data: text or base64}).
// Pings, pongs and closes have no place in HAR and are left out.
std::string toHar(const std::vector<RecordedEvent>& events, const std::string& creatorVersion);

// Writes the events to `path` in the format its name asks for, whole, through a temporary file
// renamed into place. Empty on success, else why not in one line ("cannot write
// /x/y.jsonl: Permission denied").
std::string writeRecording(const std::string& path, const std::vector<RecordedEvent>& events,
                           const std::string& creatorVersion);

// Appends JSON Lines to a file as events come (--headless --record), so that nothing is held
// in memory and a crash keeps what came before. Stops at the limits and says so once.
class JsonLinesWriter {
public:
    explicit JsonLinesWriter(RecordingLimits limits = {}) : limits_(limits) {}
    // Creates or truncates `path` and writes the header line. Empty on success, else why not.
    std::string open(const std::string& path);
    // Empty on success; else the one line to report (a write error, or "the recording stopped
    // at 10000 events (--record's limit)"), returned once; later events are dropped silently.
    std::string append(const RecordedEvent& event);
    bool cutShort() const { return cutShort_; }

private:
    RecordingLimits limits_;
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_{nullptr, &std::fclose};
    std::size_t events_ = 0, bytes_ = 0;
    bool cutShort_ = false, failed_ = false;
};

// What could be read of a recording file. Reading never stops at the first problem: every
// line or field that could not be read is named in `problems` (at most kMaxProblems, then one
// line saying how many more), and what could be read is kept.
struct RecordingRead {
    static constexpr std::size_t kMaxProblems = 20;
    RecordingFormat format = RecordingFormat::kJsonLines;
    std::vector<RecordedEvent> events;  // In file order.
    // Each names where: "line 7: \"opcode\" must be 1 or 2, not 5",
    // "entries[0]._webSocketMessages[3].data: not base64".
    std::vector<std::string> problems;
    bool cutShort = false;  // Events beyond the limits were left out (said in problems too).
};

// Reads JSON Lines or HAR, told apart by content: a JSON object with "log" is HAR. A HAR file
// may hold many entries: only those with _webSocketMessages (or _resourceType websocket) are
// connections, numbered from 1 in file order.
RecordingRead parseRecording(std::string_view bytes, RecordingLimits limits = {});
// Reads a file: refuses at once, in one line, what is not a regular readable file or is larger
// than kMaxRecordingFileBytes ("... is 1.0 GB; a recording of at most 512 MiB can be opened").
constexpr std::size_t kMaxRecordingFileBytes = std::size_t{512} << 20;
std::variant<RecordingRead, std::string> readRecordingFile(const std::string& path,
                                                           RecordingLimits limits = {});

}  // namespace wsdemo
