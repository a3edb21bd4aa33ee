#include "app.h"

#include <imgui.h>

#include <algorithm>
#include <utility>

#include "layout.h"
#include "theme.h"
#include "widget_map.h"

namespace wsdemo {

namespace {

bool sameSnippets(const std::vector<Snippet>& a, const std::vector<Snippet>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
        return x.name == y.name && x.body == y.body && x.binary == y.binary;
    });
}

bool canSend(const ChannelStatus& status, bool reconnectPending) {
    // Queued until open while connecting or waiting to reconnect; refused once closed for good.
    return status.state == ReadyState::kConnecting || status.state == ReadyState::kOpen ||
           reconnectPending;
}

// The stats panel's messages-per-second window, and a little.
constexpr std::chrono::milliseconds kRateWindow{1100};

}  // namespace

App::App(Settings settings, std::string initialUrl)
    : settings_(std::move(settings)),
      log_(settings_.log),
      connectionBar_(std::move(initialUrl)),
      recording_(settings_.log.forRecordings()),
      mockPanel_(settings_.mockRules) {
    if (!mockPanel_.error().empty())
        addNotice("Mock rules in the settings not applied: " + mockPanel_.error());
}

bool App::onEvents(const std::vector<ChannelEvent>& events) {
    bool worthAFrame = false;
    for (const ChannelEvent& event : events) {
        const auto wallTime = wallTimeOf_(event.at);
        const SentBy sentBy = takeSentBy(event);
        const bool timed = sentBy == SentBy::kTimer;
        log_.add(event, wallTime, timed);
        recording_.onEvent(event, wallTime, timed);
        if (sentBy == SentBy::kReplay) recording_.onStepWritten(event.connection, event.at);
        statsPanel_.onEvent(event);
        if (std::holds_alternative<MessageReceived>(event.what) ||
            std::holds_alternative<MessageSent>(event.what)) {
            lastTrafficAt_ = event.at;
            rateSettledDrawn_ = false;
        }
        if (std::holds_alternative<MessageReceived>(event.what)) {
            ++received_;
        } else if (const auto* changed = std::get_if<StateChanged>(&event.what)) {
            reconnect_.reset();  // A reconnect comes after the closed state it follows.
            if (timer_ && changed->status.state == ReadyState::kClosed) timer_->stop();
        } else if (const auto* scheduled = std::get_if<ReconnectScheduled>(&event.what)) {
            reconnect_ = PendingReconnect{*scheduled, event.at + scheduled->delay};
        }
        worthAFrame |= !isHousekeeping(event);
    }
    return worthAFrame;
}

// The keepalive's ping and its pong, and the pongs that answer the server's pings: logged, but
// no reason to draw a frame by themselves, so that an idle connection costs nothing. They show
// with the next frame anything else draws.
bool App::isHousekeeping(const ChannelEvent& event) {
    if (const auto* ping = std::get_if<PingSent>(&event.what)) {
        if (ping->keepalive) keepalivePongDue_ = true;
        return ping->keepalive;
    }
    if (const auto* pong = std::get_if<PongReceived>(&event.what)) {
        // Keepalive pings carry no payload; the Ping button's count up from "1".
        const bool keepalivePong = keepalivePongDue_ && pong->payload.empty();
        if (keepalivePong) keepalivePongDue_ = false;
        return keepalivePong;
    }
    return std::holds_alternative<PongSent>(event.what);
}

void App::onConnect(const std::string& url, const ConnectOptions& used) {
    rememberUrl(settings_, url);
    settingsChanged_ = true;
    connectionBar_.setUrl(url);
    inUse_ = used;
    recording_.willConnect(url, used);
}

void App::onSendResult(SendResult result) {
    composer_.onSendResult(result);
}

void App::onMessageSendResult(SendResult result, bool timed) {
    SentBy sentBy = timed ? SentBy::kTimer : SentBy::kComposer;
    if (!resultsAwaited_.empty()) {
        sentBy = resultsAwaited_.front();
        resultsAwaited_.pop_front();
    }
    if (result == SendResult::kQueued) queuedBy_.push_back(sentBy);
    composer_.onSendResult(result);
    if (sentBy != SentBy::kTimer || !timer_) return;
    // A refusal (the queue full, the message too large) stops the timer; the composer says why.
    if (result == SendResult::kQueued)
        timer_->sent(timedSendAt_);
    else
        timer_->stop();
}

