// The whole window's contents, drawn by the App in a headless Dear ImGui context: what its panels
// ask for comes back as actions, the channel's events become log rows, and the settings it
// changes are flagged for saving.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <variant>
#include <vector>

#include "app.h"
#include "replay_run.h"
#include "support/headless_imgui.h"
#include "support/messages.h"
#include "support/recorded_events.h"

using namespace wsdemo;
using wsdemo::test::recordedEvent;
using wsdemo::test::recordedMessage;
using wsdemo::test::textMessage;
using namespace std::chrono_literals;
using wsdemo::test::HeadlessImGui;

namespace {

struct AppScreen {
    HeadlessImGui imgui;
    App app{Settings{}, "ws://127.0.0.1:1/"};
    ChannelStatus status;
    SteadyClock::time_point now = SteadyClock::now();
    std::vector<Action> actions;

    explicit AppScreen(ImVec2 displaySize = ImVec2(960, 720)) : imgui(displaySize) {
        status.state = ReadyState::kOpen;
        frame();
        frame();  // The composer takes the keyboard focus over two frames.
    }
    const std::function<void()> draw = [this] {
        for (Action& action : app.frame(status, nullptr, now)) actions.push_back(action);
    };
    void frame() { imgui.frame(draw); }
    void click(const std::string& label) { imgui.click(label, draw); }
    std::string value(const std::string& name) const { return imgui.widgets().values().at(name); }
};

ChannelEvent received(const std::string& text) {
    return ChannelEvent{SteadyClock::now(), 1, MessageReceived{textMessage(text)}};
}

}  // namespace

TEST_CASE("the App passes on what its panels ask for, in order", "[app]") {
    AppScreen screen;
    screen.imgui.type("Hello!");
    screen.frame();
    screen.imgui.press(ImGuiKey_Enter);
    screen.frame();
    screen.frame();  // The composer takes the focus back over two frames, as after any send.
    screen.click("Echo server");
    REQUIRE(screen.actions.size() == 2);
    const auto* send = std::get_if<SendAction>(&screen.actions[0]);
    REQUIRE(send);
    CHECK(send->data == "Hello!");
    CHECK(std::holds_alternative<UseEchoServerAction>(screen.actions[1]));
}

TEST_CASE("each event becomes a log row, and Ctrl+K clears the log", "[app]") {
    AppScreen screen;
    CHECK(screen.app.onEvents({received("one"), received("two")}));
    CHECK_FALSE(screen.app.onEvents({}));
    screen.frame();
    CHECK(screen.value("log rows") == "2");
    screen.imgui.press('K', false, /*ctrl=*/true);
    screen.frame();
    screen.frame();
    CHECK(screen.app.log().size() == 0);
}

TEST_CASE("a reconnect due asks for frames until it starts", "[app]") {
    AppScreen screen;
    const auto now = SteadyClock::now();
    ChannelStatus closed;
    closed.state = ReadyState::kClosed;
    closed.closeCode = CloseCode::kAbnormal;
    CHECK_FALSE(screen.app.nextTick(now));
    screen.app.onEvents({ChannelEvent{now, 1, StateChanged{closed}},
                         ChannelEvent{now, 1, ReconnectScheduled{1, 3200ms}}});
    screen.status = closed;
    screen.now = now;
    screen.frame();
    CHECK(screen.value("state") == "Reconnecting in 3.2 s (attempt 1)");
    const auto tick = screen.app.nextTick(now);
    REQUIRE(tick);
    CHECK(*tick <= now + 100ms);
    CHECK(screen.app.reconnectPending());
    ChannelStatus connecting;
    connecting.state = ReadyState::kConnecting;
    screen.app.onEvents({ChannelEvent{now + 3200ms, 2, StateChanged{connecting}}});
    CHECK_FALSE(screen.app.reconnectPending());
}

TEST_CASE("a connection joins the URL history and flags the settings for saving", "[app]") {
    AppScreen screen;
    CHECK_FALSE(screen.app.takeSettingsChanged());
    screen.app.onConnect("ws://127.0.0.1:2/", ConnectOptions{});
    CHECK(screen.app.takeSettingsChanged());
    CHECK_FALSE(screen.app.takeSettingsChanged());
    CHECK(screen.app.settings().urlHistory.front() == "ws://127.0.0.1:2/");
}

