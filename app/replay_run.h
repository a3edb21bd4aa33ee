// One replay of a recorded connection, as a model with no clock and no channel of its own: the
// caller says what time it is, sends the step that is due, and passes on what the channel said
// to it, when it was written, and what the server answered. --headless (runReplay) and the
// window (RecordingSession) drive it; tests with a fake clock.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "wsdemo/channel.h"
#include "wsdemo/recording.h"
#include "wsdemo/replay.h"

namespace wsdemo {

// Sends a step as the type it was recorded with: --headless and the window each send the steps
// due this way.
SendResult sendStep(Channel& channel, const Message& step);

class ReplayRun {
public:
    // After the last step was written, the replies are waited for until as many came as were
    // recorded, or none came for kSilence (since that write or the last reply), or kMaxWait
    // passed since that write.
    static constexpr std::chrono::milliseconds kSilence{2000};
    static constexpr std::chrono::milliseconds kMaxWait{30000};
    // A step the send queue had no room for is tried again this much later.
    static constexpr std::chrono::milliseconds kRetryAfterFullQueue{10};

    // `stepwise`: nothing is due by time; each next() lets one step go. Replies beyond
    // `limits` (in messages and bytes) are counted but not kept for the comparison.
    ReplayRun(ReplayScript script, ReplayPace pace, bool stepwise, RecordingLimits limits = {});

    // The connection opened. Step 0 is due dueAt(0) later; step i its paced gap
    // (dueAt(i) - dueAt(i - 1)) after step i - 1 was written, so that no gap is shorter than
    // paced whatever the writes cost (a replay is a regression test). A gap of zero
    // (--pace fast) waits for nothing. Once.
    void start(SteadyClock::time_point now);
    bool started() const { return startedAt_.has_value(); }
    bool stepwise() const { return stepwise_; }

    // Stepwise: one more step may go (asked before start(), it goes once started).
    void next() { ++stepsAllowed_; }
    // The next step's message when it is due at `now`, else null. The caller sends it and
    // passes on the channel's answer with onSendResult() before asking again.
    MessagePtr due(SteadyClock::time_point now) const;
    // Up to `max` steps that can go at `now`, in order: the one due(), then each following one
    // with no gap before it (--pace fast), which is due once the one before is taken. The
    // caller sends them in order, stops at the first the channel does not take, and passes on
    // each answer with onSendResult() before asking again. Stepwise: one step at a time.
    std::vector<MessagePtr> dueSteps(SteadyClock::time_point now, std::size_t max) const;
    // kQueued: the step is done and its write awaited; kQueueFull: the same step is due again
    // kRetryAfterFullQueue later; anything else: the step is refused for good and skipped.
    void onSendResult(SendResult result, SteadyClock::time_point now);
    void written(SteadyClock::time_point now);  // The MessageSent of a step.
    // A message the server sent on the replay's connection.
    void onReceived(const MessagePtr& reply, SteadyClock::time_point now);

    // Every step was sent (or refused) and written, and the replies are in, or waiting for them
    // is over.
    bool over(SteadyClock::time_point now) const;
    // When due() or over() will change with no event meanwhile; none when only an event (a
    // write, a reply, next()) can change them, or when it is over by its replies.
    std::optional<SteadyClock::time_point> nextWake() const;

    std::size_t sent() const { return accepted_; }  // Steps the channel took.
    std::size_t refused() const { return stepsDone_ - accepted_; }
    std::size_t total() const { return script_.sends.size(); }
    std::size_t received() const { return received_.size() + repliesNotKept_; }
    std::size_t repliesNotKept() const { return repliesNotKept_; }
    const ReplayScript& script() const { return script_; }
    // The recorded replies against those kept so far (compareReplies), worked out again only
    // when a reply came since the last call.
    const std::vector<ComparedReply>& comparison();

private:
    bool allStepsDone() const { return stepsDone_ == total(); }
    bool allWritten() const { return allStepsDone() && written_ == accepted_; }
    bool allRepliesIn() const { return received() >= script_.replies.size(); }
    std::chrono::microseconds gapBefore(std::size_t step) const;
    // When the next step is due; none while it waits for the previous write or for next().
    std::optional<SteadyClock::time_point> nextDueAt() const;

    const ReplayScript script_;
    const ReplayPace pace_;
    const bool stepwise_;
    const RecordingLimits limits_;
    std::optional<SteadyClock::time_point> startedAt_;
    std::size_t stepsAllowed_ = 0;  // Stepwise: next() calls.
    std::size_t stepsDone_ = 0;     // Sent or refused: the next step to send.
    std::size_t accepted_ = 0;      // Steps the channel took.
    std::size_t written_ = 0;       // Of those, written to the socket.
    // When step stepsDone_ - 1 was written (or refused): the next gap counts from then.
    SteadyClock::time_point previousStepAt_{};
    std::optional<SteadyClock::time_point> retryAt_;  // After a full send queue.
    std::optional<SteadyClock::time_point> lastReplyAt_;
    std::vector<MessagePtr> received_;
    std::size_t receivedBytes_ = 0;
    std::size_t repliesNotKept_ = 0;
    std::vector<ComparedReply> comparison_;
    bool comparisonStale_ = true;
};

// The options a replay connects with: `base` (the command line's or the Settings tab's) with
// the recorded request's subprotocols, headers and Origin in place of its own, unless it has
// its own: subprotocols given win over the recorded ones, and headers or an Origin given win
// over the recorded headers and Origin. Recorded headers parseHeader() refuses (a browser's
// HAR lists Host, Upgrade, Sec-WebSocket-Key... too) and subprotocols or an Origin the channel
// would refuse are left out, and named in `skipped`.
ConnectOptions replayOptions(const RecordedConnection& request, ConnectOptions base,
                             std::vector<std::string>& skipped);
// "recorded but not sent again (the handshake owns them, or they are invalid): Host, Upgrade".
std::string describeSkipped(const std::vector<std::string>& skipped);

}  // namespace wsdemo
