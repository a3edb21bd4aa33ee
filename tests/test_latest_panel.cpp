// The latest-message panel in a headless Dear ImGui context: what it draws, read back through
// Dear ImGui's own text logging, and how many messages it showed.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "latest_panel.h"
#include "support/headless_imgui.h"
#include "support/messages.h"

using namespace wsdemo;
using wsdemo::test::HeadlessImGui;

namespace {

struct LatestScreen {
    HeadlessImGui imgui;
    LatestPanel panel;
    std::string logged;  // The text of the last frame, as LogToClipboard hands it over.

    LatestScreen() {
        ImGui::GetIO().SetClipboardTextFn = [](void* user, const char* text) {
            *static_cast<std::string*>(user) = text;
        };
        ImGui::GetIO().ClipboardUserData = &logged;
    }
    std::string drawn(const MessagePtr& latest, std::uint64_t received) {
        logged.clear();
        imgui.frame([&] {
            HeadlessImGui::panelWindow("latest", [&] {
                ImGui::LogToClipboard();
                panel.draw(latest, received);
                ImGui::LogFinish();
            });
        });
        return logged;
    }
};

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a long text is previewed up to 4 KiB, whole characters only", "[latest_panel]") {
    LatestScreen screen;
    // A 3-byte character straddles the 4 KiB mark: the preview stops before it.
    const std::string data = std::string(LatestPanel::kPreviewBytes - 1, 'x') + "\xe2\x9c\x93" +
                             std::string(1u << 20, 'y');
    const auto latest = test::textMessage(data);
    const std::string shown = screen.drawn(latest, 1);
    const std::string preview(LatestPanel::kPreviewBytes - 1, 'x');
    CHECK(contains(shown, preview));
    CHECK_FALSE(contains(shown, preview + "x"));
    CHECK_FALSE(contains(shown, "\xe2\x9c\x93"));
    CHECK_FALSE(contains(shown, "yy"));
    CHECK(contains(shown, "(the first 4095 of " + std::to_string(data.size()) + " bytes)"));
    const ImDrawData* drawData = ImGui::GetDrawData();
    for (int i = 0; i < drawData->CmdListsCount; ++i)
        CHECK(drawData->CmdLists[i]->VtxBuffer.Size < (1 << 16));
    CHECK(latest->data == data);

    SECTION("a short text is shown whole, with no size note") {
        const std::string hello = screen.drawn(test::textMessage("h\xc3\xa9llo"), 2);
        CHECK(contains(hello, "h\xc3\xa9llo"));
        CHECK_FALSE(contains(hello, "the first"));
    }
}

TEST_CASE("binary shows its size and the hex of its first 256 bytes", "[latest_panel]") {
    LatestScreen screen;
    const std::string shown = screen.drawn(test::binaryMessage(std::string(1000, '\xab')), 1);
    std::string hex = "ab";
    for (int i = 1; i < 256; ++i) hex += " ab";
    CHECK(contains(shown, "binary, 1000 bytes"));
    CHECK(contains(shown, hex + " ..."));
    CHECK_FALSE(contains(shown, hex + " ab"));
}

TEST_CASE("the latest panel counts messages replaced before a frame showed them",
          "[latest_panel]") {
    LatestScreen screen;
    CHECK(contains(screen.drawn(nullptr, 0), "Messages received: 0"));
    CHECK(screen.panel.shown() == 0);
    const auto third = test::textMessage("three");
    CHECK(contains(screen.drawn(third, 3),
                   "Messages received: 3 (2 replaced before a frame could show them)"));
    screen.drawn(third, 3);  // The same message again: not shown twice.
    CHECK(screen.panel.shown() == 1);
    CHECK(contains(screen.drawn(test::textMessage("four"), 4),
                   "Messages received: 4 (2 replaced before a frame could show them)"));
}

TEST_CASE("the preview keeps a fixed height whatever the message", "[latest_panel]") {
    LatestScreen screen;
    screen.drawn(test::textMessage("one line"), 1);
    const float shortHeight = screen.imgui.widgets().items().at("Latest message").height;
    screen.drawn(test::textMessage(std::string(3000, 'w') + "\n\n\n\n\n\n\nz"), 2);
    CHECK(screen.imgui.widgets().items().at("Latest message").height == shortHeight);
    CHECK(shortHeight < 6 * ImGui::GetTextLineHeightWithSpacing() + 20);
}
