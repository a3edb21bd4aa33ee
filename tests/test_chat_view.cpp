// The window's panel, driven through a headless Dear ImGui context: no window, no GL.
#include <catch2/catch.hpp>

#include <imgui.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chat_view.h"

using namespace wsdemo;
using namespace std::chrono_literals;

namespace {

constexpr int kEnterKey = 257;  // Any free index of io.KeysDown; mapped below.

class HeadlessImGui {
public:
    HeadlessImGui() {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(640, 480);
        io.DeltaTime = 1.0f / 60.0f;
        io.KeyMap[ImGuiKey_Enter] = kEnterKey;
        unsigned char* pixels;
        int width, height;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    }
    ~HeadlessImGui() { ImGui::DestroyContext(); }

    // One frame of the view; what it asked to send, if anything.
    std::optional<std::string> frame(ChatView& view, const ChannelStatus& status,
                                     const MessagePtr& latest = nullptr) {
        ImGui::NewFrame();
        auto sent = view.draw(status, latest);
        ImGui::Render();
        return sent;
    }
};

ChannelStatus openStatus() {
    ChannelStatus status;
    status.state = ReadyState::kOpen;
    return status;
}

}  // namespace

TEST_CASE("typing and pressing Enter sends the text and clears the input", "[chat_view]") {
    HeadlessImGui imgui;
    ChatView view;
    // SetKeyboardFocusHere takes effect over two frames.
    CHECK_FALSE(imgui.frame(view, openStatus()));
    CHECK_FALSE(imgui.frame(view, openStatus()));
    ImGui::GetIO().AddInputCharactersUTF8("Hello!");
    CHECK_FALSE(imgui.frame(view, openStatus()));
    ImGui::GetIO().KeysDown[kEnterKey] = true;
    const auto sent = imgui.frame(view, openStatus());
    ImGui::GetIO().KeysDown[kEnterKey] = false;
    REQUIRE(sent);
    CHECK(*sent == "Hello!");

    SECTION("the input gets the focus back, and is empty") {
        imgui.frame(view, openStatus());
        imgui.frame(view, openStatus());
        ImGui::GetIO().AddInputCharactersUTF8("again");
        imgui.frame(view, openStatus());
        ImGui::GetIO().KeysDown[kEnterKey] = true;
        const auto second = imgui.frame(view, openStatus());
        REQUIRE(second);
        CHECK(*second == "again");
    }
}

TEST_CASE("clicking Send sends the text; empty input sends nothing", "[chat_view]") {
    HeadlessImGui imgui;
    ChatView view;
    ImGuiIO& io = ImGui::GetIO();
    imgui.frame(view, openStatus());  // Text sizes need a current font, set by the first frame.
    // The Send button ends the first row, flush with the window's right padding.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float buttonWidth = ImGui::CalcTextSize("Send").x + style.FramePadding.x * 2;
    const ImVec2 sendButton(io.DisplaySize.x - style.WindowPadding.x - buttonWidth / 2,
                            style.WindowPadding.y + ImGui::GetFrameHeight() / 2);
    const auto click = [&] {
        io.MousePos = sendButton;
        imgui.frame(view, openStatus());  // Hover.
        io.MouseDown[0] = true;
        imgui.frame(view, openStatus());
        io.MouseDown[0] = false;
        return imgui.frame(view, openStatus());  // A button fires on release.
    };

    CHECK_FALSE(click());
    io.MousePos = ImVec2(20, sendButton.y);  // Into the input: clicking it focuses it.
    io.MouseDown[0] = true;
    imgui.frame(view, openStatus());
    io.MouseDown[0] = false;
    imgui.frame(view, openStatus());
    io.AddInputCharactersUTF8("h\xc3\xa9llo");
    imgui.frame(view, openStatus());
    const auto sent = click();
    REQUIRE(sent);
    CHECK(*sent == "h\xc3\xa9llo");
    CHECK_FALSE(click());  // The input was cleared.

    SECTION("nothing is sent once the connection is closed") {
        ChannelStatus closed;
        closed.state = ReadyState::kClosed;
        closed.closeCode = CloseCode::kGoingAway;
        io.AddInputCharactersUTF8("late");
        imgui.frame(view, openStatus());
        io.MousePos = sendButton;
        imgui.frame(view, closed);
        io.MouseDown[0] = true;
        imgui.frame(view, closed);
        io.MouseDown[0] = false;
        CHECK_FALSE(imgui.frame(view, closed));
    }
}

// What the panel drew as text this frame, caught through Dear ImGui's own text logging (which
// ends in SetClipboardText).
class DrawnText {
public:
    DrawnText() {
        ImGui::GetIO().SetClipboardTextFn = [](void* user, const char* text) {
            *static_cast<std::string*>(user) = text;
        };
        ImGui::GetIO().ClipboardUserData = &text_;
    }
    std::string of(ChatView& view, const ChannelStatus& status, const MessagePtr& latest) {
        text_.clear();
        ImGui::NewFrame();
        ImGui::LogToClipboard();
        view.draw(status, latest);
        ImGui::LogFinish();
        ImGui::Render();
        return text_;
    }

private:
    std::string text_;
};

