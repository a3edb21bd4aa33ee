// The connection bar, driven in a headless Dear ImGui context as a person would: type into
// `URL`, press Enter, click the buttons by their labels, read the state badge.
#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "connection_bar.h"
#include "support/headless_imgui.h"

using namespace wsdemo;
using namespace std::chrono_literals;
using wsdemo::test::HeadlessImGui;

namespace {

// The bar in a window of its own, with what the App would pass it; keeps every action drawn.
struct BarScreen {
    HeadlessImGui imgui;
    ConnectionBar bar{""};
    ChannelStatus status;
    std::optional<PendingReconnect> reconnect;
    SteadyClock::time_point now = SteadyClock::now();
    std::vector<std::string> history;
    DisconnectAction closeChoice;
    std::vector<Action> actions;

    BarScreen() { frame(); }

    const std::function<void()> draw = [this] {
        HeadlessImGui::panelWindow("bar", [this] {
            if (auto action = bar.draw(status, reconnect, now, history, closeChoice))
                actions.push_back(*action);
        });
    };
    void frame() { imgui.frame(draw); }
    void click(const std::string& label) { imgui.click(label, draw); }
    bool noted(const std::string& label) const { return imgui.widgets().items().count(label) > 0; }
    std::string badge() {
        frame();
        return imgui.widgets().values().at("state");
    }
    // Clicks `URL`, types, presses Enter.
    void enterUrl(const std::string& text) {
        click("URL");
        imgui.type(text);
        frame();
        imgui.press(ImGuiKey_Enter);
        frame();
    }
};

ChannelStatus withState(ReadyState state) {
    ChannelStatus status;
    status.state = state;
    status.url = "ws://127.0.0.1:9001/";
    return status;
}

}  // namespace

TEST_CASE("Enter in URL connects to what was typed, and only when something was",
          "[connection_bar]") {
    BarScreen screen;
    SECTION("typed URL") {
        screen.enterUrl("ws://127.0.0.1:9001/chat");
        REQUIRE(screen.actions.size() == 1);
        const auto* connect = std::get_if<ConnectAction>(&screen.actions[0]);
        REQUIRE(connect);
        CHECK(connect->url == "ws://127.0.0.1:9001/chat");
        CHECK(screen.bar.url() == "ws://127.0.0.1:9001/chat");
    }
    SECTION("empty URL: Enter and Connect do nothing") {
        screen.enterUrl("");
        screen.click("Connect");
        CHECK(screen.actions.empty());
    }
    SECTION("focusUrl (Ctrl+L) puts the typing in URL without a click") {
        screen.bar.focusUrl();
        screen.frame();
        screen.frame();  // SetKeyboardFocusHere takes effect over two frames.
        screen.imgui.type("ws://a/");
        screen.frame();
        screen.imgui.press(ImGuiKey_Enter);
        screen.frame();
        REQUIRE(screen.actions.size() == 1);
        CHECK(std::get<ConnectAction>(screen.actions[0]).url == "ws://a/");
    }
}

TEST_CASE("the connect button reads and does what the state allows", "[connection_bar]") {
    BarScreen screen;
    screen.bar.setUrl("ws://127.0.0.1:9001/");
    screen.closeChoice = DisconnectAction{4000, "bye"};

    SECTION("closed: Connect connects to URL") {
        screen.status = withState(ReadyState::kClosed);
        screen.frame();
        CHECK_FALSE(screen.noted("Disconnect"));
        screen.click("Connect");
        REQUIRE(screen.actions.size() == 1);
        CHECK(std::get<ConnectAction>(screen.actions[0]).url == "ws://127.0.0.1:9001/");
    }
    for (const ReadyState state : {ReadyState::kConnecting, ReadyState::kOpen}) {
        DYNAMIC_SECTION("state " << toString(state) << ": Disconnect sends the close choice") {
            screen.status = withState(state);
            screen.frame();
            CHECK_FALSE(screen.noted("Connect"));
            screen.click("Disconnect");
            REQUIRE(screen.actions.size() == 1);
            const auto* disconnect = std::get_if<DisconnectAction>(&screen.actions[0]);
            REQUIRE(disconnect);
            CHECK(disconnect->code == 4000);
            CHECK(disconnect->reason == "bye");
        }
    }
    SECTION("reconnect pending: Cancel gives up") {
        screen.status = withState(ReadyState::kClosed);
        screen.status.closeCode = CloseCode::kAbnormal;
        screen.reconnect = PendingReconnect{ReconnectScheduled{1, 800ms}, screen.now + 800ms};
        screen.frame();
        CHECK_FALSE(screen.noted("Connect"));
        CHECK_FALSE(screen.noted("Disconnect"));
        screen.click("Cancel");
        REQUIRE(screen.actions.size() == 1);
        CHECK(std::holds_alternative<DisconnectAction>(screen.actions[0]));
    }
    SECTION("Echo server asks for the embedded server") {
        screen.click("Echo server");
        REQUIRE(screen.actions.size() == 1);
        CHECK(std::holds_alternative<UseEchoServerAction>(screen.actions[0]));
    }
}

