#include "latest_panel.h"
#include "fonts.h"

#include <imgui.h>

#include <algorithm>
#include <string>

#include "font_roles.h"
#include "widget_map.h"
#include "wsdemo/text.h"

namespace wsdemo {

namespace {

// Lines of text the preview shows before it scrolls.
constexpr float kPreviewLines = 4;

std::string hexPreview(const std::string& bytes, std::size_t maxBytes) {
    std::string text = toHex(std::string_view(bytes).substr(0, maxBytes), " ");
    if (bytes.size() > maxBytes) text += " ...";
    return text;
}

void drawMessage(const Message& message) {
    const std::string& data = message.data;
    ImGui::PushTextWrapPos(0.0f);
    if (message.type == Message::Type::kBinary) {
        ImGui::TextDisabled("binary, %zu bytes", data.size());
        ImGui::PushFont(monospaceFont());
        ImGui::TextUnformatted(hexPreview(data, LatestPanel::kHexPreviewBytes).c_str());
        ImGui::PopFont();
    } else {
        const std::size_t shown = utf8Prefix(data, LatestPanel::kPreviewBytes).size();
        // Above the text: seen without scrolling the few lines of the preview.
        if (shown < data.size())
            ImGui::TextDisabled("(the first %zu of %zu bytes)", shown, data.size());
        // TextUnformatted with an end pointer: no format buffer, no length limit.
        std::string scratch;
        const std::string_view drawn = drawableText({data.data(), shown}, scratch);
        ImGui::TextUnformatted(drawn.data(), drawn.data() + drawn.size());
    }
    ImGui::PopTextWrapPos();
}

}  // namespace

void LatestPanel::draw(const MessagePtr& latest, std::uint64_t received) {
    if (latest != lastShown_) {
        lastShown_ = latest;
        ++shown_;
    }
    ImGui::TextUnformatted("Latest message");
    ImGui::SameLine();
    const auto replaced = received - std::min(shown_, received);
    if (replaced)
        ImGui::TextDisabled(
            "Messages received: %llu (%llu replaced before a frame could show them)",
            static_cast<unsigned long long>(received), static_cast<unsigned long long>(replaced));
    else
        ImGui::TextDisabled("Messages received: %llu", static_cast<unsigned long long>(received));
    WidgetMap::current().noteValue("messages received", std::to_string(received));

    const float height = ImGui::GetTextLineHeightWithSpacing() * kPreviewLines +
                         ImGui::GetStyle().WindowPadding.y * 2;
    ImGui::BeginChild("Latest message", ImVec2(0, height), true);
    if (latest) {
        drawMessage(*latest);
        // What the GUI tests compare with what their peer sent.
        if (latest->type == Message::Type::kText)
            WidgetMap::current().noteValue("latest", latest->data.substr(0, 256));
    } else
        ImGui::TextDisabled("No message received yet");
    ImGui::EndChild();
    noteItem("Latest message");
}

}  // namespace wsdemo
