// The window's fonts: DejaVu Sans and DejaVu Sans Mono found through fontconfig, rasterised by
// imgui_freetype, widened as text in other scripts arrives (Dear ImGui 1.86 bakes glyphs ahead
// of time): a worker builds a wider atlas, swapped in between two frames. fontconfig names the
// installed font that has each new codepoint; one no font has is drawn as a box (U+25A1), never
// '?'.
//
// Debian builds Dear ImGui with 16-bit ImWchar: it decodes every codepoint above U+FFFF (emoji)
// as U+FFFD. Those glyphs are rasterised here and baked at a private-use slot (U+E000-U+F8FF);
// text goes through drawableText() before it is drawn so that they show.
//
// UI thread only (build() at start may run on another thread before any Dear ImGui context
// exists; startBuild() runs its own worker).
#pragma once

#include <imgui.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace wsdemo {

class FontManager {
public:
    static constexpr float kBasePixels = 15.0f;  // At content scale 1.
    static constexpr ImWchar kBoxChar = 0x25A1;  // WHITE SQUARE: drawn for any missing glyph.
    // Codepoints are baked by aligned blocks of this many (fewer rebuilds), except in the large
    // ideographic scripts (CJK, Hangul, Yi), where neighbours are unrelated: one by one there.
    static constexpr char32_t kBlockSize = 64;
    static constexpr std::size_t kMaxBakedCodepoints = 8192;  // Beyond the base ranges.
    // The glyphs beyond the base ranges, in both fonts, cover about this many texels at most.
    static constexpr double kMaxExtraTexels = 2048.0 * 4096.0;  // 32 MiB as RGBA.
    static char32_t blockSize(char32_t codepoint);
    static constexpr ImWchar kFirstSlot = 0xE000, kLastSlot = 0xF8FF;  // Private Use Area.

    // Finds the fonts; the families can be changed for tests. The manager registers itself as the
    // one drawableText() consults.
    explicit FontManager(float scale, std::string proportionalFamily = "DejaVu Sans",
                         std::string monospaceFamily = "DejaVu Sans Mono");
    ~FontManager();  // Waits for a build under way.
    FontManager(const FontManager&) = delete;
    FontManager& operator=(const FontManager&) = delete;

    // The atlas to draw with: create the Dear ImGui context with it (ImGui::CreateContext(&
    // fonts.atlas())), so that the context never deletes it; the manager must outlive the context.
    ImFontAtlas& atlas();

    // Builds atlas() here and now: the proportional font (the default, first) and the monospace
    // one (setMonospaceFont) with every codepoint noted so far. Between two frames, then recreate
    // the GL texture. At start, before any Dear ImGui context exists, it may run on a worker.
    void build();
    // The same on a worker thread, into a spare atlas, while the window keeps drawing with
    // atlas(): does nothing unless a rebuild is due and none is under way. `onBuilt` runs on the
    // worker when it is done (to wake the event loop).
    void startBuild(std::function<void()> onBuilt);
    // Once the worker is done (or after waiting for it): swaps the new atlas in and returns it,
    // for io.Fonts and a new GL texture, between two frames; nullptr while none is ready.
    ImFontAtlas* finishBuild(bool wait = false);

    // Notes every codepoint of text that may be drawn. New ones that an installed font has make a
    // rebuild due. Invalid UTF-8 is skipped (Dear ImGui draws it as U+FFFD, the box).
    void noteText(std::string_view utf8);
    // The same for characters typed this frame (io.InputQueueCharacters, before NewFrame).
    void noteCharacters(const ImVector<ImWchar>& characters);
    bool rebuildDue() const { return rebuildDue_; }

    void setScale(float scale);
    float scale() const { return scale_; }
    float pixelSize() const;
    // How many codepoints beyond the base ranges the atlas takes at this size: at most
    // kMaxBakedCodepoints, fewer when large glyphs would outgrow kMaxExtraTexels. Codepoints past
    // it (in codepoint order) are drawn as the box and reported by problem().
    std::size_t codepointBudget() const;

