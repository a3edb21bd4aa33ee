// Test-thread view of a Channel: collects its events, waiting on its wake hook with deadlines.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "wsdemo/channel.h"

namespace wsdemo::test {

using namespace std::chrono_literals;

class ChannelProbe {
public:
    explicit ChannelProbe(ChannelLimits limits = {}, Resolver resolver = resolveWithGetaddrinfo);
    // Constructs, then connects to `url`.
    explicit ChannelProbe(const std::string& url, ConnectOptions options = {},
                          ChannelLimits limits = {});

    Channel& channel() { return *channel_; }
    // Every event drained so far, in order.
    const std::vector<ChannelEvent>& events() const { return events_; }
    // The events of one kind, in order (e.g. of<PongReceived>()).
    template <class Kind>
    std::vector<Kind> of() const {
        std::vector<Kind> found;
        for (const auto& event : events_)
            if (const auto* kind = std::get_if<Kind>(&event.what)) found.push_back(*kind);
        return found;
    }
    std::vector<MessagePtr> messages() const;   // Received, in order.
    std::vector<ChannelStatus> states() const;  // Every StateChanged, in order.

    // Drains events until done(events()) holds or the timeout passes; returns done(events()).
    bool waitUntil(const std::function<bool(const std::vector<ChannelEvent>&)>& done,
                   std::chrono::milliseconds timeout = 10s);
    // Until a StateChanged to kOpen arrives after the first `opensBefore` of them.
    bool waitForOpen(std::chrono::milliseconds timeout = 10s, std::size_t opensBefore = 0);
    bool waitForMessages(std::size_t count, std::chrono::milliseconds timeout = 10s);
    // Until the last StateChanged drained is kClosed and no reconnect is scheduled after it.
    bool waitForClosed(std::chrono::milliseconds timeout = 10s);
    // The status of the last StateChanged to kClosed; throws if there is none.
    const ChannelStatus& closedStatus() const;

private:
    // Outlives the channel: the worker may call the wake hook until it is joined.
    struct Signal {
        std::mutex mutex;
        std::condition_variable condition;
        unsigned long generation = 0;
    };
    std::shared_ptr<Signal> signal_ = std::make_shared<Signal>();
    std::unique_ptr<Channel> channel_;
    std::vector<ChannelEvent> events_;
};

}  // namespace wsdemo::test
