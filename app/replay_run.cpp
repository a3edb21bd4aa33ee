#include "replay_run.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <utility>

namespace wsdemo {

ReplayRun::ReplayRun(ReplayScript script, ReplayPace pace, bool stepwise, RecordingLimits limits)
    : script_(std::move(script)), pace_(pace), stepwise_(stepwise), limits_(limits) {}

void ReplayRun::start(SteadyClock::time_point now) {
    if (startedAt_) return;
    startedAt_ = now;
    previousStepAt_ = now;
}

std::chrono::microseconds ReplayRun::gapBefore(std::size_t step) const {
    const auto at = dueAt(script_, step, pace_);
    return step == 0 ? at : std::max(at - dueAt(script_, step - 1, pace_), decltype(at){0});
}

std::optional<SteadyClock::time_point> ReplayRun::nextDueAt() const {
    if (!startedAt_ || allStepsDone()) return std::nullopt;
    std::optional<SteadyClock::time_point> at;
    if (stepwise_) {
        if (stepsAllowed_ > stepsDone_) at = *startedAt_;
    } else if (const auto gap = gapBefore(stepsDone_); gap.count() == 0) {
        at = *startedAt_;                // Now.
    } else if (written_ == accepted_) {  // Else the previous step is still being written.
        at = previousStepAt_ + gap;
    }
    if (at && retryAt_) return std::max(*at, *retryAt_);
    return at;
}

MessagePtr ReplayRun::due(SteadyClock::time_point now) const {
    const auto at = nextDueAt();
    if (!at || now < *at) return nullptr;
    return script_.sends[stepsDone_].message;
}

SendResult sendStep(Channel& channel, const Message& step) {
    return step.type == Message::Type::kText ? channel.send(step.data)
                                             : channel.sendBinary(step.data);
}

std::vector<MessagePtr> ReplayRun::dueSteps(SteadyClock::time_point now, std::size_t max) const {
    std::vector<MessagePtr> steps;
    if (MessagePtr first = due(now); first && max > 0) steps.push_back(std::move(first));
    if (steps.empty() || stepwise_) return steps;
    for (std::size_t step = stepsDone_ + 1;
         step < total() && steps.size() < max && gapBefore(step).count() == 0; ++step)
        steps.push_back(script_.sends[step].message);
    return steps;
}

void ReplayRun::onSendResult(SendResult result, SteadyClock::time_point now) {
    if (!startedAt_ || allStepsDone()) return;
    if (result == SendResult::kQueueFull) {
        retryAt_ = now + kRetryAfterFullQueue;
        return;
    }
    retryAt_.reset();
    ++stepsDone_;
    if (result == SendResult::kQueued)
        ++accepted_;
    else
        previousStepAt_ = now;  // Refused for good: nothing will be written.
}

void ReplayRun::written(SteadyClock::time_point now) {
    if (written_ == accepted_) return;
    ++written_;
    previousStepAt_ = now;
}

void ReplayRun::onReceived(const MessagePtr& reply, SteadyClock::time_point now) {
    lastReplyAt_ = now;
    if (received_.size() >= limits_.maxEvents ||
        reply->data.size() > limits_.maxBytes - receivedBytes_) {
        ++repliesNotKept_;
        return;
    }
    received_.push_back(reply);
    receivedBytes_ += reply->data.size();
    comparisonStale_ = true;
}

bool ReplayRun::over(SteadyClock::time_point now) const {
    if (!startedAt_ || !allWritten()) return false;
    if (allRepliesIn()) return true;
    const auto wake = nextWake();
    return wake && now >= *wake;
}

std::optional<SteadyClock::time_point> ReplayRun::nextWake() const {
    if (!startedAt_) return std::nullopt;
    if (!allStepsDone()) return nextDueAt();
    if (!allWritten() || allRepliesIn()) return std::nullopt;  // A write or a reply will come.
    const auto silentFrom = std::max(previousStepAt_, lastReplyAt_.value_or(previousStepAt_));
    return std::min(silentFrom + kSilence, previousStepAt_ + kMaxWait);
}

const std::vector<ComparedReply>& ReplayRun::comparison() {
    if (comparisonStale_) {
        comparison_ = compareReplies(script_.replies, received_);
        comparisonStale_ = false;
    }
    return comparison_;
}

namespace {

bool isOrigin(std::string_view name) {
    return std::equal(name.begin(), name.end(), std::string_view("origin").begin(),
                      std::string_view("origin").end(), [](char a, char b) {
                          return std::tolower(static_cast<unsigned char>(a)) == b;
                      });
}

}  // namespace

ConnectOptions replayOptions(const RecordedConnection& request, ConnectOptions base,
                             std::vector<std::string>& skipped) {
    if (base.subprotocols.empty()) {
        for (const std::string& name : request.subprotocols) {
            if (checkSubprotocol(name).empty())
                base.subprotocols.push_back(name);
            else
                skipped.push_back("subprotocol " + name);
        }
    }
    if (!base.headers.empty() || !base.origin.empty()) return base;
    for (const Header& header : request.headers) {
        if (isOrigin(header.name)) {
            if (checkOrigin(header.value).empty())
                base.origin = header.value;
            else
                skipped.push_back(header.name);
        } else if (auto parsed = parseHeader(header.name + ": " + header.value);
                   std::holds_alternative<Header>(parsed)) {
            base.headers.push_back(std::get<Header>(std::move(parsed)));
        } else {
            skipped.push_back(header.name);
        }
    }
    return base;
}

std::string describeSkipped(const std::vector<std::string>& skipped) {
    std::string text =
        "recorded but not sent again (the handshake owns them, or they are invalid):";
    for (const std::string& name : skipped) text += (&name == &skipped.front() ? " " : ", ") + name;
    return text;
}

}  // namespace wsdemo
