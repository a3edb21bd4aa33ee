#include "chat_view.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <utility>

#include "status_text.h"
#include "wsdemo/text.h"

namespace wsdemo {

namespace {

// Backs up to the start of a UTF-8 sequence so a preview never ends in half a character.
std::size_t utf8Boundary(const std::string& text, std::size_t limit) {
    if (limit >= text.size()) return text.size();
    while (limit > 0 && (static_cast<unsigned char>(text[limit]) & 0xC0) == 0x80) --limit;
    return limit;
}

std::string hexPreview(const std::string& bytes, std::size_t maxBytes) {
    std::string text = toHex(std::string_view(bytes).substr(0, maxBytes), " ");
    if (bytes.size() > maxBytes) text += " ...";
    return text;
}

const ImVec4 kWarningColor(1.0f, 0.4f, 0.4f, 1.0f);

}  // namespace

bool ChatView::onEvents(const std::vector<ChannelEvent>& events) {
    bool drawnChanges = false;
    for (const ChannelEvent& event : events) {
        if (std::holds_alternative<MessageReceived>(event.what)) {
            ++received_;
            drawnChanges = true;
        } else if (const auto* reconnect = std::get_if<ReconnectScheduled>(&event.what)) {
            reconnect_ = *reconnect;
            drawnChanges = true;
        } else if (const auto* changed = std::get_if<StateChanged>(&event.what)) {
            if (changed->status.state != ReadyState::kClosed) reconnect_.reset();
            drawnChanges = true;
        }
    }
    return drawnChanges;
}

void ChatView::onSendResult(SendResult result) {
    sendError_ = result == SendResult::kQueued ? "" : std::string("Not sent: ") + toString(result);
}

std::optional<std::string> ChatView::draw(const ChannelStatus& status, const MessagePtr& latest) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    // No background: the window clears to the style's WindowBg instead. A window-sized blended
    // quad was two thirds of a frame's time under software OpenGL (Mesa llvmpipe).
    ImGui::Begin("WebSocket Demo", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                     ImGuiWindowFlags_NoBackground);

    // Sending is allowed while connecting or waiting to reconnect (queued until open) but not
    // once closed for good.
    const bool canSend = status.state == ReadyState::kConnecting ||
                         status.state == ReadyState::kOpen || reconnectDue();
    ImGui::BeginDisabled(!canSend);
    const ImGuiStyle& style = ImGui::GetStyle();
    const float buttonWidth = ImGui::CalcTextSize("Send").x + style.FramePadding.x * 2;
    ImGui::SetNextItemWidth(-(buttonWidth + style.ItemSpacing.x));
    if (focusInput_) {
        ImGui::SetKeyboardFocusHere();
        focusInput_ = false;
    }
    const bool enter = ImGui::InputTextWithHint("##message", "Send a message", &input_,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    const bool clicked = ImGui::Button("Send");
    ImGui::EndDisabled();

    std::optional<std::string> toSend;
    if ((enter || clicked) && !input_.empty()) toSend = std::exchange(input_, std::string());
    if (enter || clicked) focusInput_ = true;  // Either ends the edit: keep typing right there.

    ImGui::TextUnformatted(describeStatus(status).c_str());
    if (reconnect_) ImGui::TextUnformatted(describeReconnect(*reconnect_).c_str());
    if (!notice_.empty()) ImGui::TextColored(kWarningColor, "%s", notice_.c_str());
    if (latest != lastShown_) {
        lastShown_ = latest;
        ++shown_;
    }
    const auto replaced = received_ - std::min(shown_, received_);
    if (replaced)
        ImGui::Text("Messages received: %llu (%llu replaced before a frame could show them)",
                    static_cast<unsigned long long>(received_),
                    static_cast<unsigned long long>(replaced));
    else
        ImGui::Text("Messages received: %llu", static_cast<unsigned long long>(received_));
    if (!sendError_.empty()) ImGui::TextColored(kWarningColor, "%s", sendError_.c_str());
    ImGui::Separator();
    ImGui::TextUnformatted("Latest message:");
    drawLatest(latest);

    ImGui::End();
    return toSend;
}

void ChatView::drawLatest(const MessagePtr& latest) const {
    ImGui::BeginChild("##latest", ImVec2(0, 0), true);
    if (latest) {
        const std::string& data = latest->data;
        ImGui::PushTextWrapPos(0.0f);
        if (latest->type == Message::Type::kBinary) {
            ImGui::TextDisabled("binary, %zu bytes", data.size());
            ImGui::TextUnformatted(hexPreview(data, 256).c_str());
        } else {
            const std::size_t shown = utf8Boundary(data, kPreviewBytes);
            // TextUnformatted with an end pointer: no format buffer, no length limit.
            ImGui::TextUnformatted(data.data(), data.data() + shown);
            if (shown < data.size())
                ImGui::TextDisabled("(the first %zu of %zu bytes)", shown, data.size());
        }
        ImGui::PopTextWrapPos();
    }
    ImGui::EndChild();
}

}  // namespace wsdemo
