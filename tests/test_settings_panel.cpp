// The settings panel driven as a person would, in a headless Dear ImGui context: click an input
// by its label, type, and see what the settings became and what the panel says.
#include <catch2/catch.hpp>

#include <imgui.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <optional>
#include <string>

#include "settings_panel.h"
#include "support/headless_imgui.h"

using namespace wsdemo;
using namespace std::chrono_literals;

namespace {

class PanelDriver {
public:
    // A window's first frame lays out its table before it knows the column widths: where the
    // widgets are is known after the second.
    PanelDriver() {
        frame();
        frame();
    }
    void frame() { imgui_.frame(draw_); }
    void click(const std::string& label) { imgui_.click(label, draw_); }
    // Clicks into the input, selects what it holds, types `text` over it; changed() then
    // tells what that typing did.
    void typeInto(const std::string& label, const std::string& text) {
        frame();
        click(label);
        imgui_.press(ImGuiKey_A, false, true);
        frame();
        changed_ = false;
        imgui_.type(text);
        frame();
    }
    // Whether draw() returned true in any frame since the last typeInto().
    bool changed() const { return changed_; }
    std::string value(const std::string& name) const {
        const auto& values = imgui_.widgets().values();
        const auto found = values.find(name);
        return found == values.end() ? "" : found->second;
    }

    Settings settings;
    std::optional<ConnectOptions> inUse;

private:
    test::HeadlessImGui imgui_{ImVec2(960, 1000)};
    SettingsPanel panel_;
    bool changed_ = false;
    const std::function<void()> draw_ = [this] {
        test::HeadlessImGui::panelWindow(
            "Settings test", [&] { changed_ |= panel_.draw(settings, inUse ? &*inUse : nullptr); });
    };
};

}  // namespace

TEST_CASE("an invalid header shows why and leaves the settings as they were", "[settings_panel]") {
    PanelDriver panel;
    panel.settings.connect.headers = {{"X-Kept", "1"}};
    panel.typeInto("Headers", "Host: evil.example");
    CHECK_FALSE(panel.changed());
    CHECK(panel.value("Headers error").find("line 1: ") == 0);
    CHECK(panel.value("Headers error").find("Host") != std::string::npos);
    REQUIRE(panel.settings.connect.headers.size() == 1);
    CHECK(panel.settings.connect.headers[0].name == "X-Kept");

    SECTION("the error stays while the text does") {
        panel.frame();
        CHECK_FALSE(panel.value("Headers error").empty());
    }
}

TEST_CASE("valid headers, one a line, apply as typed and draw returns true", "[settings_panel]") {
    PanelDriver panel;
    panel.typeInto("Headers", "X-Token: abc\n\nX-Trace:  42 ");
    CHECK(panel.changed());
    CHECK(panel.value("Headers error") == "");
    const auto& headers = panel.settings.connect.headers;
    REQUIRE(headers.size() == 2);
    CHECK(headers[0].name == "X-Token");
    CHECK(headers[0].value == "abc");
    CHECK(headers[1].name == "X-Trace");
    CHECK(headers[1].value == "42");
}

TEST_CASE("subprotocols are comma-separated, each checked", "[settings_panel]") {
    PanelDriver panel;
    panel.typeInto("Subprotocols", "chat, two words");
    CHECK_FALSE(panel.changed());
    CHECK(panel.value("Subprotocols error").find("'two words'") != std::string::npos);
    CHECK(panel.settings.connect.subprotocols.empty());

    panel.typeInto("Subprotocols", "chat, superchat.v2");
    CHECK(panel.changed());
    CHECK(panel.value("Subprotocols error") == "");
    CHECK(panel.settings.connect.subprotocols == std::vector<std::string>{"chat", "superchat.v2"});
}

