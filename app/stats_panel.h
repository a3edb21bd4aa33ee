// Ping and stats: Ping and Pong buttons with a payload, the keepalive interval, a plot of the last
// round trips, and how many messages and bytes went each way. Plain Dear ImGui calls, tested
// headless.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "actions.h"
#include "wsdemo/channel.h"

namespace wsdemo {

class StatsPanel {
public:
    static constexpr std::size_t kRoundTrips = 100;  // Plotted: the newest pongs we asked for.
    // Messages per second count the events of the last kRateBuckets buckets of kBucket each:
    // the last 0.9 to 1 s, in fixed memory however many messages arrive.
    static constexpr std::chrono::milliseconds kBucket{100};
    static constexpr std::size_t kRateBuckets = 10;

    // Every event the channel drained, in order.
    void onEvent(const ChannelEvent& event);
    // `now` for the rates; `pingInterval` from the connection's options (zero: no keepalive).
    // Returns a PingAction when `Ping` was clicked, with the payload typed, or else a number
    // ("1", "2"...); a PongAction (unsolicited) with the payload typed when `Pong` was.
    std::optional<Action> draw(SteadyClock::time_point now, std::chrono::milliseconds pingInterval);

private:
    // Messages each way over the last second, counted per bucket of kBucket.
    class Rate {
    public:
        void add(SteadyClock::time_point at);
        std::uint64_t lastSecond(SteadyClock::time_point now) const;

    private:
        static std::int64_t bucketOf(SteadyClock::time_point at);
        std::array<std::int64_t, kRateBuckets> bucket_{};  // Which bucket each slot counts.
        std::array<std::uint64_t, kRateBuckets> count_{};
    };
    struct Direction {
        std::uint64_t messages = 0;
        std::uint64_t bytes = 0;
        Rate rate;
    };

    std::optional<Action> drawPingPong();
    void drawRoundTrips() const;

    std::array<float, kRoundTrips> roundTripMs_{};  // A ring: the oldest at next_ once full.
    std::size_t roundTrips_ = 0;
    std::size_t next_ = 0;
    Direction in_, out_;
    std::uint64_t pings_ = 0;
    std::string payload_;  // Of the next ping or pong, as typed.
};

}  // namespace wsdemo
