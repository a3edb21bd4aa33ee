#include "fonts.h"

#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include <imgui_freetype.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <utility>

#include "font_roles.h"

namespace wsdemo {

namespace {

const FontManager* liveManager = nullptr;  // The one drawableText() consults.

constexpr char32_t kUnicodeEnd = 0x110000;
constexpr char32_t kReplacement = 0xFFFD;  // What Dear ImGui decodes invalid UTF-8 to.

// Baked into both fonts from the start: Latin, Latin-1, General Punctuation and the box. Every
// other block comes as text needs it: imgui_freetype rasterises every glyph of the atlas at each
// build, so the fewer baked, the shorter the build a new script costs.
constexpr ImWchar kBaseRanges[] = {0x0020, 0x00FF, 0x2000, 0x206F, 0x25A1, 0x25A1};

bool inBaseRanges(char32_t codepoint) {
    for (std::size_t i = 0; i < std::size(kBaseRanges); i += 2)
        if (codepoint >= kBaseRanges[i] && codepoint <= kBaseRanges[i + 1]) return true;
    return false;
}

bool isPrivateUse(char32_t codepoint) {
    return (codepoint >= 0xE000 && codepoint <= 0xF8FF) || codepoint >= 0xF0000;
}

bool isControl(char32_t codepoint) {
    return codepoint < 0x20 || (codepoint >= 0x7F && codepoint < 0xA0);
}

bool testBit(const std::vector<std::uint64_t>& bits, char32_t index) {
    return (bits[index / 64] >> (index % 64)) & 1u;
}

void setBit(std::vector<std::uint64_t>& bits, char32_t index) {
    bits[index / 64] |= std::uint64_t{1} << (index % 64);
}

// Decodes one UTF-8 sequence at p (p < end, *p >= 0x80). Returns its length, 0 when invalid
// (overlong, surrogate, above U+10FFFF, truncated).
std::size_t decodeUtf8(const unsigned char* p, const unsigned char* end, char32_t& codepoint) {
    const unsigned char lead = *p;
    std::size_t length;
    char32_t minimum;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2, minimum = 0x80, codepoint = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3, minimum = 0x800, codepoint = lead & 0x0Fu;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4, minimum = 0x10000, codepoint = lead & 0x07u;
    } else {
        return 0;
    }
    if (static_cast<std::size_t>(end - p) < length) return 0;
    for (std::size_t i = 1; i < length; ++i) {
        if ((p[i] & 0xC0u) != 0x80u) return 0;
        codepoint = (codepoint << 6) | (p[i] & 0x3Fu);
    }
    if (codepoint < minimum || codepoint >= kUnicodeEnd ||
        (codepoint >= 0xD800 && codepoint <= 0xDFFF))
        return 0;
    return length;
}

void appendUtf8(std::string& out, char32_t character) {
    if (character < 0x80) {
        out += static_cast<char>(character);
    } else if (character < 0x800) {
        out += static_cast<char>(0xC0 | (character >> 6));
        out += static_cast<char>(0x80 | (character & 0x3F));
    } else if (character < 0x10000) {
        out += static_cast<char>(0xE0 | (character >> 12));
        out += static_cast<char>(0x80 | ((character >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (character & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (character >> 18));
        out += static_cast<char>(0x80 | ((character >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((character >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (character & 0x3F));
    }
}

// A pattern asking for `family`, scalable (so that bitmap-only fonts such as Noto Color Emoji,
// which imgui_freetype 1.86 cannot load, are never chosen), with fontconfig's defaults applied.
FcPattern* familyPattern(FcConfig* config, const std::string& family) {
    FcPattern* pattern = FcPatternCreate();
    FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
    FcPatternAddBool(pattern, FC_SCALABLE, FcTrue);
    FcConfigSubstitute(config, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    return pattern;
}

bool isScalable(FcPattern* font) {
    FcBool scalable = FcFalse;
    return FcPatternGetBool(font, FC_SCALABLE, 0, &scalable) == FcResultMatch && scalable;
}

std::optional<std::pair<std::string, int>> fileOf(FcPattern* font) {
    FcChar8* file = nullptr;
    int index = 0;
    if (FcPatternGetString(font, FC_FILE, 0, &file) != FcResultMatch) return std::nullopt;
    FcPatternGetInteger(font, FC_INDEX, 0, &index);
    return std::make_pair(std::string(reinterpret_cast<const char*>(file)), index);
}

bool hasFamily(FcPattern* font, const std::string& family) {
    FcChar8* name = nullptr;
    for (int i = 0; FcPatternGetString(font, FC_FAMILY, i, &name) == FcResultMatch; ++i)
        if (FcStrCmpIgnoreCase(name, reinterpret_cast<const FcChar8*>(family.c_str())) == 0)
            return true;
    return false;
}

// FreeType's 26.6 fixed point to whole pixels, rounded up, as imgui_freetype does.
int ceilPixels(FT_Pos value) {
    return static_cast<int>((value + 63) >> 6);
}

// Sizes `face` as imgui_freetype 1.86 does: `pixels` is the ascender plus the descender.
void requestSize(FT_Face face, float pixels) {
    FT_Size_RequestRec request{};
    request.type = FT_SIZE_REQUEST_TYPE_REAL_DIM;
    request.height = static_cast<FT_Long>(pixels * 64);
    FT_Request_Size(face, &request);
}

}  // namespace

// A font file mapped read-only: the atlas reads the glyphs it bakes straight from the page cache
// instead of copying the file at each rebuild (Noto Sans CJK is 20 MB).
struct FontManager::FontFile {
    std::string path;  // Empty: the family was not found.
    int faceIndex = 0;
    void* data = nullptr;
    std::size_t size = 0;

    FontFile(std::string filePath, int index) : path(std::move(filePath)), faceIndex(index) {}
    ~FontFile() {
        if (data) munmap(data, size);
    }

    bool map() {
        if (data || path.empty()) return data != nullptr;
        const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return false;
        struct stat info {};
        if (fstat(fd, &info) == 0 && info.st_size > 0 && info.st_size < INT32_MAX) {
            void* mapped = mmap(nullptr, static_cast<std::size_t>(info.st_size), PROT_READ,
                                MAP_PRIVATE, fd, 0);
            if (mapped != MAP_FAILED) data = mapped, size = static_cast<std::size_t>(info.st_size);
        }
        close(fd);
        return data != nullptr;
    }
};

// fontconfig's answer to "which installed font has this codepoint": every scalable font, sorted
// once by closeness to the proportional family, walked in order; the union of their coverage
// answers "none" without a walk.
struct FontManager::Lookup {
    struct Candidate {
        FcCharSet* charset;  // Owned by `sorted`.
        std::string path;
        int faceIndex;
    };

    FcConfig* config = FcInitLoadConfigAndFonts();
    FcFontSet* sorted = nullptr;
    FcCharSet* coverage = nullptr;
    std::vector<Candidate> candidates;

    ~Lookup() {
        if (coverage) FcCharSetDestroy(coverage);
        if (sorted) FcFontSetDestroy(sorted);
        if (config) FcConfigDestroy(config);
    }

    std::optional<std::pair<std::string, int>> findFamily(const std::string& family) const {
        if (!config) return std::nullopt;
        FcPattern* pattern = familyPattern(config, family);
        FcResult result = FcResultNoMatch;
        FcPattern* font = FcFontMatch(config, pattern, &result);
        std::optional<std::pair<std::string, int>> file;
        if (font && isScalable(font) && hasFamily(font, family)) file = fileOf(font);
        if (font) FcPatternDestroy(font);
        FcPatternDestroy(pattern);
        return file;
    }

    const Candidate* fontFor(char32_t codepoint, const std::string& preferredFamily) {
        if (!coverage) sort(preferredFamily);
        if (!FcCharSetHasChar(coverage, codepoint)) return nullptr;
        for (const Candidate& candidate : candidates)
            if (FcCharSetHasChar(candidate.charset, codepoint)) return &candidate;
        return nullptr;
    }

    void sort(const std::string& preferredFamily) {
        coverage = FcCharSetCreate();
        if (!config) return;
        FcPattern* pattern = familyPattern(config, preferredFamily);
        FcResult result = FcResultNoMatch;
        sorted = FcFontSort(config, pattern, FcFalse, nullptr, &result);
        FcPatternDestroy(pattern);
        for (int i = 0; sorted && i < sorted->nfont; ++i) {
            FcPattern* font = sorted->fonts[i];
            FcCharSet* charset = nullptr;
            const auto file = fileOf(font);
            if (!isScalable(font) || !file ||
                FcPatternGetCharSet(font, FC_CHARSET, 0, &charset) != FcResultMatch)
                continue;
            candidates.push_back({charset, file->first, file->second});
            FcCharSetMerge(coverage, charset, nullptr);
        }
    }
};

FontManager::FontManager(float scale, std::string proportionalFamily, std::string monospaceFamily)
    : scale_(1.0f),
      preferredFamily_(proportionalFamily),
      lookup_(std::make_unique<Lookup>()),
      seen_(kUnicodeEnd / 64),
      missing_(kUnicodeEnd / 64),
      atlases_{std::make_unique<ImFontAtlas>(), std::make_unique<ImFontAtlas>()} {
    setScale(scale);
    for (const std::string* family : {&proportionalFamily, &monospaceFamily}) {
        const auto file = lookup_->findFamily(*family);
        files_.push_back(
            std::make_unique<FontFile>(file ? file->first : "", file ? file->second : 0));
        if (!file)
            problem_ += *family + " not found through fontconfig (Debian: fonts-dejavu-core). ";
        else if (!files_.back()->map())
            problem_ += "Cannot read " + file->first + ". ";
    }
    liveManager = this;
}

FontManager::~FontManager() {
    if (liveManager == this) liveManager = nullptr;
}

char32_t FontManager::blockSize(char32_t codepoint) {
    const bool ideographic = (codepoint >= 0x3400 && codepoint <= 0x4DBF) ||  // CJK Ext. A
                             (codepoint >= 0x4E00 && codepoint <= 0x9FFF) ||  // CJK Unified
                             (codepoint >= 0xA000 && codepoint <= 0xA4CF) ||  // Yi
                             (codepoint >= 0xAC00 && codepoint <= 0xD7AF) ||  // Hangul
                             (codepoint >= 0xF900 && codepoint <= 0xFAFF);    // CJK Compat.
    return ideographic ? 1 : kBlockSize;
}

float FontManager::pixelSize() const {
    return std::round(kBasePixels * scale_);
}

std::size_t FontManager::codepointBudget() const {
    const double cell = (pixelSize() + 1) * (pixelSize() + 1);  // A glyph and its padding.
    const auto fitting = static_cast<std::size_t>(kMaxExtraTexels / (2 * cell));  // Two fonts.
    return std::min(kMaxBakedCodepoints, fitting);
}

void FontManager::setScale(float scale) {
    // Nonsense from a platform (0, NaN, absurd) would make glyphs unreadable or the atlas huge.
    const float sane = std::isfinite(scale) ? std::clamp(scale, 0.5f, 4.0f) : 1.0f;
    if (sane == scale_) return;
    scale_ = sane;
    rebuildDue_ = true;
}

std::string FontManager::problem() const {
    std::string text = problem_;
    if (!files_[0]->data && !files_[1]->data)
        text += "Drawing with Dear ImGui's built-in font: Latin-1 only. ";
    if (bakedCodepoints_ > codepointBudget())
        text += std::to_string(bakedCodepoints_ - codepointBudget()) +
                " codepoints beyond the glyph budget (" + std::to_string(codepointBudget()) +
                " at this size) drawn as boxes. ";
    if (slotsRefused_ > 0)
        text += std::to_string(slotsRefused_) + " characters above U+FFFF beyond the " +
                std::to_string(kLastSlot - kFirstSlot + 1) + " private-use slots drawn as boxes. ";
    if (!text.empty()) text.pop_back();
    return text;
}

std::vector<std::string> FontManager::fontFiles() const {
    std::vector<std::string> paths;
    for (const auto& file : files_)
        if (file->data) paths.push_back(file->path);
    return paths;
}

bool FontManager::isMissing(char32_t codepoint) const {
    return codepoint < kUnicodeEnd && testBit(missing_, codepoint);
}

ImWchar FontManager::glyphId(char32_t codepoint) const {
    if (codepoint <= 0xFFFF)
        return isPrivateUse(codepoint) ? kBoxChar : static_cast<ImWchar>(codepoint);
    const auto slot = slots_.find(codepoint);
    return slot == slots_.end() ? kBoxChar : slot->second.first;
}

void FontManager::noteText(std::string_view utf8) {
    const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
    const auto* end = p + utf8.size();
    while (p < end) {
        if (*p < 0x80) {  // ASCII is baked from the start: skip it up to eight bytes at a time.
            if (end - p < 8) {
                ++p;
                continue;
            }
            std::uint64_t word;
            std::memcpy(&word, p, 8);
            const std::uint64_t nonAscii = word & 0x8080808080808080u;
            static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
                          "the lowest set bit must mark the first byte that is not ASCII");
            p += nonAscii ? static_cast<unsigned>(__builtin_ctzll(nonAscii)) / 8 : 8;
            continue;
        }
        // Most text outside ASCII is two or three bytes a character: decoded inline, the seen
        // bit tested inline; the rest, and anything invalid, by decodeUtf8.
        char32_t codepoint = 0;
        std::size_t length = 0;
        if (*p >= 0xE1 && *p <= 0xEC && end - p >= 3 && (p[1] & 0xC0u) == 0x80u &&
            (p[2] & 0xC0u) == 0x80u) {  // U+1000-U+CFFF: no overlong forms, no surrogates.
            codepoint = (char32_t{*p} & 0x0Fu) << 12 | (char32_t{p[1]} & 0x3Fu) << 6 |
                        (char32_t{p[2]} & 0x3Fu);
            length = 3;
        } else if (*p >= 0xC2 && *p <= 0xDF && end - p >= 2 && (p[1] & 0xC0u) == 0x80u) {
            codepoint = (char32_t{*p} & 0x1Fu) << 6 | (char32_t{p[1]} & 0x3Fu);
            length = 2;
        } else {
            length = decodeUtf8(p, end, codepoint);
        }
        if (length == 0) {
            ++p;
            continue;
        }
        p += length;
        if (!testBit(seen_, codepoint)) noteNew(codepoint);
    }
}

void FontManager::noteCharacters(const ImVector<ImWchar>& characters) {
    for (const ImWchar character : characters)
        if (!testBit(seen_, character)) noteNew(character);
}

void FontManager::noteNew(char32_t codepoint) {
    setBit(seen_, codepoint);
    // Controls are not drawn; U+FFFD is never baked, so that text Dear ImGui cannot decode shows
    // the box rather than the font's question mark in a diamond.
    if (isControl(codepoint) || codepoint == kReplacement) return;
    const Lookup::Candidate* font =
        isPrivateUse(codepoint) ? nullptr : lookup_->fontFor(codepoint, preferredFamily_);
    if (!font) {
        setBit(missing_, codepoint);
        ++missingCount_;
        return;
    }
    if (codepoint > 0xFFFF) {
        if (slots_.size() > static_cast<std::size_t>(kLastSlot - kFirstSlot)) {
            ++slotsRefused_;
            return;
        }
        const auto slot = static_cast<ImWchar>(kFirstSlot + slots_.size());
        slots_[codepoint] = {slot, fontIndex(font->path, font->faceIndex)};
        rebuildDue_ = true;
        return;
    }
    const char32_t size = blockSize(codepoint);
    const char32_t block = codepoint - codepoint % size;
    const std::size_t file = fontIndex(font->path, font->faceIndex);
    const bool baseFont = file < 2;
    if (baseFont && (inBaseRanges(codepoint) || allBlocks_.count(block))) return;
    const auto fileBlocks = blocksByFile_.find(file);
    if (!baseFont && fileBlocks != blocksByFile_.end() && fileBlocks->second.count(block)) return;
    if (!baseFont) blocksByFile_[file].insert(block);
    if (!allBlocks_.insert(block).second) return;
    bakedCodepoints_ += size;
    // Past the budget the atlas would not change: build() leaves such blocks out.
    if (bakedCodepoints_ <= codepointBudget()) rebuildDue_ = true;
}

std::size_t FontManager::fontIndex(const std::string& path, int faceIndex) {
    for (std::size_t i = 0; i < files_.size(); ++i)
        if (files_[i]->path == path && files_[i]->faceIndex == faceIndex) return i;
    files_.push_back(std::make_unique<FontFile>(path, faceIndex));
    return files_.size() - 1;
}

// What one atlas build reads, copied on the UI thread, so that a worker can build while noteText
// goes on. Also the glyph ranges the atlas keeps pointers to: held as long as the atlas.
struct FontManager::Plan {
    struct Face {
        const void* data = nullptr;  // A FontFile's mapping; nullptr when the font is missing.
        std::size_t size = 0;
        int index = 0;
        std::string name;
    };
    struct Source {
        Face face;
        std::vector<ImWchar> ranges;  // Pairs, then 0.
    };
    struct Role {
        Face base;                    // Its ascent places the emoji.
        std::vector<Source> sources;  // The base first, when it was found; then merged.
    };
    struct Emoji {
        char32_t codepoint;
        ImWchar slot;
        Face face;
    };
    float pixels = 0;
    Role roles[2];  // Proportional, monospace.
    std::vector<Emoji> emoji;
};

namespace {

struct PendingGlyph {
    int rectIndex;
    int width, height;
    std::vector<unsigned char> alpha;
};

ImFont* addSource(ImFontAtlas& atlas, const FontManager::Plan::Source& source, float pixels,
                  bool merge) {
    ImFontConfig config;
    config.FontData = const_cast<void*>(source.face.data);  // Only read.
    config.FontDataSize = static_cast<int>(source.face.size);
    // Owned by the atlas, so that AddFont does not copy the whole file; taken back right after,
    // so that the atlas never frees our mapping.
    config.FontDataOwnedByAtlas = true;
    config.FontNo = source.face.index;
    config.SizePixels = pixels;
    config.MergeMode = merge;
    config.GlyphRanges = source.ranges.data();
    std::snprintf(config.Name, sizeof config.Name, "%s, %.0f px", source.face.name.c_str(), pixels);
    ImFont* added = atlas.AddFont(&config);
    atlas.ConfigData.back().FontDataOwnedByAtlas = false;
    return added;
}

// Glyphs above U+FFFF, which imgui_freetype cannot be asked for with 16-bit ranges: rasterised
// here with FreeType at the atlas's size and placed as custom glyphs at their private-use slot.
void addEmoji(ImFontAtlas& atlas, ImFont* font, const FontManager::Plan& plan,
              const FontManager::Plan::Face& base, std::vector<PendingGlyph>& pending) {
    if (plan.emoji.empty() || !base.data) return;
    FT_Library library = nullptr;
    if (FT_Init_FreeType(&library) != 0) return;
    const auto open = [&](const FontManager::Plan::Face& face) {
        FT_Face opened = nullptr;
        if (FT_New_Memory_Face(library, static_cast<const FT_Byte*>(face.data),
                               static_cast<FT_Long>(face.size), face.index, &opened) != 0)
            return static_cast<FT_Face>(nullptr);
        requestSize(opened, plan.pixels);
        return opened;
    };
    if (FT_Face baseFace = open(base)) {
        const int ascent = ceilPixels(baseFace->size->metrics.ascender);
        std::map<const void*, FT_Face> faces;
        for (const auto& emoji : plan.emoji) {
            FT_Face& face = faces[emoji.face.data];
            if (!face) face = open(emoji.face);
            if (!face ||
                FT_Load_Char(face, emoji.codepoint, FT_LOAD_RENDER | FT_LOAD_NO_BITMAP) != 0)
                continue;
            const FT_Bitmap& bitmap = face->glyph->bitmap;
            if (bitmap.width == 0 || bitmap.rows == 0 || bitmap.pixel_mode != FT_PIXEL_MODE_GRAY)
                continue;
            PendingGlyph glyph{
                0, static_cast<int>(bitmap.width), static_cast<int>(bitmap.rows), {}};
            for (unsigned row = 0; row < bitmap.rows; ++row) {
                const unsigned char* line = bitmap.buffer + static_cast<long>(row) * bitmap.pitch;
                glyph.alpha.insert(glyph.alpha.end(), line, line + bitmap.width);
            }
            glyph.rectIndex = atlas.AddCustomRectFontGlyph(
                font, emoji.slot, glyph.width, glyph.height,
                static_cast<float>(ceilPixels(face->glyph->advance.x)),
                ImVec2(static_cast<float>(face->glyph->bitmap_left),
                       static_cast<float>(ascent - face->glyph->bitmap_top)));
            pending.push_back(std::move(glyph));
        }
        for (const auto& entry : faces)
            if (entry.second) FT_Done_Face(entry.second);
        FT_Done_Face(baseFace);
    }
    FT_Done_FreeType(library);
}

void copyEmojiPixels(ImFontAtlas& atlas, const std::vector<PendingGlyph>& pending) {
    for (const PendingGlyph& glyph : pending) {
        const ImFontAtlasCustomRect* rect = atlas.GetCustomRectByIndex(glyph.rectIndex);
        for (int y = 0; y < glyph.height; ++y)
            for (int x = 0; x < glyph.width; ++x) {
                const std::size_t texel = static_cast<std::size_t>(rect->Y + y) *
                                              static_cast<std::size_t>(atlas.TexWidth) +
                                          static_cast<std::size_t>(rect->X + x);
                const unsigned char alpha =
                    glyph.alpha[static_cast<std::size_t>(y * glyph.width + x)];
                if (atlas.TexPixelsAlpha8) atlas.TexPixelsAlpha8[texel] = alpha;
                if (atlas.TexPixelsRGBA32)
                    atlas.TexPixelsRGBA32[texel] = IM_COL32(255, 255, 255, alpha);
            }
    }
}

ImFont* addRole(ImFontAtlas& atlas, const FontManager::Plan& plan,
                const FontManager::Plan::Role& role, std::vector<PendingGlyph>& pending) {
    ImFont* font = nullptr;
    if (!role.base.data) {
        ImFontConfig config;
        config.SizePixels = std::round(13.0f * plan.pixels / FontManager::kBasePixels);
        font = atlas.AddFontDefault(&config);
    }
    for (const auto& source : role.sources) {
        ImFont* added = addSource(atlas, source, plan.pixels, font != nullptr);
        if (!font) font = added;
    }
    font->FallbackChar = FontManager::kBoxChar;  // BuildLookupTable keeps it when the glyph exists.
    addEmoji(atlas, font, plan, role.base, pending);
    return font;
}

}  // namespace

FontManager::BuildResult FontManager::execute(const Plan& plan, ImFontAtlas& atlas) {
    const auto start = std::chrono::steady_clock::now();
    atlas.Clear();
    atlas.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    std::vector<PendingGlyph> pending;
    BuildResult result;
    result.proportional = addRole(atlas, plan, plan.roles[0], pending);
    result.monospace = addRole(atlas, plan, plan.roles[1], pending);
    if (!atlas.Build()) {
        atlas.Clear();
        result.failed = true;
        result.proportional = result.monospace = atlas.AddFontDefault();
        atlas.Build();
        pending.clear();
    }
    copyEmojiPixels(atlas, pending);
    // What the OpenGL backend uploads, converted here rather than on the UI thread.
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    atlas.GetTexDataAsRGBA32(&pixels, &width, &height);
    result.took = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - start);
    return result;
}

std::shared_ptr<const FontManager::Plan> FontManager::makePlan() {
    auto plan = std::make_shared<Plan>();
    plan->pixels = pixelSize();
    // The base fonts get the base ranges and every block noted within the budget (each skips
    // what it lacks); fallback fonts only the blocks fontconfig chose them for.
    std::set<char32_t> blocks;
    std::size_t budget = codepointBudget();
    for (const char32_t block : allBlocks_) {
        if (blockSize(block) > budget) break;
        budget -= blockSize(block);
        blocks.insert(block);
    }
    std::vector<ImWchar> baseRanges(std::begin(kBaseRanges), std::end(kBaseRanges));
    for (const char32_t block : blocks) {
        const char32_t last = block + blockSize(block) - 1;
        baseRanges.push_back(static_cast<ImWchar>(block));
        // Never U+FFFD (see noteNew).
        baseRanges.push_back(static_cast<ImWchar>(last >= kReplacement ? kReplacement - 1 : last));
    }
    baseRanges.push_back(0);

    const auto face = [this](std::size_t file) {
        FontFile& font = *files_[file];
        Plan::Face mapped;
        if (!font.map()) return mapped;
        mapped.data = font.data;
        mapped.size = font.size;
        mapped.index = font.faceIndex;
        mapped.name = font.path.substr(font.path.rfind('/') + 1);
        return mapped;
    };
    for (std::size_t role = 0; role < 2; ++role) {
        Plan::Role& planned = plan->roles[role];
        planned.base = face(role);
        for (const std::size_t file : {role, 1 - role})
            if (files_[file]->map()) planned.sources.push_back({face(file), baseRanges});
        for (const auto& [file, fileBlocks] : blocksByFile_) {
            Plan::Source source{face(file), {}};
            for (const char32_t block : fileBlocks) {
                if (!blocks.count(block)) continue;
                source.ranges.push_back(static_cast<ImWchar>(block));
                source.ranges.push_back(static_cast<ImWchar>(block + blockSize(block) - 1));
            }
            source.ranges.push_back(0);
            if (source.face.data && source.ranges.size() > 1)
                planned.sources.push_back(std::move(source));
        }
    }
    for (const auto& [codepoint, slot] : slots_) {
        Plan::Face mapped = face(slot.second);
        if (mapped.data) plan->emoji.push_back({codepoint, slot.first, std::move(mapped)});
    }
    rebuildDue_ = false;
    return plan;
}

void FontManager::apply(const BuildResult& result) {
    if (result.failed)
        problem_ += "Building the font atlas failed: drawing with Dear ImGui's built-in font. ";
    setMonospaceFont(result.monospace);
    glyphCount_ = static_cast<std::size_t>(result.proportional->Glyphs.Size) +
                  (result.monospace == result.proportional
                       ? 0
                       : static_cast<std::size_t>(result.monospace->Glyphs.Size));
    lastBuildTime_ = result.took;
}

ImFontAtlas& FontManager::atlas() {
    return *atlases_[front_];
}

void FontManager::build() {
    if (worker_.valid()) finishBuild(true);
    plans_[front_] = makePlan();
    apply(execute(*plans_[front_], *atlases_[front_]));
}

void FontManager::startBuild(std::function<void()> onBuilt) {
    if (worker_.valid() || !rebuildDue_) return;
    const std::size_t spare = front_ ^ 1u;
    plans_[spare] = makePlan();
    built_ = false;
    worker_ = std::async(
        std::launch::async,
        [this, plan = plans_[spare], atlas = atlases_[spare].get(), onBuilt = std::move(onBuilt)] {
            BuildResult result = execute(*plan, *atlas);
            // Before onBuilt, so that the loop it wakes finds the build finished.
            built_ = true;
            if (onBuilt) onBuilt();
            return result;
        });
}

ImFontAtlas* FontManager::finishBuild(bool wait) {
    if (!worker_.valid()) return nullptr;
    if (!wait && !built_) return nullptr;
    const BuildResult result = worker_.get();  // At most the worker's last few instructions.
    const std::size_t old = front_;
    front_ ^= 1u;
    apply(result);
    atlases_[old]->Clear();  // Nothing draws with it any more: free its pixels.
    plans_[old].reset();
    return &atlas();
}

std::string_view FontManager::drawable(std::string_view utf8, std::string& scratch) const {
    // Codepoints above U+FFFF start with F0-F4, private-use ones U+E000-U+F8FF with EE or EF.
    const auto needsMapping = [](char byte) { return static_cast<unsigned char>(byte) >= 0xEE; };
    if (std::none_of(utf8.begin(), utf8.end(), needsMapping)) return utf8;
    scratch.clear();
    const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
    const auto* end = p + utf8.size();
    while (p < end) {
        char32_t codepoint = 0;
        const std::size_t length = *p >= 0x80 ? decodeUtf8(p, end, codepoint) : 0;
        if (length == 0 || (codepoint <= 0xFFFF && !isPrivateUse(codepoint))) {
            const std::size_t copied = length == 0 ? 1 : length;
            scratch.append(reinterpret_cast<const char*>(p), copied);
            p += copied;
            continue;
        }
        appendUtf8(scratch, glyphId(codepoint));
        p += length;
    }
    return scratch;
}

std::string_view drawableText(std::string_view utf8, std::string& scratch) {
    return liveManager ? liveManager->drawable(utf8, scratch) : utf8;
}

std::string editableText(std::string_view utf8) {
    // The manager is const to drawableText's callers only: the UI thread owns it.
    return liveManager ? const_cast<FontManager*>(liveManager)->editable(utf8) : std::string(utf8);
}

std::string originalText(std::string_view utf8) {
    return liveManager ? liveManager->original(utf8) : std::string(utf8);
}

namespace {

// `utf8` with each valid sequence whose lead byte passes `wanted` replaced by what `replace`
// gives for its codepoint (nothing: kept as it was); every other byte copied as it is.
template <class LeadTest, class Replace>
std::string rewriteCodepoints(std::string_view utf8, LeadTest wanted, Replace replace) {
    std::string text;
    text.reserve(utf8.size());
    const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
    const auto* end = p + utf8.size();
    while (p < end) {
        char32_t codepoint = 0;
        const std::size_t length = wanted(*p) ? decodeUtf8(p, end, codepoint) : 0;
        const std::optional<char32_t> replacement = length == 0 ? std::nullopt : replace(codepoint);
        if (replacement)
            appendUtf8(text, *replacement);
        else
            text.append(reinterpret_cast<const char*>(p), length == 0 ? 1 : length);
        p += length == 0 ? 1 : length;
    }
    return text;
}

}  // namespace

std::string FontManager::editable(std::string_view utf8) {
    noteText(utf8);  // Gives each codepoint above U+FFFF its slot.
    return rewriteCodepoints(
        utf8, [](unsigned char lead) { return lead >= 0xF0; },
        [this](char32_t codepoint) -> std::optional<char32_t> { return glyphId(codepoint); });
}

std::string FontManager::original(std::string_view utf8) const {
    std::map<ImWchar, char32_t> owners;  // Slot -> codepoint; built only when a slot is there.
    return rewriteCodepoints(
        utf8, [](unsigned char lead) { return lead == 0xEE || lead == 0xEF; },
        [&](char32_t codepoint) -> std::optional<char32_t> {
            if (!isPrivateUse(codepoint)) return std::nullopt;
            if (owners.empty())
                for (const auto& [owner, slot] : slots_) owners[slot.first] = owner;
            const auto found = owners.find(static_cast<ImWchar>(codepoint));
            if (found == owners.end()) return std::nullopt;
            return found->second;
        });
}

}  // namespace wsdemo