TEST_CASE("a keepalive ping and its pong are logged but ask for no frame, a Ping's pong does",
          "[app]") {
    AppScreen screen;
    const auto now = SteadyClock::now();
    CHECK_FALSE(screen.app.onEvents({ChannelEvent{now, 1, PingSent{"", true}},
                                     ChannelEvent{now, 1, PongReceived{"", 300us}},
                                     ChannelEvent{now, 1, PongSent{"server ping"}}}));
    CHECK(screen.app.log().size() == 3);
    CHECK(screen.app.onEvents({ChannelEvent{now, 1, PingSent{"1", false}}}));
    CHECK(screen.app.onEvents({ChannelEvent{now, 1, PongReceived{"1", 250us}}}));
}

namespace {

ChannelEvent opened(SteadyClock::time_point at, uint64_t connection) {
    ChannelStatus status;
    status.state = ReadyState::kOpen;
    return ChannelEvent{at, connection, StateChanged{status}};
}

// One connection to ws://h/ offering "chat": "a" sent at 0, "b" at 100 ms, "A" received.
RecordingRead twoSends() {
    const auto t = WallClock::now();
    auto connection = std::make_shared<RecordedConnection>();
    connection->url = "ws://h/";
    connection->subprotocols = {"chat"};
    RecordingRead read;
    read.events.push_back(recordedEvent(t, 1, RecordedKind::kOpen));
    read.events.back().opened = connection;
    read.events.push_back(recordedMessage(t, 1, RecordedDirection::kSend, textMessage("a")));
    read.events.push_back(
        recordedMessage(t + 100ms, 1, RecordedDirection::kSend, textMessage("b")));
    read.events.push_back(
        recordedMessage(t + 100ms, 1, RecordedDirection::kReceive, textMessage("A")));
    return read;
}

// The replay's steps handed out in `actions`, each ReplayStepsAction's in order.
std::vector<std::string> replayedTexts(const std::vector<Action>& actions) {
    std::vector<std::string> texts;
    for (const Action& action : actions)
        if (const auto* steps = std::get_if<ReplayStepsAction>(&action))
            for (const MessagePtr& step : steps->steps) texts.push_back(step->data);
    return texts;
}

}  // namespace

TEST_CASE("every event is recorded, Save takes the last connection's or all", "[app][record]") {
    AppScreen screen;
    const auto now = SteadyClock::now();
    screen.app.onConnect("ws://127.0.0.1:2/", ConnectOptions{});
    screen.app.onEvents({opened(now, 1), ChannelEvent{now, 1, MessageReceived{textMessage("1")}}});
    screen.app.onConnect("ws://127.0.0.1:3/", ConnectOptions{});
    screen.app.onEvents({opened(now, 2), ChannelEvent{now, 2, MessageReceived{textMessage("2")}}});
    const auto all = screen.app.recordingToSave(SaveRecordingAction::Scope::kEveryConnection);
    const auto last = screen.app.recordingToSave(SaveRecordingAction::Scope::kThisConnection);
    CHECK(all.size() == 4);
    REQUIRE(last.size() == 2);
    CHECK(last[0].connection == 2);
    REQUIRE(last[0].opened);
    CHECK(last[0].opened->url == "ws://127.0.0.1:3/");
    CHECK(last[1].message->data == "2");
}

TEST_CASE("a save under way is said on the Record tab, then what became of it", "[app][record]") {
    AppScreen screen;
    screen.click("Record");
    screen.app.onRecordingSaving("/tmp/log.har", 3);
    screen.frame();
    CHECK(screen.value("record status") == "Saving 3 events to /tmp/log.har");
    screen.app.onRecordingSaved("/tmp/log.har", 3, "");
    screen.frame();
    CHECK(screen.value("record status") == "Saved 3 events to /tmp/log.har");
    screen.app.onRecordingSaved("/tmp/x.har", 0, "Not saved: still reading /tmp/big.har");
    screen.frame();
    CHECK(screen.value("record status") == "Not saved: still reading /tmp/big.har");
}

