// The window's fonts: found through fontconfig, widened as text arrives, a box for what no
// installed font has. Needs the fonts of scripts/install-deps: fonts-dejavu-core,
// fonts-noto-cjk, fonts-symbola.
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <string>

#include "font_roles.h"
#include "fonts.h"

using namespace wsdemo;

namespace {

// Resets the monospace role at the end of a test, so that no later test draws with a font of a
// destroyed atlas.
struct ResetMonospaceRole {
    ~ResetMonospaceRole() { setMonospaceFont(nullptr); }
};

ImFont* proportional(FontManager& fonts) {
    return fonts.atlas().Fonts[0];
}
ImFont* monospace(FontManager& fonts) {
    return fonts.atlas().Fonts[1];
}

// Every codepoint of `utf8` (valid UTF-8).
std::u32string codepoints(const std::string& utf8) {
    std::u32string out;
    for (std::size_t i = 0; i < utf8.size();) {
        const auto lead = static_cast<unsigned char>(utf8[i]);
        const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        char32_t codepoint = length == 1 ? lead : lead & (0x7F >> length);
        for (std::size_t k = 1; k < length; ++k)
            codepoint = (codepoint << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3Fu);
        out += codepoint;
        i += length;
    }
    return out;
}

bool endsWith(const std::string& text, const std::string& tail) {
    return text.size() >= tail.size() &&
           text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

const std::string kSentence = "Привет, мир! 你好 🎉 café — naïve ≥ ∑";
constexpr char32_t kNoFontHasIt = 0x10FFFD;  // Plane 16 private use: "\xF4\x8F\xBF\xBD".

}  // namespace

TEST_CASE("DejaVu Sans and DejaVu Sans Mono are found through fontconfig", "[fonts]") {
    FontManager fonts(1.0f);
    CHECK(fonts.problem().empty());
    const auto files = fonts.fontFiles();
    REQUIRE(files.size() == 2);
    CHECK(endsWith(files[0], "/DejaVuSans.ttf"));
    CHECK(endsWith(files[1], "/DejaVuSansMono.ttf"));

    ResetMonospaceRole reset;
    fonts.build();
    REQUIRE(fonts.atlas().Fonts.Size == 2);
    CHECK(monospaceFont() == monospace(fonts));
    CHECK(proportional(fonts)->FontSize == 15.0f);
    CHECK(proportional(fonts)->FindGlyphNoFallback(U'é') != nullptr);    // Latin-1 is baked,
    CHECK(proportional(fonts)->FindGlyphNoFallback(0x2192) == nullptr);  // → when text has one.
}

TEST_CASE("every character of a Cyrillic, CJK and emoji sentence gets a real glyph", "[fonts]") {
    FontManager fonts(1.0f);
    ResetMonospaceRole reset;
    fonts.build();
    CHECK_FALSE(fonts.rebuildDue());
    fonts.noteText(kSentence);
    CHECK(fonts.rebuildDue());
    fonts.build();
    CHECK_FALSE(fonts.rebuildDue());
    CHECK(fonts.missingCount() == 0);

    for (const char32_t codepoint : codepoints(kSentence)) {
        if (codepoint == U' ') continue;  // Built, but invisible, and so never "found".
        INFO("U+" << std::hex << static_cast<unsigned>(codepoint));
        const ImWchar id = fonts.glyphId(codepoint);
        CHECK(proportional(fonts)->FindGlyphNoFallback(id) != nullptr);
        CHECK(monospace(fonts)->FindGlyphNoFallback(id) != nullptr);
    }
    SECTION("the emoji is baked at a private-use slot with ink, and the text is drawn through it") {
        const ImWchar slot = fonts.glyphId(U'🎉');
        CHECK(slot == FontManager::kFirstSlot);
        const ImFontGlyph* glyph = proportional(fonts)->FindGlyphNoFallback(slot);
        REQUIRE(glyph != nullptr);
        CHECK(glyph->X1 - glyph->X0 > 4.0f);
        std::string scratch;
        CHECK(drawableText("a 🎉 b", scratch) == "a \xEE\x80\x80 b");  // U+E000.
        CHECK(drawableText("no emoji, 你好", scratch) == "no emoji, 你好");
        // A literal U+E000 in a message is not the emoji baked there: it is drawn as the box.
        CHECK(drawableText("\xEE\x80\x80", scratch) == "\xE2\x96\xA1");
        CHECK(drawableText("bad \xFF byte", scratch) == "bad \xFF byte");  // Left to ImGui.
    }
    SECTION("the fallback fonts come from fontconfig: Noto Sans CJK and Symbola") {
        const auto files = fonts.fontFiles();
        REQUIRE(files.size() == 4);
        CHECK(files[2].find("NotoSansCJK") != std::string::npos);
        CHECK(endsWith(files[3], "/Symbola_hint.ttf"));
    }
}

TEST_CASE("a codepoint no installed font has is missing and drawn as the box, never '?'",
          "[fonts]") {
    FontManager fonts(1.0f);
    fonts.noteText("private use \xF4\x8F\xBF\xBD and an unassigned \xF0\xB0\x80\x80 here");
    CHECK(fonts.isMissing(kNoFontHasIt));
    CHECK(fonts.isMissing(0x30000));
    CHECK(fonts.missingCount() == 2);
    CHECK_FALSE(fonts.isMissing(U'a'));
    fonts.noteText("\xFF\xC3 truncated and invalid bytes \xE4\xBD");
    CHECK(fonts.missingCount() == 2);

    ResetMonospaceRole reset;
    fonts.build();
    const ImFontGlyph* box = proportional(fonts)->FindGlyphNoFallback(FontManager::kBoxChar);
    REQUIRE(box != nullptr);
    for (ImFont* font : {proportional(fonts), monospace(fonts)}) {
        CHECK(font->FallbackChar == FontManager::kBoxChar);
        CHECK(font->FindGlyph(fonts.glyphId(kNoFontHasIt)) ==
              font->FindGlyphNoFallback(FontManager::kBoxChar));
        // What Dear ImGui decodes from invalid UTF-8 or anything above U+FFFF left unmapped.
        CHECK(font->FindGlyph(0xFFFD) == font->FindGlyphNoFallback(FontManager::kBoxChar));
        CHECK(font->FindGlyph(0xFFFD) != font->FindGlyphNoFallback('?'));
    }
    std::string scratch;
    CHECK(drawableText("x\xF4\x8F\xBF\xBDy", scratch) == "x\xE2\x96\xA1y");  // The box.
}

TEST_CASE("Latin-1 text widens nothing, other blocks widen by 64, ideographs one by one",
          "[fonts]") {
    FontManager fonts(1.0f);
    ResetMonospaceRole reset;
    fonts.build();
    const std::size_t latinGlyphs = fonts.glyphCount();

    fonts.noteText("Plain ASCII, Latin-1 café, punctuation — “quoted” …");
    CHECK_FALSE(fonts.rebuildDue());

    fonts.noteText("Ж");  // Cyrillic: its block of 64 (U+0400-U+043F).
    REQUIRE(fonts.rebuildDue());
    fonts.build();
    const std::size_t withCyrillic = fonts.glyphCount();
    CHECK(withCyrillic > latinGlyphs);
    CHECK(withCyrillic <= latinGlyphs + 2 * FontManager::kBlockSize);  // In both fonts.
    CHECK(proportional(fonts)->FindGlyphNoFallback(U'Я') != nullptr);  // Same block, unseen.
    fonts.noteText("Где база");                                        // All in U+0400-U+043F.
    CHECK_FALSE(fonts.rebuildDue());
    const ImVector<ImWchar> typed = [] {
        ImVector<ImWchar> characters;
        characters.push_back(0x05D0);  // א, typed: Hebrew's block.
        return characters;
    }();
    fonts.noteCharacters(typed);
    REQUIRE(fonts.rebuildDue());
    fonts.build();
    CHECK(monospace(fonts)->FindGlyphNoFallback(0x05D0) != nullptr);
    const std::size_t withHebrew = fonts.glyphCount();

    fonts.noteText("你好");  // Ideographs: one by one.
    REQUIRE(fonts.rebuildDue());
    fonts.build();
    CHECK(fonts.glyphCount() == withHebrew + 2 * 2);
    fonts.noteText("你好好");
    CHECK_FALSE(fonts.rebuildDue());
    CHECK(proportional(fonts)->FindGlyphNoFallback(0x4E00) == nullptr);  // 一: not seen.
}

TEST_CASE("the glyph budget bounds the atlas and is reported", "[fonts]") {
    FontManager fonts(1.0f);
    ResetMonospaceRole reset;
    fonts.build();
    const std::size_t latinGlyphs = fonts.glyphCount();
    std::string everyCjk;
    for (char32_t c = 0x4E00; c < 0x9FFF; ++c) {
        everyCjk += static_cast<char>(0xE0 | (c >> 12));
        everyCjk += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        everyCjk += static_cast<char>(0x80 | (c & 0x3F));
    }
    CHECK(fonts.problem().empty());
    fonts.noteText(everyCjk);  // 20,991 ideographs.
    CHECK(fonts.problem().find("beyond the glyph budget") != std::string::npos);
    fonts.build();
    CHECK(fonts.codepointBudget() == FontManager::kMaxBakedCodepoints);
    CHECK(fonts.glyphCount() == latinGlyphs + 2 * FontManager::kMaxBakedCodepoints);
    CHECK_FALSE(fonts.rebuildDue());
    fonts.noteText("\xEA\xB0\x80");  // 가: more than the budget takes makes no rebuild due.
    CHECK_FALSE(fonts.rebuildDue());

    SECTION("larger glyphs, fewer of them: the atlas grows by about kMaxExtraTexels at most") {
        const auto texels = [](const ImFontAtlas& atlas) {
            return static_cast<double>(atlas.TexWidth) * atlas.TexHeight;
        };
        FontManager latinOnly(3.0f);
        latinOnly.build();
        fonts.setScale(3.0f);
        fonts.build();
        CHECK(fonts.codepointBudget() < FontManager::kMaxBakedCodepoints / 2);
        // Twice: Dear ImGui rounds the atlas height up to a power of two.
        CHECK(texels(fonts.atlas()) <=
              2 * (texels(latinOnly.atlas()) + FontManager::kMaxExtraTexels));
        CHECK(fonts.problem().find(std::to_string(fonts.codepointBudget()) + " at this size") !=
              std::string::npos);
    }
}

TEST_CASE("a build on a worker swaps in a wider atlas while noting goes on", "[fonts]") {
    FontManager fonts(1.0f);
    ResetMonospaceRole reset;
    fonts.build();
    ImFontAtlas* drawn = &fonts.atlas();
    CHECK(fonts.finishBuild() == nullptr);  // None under way.

    fonts.noteText("你好");
    std::promise<void> built;
    fonts.startBuild([&built] { built.set_value(); });
    CHECK_FALSE(fonts.rebuildDue());
    fonts.noteText("世界");  // Noted while the worker builds: due for the next build.
    CHECK(fonts.rebuildDue());
    fonts.startBuild(nullptr);  // One at a time: no effect while one is under way.
    REQUIRE(built.get_future().wait_for(std::chrono::seconds(10)) == std::future_status::ready);

    ImFontAtlas* swapped = fonts.finishBuild();
    REQUIRE(swapped != nullptr);
    CHECK(swapped != drawn);
    CHECK(swapped == &fonts.atlas());
    CHECK(monospaceFont() == monospace(fonts));
    CHECK(proportional(fonts)->FindGlyphNoFallback(0x4F60) != nullptr);  // 你
    CHECK(proportional(fonts)->FindGlyphNoFallback(0x4E16) == nullptr);  // 世: after.
    CHECK(drawn->Fonts.empty());  // The old atlas is cleared once nothing draws with it.

    fonts.startBuild(nullptr);
    REQUIRE(fonts.finishBuild(true) == drawn);  // Waits; the atlases take turns.
    CHECK(proportional(fonts)->FindGlyphNoFallback(0x4E16) != nullptr);
}

TEST_CASE("a content scale of 2 doubles the font size and makes a rebuild due", "[fonts]") {
    FontManager fonts(1.0f);
    ResetMonospaceRole reset;
    fonts.build();
    const float oneX = proportional(fonts)->FontSize;
    fonts.setScale(2.0f);
    CHECK(fonts.scale() == 2.0f);
    REQUIRE(fonts.rebuildDue());
    fonts.build();
    CHECK(proportional(fonts)->FontSize == 2 * oneX);
    CHECK(monospace(fonts)->FontSize == 2 * oneX);
    fonts.setScale(2.0f);
    CHECK_FALSE(fonts.rebuildDue());
}

TEST_CASE("a missing base font falls back to Dear ImGui's font and says so", "[fonts]") {
    FontManager fonts(1.0f, "No Such Family wsdemo", "Nor This One wsdemo");
    CHECK(fonts.problem().find("No Such Family wsdemo not found") != std::string::npos);
    CHECK(fonts.problem().find("built-in font") != std::string::npos);
    CHECK(fonts.fontFiles().empty());
    fonts.noteText(kSentence);
    ResetMonospaceRole reset;
    fonts.build();
    REQUIRE(fonts.atlas().Fonts.Size == 2);
    CHECK(proportional(fonts)->FindGlyphNoFallback('A') != nullptr);
    CHECK(proportional(fonts)->FindGlyphNoFallback(0x4F60) != nullptr);  // 你, from Noto CJK.
}

TEST_CASE("characters above U+FFFF survive a 16-bit text input: slots in, codepoints out",
          "[fonts]") {
    FontManager fonts(1.0f);
    const std::string pasted = "tada \xF0\x9F\x8E\x89 clef \xF0\x9D\x84\x9E, caf\xC3\xA9";
    const std::string editable = fonts.editable(pasted);
    // What Dear ImGui's input can hold: no four-byte sequence, one slot a character.
    CHECK(editable.find('\xF0') == std::string::npos);
    CHECK(editable.size() == pasted.size() - 2);
    CHECK(fonts.original(editable) == pasted);
    CHECK(editableText(pasted) == editable);  // The live manager's, as the composer uses.
    CHECK(originalText(editable) == pasted);
    SECTION("a private-use character at no slot stays as it is") {
        const std::string literal = "\xEF\xA3\xBF";  // U+F8FF, the last slot, not given out.
        CHECK(fonts.original(literal) == literal);
    }
}
