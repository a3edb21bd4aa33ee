// Where the labelled widgets of the last frame are on screen, by label: what a person finds by
// looking, for the tests that drive the window (tests/gui, through the file named by
// WSDEMO_WIDGET_MAP) and the headless panel tests (tests/support/headless_imgui.h).
// Plain Dear ImGui calls, no backend.
#pragma once

#include <map>
#include <string>

namespace wsdemo {

struct WidgetRect {
    float x = 0, y = 0, width = 0, height = 0;  // Window coordinates, in pixels.
    float centerX() const { return x + width / 2; }
    float centerY() const { return y + height / 2; }
};

class WidgetMap {
public:
    // The map of the current Dear ImGui context, cleared at each NewFrame by beginFrame().
    static WidgetMap& current();

    void beginFrame();
    // Records the last item drawn (ImGui::GetItemRectMin/Max) under `label`, the name a user
    // reads on it: "URL", "Connect", "Send", "Ping", "Log row 3"... The value "hovered" names
    // the item under the mouse, "active" the one typing goes to.
    void noteItem(const std::string& label);
    // A value a test reads off the screen without OCR: "log rows", "missing glyphs", ...
    void noteValue(const std::string& name, const std::string& value);

    const std::map<std::string, WidgetRect>& items() const { return items_; }
    const std::map<std::string, std::string>& values() const { return values_; }
    // {"items": {"URL": [x, y, w, h], ...}, "values": {...}}
    std::string toJson() const;

private:
    std::map<std::string, WidgetRect> items_;
    std::map<std::string, std::string> values_;
};

// Shorthand for WidgetMap::current().noteItem(label), called right after a widget.
inline void noteItem(const std::string& label) {
    WidgetMap::current().noteItem(label);
}

}  // namespace wsdemo
