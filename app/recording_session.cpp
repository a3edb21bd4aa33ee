#include "recording_session.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace wsdemo {

namespace {

// A recorded event as the channel would have reported it, for the log; none for a ping the
// server sent, which the channel never reports (it answers it).
std::optional<ChannelEvent> asChannelEvent(const RecordedEvent& event) {
    const bool sent = event.direction == RecordedDirection::kSend;
    ChannelEvent result{SteadyClock::time_point{}, event.connection, PongSent{event.payload}};
    ChannelStatus status;
    switch (event.kind) {
        case RecordedKind::kOpen:
            status.state = ReadyState::kOpen;
            if (event.opened) {
                status.url = event.opened->url;
                status.protocol = event.opened->protocol;
                status.extensions = event.opened->extensions;
            }
            result.what = StateChanged{status};
            break;
        case RecordedKind::kMessage:
            if (!event.message) return std::nullopt;
            if (sent)
                result.what = MessageSent{event.message};
            else
                result.what = MessageReceived{event.message};
            break;
        case RecordedKind::kPing:
            if (!sent) return std::nullopt;
            result.what = PingSent{event.payload, false};
            break;
        case RecordedKind::kPong:
            if (!sent) result.what = PongReceived{event.payload, std::nullopt};
            break;
        case RecordedKind::kClose:
            status.state = ReadyState::kClosed;
            status.closeCode = event.closeCode;
            status.closeReason = event.payload;
            status.closedBy = sent ? CloseInitiator::kClient : CloseInitiator::kServer;
            result.what = StateChanged{status};
            break;
    }
    return result;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

// The recorded request's subprotocols and headers in place of the settings', keeping only what
// the channel accepts (a browser's HAR lists Host, Upgrade, Sec-WebSocket-Key... too).
ConnectOptions replayOptions(const RecordedConnection& request, ConnectOptions options) {
    if (!request.subprotocols.empty()) {
        options.subprotocols.clear();
        for (const std::string& name : request.subprotocols)
            if (checkSubprotocol(name).empty()) options.subprotocols.push_back(name);
    }
    if (!request.headers.empty()) {
        options.headers.clear();
        for (const Header& header : request.headers) {
            if (equalsIgnoringCase(header.name, "Origin")) {
                options.origin = header.value;
            } else if (auto parsed = parseHeader(header.name + ": " + header.value);
                       std::holds_alternative<Header>(parsed)) {
                options.headers.push_back(std::get<Header>(std::move(parsed)));
            }
        }
    }
    return options;
}

}  // namespace

void RecordingSession::onEvent(const ChannelEvent& event, WallClock::time_point wallTime,
                               bool timed) {
    recorder_.add(event, wallTime, timed);
    lastConnection_ = std::max(lastConnection_, event.connection);
    if (!replay_ || !replay_->ended.empty() || event.connection <= replay_->afterConnection) return;
    Replay& replay = *replay_;
    if (const auto* changed = std::get_if<StateChanged>(&event.what)) {
        const ChannelStatus& status = changed->status;
        if (!replay.connection && status.state == ReadyState::kOpen) {
            replay.connection = event.connection;
            replay.run.start(event.at);
        } else if (status.state == ReadyState::kClosed && !replay.run.over(event.at)) {
            replay.ended =
                replay.connection ? "the connection closed" : "could not connect: " + status.error;
        }
    } else if (const auto* received = std::get_if<MessageReceived>(&event.what)) {
        if (replay.connection == event.connection)
            replay.run.onReceived(received->message, event.at);
    }
}

std::vector<RecordedEvent> RecordingSession::toSave(SaveRecordingAction::Scope scope) const {
    const std::deque<RecordedEvent>& events = recorder_.events();
    if (scope == SaveRecordingAction::Scope::kEveryConnection || events.empty())
        return {events.begin(), events.end()};
    std::vector<RecordedEvent> last;
    const uint64_t connection = events.back().connection;
    std::copy_if(
        events.begin(), events.end(), std::back_inserter(last),
        [connection](const RecordedEvent& event) { return event.connection == connection; });
    return last;
}

void RecordingSession::show(std::string path, RecordingRead read) {
    ShownRecording& shown = shown_.emplace();
    shown.path = std::move(path);
    shown.events = read.events.size();
    shown.problems = std::move(read.problems);
    shown.log.setLimits(LogLimits{limits_.maxEvents, limits_.maxBytes});
    std::size_t serverPings = 0;
    for (const RecordedEvent& event : read.events) {
        if (auto channelEvent = asChannelEvent(event))
            shown.log.add(*channelEvent, event.wallTime);
        else
            ++serverPings;
    }
    if (serverPings > 0)
        shown.problems.push_back(
            std::to_string(serverPings) +
            " pings from the server are not shown: the log has no row for them");
    shown.script = replayScript(read.events);
}

std::optional<Action> RecordingSession::startReplay(std::string url, ReplayPace pace, bool stepwise,
                                                    ConnectOptions base) {
    if (!shown_ || !shown_->script) return std::nullopt;
    ConnectOptions options = replayOptions(shown_->script->request, std::move(base));
    replay_.emplace(Replay{ReplayRun(*shown_->script, pace, stepwise, limits_),
                           lastConnection_,
                           std::nullopt,
                           0,
                           false,
                           {}});
    return ReplayConnectAction{std::move(url), std::move(options)};
}

std::optional<Action> RecordingSession::step(std::string url, ReplayPace pace,
                                             ConnectOptions base) {
    std::optional<Action> connect;
    if (!replay_ || !replay_->run.stepwise() || !replay_->ended.empty() || replay_->over)
        connect = startReplay(std::move(url), pace, true, std::move(base));
    if (replay_) ++replay_->stepsAsked;
    return connect;
}

void RecordingSession::stop() {
    if (replay_ && replay_->ended.empty()) replay_->ended = "stopped";
}

std::vector<Action> RecordingSession::takeDue(SteadyClock::time_point now) {
    std::vector<Action> sends;
    if (!replay_ || !replay_->ended.empty()) return sends;
    ReplayRun& run = replay_->run;
    const auto send = [&sends](const MessagePtr& message) {
        sends.push_back(SendAction{message->type, message->data});
    };
    for (const MessagePtr& message : run.due(now)) send(message);
    for (; replay_->stepsAsked > 0 && run.started(); --replay_->stepsAsked)
        if (MessagePtr message = run.next(now)) send(message);
    replay_->over = run.over(now);
    return sends;
}

std::optional<SteadyClock::time_point> RecordingSession::nextTick() const {
    if (!replay_ || !replay_->ended.empty() || replay_->over) return std::nullopt;
    const auto due = replay_->run.nextDue();
    const auto quiet = replay_->run.quietDeadline();
    if (due && quiet) return std::min(*due, *quiet);
    return due ? due : quiet;
}

}  // namespace wsdemo