void App::onReplayStepResults(const std::vector<SendResult>& results) {
    for (const SendResult result : results)
        if (result == SendResult::kQueued) queuedBy_.push_back(SentBy::kReplay);
    recording_.onStepSendResults(results);
}

// Who sent the message of `event`, a MessageSent: the channel writes messages in the order
// they were queued. Those it gave up on never come.
App::SentBy App::takeSentBy(const ChannelEvent& event) {
    if (std::holds_alternative<MessageSent>(event.what) && !queuedBy_.empty()) {
        const SentBy sentBy = queuedBy_.front();
        queuedBy_.pop_front();
        return sentBy;
    }
    const auto* changed = std::get_if<StateChanged>(&event.what);
    if (changed && changed->status.state == ReadyState::kClosed &&
        changed->status.unsentMessages > 0)
        queuedBy_.clear();
    return SentBy::kComposer;
}

void App::addNotice(std::string notice) {
    if (std::find(notices_.begin(), notices_.end(), notice) == notices_.end())
        notices_.push_back(std::move(notice));
}

bool App::takeSettingsChanged() {
    return std::exchange(settingsChanged_, false);
}

std::optional<SteadyClock::time_point> App::nextTick(SteadyClock::time_point now) const {
    // The reconnect countdown ticks.
    std::optional<SteadyClock::time_point> tick = connectionBar_.nextTick(now);
    // Messages per second fall to zero a second after the traffic stops: one frame shows it.
    const auto rateSettled = lastTrafficAt_ + kRateWindow;
    if (!rateSettledDrawn_) tick = tick ? std::min(*tick, rateSettled) : rateSettled;
    if (const auto due = nextSendDue()) tick = tick ? std::min(*tick, *due) : due;
    return tick;
}

std::optional<SteadyClock::time_point> App::nextSendDue() const {
    // The timer's next send.
    std::optional<SteadyClock::time_point> tick = timer_ ? timer_->nextDue() : std::nullopt;
    // A replay's next send, or the end of its wait for replies.
    if (const auto replayTick = recording_.nextTick())
        tick = tick ? std::min(*tick, *replayTick) : replayTick;
    return tick;
}

std::vector<Action> App::sendsDueUndrawn(const ChannelStatus& status, SteadyClock::time_point now) {
    std::vector<Action> actions;
    addSendsDue(status.state == ReadyState::kOpen, now, actions);
    awaitResults(actions);
    return actions;
}

void App::addSendsDue(bool open, SteadyClock::time_point now, std::vector<Action>& actions) {
    if (open && timer_ && timer_->due(now)) {
        actions.push_back(SendAction{timerType_, timer_->message(), /*timed=*/true});
        timedSendAt_ = now;  // Counted as sent then, once the channel took it.
    }
    if (auto steps = recording_.takeDue(now)) actions.push_back(std::move(*steps));
}

// The window loop carries out `actions` in order, then passes on what the channel said to each
// SendAction (onMessageSendResult).
void App::awaitResults(const std::vector<Action>& actions) {
    resultsAwaited_.clear();
    for (const Action& action : actions)
        if (const auto* send = std::get_if<SendAction>(&action))
            resultsAwaited_.push_back(send->timed ? SentBy::kTimer : SentBy::kComposer);
}