TEST_CASE("numbers out of range are refused with the range", "[settings_panel]") {
    PanelDriver panel;
    panel.typeInto("Connect timeout", "0");
    CHECK_FALSE(panel.changed());
    CHECK(panel.value("Connect timeout error") == "must be from 1 to 3600000 ms");
    CHECK(panel.settings.connect.connectTimeout == 10000ms);

    panel.typeInto("Connect timeout", "2500");
    CHECK(panel.changed());
    CHECK(panel.value("Connect timeout error") == "");
    CHECK(panel.settings.connect.connectTimeout == 2500ms);

    SECTION("a reconnect min delay above the max delay") {
        panel.typeInto("Min delay", "40000");
        CHECK_FALSE(panel.changed());
        CHECK(panel.value("Min delay error") == "must not be above the max delay (30000 ms)");
        CHECK(panel.settings.connect.reconnect.minDelay == 500ms);
    }
    SECTION("log size in MiB") {
        panel.typeInto("Log size", "64");
        CHECK(panel.changed());
        CHECK(panel.settings.log.maxBytes == 64u << 20);
    }
}

TEST_CASE("a TLS file that cannot be read shows why and is not applied", "[settings_panel]") {
    PanelDriver panel;
    panel.typeInto("CA file", "/nonexistent/ca.pem");
    CHECK_FALSE(panel.changed());
    CHECK(panel.value("CA file error") == "cannot read it: No such file or directory");
    CHECK(panel.settings.connect.tls.caFile == "");

    char path[] = "/tmp/wsdemo-ca-XXXXXX";
    const int file = ::mkstemp(path);
    REQUIRE(file >= 0);
    ::close(file);
    panel.typeInto("CA file", path);
    ::unlink(path);
    CHECK(panel.changed());
    CHECK(panel.value("CA file error") == "");
    CHECK(panel.settings.connect.tls.caFile == path);
}

TEST_CASE("verification switches off in the connection in use are shown red", "[settings_panel]") {
    PanelDriver panel;
    panel.settings.connect.tls.verifyCertificate = false;  // Off in the settings alone.
    panel.frame();
    CHECK(panel.value("unsafe in use") == "");

    panel.inUse = ConnectOptions{};
    panel.frame();
    CHECK(panel.value("unsafe in use") == "");

    panel.inUse->tls.verifyCertificate = false;
    panel.frame();
    CHECK(panel.value("unsafe in use") == "verify certificate");

    panel.inUse->tls.verifyHostname = false;
    panel.frame();
    CHECK(panel.value("unsafe in use") == "verify certificate, verify hostname");
}

TEST_CASE("pings left unanswered by the connection in use are shown red", "[settings_panel]") {
    PanelDriver panel;
    panel.settings.connect.autoPong = false;  // Off in the settings alone.
    panel.inUse = ConnectOptions{};
    panel.frame();
    CHECK(panel.value("unsafe in use") == "");

    panel.inUse->autoPong = false;
    panel.frame();
    CHECK(panel.value("unsafe in use") == "answer pings");
}

TEST_CASE("clicking a switch or a theme changes the settings", "[settings_panel]") {
    PanelDriver panel;
    panel.frame();
    SECTION("Verify hostname") {
        panel.click("Verify hostname");
        CHECK(panel.changed());
        CHECK_FALSE(panel.settings.connect.tls.verifyHostname);
    }
    SECTION("Answer pings") {
        panel.click("Answer pings");
        CHECK(panel.changed());
        CHECK_FALSE(panel.settings.connect.autoPong);
    }
    SECTION("Compression") {
        panel.click("Compression");
        CHECK(panel.changed());
        CHECK_FALSE(panel.settings.connect.compression);
    }
    SECTION("Light") {
        panel.click("Light");
        CHECK(panel.changed());
        CHECK(panel.settings.theme == Theme::kLight);
    }
}

TEST_CASE("nothing changes and draw returns false while nobody touches it", "[settings_panel]") {
    PanelDriver panel;
    panel.settings = Settings{};
    for (int frame = 0; frame < 3; ++frame) panel.frame();
    CHECK_FALSE(panel.changed());
}