    // Why the window draws with less than it should (a base font missing, the glyph budget
    // spent), for the window to show; empty when all is well.
    std::string problem() const;
    std::vector<std::string> fontFiles() const;  // The files in the atlas, base fonts first.
    std::size_t glyphCount() const { return glyphCount_; }
    std::chrono::microseconds lastBuildTime() const { return lastBuildTime_; }

    bool isMissing(char32_t codepoint) const;  // Noted, and no installed font has it.
    std::size_t missingCount() const { return missingCount_; }
    // The character the atlas holds `codepoint`'s glyph under: itself, or its private-use slot
    // above U+FFFF (the box when it has none).
    ImWchar glyphId(char32_t codepoint) const;
    // `utf8` as Dear ImGui 1.86 can draw it: codepoints above U+FFFF replaced by their slot, and
    // literal private-use codepoints by the box. Returns `utf8` itself when nothing needs
    // replacing (the usual case), else a view of `scratch`.
    std::string_view drawable(std::string_view utf8, std::string& scratch) const;

    // Dear ImGui's text input holds 16-bit characters: text pasted into it, or put there from a
    // snippet, has its codepoints above U+FFFF as their slots (noted, so they are drawn), and
    // original() turns the slots back before the text is sent or saved. A private-use
    // character at a slot this manager gave out comes back as that slot's codepoint.
    std::string editable(std::string_view utf8);
    std::string original(std::string_view utf8) const;

    struct Plan;  // What one build reads (public for the builder's helpers; opaque outside).

private:
    struct FontFile;
    struct Lookup;  // fontconfig's fonts in order of preference, loaded on first need.
    struct BuildResult {
        ImFont* proportional = nullptr;
        ImFont* monospace = nullptr;
        bool failed = false;
        std::chrono::microseconds took{0};
    };

    void noteNew(char32_t codepoint);  // First sight: which font has it, if any.
    std::size_t fontIndex(const std::string& path, int faceIndex);
    std::shared_ptr<const Plan> makePlan();  // UI thread: what the next build bakes.
    static BuildResult execute(const Plan& plan, ImFontAtlas& atlas);  // Any thread.
    void apply(const BuildResult& result);                             // UI thread, once built.

    float scale_;
    std::string problem_;
    std::string preferredFamily_;  // fontconfig sorts fallbacks by closeness to it.
    std::unique_ptr<Lookup> lookup_;
    std::vector<std::unique_ptr<FontFile>> files_;  // [0] proportional, [1] monospace, fallbacks.
    std::vector<std::uint64_t> seen_, missing_;     // Bitsets over all of Unicode.
    std::size_t missingCount_ = 0;
    std::size_t slotsRefused_ = 0;     // Codepoints above U+FFFF once the slots ran out.
    std::set<char32_t> allBlocks_;     // First codepoint of each block noted.
    std::size_t bakedCodepoints_ = 0;  // In allBlocks_.
    std::map<std::size_t, std::set<char32_t>> blocksByFile_;     // Fallback file -> its blocks.
    std::map<char32_t, std::pair<ImWchar, std::size_t>> slots_;  // Above U+FFFF -> slot, file.
    bool rebuildDue_ = true;
    std::size_t glyphCount_ = 0;
    std::chrono::microseconds lastBuildTime_{0};
    // The atlas drawn with and the spare a worker builds into, each with the plan it was built
    // from (the atlas keeps pointers to its glyph ranges).
    std::unique_ptr<ImFontAtlas> atlases_[2];
    std::shared_ptr<const Plan> plans_[2];
    std::size_t front_ = 0;
    std::atomic<bool> built_{false};   // Set by the worker when its atlas is ready.
    std::future<BuildResult> worker_;  // Last: joined first on destruction.
};

// FontManager::drawable(), editable() and original() of the live manager; `utf8` itself when
// there is none (headless tests).
std::string_view drawableText(std::string_view utf8, std::string& scratch);
std::string editableText(std::string_view utf8);
std::string originalText(std::string_view utf8);

}  // namespace wsdemo