std::vector<Action> App::frame(const ChannelStatus& status, const MessagePtr& latest,
                               SteadyClock::time_point now) {
    if (now >= lastTrafficAt_ + kRateWindow) rateSettledDrawn_ = true;
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    // No background: the window loop clears to WindowBg. A window-sized blended quad was two
    // thirds of a frame's time under software OpenGL (Mesa llvmpipe).
    ImGui::Begin("wsdemo", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                     ImGuiWindowFlags_NoBackground);
    std::vector<Action> actions;
    handleShortcuts();
    if (auto action = connectionBar_.draw(status, reconnect_, now, settings_.urlHistory,
                                          closePanel_.choice()))
        actions.push_back(std::move(*action));
    drawNotices();

    const std::vector<Snippet> snippetsBefore = settings_.snippets;
    if (auto send = composer_.draw(canSend(status, reconnect_.has_value()), settings_.snippets))
        actions.push_back(std::move(*send));
    if (!sameSnippets(snippetsBefore, settings_.snippets)) settingsChanged_ = true;
    const bool open = status.state == ReadyState::kOpen;
    drawTimerControls(open, now);
    latestPanel_.draw(latest, received_);
    drawSplit(now, actions);
    addSendsDue(open, now, actions);
    awaitResults(actions);
    ImGui::End();
    return actions;
}

// The timer's controls: start and stop (its sends are addSendsDue's).
void App::drawTimerControls(bool open, SteadyClock::time_point now) {
    if (auto request = composer_.drawTimer(timer_ ? &*timer_ : nullptr, open, now)) {
        if (request->start) {
            timer_.emplace(std::move(*request->start));
            timer_->start(now);
            timerType_ = request->type;
        } else if (timer_) {
            timer_->stop();
        }
    }
}

void App::handleShortcuts() {
    const ImGuiIO& io = ImGui::GetIO();
    if (!io.KeyCtrl) return;
    // Key indices are GLFW key codes, which are the ASCII capitals for letters.
    if (ImGui::IsKeyPressed('L', false)) connectionBar_.focusUrl();
    if (ImGui::IsKeyPressed('K', false)) logPanel_.clear(log_);
}

void App::drawNotices() {
    const ImVec4 color = warningColor(settings_.theme);
    for (std::size_t i = 0; i < notices_.size();) {
        ImGui::PushID(static_cast<int>(i));
        const bool dismissed = ImGui::SmallButton("x");
        ImGui::PopID();
        ImGui::SameLine();
        wrappedText(color, notices_[i]);
        if (dismissed)
            notices_.erase(notices_.begin() + static_cast<std::ptrdiff_t>(i));
        else
            ++i;
    }
    if (!notices_.empty()) WidgetMap::current().noteValue("notices", notices_.front());
}

// The log on the left, the side panel on the right, with a splitter between them that the
// user drags (its place is part of the layout the settings remember).
void App::drawSplit(SteadyClock::time_point now, std::vector<Action>& actions) {
    const ImVec2 available = ImGui::GetContentRegionAvail();
    const float splitterWidth = ImGui::GetStyle().ItemSpacing.x;
    const float share =
        std::clamp(settings_.logWidthShare, limits::kMinLogWidthShare, limits::kMaxLogWidthShare);
    const float logWidth = std::max(1.0f, (available.x - splitterWidth) * share);
    ImGui::BeginChild("##log", ImVec2(logWidth, 0));
    drawLog();
    ImGui::EndChild();

    ImGui::SameLine(0, 0);
    ImGui::InvisibleButton("##splitter", ImVec2(splitterWidth, std::max(1.0f, available.y)));
    if (ImGui::IsItemHovered() || ImGui::IsItemActive())
        ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
    if (ImGui::IsItemActive() && ImGui::GetIO().MouseDelta.x != 0.0f && available.x > 0) {
        settings_.logWidthShare = std::clamp(share + ImGui::GetIO().MouseDelta.x / available.x,
                                             limits::kMinLogWidthShare, limits::kMaxLogWidthShare);
        settingsChanged_ = true;
    }
    ImGui::SameLine(0, 0);
    ImGui::BeginChild("##side", ImVec2(0, 0));
    drawSidePanel(actions, now);
    ImGui::EndChild();
}