TEST_CASE("a recording shown takes the log's place until Back to live", "[app][record]") {
    AppScreen screen;
    screen.app.onEvents({received("live")});
    screen.app.showRecording("rec.jsonl", twoSends());
    screen.frame();
    CHECK(screen.value("viewing") == "Viewing rec.jsonl (read-only): 4 events, 0 problems");
    CHECK(screen.value("log rows") == "4");
    screen.app.onEvents({received("still live")});  // The live log keeps collecting.
    CHECK(screen.app.log().size() == 2);
    screen.click("Back to live");
    CHECK_FALSE(screen.app.shownRecording());
    screen.frame();
    CHECK(screen.imgui.widgets().values().count("viewing") == 0);
    CHECK(screen.value("log rows") == "2");
}

TEST_CASE("a replay connects with the recorded subprotocols and sends at its ticks",
          "[app][record]") {
    AppScreen screen;
    screen.app.showRecording("rec.jsonl", twoSends());
    screen.frame();
    screen.click("Record");
    screen.actions.clear();
    screen.click("Replay");
    REQUIRE(screen.actions.size() == 1);
    const auto* connect = std::get_if<ReplayConnectAction>(&screen.actions[0]);
    REQUIRE(connect);
    CHECK(connect->url == "ws://h/");
    CHECK(connect->options.subprotocols == std::vector<std::string>{"chat"});
    screen.actions.clear();

    // What the window loop does with a step: the channel takes it, then writes it.
    const auto sendStep = [&screen](SteadyClock::time_point writtenAt) {
        screen.app.onReplayStepResults({SendResult::kQueued});
        screen.app.onEvents({ChannelEvent{writtenAt, 1, MessageSent{textMessage("step")}}});
    };
    const auto t0 = SteadyClock::now();
    CHECK_FALSE(screen.app.nextTick(t0));  // Nothing is due before the connection opens.
    screen.app.onEvents({opened(t0, 1)});
    CHECK(screen.app.nextTick(t0) == t0);
    screen.now = t0;
    screen.frame();
    CHECK(replayedTexts(screen.actions) == std::vector<std::string>{"a"});
    CHECK_FALSE(screen.app.nextTick(t0));  // The channel's answer first.
    sendStep(t0 + 20ms);
    CHECK(screen.app.nextTick(t0) == t0 + 120ms);  // The recorded 100 ms after "a" was written.
    screen.now = t0 + 119ms;
    screen.frame();
    CHECK(replayedTexts(screen.actions).size() == 1);
    screen.now = t0 + 120ms;
    screen.frame();
    CHECK(replayedTexts(screen.actions) == std::vector<std::string>{"a", "b"});
    sendStep(t0 + 120ms);
    screen.now = t0 + 1300ms;  // The rate settled.
    screen.frame();
    // All sent, the reply still to come: a frame when the wait for it ends.
    CHECK(screen.app.nextTick(screen.now) == t0 + 120ms + ReplayRun::kSilence);
    screen.app.onEvents({ChannelEvent{t0 + 1400ms, 1, MessageReceived{textMessage("A")}}});
    screen.now = t0 + 1400ms;
    screen.frame();
    CHECK(screen.value("comparison") == "1 same, 0 different, 0 missing, 0 extra");
    screen.now = t0 + 2600ms;  // The rate settled again: nothing is left to tick for.
    screen.frame();
    CHECK_FALSE(screen.app.nextTick(screen.now));
}

TEST_CASE("a fast replay hands out every due step in one frame, then the rest after a refusal",
          "[app][record]") {
    AppScreen screen;
    RecordingRead read = twoSends();
    for (int i = 0; i < 600; ++i) {  // 602 sends in all.
        RecordedEvent event = read.events[1];
        event.message = textMessage(std::to_string(i));
        read.events.push_back(event);
    }
    screen.app.showRecording("long.jsonl", std::move(read));
    screen.frame();
    screen.click("Record");
    screen.click("Pace");
    screen.frame();  // The combo's list appears.
    screen.click("Fast");
    screen.click("Replay");
    const auto t0 = SteadyClock::now();
    screen.app.onEvents({opened(t0, 1)});
    screen.actions.clear();
    screen.now = t0;
    screen.frame();
    std::vector<std::string> first = replayedTexts(screen.actions);
    REQUIRE(first.size() == RecordingSession::kMaxStepsPerFrame);
    CHECK(first[0] == "a");
    CHECK(first[2] == "0");
    // The channel took 100 and had no room for the 101st: the next frame starts from it.
    std::vector<SendResult> results(100, SendResult::kQueued);
    results.push_back(SendResult::kQueueFull);
    screen.app.onReplayStepResults(results);
    screen.actions.clear();
    screen.now = t0 + ReplayRun::kRetryAfterFullQueue;
    screen.frame();
    const std::vector<std::string> next = replayedTexts(screen.actions);
    REQUIRE_FALSE(next.empty());
    CHECK(next[0] == first[100]);
}

