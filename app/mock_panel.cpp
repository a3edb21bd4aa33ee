#include "mock_panel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <utility>
#include <variant>

#include "font_roles.h"
#include "layout.h"
#include "theme.h"
#include "widget_map.h"

namespace wsdemo {

namespace {

// The issue's example: one rule of each kind a person tries first.
constexpr const char* kExampleRules = R"({"rules": [
  {"on": "connect",
   "reply": [{"text": "welcome"}]},
  {"match": {"text": "ping?"},
   "reply": [{"text": "pong!"}]},
  {"match": {"substring": "slow"},
   "reply": [{"text": "late", "delay_ms": 300}]},
  {"match": {"regex": "^add ([0-9]+)$"},
   "reply": [{"text": "added"}]},
  {"match": {"json": {"path": "type",
                      "equals": "subscribe"}},
   "reply": [{"binary_hex": "0102ff"},
             {"text": "subscribed"}]},
  {"match": {"text": "bye"},
   "close": {"code": 4000, "reason": "asked to"}},
  {"match": {"text": "crash"}, "drop": true}
]}
)";

// The rules in `text`, or why they cannot be used.
std::variant<std::shared_ptr<const MockRules>, std::string> parse(const std::string& text) {
    if (text.size() > kMaxRulesFileBytes)
        return std::to_string(text.size()) + " bytes, more than the " +
               std::to_string(kMaxRulesFileBytes) + " rules may hold";
    auto parsed = parseMockRules(text);
    if (auto* why = std::get_if<std::string>(&parsed)) return std::move(*why);
    return std::make_shared<const MockRules>(std::get<MockRules>(std::move(parsed)));
}

}  // namespace

std::shared_ptr<const MockRules> storedMockRules(const std::string& text) {
    if (text.empty()) return nullptr;
    auto parsed = parse(text);
    auto* rules = std::get_if<std::shared_ptr<const MockRules>>(&parsed);
    return rules ? std::move(*rules) : nullptr;
}

MockPanel::MockPanel(const std::string& stored) : text_(stored) {
    if (text_.empty()) return;
    auto parsed = parse(text_);
    if (auto* rules = std::get_if<std::shared_ptr<const MockRules>>(&parsed))
        appliedRules_ = (*rules)->rules.size();
    else
        error_ = std::get<std::string>(parsed);
}

std::optional<SetMockRulesAction> MockPanel::draw() {
    drawStatus();
    std::optional<SetMockRulesAction> action;
    if (ImGui::Button("Apply")) action = apply();
    noteItem("Apply");
    ImGui::SameLine();
    if (ImGui::Button("Clear")) {
        text_.clear();
        error_.clear();
        appliedRules_ = 0;
        action = SetMockRulesAction{};
    }
    noteItem("Clear rules");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("No rules: the echo server echoes");
    ImGui::SameLine();
    if (ImGui::Button("Example")) {
        text_ = kExampleRules;
        error_.clear();
    }
    noteItem("Example");
    ImGui::SameLine();
    const bool tooLarge = text_.size() > kMaxRulesFileBytes;
    if (tooLarge)
        ImGui::TextColored(warningColor(themeInUse()), "%zu bytes of %zu", text_.size(),
                           kMaxRulesFileBytes);
    else
        ImGui::TextDisabled("%zu bytes", text_.size());

    if (!error_.empty()) wrappedText(warningColor(themeInUse()), "Not applied: " + error_);
    WidgetMap::current().noteValue("mock error", error_);
    ImGui::PushFont(monospaceFont());
    ImGui::InputTextMultiline("##rules", &text_, ImVec2(-1.0f, -1.0f),
                              ImGuiInputTextFlags_AllowTabInput);
    ImGui::PopFont();
    noteItem("Rules");
    return action;
}

std::optional<SetMockRulesAction> MockPanel::apply() {
    error_.clear();
    if (text_.find_first_not_of(" \t\r\n") == std::string::npos) {
        text_.clear();
        appliedRules_ = 0;
        return SetMockRulesAction{};
    }
    auto parsed = parse(text_);
    if (auto* why = std::get_if<std::string>(&parsed)) {
        error_ = std::move(*why);
        return std::nullopt;
    }
    auto rules = std::get<std::shared_ptr<const MockRules>>(std::move(parsed));
    appliedRules_ = rules->rules.size();
    return SetMockRulesAction{std::move(rules), text_};
}

void MockPanel::drawStatus() const {
    const std::string status = appliedRules_ == 0
                                   ? "The echo server echoes every message"
                                   : "The echo server answers by " + std::to_string(appliedRules_) +
                                         (appliedRules_ == 1 ? " rule" : " rules");
    ImGui::TextUnformatted(status.c_str());
    WidgetMap::current().noteValue("mock status", status);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("Rules match in order; a message none matches is echoed.");
    ImGui::PopTextWrapPos();
}

}  // namespace wsdemo
