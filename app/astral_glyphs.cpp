#include "astral_glyphs.h"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace wsdemo {

namespace {

bool isContinuation(unsigned char byte) {
    return (byte & 0xC0) == 0x80;
}

// The codepoint of the valid 4-byte sequence at `text[at]`, or 0 if there is none.
char32_t fourByteAt(std::string_view text, std::size_t at) {
    if (text.size() - at < 4) return 0;
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data() + at);
    if (bytes[0] < 0xF0 || bytes[0] > 0xF4) return 0;
    if (!isContinuation(bytes[1]) || !isContinuation(bytes[2]) || !isContinuation(bytes[3]))
        return 0;
    // Overlong forms start F0 80..8F; beyond U+10FFFF starts F4 90..BF.
    if ((bytes[0] == 0xF0 && bytes[1] < 0x90) || (bytes[0] == 0xF4 && bytes[1] > 0x8F)) return 0;
    return (char32_t(bytes[0] & 0x07) << 18) | (char32_t(bytes[1] & 0x3F) << 12) |
           (char32_t(bytes[2] & 0x3F) << 6) | char32_t(bytes[3] & 0x3F);
}

// The codepoint of the valid 3-byte sequence at `text[at]` if it is in the Private Use Area.
char32_t privateUseAt(std::string_view text, std::size_t at) {
    if (text.size() - at < 3) return 0;
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data() + at);
    if (bytes[0] != 0xEE && bytes[0] != 0xEF) return 0;
    if (!isContinuation(bytes[1]) || !isContinuation(bytes[2])) return 0;
    const char32_t codepoint = (char32_t(bytes[0] & 0x0F) << 12) |
                               (char32_t(bytes[1] & 0x3F) << 6) | char32_t(bytes[2] & 0x3F);
    return codepoint >= AstralGlyphs::kFirstSlot && codepoint <= AstralGlyphs::kOverflowSlot
               ? codepoint
               : 0;
}

void appendThreeBytes(std::string& out, char32_t codepoint) {
    out.push_back(char(0xE0 | (codepoint >> 12)));
    out.push_back(char(0x80 | ((codepoint >> 6) & 0x3F)));
    out.push_back(char(0x80 | (codepoint & 0x3F)));
}

void appendFourBytes(std::string& out, char32_t codepoint) {
    out.push_back(char(0xF0 | (codepoint >> 18)));
    out.push_back(char(0x80 | ((codepoint >> 12) & 0x3F)));
    out.push_back(char(0x80 | ((codepoint >> 6) & 0x3F)));
    out.push_back(char(0x80 | (codepoint & 0x3F)));
}

long ceilTo64th(long value) {
    return (value + 63) & ~63L;
}

}  // namespace

// One sorted list of every installed font (fontconfig sorts once; each codepoint then only
// reads charsets) and one FreeType face per font file and index, opened on first use.
struct AstralGlyphs::Faces {
    FT_Library library = nullptr;
    FcFontSet* sortedFonts = nullptr;
    std::map<std::pair<std::string, int>, FT_Face> openFaces;
    std::unordered_map<char32_t, FT_Face> faceOfCodepoint;  // nullptr: no font has it.

    Faces() {
        if (FT_Init_FreeType(&library) != 0) throw std::runtime_error("FreeType did not start");
    }
    ~Faces() {
        for (auto& [file, face] : openFaces) FT_Done_Face(face);
        if (sortedFonts) FcFontSetDestroy(sortedFonts);
        FT_Done_FreeType(library);
    }

