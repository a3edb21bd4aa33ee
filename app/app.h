// The window's contents: its state and panels, one file each (connection_bar, composer,
// latest_panel, log_panel, inspector_panel, stats_panel, close_panel, settings_panel,
// mock_panel), drawn by
// a short frame function. Panels return actions; the App passes them on to the window loop
// (window_mode.cpp), which alone touches the channel and the echo server. Plain Dear ImGui
// calls: tests draw it in a headless context.
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "actions.h"
#include "close_panel.h"
#include "composer.h"
#include "connection_bar.h"
#include "inspector_panel.h"
#include "latest_panel.h"
#include "log_panel.h"
#include "message_log.h"
#include "mock_panel.h"
#include "recording_panel.h"
#include "recording_session.h"
#include "settings.h"
#include "settings_panel.h"
#include "stats_panel.h"
#include "wsdemo/channel.h"

namespace wsdemo {

class App {
public:
    App(Settings settings, std::string initialUrl);

    // Every event the channel drained, in order, before the frame that draws them. True when
    // any is worth a frame of its own: all but the keepalive's pings and pongs and the pongs
    // answering the server's pings, which are logged and shown with the next frame.
    bool onEvents(const std::vector<ChannelEvent>& events);
    // The window loop connected, with these options (the settings panel marks the unsafe ones
    // while in use); the URL joins the history.
    void onConnect(const std::string& url, const ConnectOptions& used);
    // What the channel said to a PingAction or PongAction.
    void onSendResult(SendResult result);
    // What it said to a SendAction, `timed` when the composer's timer sent it: its row in the
    // log is marked so when it goes out.
    void onMessageSendResult(SendResult result, bool timed);
    // What it said to the steps of a ReplayStepsAction, in order (see RecordingSession).
    void onReplayStepResults(const std::vector<SendResult>& results);
    // A line in red above the composer until the user dismisses it: a settings file set
    // aside, a font not found, TLS verification off, an action that failed.
    void addNotice(std::string notice);

    // Draws one frame over the whole viewport (between NewFrame and Render); the actions the
    // panels asked for, in order.
    std::vector<Action> frame(const ChannelStatus& status, const MessagePtr& latest,
                              SteadyClock::time_point now);
    // When a frame is due with no input and no news: the reconnect countdown ticks, the
    // timer sends.
    std::optional<SteadyClock::time_point> nextTick(SteadyClock::time_point now) const;
    // While no frame is drawn (the window minimised), what is due to be sent all the same: the
    // timer's message and a replay's steps. frame() gives them out too.
    std::vector<Action> sendsDueUndrawn(const ChannelStatus& status, SteadyClock::time_point now);
    // When sendsDueUndrawn() next has work with no news meanwhile: the ticks of nextTick() that
    // matter with nothing on screen.
    std::optional<SteadyClock::time_point> nextSendDue() const;

    // The connection dropped and the channel will try again: sends are still queued.
    bool reconnectPending() const { return reconnect_.has_value(); }
    Settings& settings() { return settings_; }
    // Whether the settings changed since the last call (the window loop saves them then).
    bool takeSettingsChanged();
    const MessageLog& log() const { return log_; }

    // Record tab (recording_panel.h). What Save writes, and how it went.
    std::vector<RecordedEvent> recordingToSave(SaveRecordingAction::Scope scope) const {
        return recording_.toSave(scope);
    }
    void onRecordingSaving(const std::string& path, std::size_t events);  // Written meanwhile.
    void onRecordingSaved(const std::string& path, std::size_t events, const std::string& error);
    void onRecordingOpenFailed(const std::string& error);  // The error names the file.
    // A recording file's events in the log and the inspector, read-only, until "Back to live";
    // the live log keeps collecting meanwhile.
    void showRecording(const std::string& path, RecordingRead read);
    const ShownRecording* shownRecording() { return recording_.shown(); }

private:
    // Who asked for a message to go: the composer, its timer, or a replay.
    enum class SentBy { kComposer, kTimer, kReplay };

    bool isHousekeeping(const ChannelEvent& event);
    SentBy takeSentBy(const ChannelEvent& event);
    void drawTimerControls(bool open, SteadyClock::time_point now);
    void addSendsDue(bool open, SteadyClock::time_point now, std::vector<Action>& actions);
    void awaitResults(const std::vector<Action>& actions);
    void handleShortcuts();
    void drawNotices();
    void drawSplit(SteadyClock::time_point now, std::vector<Action>& actions);
    void drawSidePanel(std::vector<Action>& actions, SteadyClock::time_point now);
    void drawLog();
    void drawInspector();
    void onRecordingRequest(RecordingRequest request, std::vector<Action>& actions);

    Settings settings_;
    bool settingsChanged_ = false;
    std::optional<ConnectOptions> inUse_;  // Of the current or last connection.
    std::vector<std::string> notices_;
    bool sideTabRestored_ = false;               // The remembered side tab was selected at start.
    std::optional<PendingReconnect> reconnect_;  // Until the next attempt starts.
    std::uint64_t received_ = 0;
    std::deque<SentBy> queuedBy_;  // Per message queued and not sent yet.
    // Per SendAction of the last frame whose result has not come yet (the window loop carries
    // them out in order).
    std::deque<SentBy> resultsAwaited_;
    std::optional<TimedSender> timer_;  // The composer's, once started.
    Message::Type timerType_ = Message::Type::kText;
    SteadyClock::time_point timedSendAt_{};  // Of the timer's last SendAction.
    bool keepalivePongDue_ = false;  // A keepalive ping went out; its pong is housekeeping too.
    SteadyClock::time_point lastTrafficAt_{};  // Of the last message either way.
    bool rateSettledDrawn_ = true;             // A frame drew the rate after traffic stopped.
    const WallClockMapping wallTimeOf_;        // For the log's and the recording's times.

    MessageLog log_;
    ConnectionBar connectionBar_;
    Composer composer_;
    LatestPanel latestPanel_;
    LogPanel logPanel_;
    InspectorPanel inspectorPanel_;
    StatsPanel statsPanel_;
    ClosePanel closePanel_;
    SettingsPanel settingsPanel_;
    RecordingSession recording_;
    RecordingPanel recordingPanel_;
    MockPanel mockPanel_;
};

}  // namespace wsdemo
