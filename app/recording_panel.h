// Record: save what was recorded, open a recording file, replay it to a server, and compare what
// the server answered now with what it answered then. Draws the side tab and the banner over a
// recording shown in the log; what it asks for comes back as requests, carried out elsewhere.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "actions.h"
#include "recording_session.h"
#include "settings.h"
#include "wsdemo/replay.h"

namespace wsdemo {

struct ReplayRequest {
    enum class Kind { kStart, kStep, kStop };
    Kind kind = Kind::kStart;
    std::string url;
    ReplayPace pace;
};
using RecordingRequest = std::variant<SaveRecordingAction, OpenRecordingAction, ReplayRequest>;

// "$HOME/wsdemo-20250101-120000.jsonl", now in local time.
std::string defaultRecordingPath();

class RecordingPanel {
public:
    std::optional<RecordingRequest> draw(RecordingSession& session, Theme theme);
    // A recording is shown: Replay goes to its recorded URL unless the user types another.
    void onShown(const ShownRecording& shown);
    // The outcome of the last Save or Open, shown under them.
    void setStatus(std::string status, bool failed);

private:
    void drawSave(std::optional<RecordingRequest>& request);
    void drawOpen(std::optional<RecordingRequest>& request);
    void drawReplay(RecordingSession& session, Theme theme,
                    std::optional<RecordingRequest>& request);
    void drawPaceCombo();
    void drawProgress(const Replay& replay);
    static void drawComparison(ReplayRun& run, Theme theme);

    std::string savePath_;  // Set when the tab first opens.
    int scope_ = 0;         // SaveRecordingAction::Scope.
    std::string openPath_;
    std::string replayUrl_;
    int pace_ = 0;  // ReplayPace::Kind.
    std::string factor_ = "10";
    std::string status_;
    bool failed_ = false;
};

// The banner over a recording shown in the log: the file, its counts and problems, and "Back to
// live". True when that was pressed.
bool drawShownBanner(const ShownRecording& shown, Theme theme);

}  // namespace wsdemo
