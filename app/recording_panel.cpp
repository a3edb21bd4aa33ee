#include "recording_panel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <array>
#include <chrono>
#include <cstdlib>

#include "font_roles.h"
#include "fonts.h"
#include "local_time.h"
#include "theme.h"
#include "widget_map.h"
#include "wsdemo/text.h"

namespace wsdemo {

namespace {

constexpr std::size_t kProblemsShown = 5;
constexpr std::size_t kCellBytes = 80;

ImVec4 verdictColor(ReplyVerdict verdict, Theme theme) {
    const bool dark = theme == Theme::kDark;
    switch (verdict) {
        case ReplyVerdict::kSame:
            return dark ? ImVec4(0.40f, 0.85f, 0.40f, 1) : ImVec4(0.10f, 0.50f, 0.10f, 1);
        case ReplyVerdict::kDifferent:
            return dark ? ImVec4(1.00f, 0.65f, 0.20f, 1) : ImVec4(0.75f, 0.40f, 0.00f, 1);
        case ReplyVerdict::kMissing:
        case ReplyVerdict::kExtra:
            break;
    }
    return warningColor(theme);
}

// A message in one table cell: a text's first line, a binary's first bytes in hex.
std::string cellText(const MessagePtr& message) {
    if (!message) return "";
    if (message->type == Message::Type::kBinary)
        return "[binary " + std::to_string(message->data.size()) + " bytes] " +
               toHex(std::string_view(message->data).substr(0, 16), " ");
    const std::string_view text = message->data;
    const std::string_view line = text.substr(0, text.find_first_of("\r\n"));
    std::string cell(utf8Prefix(line, kCellBytes));
    if (cell.size() < text.size()) cell += " ...";
    return cell;
}

void drawCell(const MessagePtr& message) {
    std::string scratch;
    const std::string cell = cellText(message);
    const std::string_view drawn = drawableText(cell, scratch);
    ImGui::TextUnformatted(drawn.data(), drawn.data() + drawn.size());
}

std::string summaryLine(const std::vector<ComparedReply>& comparison) {
    std::array<std::size_t, 4> counts{};
    for (const ComparedReply& reply : comparison) ++counts[static_cast<std::size_t>(reply.verdict)];
    return std::to_string(counts[0]) + " same, " + std::to_string(counts[1]) + " different, " +
           std::to_string(counts[2]) + " missing, " + std::to_string(counts[3]) + " extra";
}

bool inputPath(const char* label, std::string& path) {
    ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 6);
    const bool entered = ImGui::InputText(
        label, &path, ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll);
    noteItem(label);
    return entered;
}

// Dear ImGui 1.86 has no SeparatorText.
void section(const char* title) {
    ImGui::Spacing();
    ImGui::TextDisabled("%s", title);
    ImGui::Separator();
}

bool button(const char* label, bool enabled = true) {
    ImGui::BeginDisabled(!enabled);
    const bool pressed = ImGui::Button(label);
    noteItem(label);
    ImGui::EndDisabled();
    return pressed;
}

}  // namespace

std::string defaultRecordingPath() {
    const std::string name = "wsdemo-" + fileNameStamp(std::chrono::system_clock::now()) + ".jsonl";
    const char* home = std::getenv("HOME");
    return home && *home ? std::string(home) + "/" + name : name;
}

void RecordingPanel::onShown(const ShownRecording& shown) {
    replayUrl_ = shown.script ? shown.script->request.url : "";
}

void RecordingPanel::setStatus(std::string status, bool failed) {
    status_ = std::move(status);
    failed_ = failed;
}

std::optional<RecordingRequest> RecordingPanel::draw(RecordingSession& session, Theme theme) {
    if (savePath_.empty()) savePath_ = defaultRecordingPath();
    std::optional<RecordingRequest> request;
    drawSave(request);
    drawOpen(request);
    if (!status_.empty()) {
        ImGui::PushTextWrapPos(0.0f);
        if (failed_)
            ImGui::TextColored(warningColor(theme), "%s", status_.c_str());
        else
            ImGui::TextUnformatted(status_.c_str());
        ImGui::PopTextWrapPos();
        WidgetMap::current().noteValue("record status", status_);
    }
    drawReplay(session, theme, request);
    if (Replay* replay = session.replay()) drawComparison(replay->run, theme);
    return request;
}

void RecordingPanel::drawSave(std::optional<RecordingRequest>& request) {
    section("Save");
    bool save = inputPath("Save to", savePath_);
    ImGui::RadioButton("This connection", &scope_, 0);
    noteItem("This connection");
    ImGui::SameLine();
    ImGui::RadioButton("Every connection since start", &scope_, 1);
    noteItem("Every connection since start");
    save |= button("Save log", !savePath_.empty());
    ImGui::SameLine();
    const bool har = formatForPath(savePath_) == RecordingFormat::kHar;
    ImGui::TextDisabled(har ? "as HAR 1.2" : "as JSON Lines (.har for HAR)");
    WidgetMap::current().noteValue("save format", har ? "HAR" : "JSON Lines");
    if (save && !savePath_.empty())
        request = SaveRecordingAction{savePath_, static_cast<SaveRecordingAction::Scope>(scope_)};
}

