// A Dear ImGui context with no window and no GL, for panel tests: draw frames, type, press keys
// and click widgets by the label the panel noted in the WidgetMap, as a person would.
#pragma once

#include <imgui.h>

#include <functional>
#include <string>

#include "widget_map.h"

namespace wsdemo::test {

class HeadlessImGui {
public:
    explicit HeadlessImGui(ImVec2 displaySize = ImVec2(960, 720));
    ~HeadlessImGui();
    HeadlessImGui(const HeadlessImGui&) = delete;
    HeadlessImGui& operator=(const HeadlessImGui&) = delete;

    // One frame: NewFrame, WidgetMap::beginFrame, draw(), Render.
    void frame(const std::function<void()>& draw);

    // Each takes effect in the next frame() (then is released after it, for keys and mouse).
    void type(const std::string& utf8);
    // `key`: an ImGuiKey, or a letter's capital ('K'), which is its GLFW key code.
    void press(int key, bool shift = false, bool ctrl = false);
    // Moves the mouse to the centre of the widget noted as `label` in the last frame, then
    // presses and releases the left button over the next two frames (calling draw for each).
    // Throws std::runtime_error if the last frame noted no such widget.
    void click(const std::string& label, const std::function<void()>& draw);

    const WidgetMap& widgets() const { return WidgetMap::current(); }

    // Draws `contents` in a window named `name` that fills the display, with no title bar, as
    // the App lays out a panel. For use inside frame()'s draw.
    static void panelWindow(const char* name, const std::function<void()>& contents);

    // How far the current window's contents ran past its right edge in the frame before. Less
    // the pixel Dear ImGui 1.86 adds to a wrapped line that ends at the wrap position (its
    // CalcTextSize rounds 364 px up to 365).
    static float overflowX();

private:
    int pendingKey_ = -1;  // io.KeysDown index held for the next frame.
};

}  // namespace wsdemo::test
