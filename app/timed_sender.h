// Timed messages: "send message M every N seconds, at most K times, stop on disconnect", as a
// model driven by the clock its caller passes in, so that --headless and the window share it and
// tests need no time to pass.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace wsdemo {

class TimedSender {
public:
    using Clock = std::chrono::steady_clock;

    struct Plan {
        std::string message;
        std::chrono::milliseconds every{1000};  // More than zero.
        std::optional<uint64_t> times;          // None: until stopped.
    };

    explicit TimedSender(Plan plan);

    // The connection opened: the first send is due one interval later (as setInterval does).
    // Once stopped or done, it stays so: a later open starts nothing.
    void start(Clock::time_point now);
    // The connection closed, or the user stopped it: no more sends.
    void stop();

    // Whether a send is due at `now`. The caller then sends message() and, if the channel took
    // it, calls sent(); if the send queue was full, it asks again later (the same send).
    bool due(Clock::time_point now) const;
    // The next send is due one interval after this one went out: sends are never closer than
    // an interval, and a stalled send queue never causes a burst.
    void sent(Clock::time_point now);

    const std::string& message() const { return plan_.message; }
    const Plan& plan() const { return plan_; }
    uint64_t count() const { return count_; }  // Sends so far.
    bool running() const { return next_.has_value(); }
    bool done() const;                         // All `times` sent.
    bool stopped() const { return stopped_; }  // stop() was called before it was done.
    std::optional<Clock::time_point> nextDue() const { return next_; }  // While running.

private:
    Plan plan_;
    std::optional<Clock::time_point> next_;
    uint64_t count_ = 0;
    bool stopped_ = false;
};

}  // namespace wsdemo
