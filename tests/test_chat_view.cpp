// The window's panel, driven through a headless Dear ImGui context: no window, no GL.
#include <catch2/catch.hpp>

#include <imgui.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chat_view.h"

using namespace wsdemo;

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
    ChatView view("ws://127.0.0.1:1/");
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
    ChatView view("ws://127.0.0.1:1/");
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

// A draw list holds at most 64K vertices (16-bit indices): a 20 KB text drawn whole aborted
// Dear ImGui. The preview keeps any message within that.
TEST_CASE("the panel draws a latest message of any size or kind", "[chat_view]") {
    HeadlessImGui imgui;
    ChatView view("ws://127.0.0.1:1/");
    const auto text = std::make_shared<const Message>(
        Message{Message::Type::kText, std::string(1u << 20, 'x') + "\xe2\x9c\x93"});
    const auto binary =
        std::make_shared<const Message>(Message{Message::Type::kBinary, std::string(1000, '\0')});
    for (const MessagePtr& latest : {MessagePtr(), text, binary})
        imgui.frame(view, openStatus(), latest);
    SUCCEED("drew a 1 MiB text, a binary message and no message");
}

TEST_CASE("messages replaced before a frame showed them are counted", "[chat_view]") {
    HeadlessImGui imgui;
    ChatView view("ws://127.0.0.1:1/");
    std::vector<ChannelEvent> events;
    for (const char* text : {"one", "two", "three"}) {
        events.push_back(ChannelEvent{
            SteadyClock::now(), 1,
            MessageReceived{std::make_shared<const Message>(Message{Message::Type::kText, text})}});
    }
    view.onEvents(events);
    const MessagePtr last = std::get<MessageReceived>(events.back().what).message;
    imgui.frame(view, openStatus(), last);
    imgui.frame(view, openStatus(), last);  // The same message: no change.
    CHECK(view.received() == 3);
    CHECK(view.shown() == 1);  // "one" and "two" never reached the screen.
}
