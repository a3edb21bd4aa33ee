#include "message_log.h"

#include <cstdio>
#include <type_traits>
#include <utility>

#include "hex_dump.h"
#include "status_text.h"
#include "wsdemo/text.h"

namespace wsdemo {

namespace {

constexpr std::size_t kSummaryHexBytes = 16;

// "ping", "keepalive ping 'abc'", ...: a payload is any bytes, so it is shown quoted.
std::string withPayload(std::string line, const std::string& payload) {
    if (!payload.empty()) line += " " + printableQuote(payload);
    return line;
}

std::size_t messageBytes(const LogEntry& entry) {
    return entry.kind == LogKind::kMessage ? entry.size : 0;
}

LogEntry messageRow(const MessagePtr& message, LogDirection direction) {
    LogEntry entry;
    entry.direction = direction;
    entry.type = message->type == Message::Type::kText ? LogType::kText : LogType::kBinary;
    entry.size = message->data.size();
    entry.message = message;
    return entry;
}

LogEntry eventRow(LogKind kind, LogDirection direction, std::string line, std::size_t size = 0) {
    LogEntry entry;
    entry.kind = kind;
    entry.direction = direction;
    entry.size = size;
    entry.message =
        std::make_shared<const Message>(Message{Message::Type::kText, std::move(line), {}});
    return entry;
}

LogEntry rowFor(const ChannelEvent& event) {
    return std::visit(
        [](const auto& what) -> LogEntry {
            using What = std::decay_t<decltype(what)>;
            if constexpr (std::is_same_v<What, MessageReceived>) {
                return messageRow(what.message, LogDirection::kIn);
            } else if constexpr (std::is_same_v<What, MessageSent>) {
                return messageRow(what.message, LogDirection::kOut);
            } else if constexpr (std::is_same_v<What, StateChanged>) {
                return eventRow(LogKind::kState, LogDirection::kNone, describeStatus(what.status));
            } else if constexpr (std::is_same_v<What, PingSent>) {
                return eventRow(
                    LogKind::kPing, LogDirection::kOut,
                    withPayload(what.keepalive ? "keepalive ping" : "ping", what.payload),
                    what.payload.size());
            } else if constexpr (std::is_same_v<What, PongReceived>) {
                return eventRow(LogKind::kPong, LogDirection::kIn,
                                withPayload(describePong(what), what.payload), what.payload.size());
            } else if constexpr (std::is_same_v<What, PongSent>) {
                return eventRow(LogKind::kPong, LogDirection::kOut,
                                withPayload("pong", what.payload), what.payload.size());
            } else {
                static_assert(std::is_same_v<What, ReconnectScheduled>);
                return eventRow(LogKind::kReconnect, LogDirection::kNone, describeReconnect(what));
            }
        },
        event.what);
}

// The first line of `text`, at most kSummaryBytes.
std::string firstLine(std::string_view text) {
    const std::string_view line = text.substr(0, text.find_first_of("\r\n"));
    const std::string_view shown = utf8Prefix(line, LogEntry::kSummaryBytes);
    std::string summary(shown);
    if (shown.size() < text.size()) summary += " ...";
    return summary;
}

}  // namespace

const char* toString(LogDirection direction) {
    switch (direction) {
        case LogDirection::kIn:
            return "in";
        case LogDirection::kOut:
            return "out";
        case LogDirection::kNone:
            break;
    }
    return "";
}

const char* toString(LogType type) {
    switch (type) {
        case LogType::kText:
            return "text";
        case LogType::kBinary:
            return "binary";
        case LogType::kEvent:
            break;
    }
    return "event";
}

std::string LogEntry::summary() const {
    if (type != LogType::kBinary) return firstLine(text());
    const std::string_view bytes = message->data;
    std::string hex = toHex(bytes.substr(0, kSummaryHexBytes), " ");
    if (bytes.size() > kSummaryHexBytes) hex += " ...";
    return hex;
}

std::string_view LogEntry::text() const {
    return type == LogType::kBinary ? std::string_view() : std::string_view(message->data);
}

void MessageLog::setLimits(LogLimits limits) {
    limits_ = limits;
    evict();
}

void MessageLog::add(const ChannelEvent& event, std::chrono::system_clock::time_point wallTime,
                     bool timed) {
    LogEntry entry = rowFor(event);
    entry.wallTime = wallTime;
    entry.timed = timed;
    entry.seq = nextSeq_++;
    heldBytes_ += messageBytes(entry);
    rows_.push_back(std::move(entry));
    evict();
}

void MessageLog::evict() {
    while (rows_.size() > 1 && (rows_.size() > limits_.maxRows || heldBytes_ > limits_.maxBytes)) {
        heldBytes_ -= messageBytes(rows_.front());
        rows_.pop_front();
        ++dropped_;
    }
}

void MessageLog::clear() {
    rows_.clear();
    heldBytes_ = 0;
    dropped_ = 0;
}

const LogEntry* MessageLog::findBySeq(uint64_t seq) const {
    if (rows_.empty() || seq < rows_.front().seq) return nullptr;
    const uint64_t index = seq - rows_.front().seq;
    return index < rows_.size() ? &rows_[static_cast<std::size_t>(index)] : nullptr;
}

}  // namespace wsdemo