TEST_CASE("the rows of timed sends are marked as they go out, in the order queued", "[app]") {
    AppScreen screen;
    const auto sent = [](const std::string& text) {
        return ChannelEvent{SteadyClock::now(), 1, MessageSent{textMessage(text)}};
    };
    screen.app.onMessageSendResult(SendResult::kQueued, /*timed=*/true);
    screen.app.onMessageSendResult(SendResult::kClosed, /*timed=*/true);  // Never sent.
    screen.app.onMessageSendResult(SendResult::kQueued, /*timed=*/false);
    screen.app.onEvents({sent("tick"), sent("typed")});
    REQUIRE(screen.app.log().size() == 2);
    CHECK(screen.app.log().entry(0).timed);
    CHECK_FALSE(screen.app.log().entry(1).timed);
    const auto recorded = screen.app.recordingToSave(SaveRecordingAction::Scope::kEveryConnection);
    REQUIRE(recorded.size() == 2);
    CHECK(recorded[0].timed);
    CHECK_FALSE(recorded[1].timed);

    SECTION("those the channel gave up on at a close are forgotten") {
        screen.app.onMessageSendResult(SendResult::kQueued, /*timed=*/true);
        ChannelStatus closed;
        closed.state = ReadyState::kClosed;
        closed.unsentMessages = 1;
        screen.app.onEvents({ChannelEvent{SteadyClock::now(), 1, StateChanged{closed}}});
        screen.app.onMessageSendResult(SendResult::kQueued, /*timed=*/false);
        screen.app.onEvents({sent("typed after")});
        CHECK_FALSE(screen.app.log().entry(3).timed);
    }
}

TEST_CASE("log limits set in Settings bound the recording too, from the next event", "[app]") {
    AppScreen screen(ImVec2(960, 2000));  // Log rows, near the end of Settings, in view.
    screen.click("Settings");
    screen.frame();
    screen.click("Log rows");
    screen.imgui.press(ImGuiKey_A, false, /*ctrl=*/true);
    screen.frame();
    screen.imgui.type("100");
    screen.frame();
    REQUIRE(screen.app.settings().log.maxRows == 100);
    std::vector<ChannelEvent> events;
    for (int i = 0; i < 150; ++i) events.push_back(received(std::to_string(i)));
    screen.app.onEvents(events);
    const auto recorded = screen.app.recordingToSave(SaveRecordingAction::Scope::kEveryConnection);
    REQUIRE(recorded.size() == 100);
    CHECK(recorded.back().message->data == "99");  // A recording keeps its beginning.
}

TEST_CASE("the Mock panel's rules go to the window and into the settings", "[app]") {
    AppScreen screen;
    screen.click("Mock");
    screen.frame();
    screen.click("Example");
    screen.click("Apply");
    REQUIRE(screen.actions.size() == 1);
    const auto* rules = std::get_if<SetMockRulesAction>(&screen.actions[0]);
    REQUIRE(rules);
    CHECK(rules->rules->rules.size() == 7);
    CHECK(screen.app.settings().mockRules == rules->text);
    CHECK(screen.app.takeSettingsChanged());
}