// A draw list holds at most 64K vertices (16-bit indices): a 20 KB text drawn whole aborted
// Dear ImGui. The preview keeps any message within that, and leaves the message whole.
TEST_CASE("the panel previews the first 4 KiB of a long text, whole characters only",
          "[chat_view]") {
    HeadlessImGui imgui;
    ImGui::GetIO().DisplaySize = ImVec2(640, 4000);  // Room for the line after the preview.
    ChatView view;
    DrawnText drawn;
    // A 3-byte character straddles the 4 KiB mark: the preview stops before it.
    const std::string data =
        std::string(ChatView::kPreviewBytes - 1, 'x') + "\xe2\x9c\x93" + std::string(1u << 20, 'y');
    const auto text = std::make_shared<const Message>(Message{Message::Type::kText, data});

    const std::string shown = drawn.of(view, openStatus(), text);
    const std::string preview(ChatView::kPreviewBytes - 1, 'x');
    CHECK(shown.find(preview) != std::string::npos);
    CHECK(shown.find(preview + "x") == std::string::npos);
    CHECK(shown.find("\xe2\x9c\x93") == std::string::npos);
    CHECK(shown.find("yy") == std::string::npos);
    CHECK(shown.find("(the first 4095 of " + std::to_string(data.size()) + " bytes)") !=
          std::string::npos);
    const ImDrawData* drawData = ImGui::GetDrawData();
    for (int i = 0; i < drawData->CmdListsCount; ++i)
        CHECK(drawData->CmdLists[i]->VtxBuffer.Size < (1 << 16));
    CHECK(text->data == data);

    SECTION("a short text is shown whole, with no size note") {
        const auto hello = std::make_shared<const Message>(Message{Message::Type::kText, "hello"});
        const std::string shortShown = drawn.of(view, openStatus(), hello);
        CHECK(shortShown.find("hello") != std::string::npos);
        CHECK(shortShown.find("the first") == std::string::npos);
    }
    SECTION("binary shows its size and the hex of its first 256 bytes") {
        const auto binary = std::make_shared<const Message>(
            Message{Message::Type::kBinary, std::string(1000, '\xab')});
        std::string hex = "ab";
        for (int i = 1; i < 256; ++i) hex += " ab";
        const std::string binaryShown = drawn.of(view, openStatus(), binary);
        CHECK(binaryShown.find("binary, 1000 bytes") != std::string::npos);
        CHECK(binaryShown.find(hex + " ...") != std::string::npos);
        CHECK(binaryShown.find(hex + " ab") == std::string::npos);
    }
    SECTION("no message yet: nothing under the heading") {
        const std::string empty = drawn.of(view, openStatus(), nullptr);
        CHECK(empty.substr(empty.find("Latest message:") + 15).find_first_not_of(" \r\n") ==
              std::string::npos);
    }
}

TEST_CASE("only events that change the panel ask for a redraw", "[chat_view]") {
    ChatView view;
    const auto at = SteadyClock::now();
    const auto message = std::make_shared<const Message>(Message{Message::Type::kText, "hi"});
    CHECK_FALSE(view.onEvents({}));
    CHECK_FALSE(view.onEvents({ChannelEvent{at, 1, PingSent{{}, true}},
                               ChannelEvent{at, 1, PongReceived{{}, std::chrono::microseconds(40)}},
                               ChannelEvent{at, 1, MessageSent{message}},
                               ChannelEvent{at, 1, PongSent{"x"}}}));
    CHECK(view.onEvents(
        {ChannelEvent{at, 1, PingSent{{}, true}}, ChannelEvent{at, 1, MessageReceived{message}}}));
    CHECK(view.onEvents({ChannelEvent{at, 1, StateChanged{openStatus()}}}));
    CHECK(view.onEvents(
        {ChannelEvent{at, 1, ReconnectScheduled{1, std::chrono::milliseconds(500)}}}));
}

TEST_CASE("messages replaced before a frame showed them are counted", "[chat_view]") {
    HeadlessImGui imgui;
    ChatView view;
    std::vector<ChannelEvent> events;
    MessagePtr last;
    for (const char* text : {"one", "two", "three"}) {
        last = std::make_shared<const Message>(Message{Message::Type::kText, text});
        events.push_back(ChannelEvent{SteadyClock::now(), 1, MessageReceived{last}});
    }
    view.onEvents(events);
    imgui.frame(view, openStatus(), last);
    imgui.frame(view, openStatus(), last);  // The same message: no change.
    CHECK(view.received() == 3);
    CHECK(view.shown() == 1);  // "one" and "two" never reached the screen.
}

TEST_CASE("while a reconnect is due the panel says when and still takes messages", "[chat_view]") {
    HeadlessImGui imgui;
    ChatView view;
    DrawnText drawn;
    ChannelStatus lost;
    lost.state = ReadyState::kClosed;
    lost.url = "ws://127.0.0.1:1/";
    lost.closeCode = CloseCode::kAbnormal;
    view.onEvents({ChannelEvent{SteadyClock::now(), 1, StateChanged{lost}},
                   ChannelEvent{SteadyClock::now(), 1, ReconnectScheduled{2, 1300ms}}});
    CHECK(view.reconnectDue());
    const std::string shown = drawn.of(view, lost, nullptr);
    CHECK(shown.find("Connection lost: code 1006 (no close frame)") != std::string::npos);
    CHECK(shown.find("reconnecting in 1.3 s (attempt 2)") != std::string::npos);

    imgui.frame(view, lost);  // SetKeyboardFocusHere takes effect over two frames.
    ImGui::GetIO().AddInputCharactersUTF8("queued");
    imgui.frame(view, lost);
    ImGui::GetIO().KeysDown[kEnterKey] = true;
    const auto sent = imgui.frame(view, lost);
    ImGui::GetIO().KeysDown[kEnterKey] = false;
    REQUIRE(sent);
    CHECK(*sent == "queued");

    SECTION("the next attempt clears the note") {
        ChannelStatus connecting;
        connecting.state = ReadyState::kConnecting;
        view.onEvents({ChannelEvent{SteadyClock::now(), 2, StateChanged{connecting}}});
        CHECK_FALSE(view.reconnectDue());
    }
}
