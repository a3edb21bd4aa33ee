// The whole window's contents, drawn by the App in a headless Dear ImGui context: what its panels
// ask for comes back as actions, the channel's events become log rows, and the settings it
// changes are flagged for saving.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <variant>
#include <vector>

#include "app.h"
#include "support/headless_imgui.h"

using namespace wsdemo;
using namespace std::chrono_literals;
using wsdemo::test::HeadlessImGui;

namespace {

struct AppScreen {
    HeadlessImGui imgui;
    App app{Settings{}, "ws://127.0.0.1:1/"};
    ChannelStatus status;
    SteadyClock::time_point now = SteadyClock::now();
    std::vector<Action> actions;

    AppScreen() {
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
    auto message = std::make_shared<Message>();
    message->data = text;
    return ChannelEvent{SteadyClock::now(), 1, MessageReceived{message}};
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

TEST_CASE("a keepalive ping and its pong are logged but ask for no frame; a Ping's pong does",
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

TEST_CASE("the rows of timed sends are marked as they go out, in the order queued", "[app]") {
    AppScreen screen;
    const auto sent = [](const std::string& text) {
        auto message = std::make_shared<Message>();
        message->data = text;
        return ChannelEvent{SteadyClock::now(), 1, MessageSent{message}};
    };
    screen.app.onMessageSendResult(SendResult::kQueued, /*timed=*/true);
    screen.app.onMessageSendResult(SendResult::kClosed, /*timed=*/true);  // Never sent.
    screen.app.onMessageSendResult(SendResult::kQueued, /*timed=*/false);
    screen.app.onEvents({sent("tick"), sent("typed")});
    REQUIRE(screen.app.log().size() == 2);
    CHECK(screen.app.log().entry(0).timed);
    CHECK_FALSE(screen.app.log().entry(1).timed);

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
