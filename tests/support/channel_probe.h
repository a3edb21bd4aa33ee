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
    explicit ChannelProbe(const std::string& url, ChannelOptions options = {});

    Channel& channel() { return *channel_; }
    // Every event drained so far, in order.
    const std::vector<ChannelEvent>& events() const { return events_; }
    std::vector<MessagePtr> messages() const;

    // Drains events until done(events()) holds or the timeout passes; returns done(events()).
    bool waitUntil(const std::function<bool(const std::vector<ChannelEvent>&)>& done,
                   std::chrono::milliseconds timeout = 10s);
    bool waitForOpen(std::chrono::milliseconds timeout = 10s);
    bool waitForMessages(std::size_t count, std::chrono::milliseconds timeout = 10s);
    bool waitForClosed(std::chrono::milliseconds timeout = 10s);
    // The status carried by the closed event; waitForClosed() must have returned true.
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
