#include "channel_probe.h"

#include <stdexcept>
#include <variant>

namespace wsdemo::test {

ChannelProbe::ChannelProbe(const std::string& url, ChannelOptions options) {
    auto parsed = parseWsUrl(url);
    if (auto* error = std::get_if<std::string>(&parsed)) throw std::invalid_argument(*error);
    options.onWake = [signal = signal_] {
        std::lock_guard<std::mutex> lock(signal->mutex);
        ++signal->generation;
        signal->condition.notify_all();
    };
    channel_ = std::make_unique<Channel>(std::get<WsUrl>(parsed), std::move(options));
}

std::vector<MessagePtr> ChannelProbe::messages() const {
    std::vector<MessagePtr> result;
    for (const auto& event : events_)
        if (event.kind == ChannelEvent::Kind::kMessage) result.push_back(event.message);
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

bool ChannelProbe::waitForOpen(std::chrono::milliseconds timeout) {
    return waitUntil(
        [](const auto& events) {
            for (const auto& event : events)
                if (event.kind == ChannelEvent::Kind::kOpened) return true;
            return false;
        },
        timeout);
}

bool ChannelProbe::waitForMessages(std::size_t count, std::chrono::milliseconds timeout) {
    return waitUntil([&](const auto&) { return messages().size() >= count; }, timeout);
}

bool ChannelProbe::waitForClosed(std::chrono::milliseconds timeout) {
    return waitUntil(
        [](const auto& events) {
            return !events.empty() && events.back().kind == ChannelEvent::Kind::kClosed;
        },
        timeout);
}

const ChannelStatus& ChannelProbe::closedStatus() const {
    if (events_.empty() || events_.back().kind != ChannelEvent::Kind::kClosed)
        throw std::logic_error("the channel has not closed");
    return events_.back().status;
}

}  // namespace wsdemo::test