void RecordingPanel::drawOpen(std::optional<RecordingRequest>& request) {
    section("Open");
    bool open = inputPath("File", openPath_);
    ImGui::SameLine();
    open |= button("Open", !openPath_.empty());
    if (open && !openPath_.empty()) request = OpenRecordingAction{openPath_};
}

void RecordingPanel::drawReplay(RecordingSession& session, Theme theme,
                                std::optional<RecordingRequest>& request) {
    section("Replay");
    const ShownRecording* shown = session.shown();
    if (!shown || !shown->script) {
        ImGui::TextDisabled(shown ? "The recording sent nothing." : "Open a recording first.");
        return;
    }
    ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 6);
    ImGui::InputTextWithHint("To URL", "ws://...", &replayUrl_, ImGuiInputTextFlags_AutoSelectAll);
    noteItem("To URL");
    drawPaceCombo();
    std::string paceText = pace_ == 0 ? "recorded" : pace_ == 1 ? "fast" : factor_;
    if (pace_ == 2) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 4);
        ImGui::InputText("times as fast", &factor_);
        noteItem("times as fast");
        paceText = factor_;
    }
    const auto pace = parsePace(paceText);
    if (const auto* error = std::get_if<std::string>(&pace))
        ImGui::TextColored(warningColor(theme), "%s", error->c_str());

    const Replay* replay = session.replay();
    const bool running = replay && replay->ended.empty() && !replay->over;
    const bool stepping = running && replay->run.stepwise();
    const bool ready = !replayUrl_.empty() && std::holds_alternative<ReplayPace>(pace);
    const auto ask = [&](ReplayRequest::Kind kind) {
        request = ReplayRequest{kind, replayUrl_, std::get<ReplayPace>(pace)};
    };
    if (button("Replay", ready && !running)) ask(ReplayRequest::Kind::kStart);
    ImGui::SameLine();
    if (button("Step",
               ready && (!running || (stepping && replay->run.sent() < replay->run.total()))))
        ask(ReplayRequest::Kind::kStep);
    ImGui::SameLine();
    if (button("Stop", running)) request = ReplayRequest{ReplayRequest::Kind::kStop, {}, {}};
    if (replay) drawProgress(*replay);
}

void RecordingPanel::drawPaceCombo() {
    static constexpr const char* kPaces[] = {"Recorded", "Fast", "Scaled"};
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
    const bool open = ImGui::BeginCombo("Pace", kPaces[pace_]);
    noteItem("Pace");
    if (!open) return;
    for (int i = 0; i < 3; ++i) {
        if (ImGui::Selectable(kPaces[i], pace_ == i)) pace_ = i;
        noteItem(kPaces[i]);
    }
    ImGui::EndCombo();
}

void RecordingPanel::drawProgress(const Replay& replay) {
    const ReplayRun& run = replay.run;
    std::string progress = std::to_string(run.sent()) + " of " + std::to_string(run.total()) +
                           " sent, " + std::to_string(run.received()) +
                           (run.received() == 1 ? " reply" : " replies");
    if (!replay.ended.empty())
        progress += " (" + replay.ended + ")";
    else if (replay.over)
        progress += ", done";
    else if (!replay.connection)
        progress += ", connecting";
    ImGui::TextUnformatted(progress.c_str());
    WidgetMap::current().noteValue("replay progress", progress);
}

void RecordingPanel::drawComparison(ReplayRun& run, Theme theme) {
    const std::vector<ComparedReply>& comparison = run.comparison();
    const std::string summary = summaryLine(comparison);
    section("Comparison");
    ImGui::TextUnformatted(summary.c_str());
    WidgetMap::current().noteValue("comparison", summary);
    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                  ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable;
    ImGui::PushFont(monospaceFont());
    if (ImGui::BeginTable("Comparison", 3, flags)) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Verdict", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn("Recorded");
        ImGui::TableSetupColumn("Now");
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(comparison.size()));
        while (clipper.Step()) {
            for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
                const ComparedReply& reply = comparison[static_cast<std::size_t>(row)];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextColored(verdictColor(reply.verdict, theme), "%s",
                                   toString(reply.verdict));
                WidgetMap::current().noteValue("comparison " + std::to_string(row),
                                               toString(reply.verdict));
                ImGui::TableNextColumn();
                drawCell(reply.recorded);
                ImGui::TableNextColumn();
                drawCell(reply.now);
            }
        }
        ImGui::EndTable();
    }
    ImGui::PopFont();
}

bool drawShownBanner(const ShownRecording& shown, Theme theme) {
    const std::string banner = "Viewing " + shown.path +
                               " (read-only): " + std::to_string(shown.events) + " events, " +
                               std::to_string(shown.problems.size()) + " problems";
    const bool back = button("Back to live");
    ImGui::SameLine();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(banner.c_str());
    WidgetMap::current().noteValue("viewing", banner);
    const std::size_t listed = std::min(shown.problems.size(), kProblemsShown);
    for (std::size_t i = 0; i < listed; ++i)
        ImGui::TextColored(warningColor(theme), "%s", shown.problems[i].c_str());
    if (shown.problems.size() > listed)
        ImGui::TextDisabled("and %zu more", shown.problems.size() - listed);
    ImGui::PopTextWrapPos();
    return back;
}

}  // namespace wsdemo
