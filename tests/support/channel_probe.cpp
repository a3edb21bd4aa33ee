#include "channel_probe.h"

#include <stdexcept>
#include <variant>

namespace wsdemo::test {

ChannelProbe::ChannelProbe(ChannelLimits limits, Resolver resolver) {
    channel_ = std::make_unique<Channel>(
        [signal = signal_] {
            std::lock_guard<std::mutex> lock(signal->mutex);
            ++signal->generation;
            signal->condition.notify_all();
        },
        limits, std::move(resolver));
}

ChannelProbe::ChannelProbe(const std::string& url, ConnectOptions options, ChannelLimits limits)
    : ChannelProbe(limits) {
    channel_->connect(url, std::move(options));
}

std::vector<MessagePtr> ChannelProbe::messages() const {
    std::vector<MessagePtr> result;
    for (const auto& received : of<MessageReceived>()) result.push_back(received.message);
    return result;
}

std::vector<ChannelStatus> ChannelProbe::states() const {
    std::vector<ChannelStatus> result;
    for (const auto& changed : of<StateChanged>()) result.push_back(changed.status);
    return result;
}

bool ChannelProbe::waitUntil(const std::function<bool(const std::vector<ChannelEvent>&)>& done,
                             std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        unsigned long seen;
        {
            std::lock_guard<std::mutex> lock(signal_->mutex);
            seen = signal_->generation;
        }
        for (auto& event : channel_->drainEvents()) events_.push_back(std::move(event));
        if (done(events_)) return true;
        std::unique_lock<std::mutex> lock(signal_->mutex);
        if (!signal_->condition.wait_until(lock, deadline,
                                           [&] { return signal_->generation != seen; }))
            return done(events_);
    }
}

bool ChannelProbe::waitForOpen(std::chrono::milliseconds timeout, std::size_t opensBefore) {
    return waitUntil(
        [opensBefore](const std::vector<ChannelEvent>& events) {
            std::size_t opens = 0;
            for (const auto& event : events)
                if (const auto* changed = std::get_if<StateChanged>(&event.what))
                    if (changed->status.state == ReadyState::kOpen && ++opens > opensBefore)
                        return true;
            return false;
        },
        timeout);
}

bool ChannelProbe::waitForMessages(std::size_t count, std::chrono::milliseconds timeout) {
    return waitUntil([&](const auto&) { return messages().size() >= count; }, timeout);
}

namespace {

// The last StateChanged, if it is kClosed and nothing after it schedules a reconnect.
const ChannelStatus* finalClose(const std::vector<ChannelEvent>& events) {
    for (auto event = events.rbegin(); event != events.rend(); ++event) {
        if (std::holds_alternative<ReconnectScheduled>(event->what)) return nullptr;
        if (const auto* changed = std::get_if<StateChanged>(&event->what))
            return changed->status.state == ReadyState::kClosed ? &changed->status : nullptr;
    }
    return nullptr;
}

}  // namespace

bool ChannelProbe::waitForClosed(std::chrono::milliseconds timeout) {
    return waitUntil([](const auto& events) { return finalClose(events) != nullptr; }, timeout);
}

const ChannelStatus& ChannelProbe::closedStatus() const {
    for (auto event = events_.rbegin(); event != events_.rend(); ++event)
        if (const auto* changed = std::get_if<StateChanged>(&event->what))
            if (changed->status.state == ReadyState::kClosed) return changed->status;
    throw std::logic_error("the channel has not closed");
}

}  // namespace wsdemo::test
