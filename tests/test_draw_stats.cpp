// The figures --stats prints: percentiles from a fixed-size histogram, and the report's fields.
#include <catch2/catch.hpp>

#include "draw_stats.h"

using namespace wsdemo;
using namespace std::chrono_literals;

TEST_CASE("percentiles are exact below 64 µs and within 3% above", "[draw_stats]") {
    DurationHistogram histogram;
    CHECK(histogram.percentileMicros(0.5) == 0);
    for (int micros = 1; micros <= 50; ++micros) histogram.add(std::chrono::microseconds(micros));
    CHECK(histogram.count() == 50);
    CHECK(histogram.percentileMicros(0.5) == 25);
    CHECK(histogram.percentileMicros(0.99) == 50);
    CHECK(histogram.percentileMicros(1.0) == 50);
    CHECK(histogram.maxMicros() == 50);

    DurationHistogram large;
    for (const auto value : {1000us, 2000us, 3000us, 16'700us, 1'000'000us}) {
        large.add(value);
        const auto shown = large.percentileMicros(1.0);
        CHECK(shown == static_cast<std::uint64_t>(value.count()));  // The maximum.
    }
    // 3000 µs lies in [2944, 3008): reported as the top of that bucket, never below.
    CHECK(large.percentileMicros(0.5) == 3007);
    CHECK(large.percentileMicros(0.2) == 1007);  // 1000 µs, in [992, 1008).
}

TEST_CASE("values below zero or beyond the range land in the end buckets", "[draw_stats]") {
    DurationHistogram histogram;
    histogram.add(-5us);
    histogram.add(std::chrono::hours(24 * 365 * 10));
    CHECK(histogram.percentileMicros(0.5) == 0);
    CHECK(histogram.percentileMicros(1.0) >= std::uint64_t{1} << 45);  // A year and more.
    CHECK(histogram.count() == 2);
}

TEST_CASE("the report has the run, frame, latency and atlas lines", "[draw_stats]") {
    const auto start = DrawStats::Clock::now();
    DrawStats stats(start);
    stats.onDraw(start, start + 2ms);
    stats.onDraw(start + 10ms, start + 14ms);
    stats.onShown(1500us);
    stats.onAtlasSwap(40ms, 3ms);
    const std::string report = stats.report(start + 2s, 7, 3);
    CHECK(report ==
          "wsdemo: stats: seconds=2.000 frames=2 wakes=3 received=7 shown=1\n"
          "wsdemo: stats: frame_ms n=2 p50=2.015 p90=4.000 p99=4.000 max=4.000\n"
          "wsdemo: stats: arrival_to_screen_ms n=1 p50=1.500 p90=1.500 p99=1.500 max=1.500\n"
          "wsdemo: stats: atlas_build_ms n=1 p50=40.000 p90=40.000 p99=40.000 max=40.000\n"
          "wsdemo: stats: atlas_swap_frame_ms n=1 p50=3.000 p90=3.000 p99=3.000 max=3.000\n");
}

TEST_CASE("first_frame_ms runs from the spawn time to the end of the first frame", "[draw_stats]") {
    const auto spawn = DrawStats::Clock::time_point(std::chrono::seconds(100));
    DrawStats stats(spawn + 5ms, spawn);
    stats.onDraw(spawn + 30ms, spawn + 42'500us);
    stats.onDraw(spawn + 60ms, spawn + 70ms);  // Later frames change nothing.
    const std::string report = stats.report(spawn + 1s, 0, 0);
    const std::string last = "wsdemo: stats: first_frame_ms=42.500\n";  // The last line.
    REQUIRE(report.size() >= last.size());
    CHECK(report.substr(report.size() - last.size()) == last);

    SECTION("without a spawn time, no first_frame_ms line") {
        DrawStats unknown(spawn);
        unknown.onDraw(spawn, spawn + 1ms);
        CHECK(unknown.report(spawn + 1s, 0, 0).find("first_frame_ms") == std::string::npos);
    }
}

TEST_CASE("the spawn time is read as CLOCK_MONOTONIC nanoseconds, else ignored", "[draw_stats]") {
    using Clock = DrawStats::Clock;
    CHECK(DrawStats::spawnTime("1234567890") ==
          Clock::time_point(std::chrono::nanoseconds(1234567890)));
    CHECK_FALSE(DrawStats::spawnTime(nullptr));
    CHECK_FALSE(DrawStats::spawnTime(""));
    CHECK_FALSE(DrawStats::spawnTime("12ms"));
    CHECK_FALSE(DrawStats::spawnTime("-5"));
    CHECK_FALSE(DrawStats::spawnTime("99999999999999999999999"));
}