    FT_Face faceFor(char32_t codepoint) {
        auto known = faceOfCodepoint.find(codepoint);
        if (known != faceOfCodepoint.end()) return known->second;
        return faceOfCodepoint[codepoint] = findFace(codepoint);
    }

private:
    FT_Face findFace(char32_t codepoint) {
        if (!sortedFonts) sortedFonts = sortAllFonts();
        if (!sortedFonts) return nullptr;
        for (int i = 0; i < sortedFonts->nfont; ++i) {
            FcPattern* font = sortedFonts->fonts[i];
            FcCharSet* charset = nullptr;
            FcBool scalable = FcFalse;
            FcChar8* file = nullptr;
            int index = 0;
            if (FcPatternGetCharSet(font, FC_CHARSET, 0, &charset) != FcResultMatch ||
                !FcCharSetHasChar(charset, codepoint) ||
                FcPatternGetBool(font, FC_SCALABLE, 0, &scalable) != FcResultMatch || !scalable ||
                FcPatternGetString(font, FC_FILE, 0, &file) != FcResultMatch)
                continue;
            FcPatternGetInteger(font, FC_INDEX, 0, &index);
            // fontconfig calls colour bitmap fonts (Noto Color Emoji) scalable; FreeType does not.
            FT_Face face = open(reinterpret_cast<const char*>(file), index);
            if (face && FT_IS_SCALABLE(face) && FT_Get_Char_Index(face, codepoint) != 0)
                return face;
        }
        return nullptr;
    }

    static FcFontSet* sortAllFonts() {
        FcPattern* pattern = FcPatternCreate();
        FcPatternAddBool(pattern, FC_SCALABLE, FcTrue);
        FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
        FcDefaultSubstitute(pattern);
        FcResult result = FcResultNoMatch;
        FcFontSet* fonts = FcFontSort(nullptr, pattern, FcFalse, nullptr, &result);
        FcPatternDestroy(pattern);
        return fonts;
    }

    FT_Face open(const std::string& file, int index) {
        auto [entry, isNew] = openFaces.try_emplace({file, index}, nullptr);
        if (isNew && FT_New_Face(library, file.c_str(), index, &entry->second) != 0)
            entry->second = nullptr;
        return entry->second;
    }
};

AstralGlyphs::AstralGlyphs() : faces_(std::make_unique<Faces>()) {}
AstralGlyphs::~AstralGlyphs() = default;

bool AstralGlyphs::needsMapping(std::string_view utf8) {
    // Eight bytes at a time: a byte >= 0xF0 is one whose high nibble, XORed with 0xF, is zero.
    constexpr std::uint64_t kHighNibbles = 0xF0F0F0F0F0F0F0F0ULL;
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kTopBits = 0x8080808080808080ULL;
    std::size_t at = 0;
    for (; at + 8 <= utf8.size(); at += 8) {
        std::uint64_t word;
        std::memcpy(&word, utf8.data() + at, 8);
        const std::uint64_t nibbles = (word & kHighNibbles) ^ kHighNibbles;
        if ((nibbles - kOnes) & ~nibbles & kTopBits) return true;
    }
    for (; at < utf8.size(); ++at)
        if (static_cast<unsigned char>(utf8[at]) >= 0xF0) return true;
    return false;
}

std::string AstralGlyphs::toDisplay(std::string_view utf8) {
    if (!needsMapping(utf8)) return std::string(utf8);
    std::string display;
    display.reserve(utf8.size());
    for (std::size_t at = 0; at < utf8.size();) {
        const auto lead = std::find_if(utf8.begin() + at, utf8.end(), [](char byte) {
            return static_cast<unsigned char>(byte) >= 0xF0;
        });
        const auto runEnd = std::size_t(lead - utf8.begin());
        display.append(utf8, at, runEnd - at);
        at = runEnd;
        if (at == utf8.size()) break;
        if (const char32_t astral = fourByteAt(utf8, at)) {
            appendThreeBytes(display, assignSlot(astral));
            at += 4;
        } else {
            display.push_back(utf8[at++]);
        }
    }
    return display;
}

std::string AstralGlyphs::fromDisplay(std::string_view utf8) const {
    std::string original;
    original.reserve(utf8.size() + utf8.size() / 3);
    for (std::size_t at = 0; at < utf8.size();) {
        const char32_t slot = privateUseAt(utf8, at);
        if (slot && slot - kFirstSlot < astralOfSlot_.size()) {
            appendFourBytes(original, astralOfSlot_[slot - kFirstSlot]);
            at += 3;
        } else {
            original.push_back(utf8[at++]);
        }
    }
    return original;
}

char32_t AstralGlyphs::slotOf(char32_t codepoint) const {
    const auto found = slotOfAstral_.find(codepoint);
    return found == slotOfAstral_.end() ? 0 : found->second;
}