namespace {

// The composer's timer set to send "tick" every 0.3 s, `times` times, started at screen.now.
void startTimer(AppScreen& screen, const std::string& times) {
    screen.imgui.type("tick");
    screen.frame();
    for (const auto& [label, text] : {std::pair<std::string, std::string>("Every", "0.3"),
                                      std::pair<std::string, std::string>("Times", times)}) {
        screen.click(label);
        screen.imgui.press(ImGuiKey_A, false, /*ctrl=*/true);
        screen.frame();
        screen.imgui.type(text);
        screen.frame();
        screen.frame();
    }
    screen.click("Start timer");
    screen.frame();
}

// The timed SendActions the App asked for since the last call, each carried out as queued.
std::vector<std::string> takeTimedSends(AppScreen& screen) {
    std::vector<std::string> sent;
    for (const Action& action : screen.actions)
        if (const auto* send = std::get_if<SendAction>(&action); send && send->timed) {
            sent.push_back(send->data);
            screen.app.onMessageSendResult(SendResult::kQueued, /*timed=*/true);
        }
    screen.actions.clear();
    return sent;
}

}  // namespace

TEST_CASE("the timer sends when due, asks for a frame for each send and no other", "[app]") {
    AppScreen screen;
    const auto start = screen.now;
    startTimer(screen, "3");
    CHECK(takeTimedSends(screen).empty());
    for (int send = 1; send <= 3; ++send) {
        const auto due = start + send * 300ms;
        REQUIRE(screen.app.nextTick(due - 1ms) == due);
        screen.now = due - 1ms;
        screen.frame();
        CHECK(takeTimedSends(screen).empty());
        screen.now = due;
        screen.frame();
        CHECK(takeTimedSends(screen) == std::vector<std::string>{"tick"});
        screen.frame();  // Counted once: no second send at the same time.
        CHECK(takeTimedSends(screen).empty());
    }
    CHECK(screen.value("timer") == "timed: 3 of 3 sent, done");
    CHECK_FALSE(screen.app.nextTick(screen.now + 1s));
}

TEST_CASE("undrawn (minimised), the timer still sends and only sends wake the loop", "[app]") {
    AppScreen screen;
    const auto start = screen.now;
    startTimer(screen, "3");
    takeTimedSends(screen);
    // Traffic: the rate shown settles a second later, which matters only on screen.
    screen.app.onEvents({received("traffic")});
    CHECK(screen.app.nextTick(start) == start + 300ms);
    CHECK(screen.app.nextSendDue() == start + 300ms);

    screen.actions = screen.app.sendsDueUndrawn(screen.status, start + 299ms);
    CHECK(takeTimedSends(screen).empty());
    screen.actions = screen.app.sendsDueUndrawn(screen.status, start + 300ms);
    CHECK(takeTimedSends(screen) == std::vector<std::string>{"tick"});
    screen.actions = screen.app.sendsDueUndrawn(screen.status, start + 900ms);
    CHECK(takeTimedSends(screen) == std::vector<std::string>{"tick"});
    screen.actions = screen.app.sendsDueUndrawn(screen.status, start + 1200ms);
    CHECK(takeTimedSends(screen) == std::vector<std::string>{"tick"});
    // All three sent: nothing is left to wake an undrawn window for, though a frame would still
    // show the settled rate.
    CHECK_FALSE(screen.app.nextSendDue());
    REQUIRE(screen.app.nextTick(start + 1200ms));
    CHECK(*screen.app.nextTick(start + 1200ms) >= start + 1s);
}

TEST_CASE("the timer stops when the connection closes, or when a send is refused", "[app]") {
    AppScreen screen;
    const auto start = screen.now;
    startTimer(screen, "0");
    screen.now = start + 300ms;
    screen.frame();
    REQUIRE(takeTimedSends(screen).size() == 1);

    SECTION("closed") {
        ChannelStatus closed;
        closed.state = ReadyState::kClosed;
        screen.app.onEvents({ChannelEvent{screen.now, 1, StateChanged{closed}}});
        screen.status = closed;
    }
    SECTION("refused") {
        screen.now = start + 600ms;
        screen.frame();
        REQUIRE(screen.actions.size() == 1);
        screen.actions.clear();
        screen.app.onMessageSendResult(SendResult::kQueueFull, /*timed=*/true);
    }
    CHECK_FALSE(screen.app.nextTick(screen.now));
    screen.now += 10s;
    screen.frame();
    CHECK(takeTimedSends(screen).empty());
    CHECK(screen.value("timer").find(" sent, stopped") != std::string::npos);
}
