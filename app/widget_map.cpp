#include "widget_map.h"

#include <imgui.h>

#include <nlohmann/json.hpp>

namespace wsdemo {

WidgetMap& WidgetMap::current() {
    static WidgetMap map;  // The UI thread's: Dear ImGui itself is single-threaded.
    return map;
}

void WidgetMap::beginFrame() {
    items_.clear();
    values_.clear();
}

void WidgetMap::noteItem(const std::string& label) {
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    items_[label] = WidgetRect{min.x, min.y, max.x - min.x, max.y - min.y};
    // A test waits for this before it clicks: Dear ImGui acts on a click only over a widget
    // that a frame saw hovered.
    if (ImGui::IsItemHovered()) values_["hovered"] = label;
    if (ImGui::IsItemActive()) values_["active"] = label;  // Where typing goes.
}

void WidgetMap::noteValue(const std::string& name, const std::string& value) {
    values_[name] = value;
}

std::string WidgetMap::toJson() const {
    nlohmann::json json{{"items", nlohmann::json::object()}, {"values", values_}};
    for (const auto& [label, rect] : items_)
        json["items"][label] = {rect.x, rect.y, rect.width, rect.height};
    // Labels and values may hold any bytes a peer sent: replace, never throw, on bad UTF-8.
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace wsdemo