char32_t AstralGlyphs::assignSlot(char32_t codepoint) {
    if (const char32_t slot = slotOf(codepoint)) return slot;
    if (astralOfSlot_.size() == kSlotCount) return kOverflowSlot;
    const auto slot = char32_t(kFirstSlot + astralOfSlot_.size());
    astralOfSlot_.push_back(codepoint);
    slotOfAstral_.emplace(codepoint, slot);
    return slot;
}

void AstralGlyphs::addGlyphRects(ImFontAtlas& atlas, ImFont* font, float pixelSize) {
    // The slots' glyphs sit on `font`'s baseline at its em size. ImGui's builders size a font
    // so that ascender - descender spans pixelSize (imgui_freetype: FT_SIZE_REQUEST_TYPE_REAL_DIM)
    // and place a glyph's top at round(Ascent) - bitmap_top from the line's top.
    const auto config = std::find_if(atlas.ConfigData.begin(), atlas.ConfigData.end(),
                                     [font](const ImFontConfig& candidate) {
                                         return candidate.DstFont == font && !candidate.MergeMode;
                                     });
    if (config == atlas.ConfigData.end() || !config->FontData)
        throw std::invalid_argument("addGlyphRects: the font was not added to this atlas");
    FT_Face base = nullptr;
    if (FT_New_Memory_Face(faces_->library, static_cast<const FT_Byte*>(config->FontData),
                           config->FontDataSize, config->FontNo, &base) != 0)
        throw std::invalid_argument("addGlyphRects: FreeType cannot read the font");
    FT_Size_RequestRec request{FT_SIZE_REQUEST_TYPE_REAL_DIM, 0, std::lround(pixelSize * 64), 0, 0};
    FT_Request_Size(base, &request);
    const auto ascent = int(ceilTo64th(base->size->metrics.ascender) >> 6);
    const long em64 = FT_MulFix(base->units_per_EM, base->size->metrics.y_scale);
    FT_Done_Face(base);

    for (char32_t slot = kFirstSlot; slot - kFirstSlot < astralOfSlot_.size(); ++slot)
        reserve(atlas, font, slot, {em64, ascent});
    reserve(atlas, font, kOverflowSlot, {em64, ascent});
    glyphsInAtlas_ = astralOfSlot_.size();
}

void AstralGlyphs::reserve(ImFontAtlas& atlas, ImFont* font, char32_t slot, SizeKey size) {
    const Bitmap& glyph = glyphFor(slot, size);
    const int rectId =
        atlas.AddCustomRectFontGlyph(font, ImWchar(slot), glyph.width, glyph.height, glyph.advance,
                                     ImVec2(glyph.offsetX, glyph.offsetY));
    pendingRects_.push_back({rectId, size, &glyph});
}

const AstralGlyphs::Bitmap& AstralGlyphs::glyphFor(char32_t slot, SizeKey size) {
    auto& ofSize = glyphCache_[size];
    auto cached = ofSize.find(slot);
    if (cached != ofSize.end()) return cached->second;
    const char32_t codepoint = slot == kOverflowSlot ? 0 : astralOfSlot_[slot - kFirstSlot];
    FT_Face face = codepoint ? faces_->faceFor(codepoint) : nullptr;
    Bitmap glyph;
    if (!face || !rasterise(face, codepoint, size, glyph)) glyph = box(size);
    return ofSize.emplace(slot, std::move(glyph)).first->second;
}

