#include "log_panel.h"
#include "fonts.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "font_roles.h"
#include "layout.h"
#include "local_time.h"
#include "widget_map.h"
#include "wsdemo/text.h"

namespace wsdemo {

namespace {

constexpr const char* kTimedDirection = "out\u00b7timed";  // U+00B7 is baked (fonts.cpp).

float checkboxWidth(const char* label) {
    return ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
           ImGui::CalcTextSize(label).x;
}

float buttonWidth(const char* label) {
    return ImGui::CalcTextSize(label).x + 2 * ImGui::GetStyle().FramePadding.x;
}

// What the toolbar holds after the filter input: its label, three checkboxes, two buttons.
float toolbarWidthAfterFilter() {
    const ImGuiStyle& style = ImGui::GetStyle();
    return style.ItemInnerSpacing.x + ImGui::CalcTextSize("Filter").x + checkboxWidth("In") +
           checkboxWidth("Out") + checkboxWidth("Events") + buttonWidth("Clear") +
           buttonWidth("Copy") + 5 * style.ItemSpacing.x;
}

}  // namespace

bool LogFilter::matches(const LogEntry& entry) const {
    const bool shownKind = entry.kind != LogKind::kMessage        ? events
                           : entry.direction == LogDirection::kIn ? in
                                                                  : out;
    if (!shownKind) return false;
    if (text.empty()) return true;
    if (entry.type == LogType::kBinary) return entry.summary().find(text) != std::string::npos;
    return entry.text().find(text) != std::string_view::npos;
}

void LogPanel::clear(MessageLog& log) {
    log.clear();
    matching_.clear();
    selected_.reset();
}

std::size_t LogPanel::sync(const MessageLog& log) {
    const uint64_t oldest = log.size() ? log.entry(0).seq : log.nextSeq();
    std::size_t evicted = 0;
    for (; !matching_.empty() && matching_.front() < oldest; ++evicted) matching_.pop_front();
    for (uint64_t seq = std::max(examinedUpTo_, oldest); seq < log.nextSeq(); ++seq)
        if (filter_.matches(log.entry(static_cast<std::size_t>(seq - oldest))))
            matching_.push_back(seq);
    examinedUpTo_ = log.nextSeq();
    if (selected_ && !log.findBySeq(*selected_)) selected_.reset();
    return evicted;
}

void LogPanel::rebuild(const MessageLog& log) {
    matching_.clear();
    examinedUpTo_ = 0;
    sync(log);
}

void LogPanel::draw(MessageLog& log) {
    const std::size_t evictedShown = sync(log);
    drawToolbar(log);
    drawTable(log, evictedShown);
    WidgetMap::current().noteValue("log rows", std::to_string(matching_.size()));
    WidgetMap::current().noteValue("log dropped", std::to_string(log.droppedRows()));
}

void LogPanel::drawToolbar(MessageLog& log) {
    bool changed = false;
    // The filter gives up width first; in a log narrower still, the rest wraps.
    const float font = ImGui::GetFontSize();
    ImGui::SetNextItemWidth(std::clamp(ImGui::GetContentRegionAvail().x - toolbarWidthAfterFilter(),
                                       font * 5, font * 12));
    changed |= ImGui::InputTextWithHint("Filter", "substring", &filter_.text);
    noteItem("Filter");
    const auto toggle = [&](const char* label, bool& value) {
        sameLineIfRoomFor(checkboxWidth(label));
        changed |= ImGui::Checkbox(label, &value);
        noteItem(label);
    };
    toggle("In", filter_.in);
    toggle("Out", filter_.out);
    toggle("Events", filter_.events);
    if (changed) rebuild(log);

    sameLineIfRoomFor(buttonWidth("Clear"));
    if (ImGui::Button("Clear")) clear(log);
    noteItem("Clear");
    sameLineIfRoomFor(buttonWidth("Copy"));
    ImGui::BeginDisabled(!selected_);
    if (ImGui::Button("Copy")) copySelected(log);
    noteItem("Copy");
    ImGui::EndDisabled();
    if (const uint64_t dropped = log.droppedRows()) {
        ImGui::SameLine();
        ImGui::TextDisabled("%llu %s dropped", static_cast<unsigned long long>(dropped),
                            dropped == 1 ? "row" : "rows");
    }
}

void LogPanel::copySelected(const MessageLog& log) const {
    const LogEntry* entry = selected_ ? log.findBySeq(*selected_) : nullptr;
    if (!entry) return;
    const std::string data = entry->type == LogType::kBinary ? toHex(entry->message->data, " ")
                                                             : std::string(entry->text());
    ImGui::SetClipboardText(data.c_str());
}

void LogPanel::drawTable(const MessageLog& log, std::size_t evictedShown) {
    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                  ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable |
                                  ImGuiTableFlags_SizingFixedFit;
    const float height =
        std::max(ImGui::GetContentRegionAvail().y, ImGui::GetTextLineHeightWithSpacing() * 4);
    ImGui::PushFont(monospaceFont());
    if (!ImGui::BeginTable("Log", 5, flags, ImVec2(0, height))) {
        ImGui::PopFont();
        return;
    }
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Time");
    // Wide enough from the start for the rows of timed sends, which may come later.
    ImGui::TableSetupColumn("Dir", 0, ImGui::CalcTextSize(kTimedDirection).x);
    ImGui::TableSetupColumn("Type");
    ImGui::TableSetupColumn("Size");
    ImGui::TableSetupColumn("Summary", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();

    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(matching_.size()));
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const uint64_t seq = matching_[static_cast<std::size_t>(row)];
            const LogEntry& entry = *log.findBySeq(seq);
            const std::string id = std::to_string(seq);
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const std::string time = timeOfDay(entry.wallTime);
            if (ImGui::Selectable((time + "##" + id).c_str(), selected_ == seq,
                                  ImGuiSelectableFlags_SpanAllColumns))
                selected_ = seq;
            // The clipper draws the first row to measure it even when scrolled away.
            if (ImGui::IsItemVisible()) noteItem("Log row " + id);
            ImGui::TableNextColumn();
            if (entry.timed) {
                ImGui::TextUnformatted(kTimedDirection);
                if (ImGui::IsItemHovered()) ImGui::SetTooltip("Sent by the composer's timer");
                if (ImGui::IsItemVisible()) noteItem("Timed row " + id);
            } else {
                ImGui::TextUnformatted(toString(entry.direction));
            }
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(toString(entry.type));
            ImGui::TableNextColumn();
            ImGui::Text("%zu", entry.size);
            ImGui::TableNextColumn();
            const std::string summary = entry.summary();
            std::string scratch;
            const std::string_view drawn = drawableText(summary, scratch);
            ImGui::TextUnformatted(drawn.data(), drawn.data() + drawn.size());
        }
    }
    // Follow new rows while scrolled to the bottom (as of the last frame); while the user reads
    // further up, keep the rows they read in place as older ones are dropped above them.
    if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY())
        ImGui::SetScrollHereY(1.0f);
    else if (evictedShown > 0)
        ImGui::SetScrollY(ImGui::GetScrollY() -
                          static_cast<float>(evictedShown) * clipper.ItemsHeight);
    ImGui::EndTable();
    ImGui::PopFont();
}

}  // namespace wsdemo
