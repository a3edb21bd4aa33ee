// The Recorder, and which format a file name asks for. Writing: recording_writer.cpp;
// reading: recording_reader.cpp.
#include "wsdemo/recording.h"

#include "recording_format.h"

namespace wsdemo {

using namespace recording_format;

const char* toString(RecordedKind kind) {
    switch (kind) {
        case RecordedKind::kOpen:
            return "open";
        case RecordedKind::kMessage:
            return "message";
        case RecordedKind::kPing:
            return "ping";
        case RecordedKind::kPong:
            return "pong";
        case RecordedKind::kClose:
            return "close";
    }
    return "?";
}

const char* toString(RecordedDirection direction) {
    return direction == RecordedDirection::kSend ? "send" : "receive";
}

// ---------------------------------------------------------------------------------------------
// Recorder

void Recorder::willConnect(const std::string& url, const ConnectOptions& options) {
    pending_ = RecordedConnection{url, {}, options.subprotocols, {}, {}};
    if (!options.origin.empty()) pending_.headers.push_back({"Origin", options.origin});
    pending_.headers.insert(pending_.headers.end(), options.headers.begin(), options.headers.end());
}

void Recorder::add(const ChannelEvent& event, WallClock::time_point wallTime, bool timed) {
    RecordedEvent recorded;
    recorded.wallTime = wallTime;
    recorded.connection = event.connection;
    if (const auto* changed = std::get_if<StateChanged>(&event.what)) {
        const ChannelStatus& status = changed->status;
        if (status.state == ReadyState::kOpen) {
            auto opened = std::make_shared<RecordedConnection>(pending_);
            if (!status.url.empty()) opened->url = status.url;
            opened->protocol = status.protocol;
            opened->extensions = status.extensions;
            recorded.kind = RecordedKind::kOpen;
            recorded.opened = std::move(opened);
        } else if (status.state == ReadyState::kClosed && status.closeCode != 0) {
            recorded.kind = RecordedKind::kClose;
            recorded.closeCode = status.closeCode;
            recorded.payload = status.closeReason;
            recorded.direction = status.closedBy == CloseInitiator::kClient
                                     ? RecordedDirection::kSend
                                     : RecordedDirection::kReceive;
        } else {
            return;  // Connecting, closing, or an attempt that never opened.
        }
    } else if (const auto* received = std::get_if<MessageReceived>(&event.what)) {
        recorded.message = received->message;
    } else if (const auto* sent = std::get_if<MessageSent>(&event.what)) {
        recorded.direction = RecordedDirection::kSend;
        recorded.message = sent->message;
        recorded.timed = timed;
    } else if (const auto* ping = std::get_if<PingSent>(&event.what)) {
        recorded.kind = RecordedKind::kPing;
        recorded.direction = RecordedDirection::kSend;
        recorded.payload = ping->payload;
    } else if (const auto* pongSent = std::get_if<PongSent>(&event.what)) {
        recorded.kind = RecordedKind::kPong;
        recorded.direction = RecordedDirection::kSend;
        recorded.payload = pongSent->payload;
    } else if (const auto* pong = std::get_if<PongReceived>(&event.what)) {
        recorded.kind = RecordedKind::kPong;
        recorded.payload = pong->payload;
    } else {
        return;  // ReconnectScheduled: the next connection's open says it all.
    }
    if (cutShort_) return;
    if (overLimits(limits_, events_.size(), bytes_, recorded)) {
        cutShort_ = true;
        return;
    }
    bytes_ += dataBytes(recorded);
    events_.push_back(std::move(recorded));
}

void Recorder::clear() {
    events_.clear();
    bytes_ = 0;
    cutShort_ = false;
}

// ---------------------------------------------------------------------------------------------
// Formats

RecordingFormat formatForPath(std::string_view path) {
    constexpr std::string_view kHarSuffix = ".har";
    return path.size() >= kHarSuffix.size() &&
                   equalsIgnoringCase(path.substr(path.size() - kHarSuffix.size()), kHarSuffix)
               ? RecordingFormat::kHar
               : RecordingFormat::kJsonLines;
}

}  // namespace wsdemo