TEST_CASE("choosing a URL from the history fills URL without connecting", "[connection_bar]") {
    BarScreen screen;
    screen.bar.setUrl("ws://current/");
    screen.history = {"ws://first/", "wss://second.example/path"};
    screen.click("URL history");
    screen.frame();  // The popup appears.
    REQUIRE(screen.noted("URL history 1"));
    screen.click("URL history 1");
    CHECK(screen.bar.url() == "wss://second.example/path");
    CHECK(screen.actions.empty());
    screen.frame();
    CHECK_FALSE(screen.noted("URL history 1"));  // The popup closed.
}

TEST_CASE("the badge says where the connection is", "[connection_bar]") {
    BarScreen screen;
    ChannelStatus& status = screen.status;
    CHECK(screen.badge() == "Not connected");

    status = withState(ReadyState::kConnecting);
    status.stage = ConnectStage::kTls;
    CHECK(screen.badge() == "Connecting: TLS handshake");

    status = withState(ReadyState::kOpen);
    CHECK(screen.badge() == "Open");
    status.protocol = "chat";
    CHECK(screen.badge() == "Open (subprotocol chat)");

    status = withState(ReadyState::kClosing);
    CHECK(screen.badge() == "Closing");

    status = withState(ReadyState::kClosed);
    status.closeCode = CloseCode::kNormal;
    CHECK(screen.badge() == "Closed: 1000 normal closure");
    status.closeCode = 4000;
    status.closeReason = "bye";
    CHECK(screen.badge() == "Closed: 4000, \"bye\"");
    status.closeCode = CloseCode::kAbnormal;
    status.closeReason.clear();
    status.error = "the peer stopped answering";
    CHECK(screen.badge() == "Closed: 1006 no close frame");

    status = withState(ReadyState::kClosed);
    status.failure = FailureStage::kTcp;
    status.error = "Unable to connect";
    CHECK(screen.badge() == "Failed: TCP: Unable to connect");
}

TEST_CASE("a badge too long for the bar ends in an ellipsis and stays in the window",
          "[connection_bar]") {
    BarScreen screen;
    screen.status = withState(ReadyState::kClosed);
    screen.status.failure = FailureStage::kTcp;
    screen.status.error =
        "cannot connect to ws://127.0.0.1:9/: the TCP connection was refused, "
        "or the host is unreachable";
    const std::string whole = screen.badge();
    CHECK(whole == "Failed: TCP: " + screen.status.error);  // Also the tooltip's first line.
    const std::string shown = screen.imgui.widgets().values().at("state shown");
    const std::string ellipsis = "\u2026";
    REQUIRE(shown.size() > ellipsis.size());
    CHECK(shown.substr(shown.size() - ellipsis.size()) == ellipsis);
    CHECK(whole.rfind(shown.substr(0, shown.size() - ellipsis.size()), 0) == 0);
    const WidgetRect& badge = screen.imgui.widgets().items().at("state");
    CHECK(badge.x + badge.width <=
          ImGui::GetIO().DisplaySize.x - ImGui::GetStyle().WindowPadding.x);

    SECTION("one that fits is shown whole") {
        screen.status = withState(ReadyState::kOpen);
        CHECK(screen.badge() == "Open");
        CHECK(screen.imgui.widgets().values().at("state shown") == "Open");
    }
}

TEST_CASE("a pending reconnect counts down in tenths, one redraw per tenth", "[connection_bar]") {
    BarScreen screen;
    screen.status = withState(ReadyState::kClosed);
    screen.status.closeCode = CloseCode::kAbnormal;
    const auto due = screen.now + 3200ms;
    screen.reconnect = PendingReconnect{ReconnectScheduled{4, 5000ms}, due};
    CHECK(screen.badge() == "Reconnecting in 3.2 s (attempt 4)");
    // 3.2 s is on screen until 3.1 s are left; then 3.1 s until 3.0...
    REQUIRE(screen.bar.nextTick(screen.now) == due - 3100ms);

    screen.now = due - 3150ms;
    CHECK(screen.badge() == "Reconnecting in 3.2 s (attempt 4)");
    screen.now = due - 3100ms;
    CHECK(screen.badge() == "Reconnecting in 3.1 s (attempt 4)");
    CHECK(screen.bar.nextTick(screen.now) == due - 3000ms);
    screen.now = due - 1ms;
    CHECK(screen.badge() == "Reconnecting in 0.1 s (attempt 4)");
    CHECK(screen.bar.nextTick(screen.now) == due);
    screen.now = due + 50ms;  // The attempt is late: never a negative countdown.
    CHECK(screen.badge() == "Reconnecting in 0.0 s (attempt 4)");
    CHECK_FALSE(screen.bar.nextTick(screen.now));

    screen.reconnect.reset();
    CHECK(screen.badge() == "Closed: 1006 no close frame");
    CHECK_FALSE(screen.bar.nextTick(screen.now));
}
