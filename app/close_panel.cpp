#include "close_panel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <charconv>
#include <cstdio>
#include <iterator>
#include <optional>
#include <utility>

#include "layout.h"
#include "theme.h"
#include "widget_map.h"
#include "wsdemo/message.h"
#include "wsdemo/text.h"

namespace wsdemo {

namespace {

struct CodeItem {
    const char* label;
    uint16_t code;  // 0 for the custom one.
};
constexpr CodeItem kCodeItems[] = {
    {"1000 normal closure", CloseCode::kNormal},
    {"1001 going away", CloseCode::kGoingAway},
    {"custom", 0},
};

// On the line before: what is wrong, and that Disconnect still sends the last valid value; or,
// with Unsafe on, that it sends this one anyway.
void drawError(const std::string& error, const std::string& warning, const char* valueName) {
    if (!error.empty()) {
        textBeside(warningColor(themeInUse()), error + " (not applied)");
        noteItem(std::string(valueName) + " error");
        WidgetMap::current().noteValue(std::string(valueName) + " error", error);
    } else if (!warning.empty()) {
        textBeside(cautionColor(themeInUse()), warning + " (sent anyway)");
        noteItem(std::string(valueName) + " warning");
        WidgetMap::current().noteValue(std::string(valueName) + " warning", warning);
    }
}

std::optional<unsigned> parseDecimal(std::string_view typed) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(typed.data(), typed.data() + typed.size(), value);
    if (typed.empty() || error != std::errc() || end != typed.data() + typed.size())
        return std::nullopt;
    return value;
}

}  // namespace

std::string whyBadCloseReason(std::string_view reason) {
    if (reason.size() > kMaxCloseReasonBytes)
        return "over " + std::to_string(kMaxCloseReasonBytes) + " bytes";
    if (!isValidUtf8(reason)) return "not valid UTF-8";
    return {};
}

std::variant<uint16_t, std::string> parseCustomCloseCode(std::string_view typed) {
    const auto code = parseDecimal(typed);
    if (!code || *code < kMinCustomCloseCode || *code > kMaxCustomCloseCode)
        return std::string("3000-4999 only");
    return static_cast<uint16_t>(*code);
}

std::variant<uint16_t, std::string> parseAnyCloseCode(std::string_view typed) {
    const auto code = parseDecimal(typed);
    if (!code || *code > UINT16_MAX) return std::string("0-65535 only");
    return static_cast<uint16_t>(*code);
}

void ClosePanel::draw() {
    drawUnsafe();
    drawCode();
    drawReason();
}

void ClosePanel::drawUnsafe() {
    bool unsafe = choice_.unchecked;
    if (ImGui::Checkbox("Unsafe", &unsafe)) {
        // What was applied under the other rules is checked again under these.
        choice_ = DisconnectAction{CloseCode::kNormal, {}, unsafe};
        applyCode();
        applyReason();
    }
    noteItem("Unsafe");
    if (unsafe) {
        textBeside(cautionColor(themeInUse()),
                   "any code and reason, as a broken client would send");
    } else {
        ImGui::SameLine();
        ImGui::TextDisabled("only what RFC 6455 allows");
    }
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
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(choice_.unchecked ? "0-65535 (0: no code and no reason)"
                                                : "3000-4999: codes for applications");
        drawError(codeError_, codeWarning_, "close code");
    }
}

void ClosePanel::applyCode() {
    codeError_.clear();
    codeWarning_.clear();
    if (kind_ != CodeKind::kCustom) {
        const uint16_t code = kCodeItems[static_cast<std::size_t>(kind_)].code;
        if (isSendableCloseCode(code)) choice_.code = code;
        return;
    }
    const auto parsed = parseCustomCloseCode(customCode_);
    if (const auto* code = std::get_if<uint16_t>(&parsed)) {
        choice_.code = *code;
        return;
    }
    codeError_ = std::get<std::string>(parsed);
    if (!choice_.unchecked) return;
    const auto any = parseAnyCloseCode(customCode_);
    if (const auto* code = std::get_if<uint16_t>(&any)) {
        choice_.code = *code;
        codeWarning_ = *code == 0 ? "0: a close frame with no code and no reason"
                       : isSendableCloseCode(*code)
                           ? "outside 3000-4999"
                           : "an endpoint may not send " + std::to_string(*code);
        codeError_.clear();
    } else {
        codeError_ = std::get<std::string>(any);
    }
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
        ImGui::TextColored(warningColor(themeInUse()), "%s", count);
    WidgetMap::current().noteValue("close reason bytes", count);
    drawError(reasonError_, reasonWarning_, "close reason");
}

void ClosePanel::applyReason() {
    reasonError_ = whyBadCloseReason(reason_);
    reasonWarning_.clear();
    // No close frame carries more than 123 bytes of reason, unsafe or not.
    if (choice_.unchecked && reason_.size() <= kMaxCloseReasonBytes)
        reasonWarning_ = std::exchange(reasonError_, {});
    if (reasonError_.empty()) choice_.reason = reason_;
}

}  // namespace wsdemo
