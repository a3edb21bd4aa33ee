// One replay of a recorded connection, as a model with no clock and no channel of its own: the
// caller says what time it is, sends what is due, and passes on what the server answers. The
// window drives it from its frames; tests with a fake clock.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

#include "wsdemo/channel.h"
#include "wsdemo/recording.h"
#include "wsdemo/replay.h"

namespace wsdemo {

class ReplayRun {
public:
    // After the last send (and every reply since), how long the server may stay silent before
    // the replay is over, when fewer replies came than were recorded.
    static constexpr std::chrono::seconds kQuietTime{2};

    // `stepwise`: nothing is due by time; next() sends one step at a time. Replies beyond
    // `limits` (counted in messages and bytes) are not kept for the comparison.
    ReplayRun(ReplayScript script, ReplayPace pace, bool stepwise, RecordingLimits limits = {});

    // The connection is open: the steps' times count from now. Once.
    void start(SteadyClock::time_point now);
    bool started() const { return startedAt_.has_value(); }
    bool stepwise() const { return stepwise_; }

    // The messages due by `now` and not yet given out, in order (none before start() or when
    // stepwise). Each is given out once: the caller sends them.
    std::vector<MessagePtr> due(SteadyClock::time_point now);
    // Stepwise: the next step, if any is left (after start()).
    MessagePtr next(SteadyClock::time_point now);
    // When the next step is due by time; none when stepwise, not started or all were sent.
    std::optional<SteadyClock::time_point> nextDue() const;
    // Once every step was sent and fewer replies came than recorded: when the silence will
    // have lasted kQuietTime (over() turns true then, if nothing comes).
    std::optional<SteadyClock::time_point> quietDeadline() const;

    // A message the server sent on the replay's connection.
    void onReceived(const MessagePtr& message, SteadyClock::time_point now);
    // Every step sent, and as many replies came as were recorded or the server stayed silent
    // for kQuietTime.
    bool over(SteadyClock::time_point now) const;

    std::size_t sent() const { return sent_; }
    std::size_t total() const { return script_.sends.size(); }
    std::size_t received() const { return received_.size() + repliesNotKept_; }
    std::size_t repliesNotKept() const { return repliesNotKept_; }
    const ReplayScript& script() const { return script_; }
    // The recorded replies against those received so far (compareReplies), worked out again
    // only when a reply came since the last call.
    const std::vector<ComparedReply>& comparison();

private:
    MessagePtr take(SteadyClock::time_point now);

    ReplayScript script_;
    ReplayPace pace_;
    bool stepwise_;
    RecordingLimits limits_;
    std::optional<SteadyClock::time_point> startedAt_;
    SteadyClock::time_point lastActivity_{};  // The last send, or a reply after it.
    std::size_t sent_ = 0;
    std::vector<MessagePtr> received_;
    std::size_t receivedBytes_ = 0;
    std::size_t repliesNotKept_ = 0;
    std::vector<ComparedReply> comparison_;
    bool comparisonStale_ = true;
};

}  // namespace wsdemo
