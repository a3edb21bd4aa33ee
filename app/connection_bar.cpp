#include "connection_bar.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ratio>

#include "layout.h"
#include "status_text.h"
#include "widget_map.h"

namespace wsdemo {

namespace {

using Tenths = std::chrono::duration<long long, std::deci>;

// Whole tenths of a second left, rounded up: the badge reads 0.1 s until the attempt is due.
Tenths tenthsLeft(SteadyClock::time_point due, SteadyClock::time_point now) {
    return due > now ? std::chrono::ceil<Tenths>(due - now) : Tenths(0);
}

std::string describeClosed(const ChannelStatus& status) {
    if (status.failure != FailureStage::kNone) {
        std::string text = std::string("Failed: ") + toString(status.failure);
        return status.error.empty() ? text : text + ": " + status.error;
    }
    if (status.closeCode == 0) return "Not connected";
    std::string text = "Closed: " + std::to_string(status.closeCode);
    if (const std::string meaning = closeCodeMeaning(status.closeCode); !meaning.empty())
        text += " " + meaning;
    if (!status.closeReason.empty()) text += ", \"" + status.closeReason + "\"";
    return text;
}

// Filled behind dark text: readable in the dark and the light theme alike.
ImVec4 badgeColor(const ChannelStatus& status, bool reconnecting) {
    const ImVec4 green(0.35f, 0.75f, 0.40f, 1.0f), amber(0.95f, 0.72f, 0.25f, 1.0f),
        grey(0.65f, 0.65f, 0.65f, 1.0f), red(0.92f, 0.42f, 0.42f, 1.0f);
    if (reconnecting) return amber;
    switch (status.state) {
        case ReadyState::kOpen:
            return green;
        case ReadyState::kConnecting:
        case ReadyState::kClosing:
            return amber;
        case ReadyState::kClosed:
            break;
    }
    // What the user or a well-behaved peer ended is no alarm; a drop or a failure is.
    const bool clean = status.failure == FailureStage::kNone
                           ? status.closeCode == 0 || status.closeCode == CloseCode::kNormal ||
                                 status.closeCode == CloseCode::kGoingAway
                           : status.failure == FailureStage::kCancelled;
    return clean ? grey : red;
}

}  // namespace

std::string connectionBadge(const ChannelStatus& status,
                            const std::optional<PendingReconnect>& reconnect,
                            SteadyClock::time_point now) {
    if (reconnect) {
        char text[80];
        std::snprintf(text, sizeof text, "Reconnecting in %.1f s (attempt %u)",
                      static_cast<double>(tenthsLeft(reconnect->due, now).count()) / 10,
                      reconnect->scheduled.attempt);
        return text;
    }
    switch (status.state) {
        case ReadyState::kConnecting:
            return std::string("Connecting: ") + toString(status.stage);
        case ReadyState::kOpen:
            return status.protocol.empty() ? "Open" : "Open (subprotocol " + status.protocol + ")";
        case ReadyState::kClosing:
            return "Closing";
        case ReadyState::kClosed:
            break;
    }
    return describeClosed(status);
}

std::optional<Action> ConnectionBar::draw(const ChannelStatus& status,
                                          const std::optional<PendingReconnect>& reconnect,
                                          SteadyClock::time_point now,
                                          const std::vector<std::string>& urlHistory,
                                          const DisconnectAction& closeChoice) {
    std::optional<Action> action;
    if (drawUrl() && !url_.empty()) action = ConnectAction{url_};
    ImGui::SameLine(0, 0);
    drawHistory(urlHistory);

    ImGui::SameLine();
    if (reconnect) {
        // Giving up on the reconnect: no close frame goes anywhere, the code does not matter.
        if (ImGui::Button("Cancel")) action = DisconnectAction{};
        noteItem("Cancel");
    } else if (status.state == ReadyState::kConnecting || status.state == ReadyState::kOpen) {
        if (ImGui::Button("Disconnect")) action = closeChoice;
        noteItem("Disconnect");
    } else {
        ImGui::BeginDisabled(url_.empty());
        if (ImGui::Button("Connect")) action = ConnectAction{url_};
        ImGui::EndDisabled();
        noteItem("Connect");
    }
    ImGui::SameLine();
    if (ImGui::Button("Echo server")) action = UseEchoServerAction{};
    noteItem("Echo server");

    ImGui::SameLine();
    drawBadge(status, reconnect, now);
    return action;
}

bool ConnectionBar::drawUrl() {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("URL");
    ImGui::SameLine();
    const ImGuiStyle& style = ImGui::GetStyle();
    // Room on the right for the history arrow, the two buttons and a short badge.
    const float rest = ImGui::GetFrameHeight() + ImGui::CalcTextSize("DisconnectEcho server").x +
                       4 * style.FramePadding.x +
                       ImGui::CalcTextSize("Reconnecting in 30.0 s (attempt 10)").x +
                       3 * style.ItemSpacing.x + 2 * style.FramePadding.x;
    ImGui::SetNextItemWidth(std::max(ImGui::GetContentRegionAvail().x - rest,
                                     ImGui::CalcTextSize("ws://localhost:8080/").x));
    if (focusUrl_) {
        ImGui::SetKeyboardFocusHere();
        focusUrl_ = false;
    }
    const bool enter = ImGui::InputTextWithHint(
        "##URL", "ws://host:port/path", &url_,
        ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll);
    noteItem("URL");
    WidgetMap::current().noteValue("url", url_);
    return enter;
}

void ConnectionBar::drawHistory(const std::vector<std::string>& urlHistory) {
    if (ImGui::ArrowButton("##URL history", ImGuiDir_Down)) ImGui::OpenPopup("URL history");
    noteItem("URL history");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The last URLs connected to");
    if (!ImGui::BeginPopup("URL history")) return;
    if (urlHistory.empty()) ImGui::TextDisabled("No URL yet");
    for (std::size_t i = 0; i < urlHistory.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        // Fills `URL` only: connecting stays a separate, deliberate step.
        if (ImGui::Selectable(urlHistory[i].c_str(), urlHistory[i] == url_)) url_ = urlHistory[i];
        noteItem("URL history " + std::to_string(i));
        ImGui::PopID();
    }
    ImGui::EndPopup();
}

void ConnectionBar::drawBadge(const ChannelStatus& status,
                              const std::optional<PendingReconnect>& reconnect,
                              SteadyClock::time_point now) {
    countdownDue_.reset();
    if (reconnect) countdownDue_ = reconnect->due;
    const std::string text = connectionBadge(status, reconnect, now);
    const ImVec2 padding = ImGui::GetStyle().FramePadding;
    // A long failure is shortened to the room left; its tooltip and the log have it whole.
    const std::string shown =
        fitWithEllipsis(text, ImGui::GetContentRegionAvail().x - 2 * padding.x);
    const ImVec2 textSize = ImGui::CalcTextSize(shown.c_str());
    const ImVec2 topLeft = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(textSize.x + 2 * padding.x, textSize.y + 2 * padding.y));
    ImDrawList* drawList = ImGui::GetWindowDrawList();
    drawList->AddRectFilled(topLeft, ImGui::GetItemRectMax(),
                            ImGui::GetColorU32(badgeColor(status, reconnect.has_value())),
                            ImGui::GetStyle().FrameRounding);
    drawList->AddText(ImVec2(topLeft.x + padding.x, topLeft.y + padding.y), IM_COL32_BLACK,
                      shown.c_str());
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40);
        ImGui::TextUnformatted(describeStatus(status).c_str());
        if (reconnect) ImGui::TextUnformatted(describeReconnect(reconnect->scheduled).c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
    noteItem("state");
    WidgetMap::current().noteValue("state", text);
    WidgetMap::current().noteValue("state shown", shown);
}

std::optional<SteadyClock::time_point> ConnectionBar::nextTick(SteadyClock::time_point now) const {
    if (!countdownDue_) return std::nullopt;
    const Tenths left = tenthsLeft(*countdownDue_, now);
    if (left.count() == 0) return std::nullopt;  // Reads 0.0 s until the attempt's own news.
    return *countdownDue_ - std::chrono::duration_cast<SteadyClock::duration>(left - Tenths(1));
}

}  // namespace wsdemo
