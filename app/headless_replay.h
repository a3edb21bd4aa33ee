// --headless --replay FILE [--pace P]: a recording's sent messages sent again, then the replies
// compared with the recorded ones (describeComparison() on stdout; exit 0 when all are the
// same, 1 otherwise, 2 when the file holds nothing to replay).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

#include "cli.h"
#include "wsdemo/replay.h"

namespace wsdemo {

// One replay as a model driven by the clock its caller passes in: which step is due, and when
// the wait for the replies is over. Unlike the window's ReplayRun (replay_run.h), which counts
// every step's time from the start, each gap here counts from the previous step's write, so that
// a paced gap is never shorter than recorded (--headless replays are regression tests), and
// the wait is bounded (kMaxWait).
class PacedReplay {
public:
    using Clock = std::chrono::steady_clock;
    // After the last send was written, the replies are waited for until as many as recorded
    // came, or this long passed without one, or kMaxWait passed.
    static constexpr std::chrono::milliseconds kSilence{2000};
    static constexpr std::chrono::milliseconds kMaxWait{30000};

    PacedReplay(ReplayScript script, ReplayPace pace);

    // The connection opened. Step 0 is due dueAt(0) later; step i its paced gap
    // (dueAt(i) - dueAt(i - 1)) after step i - 1 was written, so that no gap is shorter than
    // paced, whatever the writes cost. A gap of zero (--pace fast) waits for nothing.
    void start(Clock::time_point now);
    // The next step's message when it is due at `now`, else null. The caller sends it, then
    // calls stepDone() (taken by the channel, or refused for good), or asks again later
    // (the send queue was full).
    MessagePtr due(Clock::time_point now) const;
    void stepDone(bool accepted, Clock::time_point now);
    void written(Clock::time_point now);  // A MessageSent of one of the steps.
    void received(MessagePtr reply, Clock::time_point now);

    // Every step was sent and the replies are in, or waiting for them is over.
    bool finished(Clock::time_point now) const;
    // When due() or finished() may change without an event (none: only an event can).
    std::optional<Clock::time_point> nextWake(Clock::time_point now) const;

    std::size_t steps() const { return script_.sends.size(); }
    std::size_t stepsDone() const { return next_; }
    std::vector<ComparedReply> compare() const;

private:
    bool allWritten() const { return written_ == accepted_ && next_ == steps(); }
    std::chrono::microseconds gapBefore(std::size_t step) const;
    // When step next_ is due; none while it waits for the previous one to be written.
    std::optional<Clock::time_point> nextDueAt() const;

    const ReplayScript script_;
    const ReplayPace pace_;
    std::optional<Clock::time_point> startedAt_;
    std::size_t next_ = 0;      // The next step to send.
    std::size_t accepted_ = 0;  // Steps the channel took.
    std::size_t written_ = 0;   // Of those, written to the socket.
    std::optional<Clock::time_point> lastWrittenAt_, lastReplyAt_;
    Clock::time_point previousStepAt_;  // When step next_ - 1 was written (or refused).
    std::vector<MessagePtr> replies_;
};

// The whole --replay mode: reads the file, connects (to the URL given, else the recorded one,
// with the recorded subprotocols and headers unless the command line gives some), replays,
// compares. Problems with the file go to stderr, one line each, prefixed with its name.
int runReplay(const CommandLine& command, int signalFd);

}  // namespace wsdemo
