#include "close_panel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <charconv>
#include <cstdio>
#include <iterator>

#include "widget_map.h"
#include "wsdemo/message.h"
#include "wsdemo/text.h"

namespace wsdemo {

namespace {

const ImVec4 kErrorColor(1.0f, 0.4f, 0.4f, 1.0f);

struct CodeItem {
    const char* label;
    uint16_t code;  // 0 for the custom one.
};
constexpr CodeItem kCodeItems[] = {
    {"1000 normal closure", CloseCode::kNormal},
    {"1001 going away", CloseCode::kGoingAway},
    {"custom", 0},
};

// On the line before: what is wrong, and that Disconnect still sends the last valid value.
void drawError(const std::string& error, const char* valueName) {
    if (error.empty()) return;
    ImGui::SameLine();
    ImGui::TextColored(kErrorColor, "%s (not applied)", error.c_str());
    WidgetMap::current().noteValue(valueName, error);
}

}  // namespace

std::string whyBadCloseReason(std::string_view reason) {
    if (reason.size() > kMaxCloseReasonBytes)
        return "over " + std::to_string(kMaxCloseReasonBytes) + " bytes";
    if (!isValidUtf8(reason)) return "not valid UTF-8";
    return {};
}

std::variant<uint16_t, std::string> parseCustomCloseCode(std::string_view typed) {
    unsigned code = 0;
    const auto [end, error] = std::from_chars(typed.data(), typed.data() + typed.size(), code);
    if (typed.empty() || error != std::errc() || end != typed.data() + typed.size() ||
        code < kMinCustomCloseCode || code > kMaxCustomCloseCode)
        return std::string("3000-4999 only");
    return static_cast<uint16_t>(code);
}

void ClosePanel::draw() {
    drawCode();
    drawReason();
}

void ClosePanel::drawCode() {
    const auto kind = static_cast<std::size_t>(kind_);
    ImGui::SetNextItemWidth(ImGui::CalcTextSize(kCodeItems[0].label).x +
                            ImGui::GetFrameHeight() * 2);
    if (ImGui::BeginCombo("Close code", kCodeItems[kind].label)) {
        for (std::size_t i = 0; i < std::size(kCodeItems); ++i) {
            if (ImGui::Selectable(kCodeItems[i].label, i == kind)) {
                kind_ = static_cast<CodeKind>(i);
                applyCode();
            }
            noteItem(kCodeItems[i].label);
        }
        ImGui::EndCombo();
    }
    noteItem("Close code");
    if (kind_ == CodeKind::kCustom) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::CalcTextSize("00000").x + ImGui::GetFrameHeight());
        if (ImGui::InputText("##custom code", &customCode_, ImGuiInputTextFlags_CharsDecimal))
            applyCode();
        noteItem("Custom code");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("3000-4999: codes for applications");
        drawError(codeError_, "close code error");
    }
}

void ClosePanel::applyCode() {
    codeError_.clear();
    if (kind_ != CodeKind::kCustom) {
        const uint16_t code = kCodeItems[static_cast<std::size_t>(kind_)].code;
        if (isSendableCloseCode(code)) choice_.code = code;
        return;
    }
    const auto parsed = parseCustomCloseCode(customCode_);
    if (const auto* code = std::get_if<uint16_t>(&parsed))
        choice_.code = *code;
    else
        codeError_ = std::get<std::string>(parsed);
}

void ClosePanel::drawReason() {
    ImGui::SetNextItemWidth(-ImGui::CalcTextSize("Close reason").x -
                            ImGui::GetStyle().ItemInnerSpacing.x);
    if (ImGui::InputTextWithHint("Close reason", "optional, sent to the peer", &reason_))
        applyReason();
    noteItem("Close reason");
    char count[32];
    std::snprintf(count, sizeof count, "%zu/%zu bytes", reason_.size(), kMaxCloseReasonBytes);
    if (reasonError_.empty())
        ImGui::TextDisabled("%s", count);
    else
        ImGui::TextColored(kErrorColor, "%s", count);
    WidgetMap::current().noteValue("close reason bytes", count);
    drawError(reasonError_, "close reason error");
}

void ClosePanel::applyReason() {
    reasonError_ = whyBadCloseReason(reason_);
    if (reasonError_.empty()) choice_.reason = reason_;
}

}  // namespace wsdemo
