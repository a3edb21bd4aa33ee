#include "replay_run.h"

#include <utility>

namespace wsdemo {

ReplayRun::ReplayRun(ReplayScript script, ReplayPace pace, bool stepwise, RecordingLimits limits)
    : script_(std::move(script)), pace_(pace), stepwise_(stepwise), limits_(limits) {}

void ReplayRun::start(SteadyClock::time_point now) {
    if (startedAt_) return;
    startedAt_ = now;
    lastActivity_ = now;
}

MessagePtr ReplayRun::take(SteadyClock::time_point now) {
    lastActivity_ = now;
    return script_.sends[sent_++].message;
}

std::vector<MessagePtr> ReplayRun::due(SteadyClock::time_point now) {
    std::vector<MessagePtr> messages;
    while (const auto when = nextDue()) {
        if (*when > now) break;
        messages.push_back(take(now));
    }
    return messages;
}

MessagePtr ReplayRun::next(SteadyClock::time_point now) {
    if (!stepwise_ || !startedAt_ || sent_ == total()) return nullptr;
    return take(now);
}

std::optional<SteadyClock::time_point> ReplayRun::nextDue() const {
    if (stepwise_ || !startedAt_ || sent_ == total()) return std::nullopt;
    return *startedAt_ + dueAt(script_, sent_, pace_);
}

std::optional<SteadyClock::time_point> ReplayRun::quietDeadline() const {
    if (!startedAt_ || sent_ < total() || received() >= script_.replies.size()) return std::nullopt;
    return lastActivity_ + kQuietTime;
}

void ReplayRun::onReceived(const MessagePtr& message, SteadyClock::time_point now) {
    lastActivity_ = now;
    if (received_.size() >= limits_.maxEvents ||
        message->data.size() > limits_.maxBytes - receivedBytes_) {
        ++repliesNotKept_;
        return;
    }
    received_.push_back(message);
    receivedBytes_ += message->data.size();
    comparisonStale_ = true;
}

bool ReplayRun::over(SteadyClock::time_point now) const {
    if (!startedAt_ || sent_ < total()) return false;
    return received() >= script_.replies.size() || now >= lastActivity_ + kQuietTime;
}

const std::vector<ComparedReply>& ReplayRun::comparison() {
    if (comparisonStale_) {
        comparison_ = compareReplies(script_.replies, received_);
        comparisonStale_ = false;
    }
    return comparison_;
}

}  // namespace wsdemo
