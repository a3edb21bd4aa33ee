// The Record tab in a headless Dear ImGui context, driven by label as a person would: Save and
// Open ask for actions, Replay, Step and Stop for a replay of the recording shown, and the
// comparison lists each reply with its verdict.
#include <catch2/catch.hpp>

#include <imgui.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "recording_panel.h"
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

// A connection to ws://h/ that sent "a" and received "A".
RecordingRead recording() {
    RecordingRead read;
    const auto now = WallClock::now();
    RecordedEvent open = recordedEvent(now, 1, RecordedKind::kOpen, RecordedDirection::kSend);
    auto connection = std::make_shared<RecordedConnection>();
    connection->url = "ws://h/";
    open.opened = connection;
    read.events = {open, recordedMessage(now, 1, RecordedDirection::kSend, textMessage("a")),
                   recordedMessage(now, 1, RecordedDirection::kReceive, textMessage("A"))};
    return read;
}

struct RecordScreen {
    HeadlessImGui imgui;
    RecordingSession session{RecordingLimits{}};
    RecordingPanel panel;
    std::vector<RecordingRequest> requests;

    RecordScreen() { frame(); }
    const std::function<void()> draw = [this] {
        HeadlessImGui::panelWindow("record", [&] {
            if (auto request = panel.draw(session, Theme::kDark)) requests.push_back(*request);
        });
    };
    void frame() { imgui.frame(draw); }
    void click(const std::string& label) { imgui.click(label, draw); }
    bool shows(const std::string& label) const { return imgui.widgets().items().count(label) == 1; }
    std::string value(const std::string& name) const {
        const auto& values = imgui.widgets().values();
        const auto found = values.find(name);
        return found == values.end() ? "" : found->second;
    }
    // Replaces the text of the input noted as `label`, as Ctrl+A and typing do.
    void retype(const std::string& label, const std::string& typed) {
        click(label);
        imgui.press(ImGuiKey_A, false, true);
        frame();
        imgui.type(typed);
        frame();
        frame();
    }
    void showRecording() {
        session.show("rec.jsonl", recording());
        panel.onShown(*session.shown());
        frame();
    }
    template <typename T>
    const T& last() const {
        REQUIRE_FALSE(requests.empty());
        const T* request = std::get_if<T>(&requests.back());
        REQUIRE(request);
        return *request;
    }
};

}  // namespace

TEST_CASE("Save writes to the typed path, in the format its name says, with the chosen scope",
          "[record]") {
    RecordScreen screen;
    const char* home = std::getenv("HOME");
    REQUIRE(home);
    CHECK(screen.value("save format") == "JSON Lines");
    screen.retype("Save to", "/tmp/session.har");
    CHECK(screen.value("save format") == "HAR");
    screen.click("Save log");
    CHECK(screen.last<SaveRecordingAction>().path == "/tmp/session.har");
    CHECK(screen.last<SaveRecordingAction>().scope == SaveRecordingAction::Scope::kThisConnection);
    screen.click("Every connection since start");
    screen.click("Save log");
    CHECK(screen.last<SaveRecordingAction>().scope == SaveRecordingAction::Scope::kEveryConnection);
}

TEST_CASE("the default save path is a timestamped file in the home folder", "[record]") {
    const std::string path = defaultRecordingPath();
    CHECK(path.rfind(std::string(std::getenv("HOME")) + "/wsdemo-", 0) == 0);
    CHECK(path.size() == std::string(std::getenv("HOME")).size() + 29);  // /wsdemo-...jsonl
    CHECK(path.substr(path.size() - 6) == ".jsonl");
}

TEST_CASE("Open asks for the typed file, the outcome shows under it", "[record]") {
    RecordScreen screen;
    screen.retype("File", "/tmp/in.jsonl");
    screen.click("Open");
    CHECK(screen.last<OpenRecordingAction>().path == "/tmp/in.jsonl");
    screen.panel.setStatus("Not opened: /tmp/in.jsonl: No such file", true);
    screen.frame();
    CHECK(screen.value("record status") == "Not opened: /tmp/in.jsonl: No such file");
}

TEST_CASE("Replay, Step and Stop ask for a replay of the shown recording", "[record]") {
    RecordScreen screen;
    CHECK_FALSE(screen.shows("Replay"));
    screen.showRecording();
    REQUIRE(screen.shows("Replay"));

    SECTION("Replay to the recorded URL at the recorded pace") {
        screen.click("Replay");
        const auto& request = screen.last<ReplayRequest>();
        CHECK(request.kind == ReplayRequest::Kind::kStart);
        CHECK(request.url == "ws://h/");
        CHECK(request.pace.kind == ReplayPace::Kind::kRecorded);
    }
    SECTION("Step, ten times as fast, to another URL") {
        screen.retype("To URL", "ws://other/");
        screen.click("Pace");
        screen.frame();  // The combo's list appears.
        screen.click("Scaled");
        screen.click("Step");
        const auto& request = screen.last<ReplayRequest>();
        CHECK(request.kind == ReplayRequest::Kind::kStep);
        CHECK(request.url == "ws://other/");
        CHECK(request.pace.kind == ReplayPace::Kind::kScaled);
        CHECK(request.pace.factor == 10.0);
    }
    SECTION("Stop while a replay runs") {
        screen.click("Stop");  // Disabled: nothing runs.
        CHECK(screen.requests.empty());
        screen.session.startReplay("ws://h/", ReplayPace{}, false, ConnectOptions{});
        screen.frame();
        screen.click("Stop");
        CHECK(screen.last<ReplayRequest>().kind == ReplayRequest::Kind::kStop);
    }
}

TEST_CASE("the comparison lists each reply with its verdict, and a summary", "[record]") {
    RecordScreen screen;
    screen.showRecording();
    screen.session.startReplay("ws://h/", ReplayPace{ReplayPace::Kind::kFast, 1.0}, false, {});
    const auto now = SteadyClock::now();
    ChannelStatus open;
    open.state = ReadyState::kOpen;
    screen.session.onEvent({now, 1, StateChanged{open}}, WallClock::now());
    CHECK(screen.session.takeDue(now));
    screen.session.onStepSendResults({SendResult::kQueued});  // The channel took it.
    screen.session.onEvent({now, 1, MessageReceived{textMessage("A")}}, WallClock::now());
    screen.session.onEvent({now, 1, MessageReceived{textMessage("more")}}, WallClock::now());
    screen.frame();
    CHECK(screen.value("comparison") == "1 same, 0 different, 0 missing, 1 extra");
    CHECK(screen.value("comparison 0") == "same");
    CHECK(screen.value("comparison 1") == "extra");
    CHECK(screen.value("replay progress") == "1 of 1 sent, 2 replies");
}
