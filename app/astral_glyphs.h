// Codepoints above U+FFFF (emoji, historic scripts, CJK extension B) for an ImGui built with
// 16-bit ImWchar, as Debian's libimgui.a is: its UTF-8 decoder turns each of them into U+FFFD.
// Text a peer sent is rewritten for display, each astral codepoint to a slot of the Private Use
// Area (U+E000..U+F8FF) that this map owns, and each slot gets a glyph of its astral codepoint,
// rasterised with FreeType from a scalable font fontconfig names (Symbola for emoji), or a box
// when no installed font has it. UI thread only.
// Known limit: a PUA codepoint a peer sends itself (U+E000..U+F8FF) is drawn with whatever glyph
// its slot holds, and fromDisplay() turns it into that slot's astral codepoint.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct FT_FaceRec_;
struct ImFont;
struct ImFontAtlas;

namespace wsdemo {

class AstralGlyphs {
public:
    static constexpr char32_t kFirstSlot = 0xE000;
    // U+F8FF, the last PUA codepoint, is the box every astral codepoint maps to once the other
    // 6,399 slots are taken: still never '?', but fromDisplay cannot restore those.
    static constexpr char32_t kOverflowSlot = 0xF8FF;
    static constexpr std::size_t kSlotCount = kOverflowSlot - kFirstSlot;  // 6,399 assignable.

    AstralGlyphs();
    ~AstralGlyphs();
    AstralGlyphs(const AstralGlyphs&) = delete;
    AstralGlyphs& operator=(const AstralGlyphs&) = delete;

    // True when `utf8` holds a byte of 0xF0 or above, i.e. maybe a 4-byte sequence: one scan.
    static bool needsMapping(std::string_view utf8);
    // Every valid 4-byte sequence becomes its slot's 3-byte sequence (a new slot if need be);
    // every other byte, invalid ones included, is copied as it is.
    std::string toDisplay(std::string_view utf8);
    // The inverse, for text taken from display: slots this map assigned become their astral
    // codepoints again; other bytes (other PUA codepoints, the overflow box) stay as they are.
    std::string fromDisplay(std::string_view utf8) const;

    // The slot `codepoint` is drawn with, if it has been assigned one.
    char32_t slotOf(char32_t codepoint) const;
    std::size_t assignedSlots() const { return astralOfSlot_.size(); }
    // Slots were assigned since the last addGlyphRects(): the atlas lacks their glyphs.
    bool rebuildDue() const { return glyphsInAtlas_ < astralOfSlot_.size(); }

    // Before atlas.Build(), for each font (added to `atlas` at `pixelSize`, not merged) that
    // shows peer text: reserves a rectangle glyph in `font` for every slot and for the overflow
    // box. The first call with a new codepoint asks fontconfig (one sort of every font: 10 ms
    // here the first time in a process, 1 ms after).
    // Throws std::invalid_argument if `font` is not in `atlas` or FreeType cannot read it.
    void addGlyphRects(ImFontAtlas& atlas, ImFont* font, float pixelSize);
    // After atlas.Build(): fills the reserved rectangles, white with the coverage in alpha.
    void renderGlyphs(ImFontAtlas& atlas);

private:
    struct Bitmap {  // One rasterised glyph, a transparent pixel around it, and its placement.
        int width = 0;
        int height = 0;
        float advance = 0;
        float offsetX = 0;  // From the pen position to the bitmap's left edge.
        float offsetY = 0;  // From the top of the line to the bitmap's top edge.
        std::vector<std::uint8_t> alpha;
    };
    struct SizeKey {  // What a glyph's bitmap depends on besides its codepoint.
        long em64;    // The font's em in 1/64 px.
        int ascent;   // The font's ascent in px: the baseline's distance from the line's top.
        bool operator<(const SizeKey& other) const {
            return em64 != other.em64 ? em64 < other.em64 : ascent < other.ascent;
        }
        bool operator==(const SizeKey& other) const {
            return em64 == other.em64 && ascent == other.ascent;
        }
    };
    struct PendingRect {  // Reserved in the atlas, filled at renderGlyphs().
        int rectId;
        SizeKey size;
        const Bitmap* glyph;
    };
    struct Faces;  // FreeType and fontconfig handles, one face per font file.

    char32_t assignSlot(char32_t codepoint);
    void reserve(ImFontAtlas& atlas, ImFont* font, char32_t slot, SizeKey size);
    const Bitmap& glyphFor(char32_t slot, SizeKey size);
    static bool rasterise(FT_FaceRec_* face, char32_t codepoint, SizeKey size, Bitmap& glyph);
    static Bitmap box(SizeKey size);

    std::vector<char32_t> astralOfSlot_;  // Index: slot - kFirstSlot.
    std::unordered_map<char32_t, char32_t> slotOfAstral_;
    std::size_t glyphsInAtlas_ = 0;

    std::unique_ptr<Faces> faces_;
    // Rasterised glyphs by size, then slot, kept across atlas rebuilds (a rebuild rasterises
    // only new slots); sizes that no font used in the last build are dropped at renderGlyphs().
    std::map<SizeKey, std::unordered_map<char32_t, Bitmap>> glyphCache_;
    std::vector<PendingRect> pendingRects_;
};

}  // namespace wsdemo
