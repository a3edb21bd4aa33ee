#include "draw_stats.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace wsdemo {

namespace {

int log2Floor(std::uint64_t value) {
    int power = 0;
    while (value >>= 1) ++power;
    return power;
}

std::string millis(std::uint64_t micros) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", static_cast<double>(micros) / 1000.0);
    return text;
}

}  // namespace

std::size_t DurationHistogram::bucketOf(std::uint64_t micros) {
    if (micros < kExact) return micros;
    // kSubBuckets buckets between each power of two and the next, from 2^6 = kExact on; the
    // last power takes anything larger.
    micros = std::min(micros, (std::uint64_t{1} << (6 + kPowers)) - 1);
    const int power = log2Floor(micros);
    const auto sub = static_cast<std::size_t>(micros >> (power - 5)) & (kSubBuckets - 1);
    return kExact + static_cast<std::size_t>(power - 6) * kSubBuckets + sub;
}

std::uint64_t DurationHistogram::lowerBound(std::size_t bucket) {
    if (bucket < kExact) return bucket;
    const std::size_t power = (bucket - kExact) / kSubBuckets + 6;
    const std::size_t sub = (bucket - kExact) % kSubBuckets;
    return static_cast<std::uint64_t>(kSubBuckets + sub) << (power - 5);
}

void DurationHistogram::add(std::chrono::steady_clock::duration value) {
    const auto micros = static_cast<std::uint64_t>(std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::microseconds>(value).count()));
    ++buckets_[bucketOf(micros)];
    ++count_;
    maxMicros_ = std::max(maxMicros_, micros);
}

std::uint64_t DurationHistogram::percentileMicros(double fraction) const {
    if (count_ == 0) return 0;
    const auto rank = static_cast<std::uint64_t>(
        std::max(1.0, std::ceil(fraction * static_cast<double>(count_))));
    std::uint64_t seen = 0;
    for (std::size_t bucket = 0; bucket < buckets_.size(); ++bucket) {
        seen += buckets_[bucket];
        if (seen >= rank) return std::min(lowerBound(bucket + 1) - 1, maxMicros_);
    }
    return maxMicros_;
}

std::optional<DrawStats::Clock::time_point> DrawStats::spawnTime(const char* monotonicNanos) {
    if (!monotonicNanos || !*monotonicNanos) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    const long long nanos = std::strtoll(monotonicNanos, &end, 10);
    if (*end != '\0' || errno == ERANGE || nanos < 0) return std::nullopt;
    return Clock::time_point(
        std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(nanos)));
}

void DrawStats::onDraw(Clock::time_point drawStart, Clock::time_point drawEnd) {
    if (spawn_ && !firstFrame_) firstFrame_ = drawEnd - *spawn_;
    drawTimes_.add(drawEnd - drawStart);
}

void DrawStats::onAtlasSwap(Clock::duration buildTime, Clock::duration swapFrameTime) {
    atlasBuilds_.add(buildTime);
    atlasSwapFrames_.add(swapFrameTime);
}

std::string DrawStats::report(Clock::time_point end, std::uint64_t received,
                              std::uint64_t wakes) const {
    const double seconds = std::chrono::duration<double>(end - start_).count();
    const auto line = [](const char* name, const DurationHistogram& histogram) {
        return std::string("wsdemo: stats: ") + name + " n=" + std::to_string(histogram.count()) +
               " p50=" + millis(histogram.percentileMicros(0.50)) +
               " p90=" + millis(histogram.percentileMicros(0.90)) +
               " p99=" + millis(histogram.percentileMicros(0.99)) +
               " max=" + millis(histogram.maxMicros()) + "\n";
    };
    char run[160];
    std::snprintf(run, sizeof run,
                  "wsdemo: stats: seconds=%.3f frames=%llu wakes=%llu received=%llu shown=%llu\n",
                  seconds, static_cast<unsigned long long>(drawTimes_.count()),
                  static_cast<unsigned long long>(wakes), static_cast<unsigned long long>(received),
                  static_cast<unsigned long long>(arrivalToScreen_.count()));
    std::string report =
        run + line("frame_ms", drawTimes_) + line("arrival_to_screen_ms", arrivalToScreen_) +
        line("atlas_build_ms", atlasBuilds_) + line("atlas_swap_frame_ms", atlasSwapFrames_);
    if (firstFrame_) {
        char first[64];
        std::snprintf(first, sizeof first, "wsdemo: stats: first_frame_ms=%.3f\n",
                      std::chrono::duration<double, std::milli>(*firstFrame_).count());
        report += first;
    }
    return report;
}

}  // namespace wsdemo
