// The window's own display-frame and latency figures, printed by --stats: what a benchmark reads
// from the real app. Fixed memory however long the app runs.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace wsdemo {

// Durations in log-linear buckets of microseconds: exact below 64 µs, within 1/32 (3%) above.
class DurationHistogram {
public:
    void add(std::chrono::steady_clock::duration value);

    std::uint64_t count() const { return count_; }
    // In microseconds, the value at or below which `fraction` of the values lie: the top of
    // its bucket, so never below the true value, capped at the maximum; 0 when empty.
    std::uint64_t percentileMicros(double fraction) const;
    std::uint64_t maxMicros() const { return maxMicros_; }

private:
    static constexpr int kSubBuckets = 32;  // Per power of two, above the exact range.
    static constexpr int kExact = 2 * kSubBuckets;
    static constexpr int kPowers = 40;  // Up to 2^45 µs: a year.
    static std::size_t bucketOf(std::uint64_t micros);
    static std::uint64_t lowerBound(std::size_t bucket);

    std::array<std::uint64_t, kExact + kPowers * kSubBuckets> buckets_{};
    std::uint64_t count_ = 0;
    std::uint64_t maxMicros_ = 0;
};

class DrawStats {
public:
    using Clock = std::chrono::steady_clock;

    // `spawn`: when the process was spawned, if known (spawnTime()): the report then says how
    // long the first frame took from there.
    explicit DrawStats(Clock::time_point start, std::optional<Clock::time_point> spawn = {})
        : start_(start), spawn_(spawn) {}

    // The spawn time a harness passes in WSDEMO_SPAWN_NS: CLOCK_MONOTONIC (steady_clock on
    // Linux) in nanoseconds, e.g. Python's time.monotonic_ns(). Nothing when absent or not a
    // number.
    static std::optional<Clock::time_point> spawnTime(const char* monotonicNanos);

    // One display frame: from the start of its work to just after its SwapBuffers.
    void onDraw(Clock::time_point drawStart, Clock::time_point drawEnd);
    // For each message the first time a display frame draws it: from its arrival
    // (Message::receivedAt) to just after that frame's SwapBuffers. Messages replaced in the
    // latest-message slot before any display frame drew them have no figure.
    void onShown(Clock::duration arrivalToScreen) { arrivalToScreen_.add(arrivalToScreen); }
    // A glyph atlas built on the worker and swapped in: how long the build took, and the frame
    // that swapped it in (the texture upload is in it).
    void onAtlasSwap(Clock::duration buildTime, Clock::duration swapFrameTime);

    // Lines of `key=value` fields, each starting "wsdemo: stats: ": the run, frames, latency,
    // atlas builds and swap frames, then first_frame_ms when the spawn time is known.
    std::string report(Clock::time_point end, std::uint64_t received, std::uint64_t wakes) const;

private:
    Clock::time_point start_;
    std::optional<Clock::time_point> spawn_;
    std::optional<Clock::duration> firstFrame_;  // From spawn_ to the end of the first frame.
    DurationHistogram drawTimes_;
    DurationHistogram arrivalToScreen_;
    DurationHistogram atlasBuilds_;
    DurationHistogram atlasSwapFrames_;
};

}  // namespace wsdemo
