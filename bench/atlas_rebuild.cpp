// A glyph-atlas rebuild when a new script arrives, headless (no GL): the window's FontManager
// builds with Latin, then notes the sentence (Cyrillic, CJK, emoji) and rebuilds, as the
// window does between two frames; the texture upload is left out, the RGBA conversion the OpenGL
// backend asks for is in. Then a burst of many new scripts at once, and what a build on a worker
// leaves to the UI thread (the swap). 50 rounds, each with fresh managers. Then noteText's
// throughput on a 16 MiB message (its codepoints already seen once: the hot path) of ASCII, mixed
// and CJK text. Prints latin_build_ms_p50=..., rebuild_ms_p99=, glyphs=, rebuild_many_scripts_...,
// worker_swap_..., notetext_16mib_<kind>_ms=, each time also as this thread's CPU time (_cpu_ms),
// which a machine busy with other work inflates less.
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <future>
#include <string>
#include <vector>

#include "font_roles.h"
#include "fonts.h"

namespace {

using Clock = std::chrono::steady_clock;

// This thread's CPU time: on a machine shared with other work, closer to what a quiet one sees.
double cpuMillis() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

struct Timing {
    std::vector<double> wall, cpu;
};

void timeBuild(wsdemo::FontManager& fonts, Timing& timing) {
    const auto start = Clock::now();
    const double cpuStart = cpuMillis();
    fonts.build();  // Converts to RGBA for the OpenGL backend too.
    timing.wall.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    timing.cpu.push_back(cpuMillis() - cpuStart);
}

double percentile(std::vector<double> values, double fraction) {
    std::sort(values.begin(), values.end());
    const auto index =
        static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1) + 0.5);
    return values[index];
}

void printNoteText(const char* kind, const std::string& line) {
    std::string message;
    while (message.size() < (16u << 20)) message += line;
    wsdemo::FontManager fonts(1.0f);
    fonts.noteText(line);
    const auto start = Clock::now();
    const double cpuStart = cpuMillis();
    fonts.noteText(message);
    std::printf("notetext_16mib_%s_ms=%.3f\nnotetext_16mib_%s_cpu_ms=%.3f\n", kind,
                std::chrono::duration<double, std::milli>(Clock::now() - start).count(), kind,
                cpuMillis() - cpuStart);
}

void printPercentiles(const char* name, const Timing& timing) {
    std::printf("%s_ms_p50=%.3f\n%s_ms_p99=%.3f\n%s_cpu_ms_p50=%.3f\n%s_cpu_ms_p99=%.3f\n", name,
                percentile(timing.wall, 0.5), name, percentile(timing.wall, 0.99), name,
                percentile(timing.cpu, 0.5), name, percentile(timing.cpu, 0.99));
}

}  // namespace

int main() {
    constexpr int kRounds = 50;
    const char* const sentence = "Привет, мир! 你好 🎉 café — naïve ≥ ∑";  // The issue's.
    const char* const manyScripts = "Привет 你好 🎉 こんにちは 안녕하세요 שלום مرحبا Γειά Բարեւ";
    Timing latin, rebuild, burst, swap;
    std::size_t glyphs = 0;
    for (int round = 0; round < kRounds; ++round) {
        {
            wsdemo::FontManager fonts(1.0f);
            timeBuild(fonts, latin);
            fonts.noteText(sentence);
            timeBuild(fonts, rebuild);
            glyphs = fonts.glyphCount();
        }
        wsdemo::FontManager fonts(1.0f);
        fonts.build();
        fonts.noteText(manyScripts);
        timeBuild(fonts, burst);
        // On a worker, what is left on the UI thread is the swap (and the texture upload).
        fonts.noteText("გამარჯობა");  // Georgian, new to this atlas.
        if (!fonts.rebuildDue()) {
            std::fprintf(stderr,
                         "atlas_rebuild: Georgian made no rebuild due (fonts-dejavu-core?)\n");
            return 1;
        }
        std::promise<void> built;
        fonts.startBuild([&built] { built.set_value(); });
        built.get_future().wait();
        const auto start = Clock::now();
        const double cpuStart = cpuMillis();
        fonts.finishBuild();
        swap.wall.push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        swap.cpu.push_back(cpuMillis() - cpuStart);
        wsdemo::setMonospaceFont(nullptr);
    }
    printPercentiles("latin_build", latin);
    printPercentiles("rebuild", rebuild);
    std::printf("glyphs=%zu\n", glyphs);
    printPercentiles("rebuild_many_scripts", burst);
    printPercentiles("worker_swap", swap);
    printNoteText("ascii", "{\"id\": 42, \"text\": \"The quick brown fox jumps\"}\n");
    printNoteText("mixed", "The quick brown fox, café, Привет, мир! 你好 🎉\n");
    printNoteText("cjk", "你好世界，今天天气很好。");
    return 0;
}
