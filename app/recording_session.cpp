#include "recording_session.h"

#include <algorithm>
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
    std::vector<std::string> skipped;
    ConnectOptions options = replayOptions(shown_->script->request, std::move(base), skipped);
    replay_.emplace(Replay{ReplayRun(*shown_->script, pace, stepwise, limits_),
                           lastConnection_,
                           std::nullopt,
                           std::nullopt,
                           false,
                           {},
                           std::move(skipped)});
    return ReplayConnectAction{std::move(url), std::move(options)};
}

std::optional<Action> RecordingSession::step(std::string url, ReplayPace pace,
                                             ConnectOptions base) {
    std::optional<Action> connect;
    if (!replay_ || !replay_->run.stepwise() || !replay_->ended.empty() || replay_->over)
        connect = startReplay(std::move(url), pace, true, std::move(base));
    if (replay_) replay_->run.next();
    return connect;
}

void RecordingSession::stop() {
    if (replay_ && replay_->ended.empty()) replay_->ended = "stopped";
}

std::optional<Action> RecordingSession::takeDue(SteadyClock::time_point now) {
    if (!replay_ || !replay_->ended.empty() || replay_->stepsSentAt) return std::nullopt;
    replay_->over = replay_->run.over(now);
    std::vector<MessagePtr> steps = replay_->run.dueSteps(now, kMaxStepsPerFrame);
    if (steps.empty()) return std::nullopt;
    replay_->stepsSentAt = now;
    return ReplayStepsAction{std::move(steps)};
}

void RecordingSession::onStepSendResults(const std::vector<SendResult>& results) {
    if (!replay_ || !replay_->stepsSentAt) return;
    for (const SendResult result : results)
        replay_->run.onSendResult(result, *replay_->stepsSentAt);
    replay_->stepsSentAt.reset();
}

void RecordingSession::onStepWritten(uint64_t connection, SteadyClock::time_point at) {
    if (replay_ && replay_->connection == connection) replay_->run.written(at);
}

std::optional<SteadyClock::time_point> RecordingSession::nextTick() const {
    // A step's send result comes with the actions of the frame that gave it out.
    if (!replay_ || !replay_->ended.empty() || replay_->over || replay_->stepsSentAt)
        return std::nullopt;
    return replay_->run.nextWake();
}

}  // namespace wsdemo
