#include "stats_panel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <string>
#include <tuple>

#include "layout.h"
#include "theme.h"
#include "widget_map.h"

namespace wsdemo {

namespace {

std::string seconds(std::chrono::milliseconds interval) {
    char text[32];
    std::snprintf(text, sizeof text, "%g s", static_cast<double>(interval.count()) / 1000.0);
    return text;
}

void noteValue(const char* name, std::uint64_t value) {
    WidgetMap::current().noteValue(name, std::to_string(value));
}

}  // namespace

std::int64_t StatsPanel::Rate::bucketOf(SteadyClock::time_point at) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count() /
           kBucket.count();
}

void StatsPanel::Rate::add(SteadyClock::time_point at) {
    const std::int64_t bucket = bucketOf(at);
    const auto slot = static_cast<std::size_t>(bucket % static_cast<std::int64_t>(kRateBuckets));
    if (bucket_[slot] != bucket) {  // The slot last counted a bucket a second or more ago.
        bucket_[slot] = bucket;
        count_[slot] = 0;
    }
    ++count_[slot];
}

std::uint64_t StatsPanel::Rate::lastSecond(SteadyClock::time_point now) const {
    const std::int64_t newest = bucketOf(now);
    std::uint64_t total = 0;
    for (std::size_t slot = 0; slot < kRateBuckets; ++slot)
        if (newest - bucket_[slot] < static_cast<std::int64_t>(kRateBuckets) &&
            bucket_[slot] <= newest)
            total += count_[slot];
    return total;
}

void StatsPanel::onEvent(const ChannelEvent& event) {
    if (const auto* received = std::get_if<MessageReceived>(&event.what)) {
        ++in_.messages;
        in_.bytes += received->message->data.size();
        in_.rate.add(event.at);
    } else if (const auto* sent = std::get_if<MessageSent>(&event.what)) {
        ++out_.messages;
        out_.bytes += sent->message->data.size();
        out_.rate.add(event.at);
    } else if (const auto* pong = std::get_if<PongReceived>(&event.what)) {
        if (!pong->roundTrip) return;  // Unsolicited: no round trip to plot.
        roundTripMs_[next_] = static_cast<float>(pong->roundTrip->count()) / 1000.0f;
        next_ = (next_ + 1) % kRoundTrips;
        roundTrips_ = std::min(roundTrips_ + 1, kRoundTrips);
    }
}

std::optional<Action> StatsPanel::drawPingPong() {
    // A control frame carries at most 125 bytes (RFC 6455 5.5).
    constexpr std::size_t kMaxPayloadBytes = 125;
    const bool tooLong = payload_.size() > kMaxPayloadBytes;
    std::optional<Action> action;
    ImGui::BeginDisabled(tooLong);
    if (ImGui::Button("Ping"))
        action = PingAction{payload_.empty() ? std::to_string(++pings_) : payload_};
    noteItem("Ping");
    ImGui::SameLine();
    if (ImGui::Button("Pong")) action = PongAction{payload_};
    noteItem("Pong");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("An unsolicited pong, which no ping asked for");
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
    ImGui::InputTextWithHint("Payload", "ping: a number", &payload_);
    noteItem("Payload");
    if (tooLong)
        textBeside(warningColor(themeInUse()),
                   std::to_string(payload_.size()) + " bytes: 125 at most");
    WidgetMap::current().noteValue("payload error", tooLong ? "over 125 bytes" : "");
    return action;
}

std::optional<Action> StatsPanel::draw(SteadyClock::time_point now,
                                       std::chrono::milliseconds pingInterval) {
    std::optional<Action> action = drawPingPong();
    // The channel pings after half the interval of silence and drops the connection after all
    // of it (ConnectOptions::pingInterval).
    const std::string keepalive = pingInterval.count() > 0
                                      ? "Keepalive: ping after " + seconds(pingInterval / 2) +
                                            " of silence, drop after " + seconds(pingInterval)
                                      : "Keepalive: off";
    ImGui::TextWrapped("%s", keepalive.c_str());
    WidgetMap::current().noteValue("keepalive", keepalive);

    drawRoundTrips();

    const std::uint64_t inRate = in_.rate.lastSecond(now), outRate = out_.rate.lastSecond(now);
    if (ImGui::BeginTable("##counters", 4, ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupColumn("");
        ImGui::TableSetupColumn("Messages");
        ImGui::TableSetupColumn("Bytes");
        ImGui::TableSetupColumn("Messages/s");
        ImGui::TableHeadersRow();
        for (const auto& [name, direction, rate] :
             {std::tuple("In", &in_, inRate), std::tuple("Out", &out_, outRate)}) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(name);
            ImGui::TableNextColumn();
            ImGui::Text("%llu", static_cast<unsigned long long>(direction->messages));
            ImGui::TableNextColumn();
            ImGui::Text("%llu", static_cast<unsigned long long>(direction->bytes));
            ImGui::TableNextColumn();
            ImGui::Text("%llu", static_cast<unsigned long long>(rate));
        }
        ImGui::EndTable();
    }
    noteValue("messages in", in_.messages);
    noteValue("messages out", out_.messages);
    noteValue("bytes in", in_.bytes);
    noteValue("bytes out", out_.bytes);
    noteValue("messages per second in", inRate);
    noteValue("messages per second out", outRate);
    return action;
}

void StatsPanel::drawRoundTrips() const {
    noteValue("rtt samples", roundTrips_);
    if (roundTrips_ == 0) {
        ImGui::TextDisabled("Round trip: no pong yet");
        return;
    }
    const float* first = roundTripMs_.data();
    const float* last = first + roundTrips_;
    const auto [min, max] = std::minmax_element(first, last);
    const float mean = std::accumulate(first, last, 0.0f) / static_cast<float>(roundTrips_);
    // Two lines: the side panel may be narrower than one, and wrapping would split a number.
    char figures[96];
    std::snprintf(figures, sizeof figures, "min %.3f  mean %.3f  max %.3f ms", *min, mean, *max);
    ImGui::Text("Round trip, last %zu pong%s:", roundTrips_, roundTrips_ == 1 ? "" : "s");
    ImGui::TextUnformatted(figures);
    WidgetMap::current().noteValue("rtt figures", figures);
    const bool full = roundTrips_ == kRoundTrips;  // Then the oldest is at next_.
    if (roundTrips_ >= 2)  // A line needs two points: one would leave an empty frame.
        ImGui::PlotLines("##rtt", first, static_cast<int>(roundTrips_),
                         full ? static_cast<int>(next_) : 0, nullptr, 0.0f, *max * 1.1f,
                         ImVec2(-1, ImGui::GetTextLineHeight() * 5));
    WidgetMap::current().noteValue("rtt min ms", std::to_string(*min));
    WidgetMap::current().noteValue("rtt mean ms", std::to_string(mean));
    WidgetMap::current().noteValue("rtt max ms", std::to_string(*max));
}

}  // namespace wsdemo