void App::drawSidePanel(std::vector<Action>& actions, SteadyClock::time_point now) {
    if (!ImGui::BeginTabBar("##side tabs")) return;
    for (const char* tab : limits::kSideTabs) {
        // The remembered tab is selected once, at start; from then on the user picks.
        const bool restore = !sideTabRestored_ && settings_.sideTab == tab;
        const bool selected =
            ImGui::BeginTabItem(tab, nullptr, restore ? ImGuiTabItemFlags_SetSelected : 0);
        noteItem(tab);
        if (!selected) continue;
        if (settings_.sideTab != tab && sideTabRestored_) {
            settings_.sideTab = tab;
            settingsChanged_ = true;
        }
        const std::string_view name = tab;
        if (name == "Inspector") {
            drawInspector();
        } else if (name == "Stats") {
            const ConnectOptions& options = inUse_ ? *inUse_ : settings_.connect;
            if (auto action = statsPanel_.draw(now, options.pingInterval))
                actions.push_back(std::move(*action));
        } else if (name == "Close") {
            closePanel_.draw();
        } else if (name == "Mock") {
            if (auto rules = mockPanel_.draw()) {
                settings_.mockRules = rules->text;
                settingsChanged_ = true;
                actions.push_back(std::move(*rules));
            }
        } else if (name == "Record") {
            if (auto request = recordingPanel_.draw(recording_, settings_.theme))
                onRecordingRequest(std::move(*request), actions);
        } else if (settingsPanel_.draw(settings_, inUse_ ? &*inUse_ : nullptr)) {
            log_.setLimits(settings_.log);
            recording_.setLimits(settings_.log.forRecordings());
            settingsChanged_ = true;
        }
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
    sideTabRestored_ = true;
}

// The live log, or a recording shown in its place under a banner.
void App::drawLog() {
    ShownRecording* shown = recording_.shown();
    if (shown && drawShownBanner(*shown, settings_.theme)) {
        recording_.backToLive();
        shown = nullptr;
    }
    if (shown)
        shown->logPanel.draw(shown->log);
    else
        logPanel_.draw(log_);
}

// The row selected in the log on screen.
void App::drawInspector() {
    const ShownRecording* shown = recording_.shown();
    const LogPanel& panel = shown ? shown->logPanel : logPanel_;
    const MessageLog& log = shown ? shown->log : log_;
    const auto row = panel.selectedSeq();
    inspectorPanel_.draw(row ? log.findBySeq(*row) : nullptr);
}

void App::onRecordingRequest(RecordingRequest request, std::vector<Action>& actions) {
    if (auto* save = std::get_if<SaveRecordingAction>(&request)) {
        actions.push_back(std::move(*save));
    } else if (auto* open = std::get_if<OpenRecordingAction>(&request)) {
        actions.push_back(std::move(*open));
    } else {
        auto& replay = std::get<ReplayRequest>(request);
        std::optional<Action> connect;
        if (replay.kind == ReplayRequest::Kind::kStart)
            connect = recording_.startReplay(replay.url, replay.pace, false, settings_.connect);
        else if (replay.kind == ReplayRequest::Kind::kStep)
            connect = recording_.step(replay.url, replay.pace, settings_.connect);
        else
            recording_.stop();
        if (!connect) return;
        actions.push_back(std::move(*connect));
        if (const auto& skipped = recording_.replay()->skipped; !skipped.empty())
            addNotice("Replay: " + describeSkipped(skipped));
    }
}

void App::onRecordingSaving(const std::string& path, std::size_t events) {
    recordingPanel_.setStatus("Saving " + std::to_string(events) + " events to " + path, false);
}

void App::onRecordingSaved(const std::string& path, std::size_t events, const std::string& error) {
    if (!error.empty()) return recordingPanel_.setStatus(error, true);
    std::string status = "Saved " + std::to_string(events) + " events to " + path;
    if (recording_.cutShort()) status += " (cut short: the recording stopped at the log's limits)";
    recordingPanel_.setStatus(std::move(status), false);
}

void App::onRecordingOpenFailed(const std::string& error) {
    recordingPanel_.setStatus("Not opened: " + error, true);
}

void App::showRecording(const std::string& path, RecordingRead read) {
    recording_.show(path, std::move(read));
    recordingPanel_.onShown(*recording_.shown());
    recordingPanel_.setStatus("Opened " + path, false);
}

}  // namespace wsdemo