bool AstralGlyphs::rasterise(FT_FaceRec_* face, char32_t codepoint, SizeKey size, Bitmap& glyph) {
    if (FT_Set_Char_Size(face, 0, size.em64, 72, 72) != 0 ||
        FT_Load_Char(face, codepoint, FT_LOAD_NO_BITMAP | FT_LOAD_TARGET_LIGHT) != 0 ||
        FT_Render_Glyph(face->glyph, FT_RENDER_MODE_NORMAL) != 0)
        return false;
    const FT_Bitmap& bitmap = face->glyph->bitmap;
    if (bitmap.pixel_mode != FT_PIXEL_MODE_GRAY) return false;
    // One transparent pixel all round, so that bilinear filtering never samples a neighbour.
    glyph.width = int(bitmap.width) + 2;
    glyph.height = int(bitmap.rows) + 2;
    glyph.advance = float(ceilTo64th(face->glyph->advance.x) >> 6);
    glyph.offsetX = float(face->glyph->bitmap_left - 1);
    if (glyph.advance <= 0) {
        // Symbola draws musical symbols (U+1D11E 𝄞...) with no advance, left of the pen, to
        // overlay a staff; in a line of text each gets its own space instead.
        glyph.advance = float(glyph.width);
        glyph.offsetX = 0;
    }
    glyph.offsetY = float(size.ascent - face->glyph->bitmap_top - 1);
    glyph.alpha.assign(std::size_t(glyph.width) * std::size_t(glyph.height), 0);
    for (unsigned row = 0; row < bitmap.rows; ++row) {
        const unsigned char* source = bitmap.buffer + std::ptrdiff_t(row) * bitmap.pitch;
        std::copy(source, source + bitmap.width,
                  glyph.alpha.begin() + std::ptrdiff_t(row + 1) * glyph.width + 1);
    }
    return true;
}

// A rectangle outline from the baseline up to about cap height, as wide as a narrow letter.
AstralGlyphs::Bitmap AstralGlyphs::box(SizeKey size) {
    const double em = double(size.em64) / 64.0;
    const int outlineWidth = std::max(4, int(std::lround(em * 0.55)));
    const int outlineHeight = std::max(6, int(std::lround(em * 0.72)));
    const int stroke = std::max(1, int(std::lround(em / 16)));
    const int margin = std::max(1, int(std::lround(em * 0.1)));
    Bitmap glyph;
    glyph.width = outlineWidth + 2;
    glyph.height = outlineHeight + 2;
    glyph.advance = float(outlineWidth + 2 * margin);
    glyph.offsetX = float(margin - 1);
    glyph.offsetY = float(size.ascent - outlineHeight - 1);
    glyph.alpha.assign(std::size_t(glyph.width) * std::size_t(glyph.height), 0);
    for (int y = 0; y < outlineHeight; ++y)
        for (int x = 0; x < outlineWidth; ++x) {
            const bool edge = x < stroke || y < stroke || x >= outlineWidth - stroke ||
                              y >= outlineHeight - stroke;
            if (edge) glyph.alpha[std::size_t((y + 1) * glyph.width + x + 1)] = 0xFF;
        }
    return glyph;
}

void AstralGlyphs::renderGlyphs(ImFontAtlas& atlas) {
    unsigned char* rgba = nullptr;
    int textureWidth = 0;
    int textureHeight = 0;
    atlas.GetTexDataAsRGBA32(&rgba, &textureWidth, &textureHeight);
    unsigned char* alpha8 = atlas.TexPixelsAlpha8;  // Kept in step, should anyone read it.
    for (const PendingRect& pending : pendingRects_) {
        if (pending.rectId >= atlas.CustomRects.Size) continue;
        const ImFontAtlasCustomRect* rect = atlas.GetCustomRectByIndex(pending.rectId);
        if (!rect->IsPacked()) continue;
        const Bitmap& glyph = *pending.glyph;
        for (int y = 0; y < glyph.height; ++y) {
            const std::size_t rowStart =
                std::size_t(rect->Y + y) * std::size_t(textureWidth) + rect->X;
            const std::uint8_t* coverage = glyph.alpha.data() + std::size_t(y * glyph.width);
            unsigned char* pixel = rgba + rowStart * 4;
            for (int x = 0; x < glyph.width; ++x, pixel += 4) {
                pixel[0] = pixel[1] = pixel[2] = 0xFF;
                pixel[3] = coverage[x];
            }
            if (alpha8) std::copy(coverage, coverage + glyph.width, alpha8 + rowStart);
        }
    }
    // Glyphs of sizes this build did not use (the window's scale changed) go.
    for (auto size = glyphCache_.begin(); size != glyphCache_.end();) {
        const bool used = std::any_of(pendingRects_.begin(), pendingRects_.end(),
                                      [&](const PendingRect& p) { return p.size == size->first; });
        size = used ? std::next(size) : glyphCache_.erase(size);
    }
    pendingRects_.clear();
}

}  // namespace wsdemo
