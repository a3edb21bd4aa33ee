// What the Record tab works on, without Dear ImGui: every event recorded since start, a
// recording file shown in place of the live log (read-only), and a replay of it. The App feeds
// it the channel's events; the replay's sends come back as actions.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actions.h"
#include "log_panel.h"
#include "message_log.h"
#include "replay_run.h"
#include "wsdemo/recording.h"
#include "wsdemo/replay.h"

namespace wsdemo {

// A recording file on screen: its events as log rows, and what could not be read.
struct ShownRecording {
    std::string path;
    std::size_t events = 0;
    std::vector<std::string> problems;
    MessageLog log;
    LogPanel logPanel;
    std::optional<ReplayScript> script;  // None when it sent nothing.
};

// A replay under way or done.
struct Replay {
    ReplayRun run;
    uint64_t afterConnection = 0;        // Connections up to this one are not the replay's.
    std::optional<uint64_t> connection;  // Once open.
    // Steps handed out as a ReplayStepsAction at this time; their send results not in yet.
    std::optional<SteadyClock::time_point> stepsSentAt;
    bool over = false;  // A frame saw run.over(): nothing more to wait for.
    std::string ended;  // Why it ended before its time: "stopped", "the connection closed".
    std::vector<std::string> skipped;  // Of the recorded request: not sent (replayOptions).
};
class RecordingSession {
public:
    explicit RecordingSession(RecordingLimits limits) : recorder_(limits), limits_(limits) {}
    // For what comes next: the recording, and the next recording shown or replay started.
    void setLimits(RecordingLimits limits) {
        recorder_.setLimits(limits);
        limits_ = limits;
    }

    void willConnect(const std::string& url, const ConnectOptions& options) {
        recorder_.willConnect(url, options);
    }
    // Every event the channel drained, in order; `timed`: a MessageSent of a timed send.
    void onEvent(const ChannelEvent& event, WallClock::time_point wallTime, bool timed = false);

    // What Save writes: the last connection's events, or all of them.
    std::vector<RecordedEvent> toSave(SaveRecordingAction::Scope scope) const;
    bool cutShort() const { return recorder_.cutShort(); }

    void show(std::string path, RecordingRead read);
    void backToLive() { shown_.reset(); }
    ShownRecording* shown() { return shown_ ? &*shown_ : nullptr; }

    // Connects for a replay of the shown recording to `url` (none when nothing can be
    // replayed), with replayOptions(): the Settings tab's subprotocols and headers, when it has
    // any, are sent in place of the recorded ones, as --headless does with the command line's.
    std::optional<Action> startReplay(std::string url, ReplayPace pace, bool stepwise,
                                      ConnectOptions base);
    // Stepwise: send the next message, connecting first for a stepwise replay when none is
    // under way (then the action to carry out).
    std::optional<Action> step(std::string url, ReplayPace pace, ConnectOptions base);
    void stop();  // Sends no more; the connection stays.
    // At most this many steps go in one frame (a fast replay of a long recording), so that the
    // frame stays short; the rest go in the next.
    static constexpr std::size_t kMaxStepsPerFrame = 256;
    // The replay's steps due by `now` (ReplayRun::dueSteps), as one ReplayStepsAction; the
    // next are due once the channel's answers to these came (onStepSendResults).
    std::optional<Action> takeDue(SteadyClock::time_point now);
    // What the channel said to the steps takeDue() gave out, in order: one result per step
    // sent, the last perhaps a refusal; the steps after it were not sent and are due again.
    void onStepSendResults(const std::vector<SendResult>& results);
    // The MessageSent of a step on `connection` (the App knows whose each queued message is).
    void onStepWritten(uint64_t connection, SteadyClock::time_point at);
    // When takeDue() next has news (a send due, or the replay over).
    std::optional<SteadyClock::time_point> nextTick() const;
    Replay* replay() { return replay_ ? &*replay_ : nullptr; }

private:
    Recorder recorder_;
    RecordingLimits limits_;
    uint64_t lastConnection_ = 0;  // The highest connection number seen.
    std::optional<ShownRecording> shown_;
    std::optional<Replay> replay_;
};

}  // namespace wsdemo
