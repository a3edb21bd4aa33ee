// When the window draws: the wake latch and the frame scheduler, on a clock the test moves.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "frame_loop.h"

using namespace wsdemo;
using namespace std::chrono_literals;

namespace {

std::atomic<int> postCount{0};  // What the latch under test posted.
void countPost() {
    ++postCount;
}

using Clock = FrameScheduler::Clock;
constexpr Clock::duration kFrame = 16ms;
constexpr Clock::duration kRepeat = 50ms;

// Draws every frame the scheduler asks for until none is due; the start of the last one.
Clock::time_point drawWhileDue(FrameScheduler& scheduler, Clock::time_point now, int& frames) {
    while (auto due = scheduler.nextFrame(false, false)) {
        now = std::max(now, *due);
        scheduler.onFrame(now);
        ++frames;
    }
    return now;
}

}  // namespace

TEST_CASE("the wake latch posts once until the loop takes the news", "[frame_loop]") {
    postCount = 0;
    WakeLatch latch(countPost);
    CHECK_FALSE(latch.pending());
    latch.notify();
    latch.notify();
    latch.notify();
    CHECK(postCount == 1);
    CHECK(latch.pending());
    latch.take();
    CHECK_FALSE(latch.pending());
    latch.notify();
    CHECK(postCount == 2);
    CHECK(latch.posts() == 2);

    SECTION("from many threads at once, still one post") {
        latch.take();
        std::vector<std::thread> threads;
        for (int i = 0; i < 4; ++i)
            threads.emplace_back([&latch] {
                for (int j = 0; j < 1000; ++j) latch.notify();
            });
        for (auto& thread : threads) thread.join();
        CHECK(postCount == 3);
    }
}

TEST_CASE("the scheduler draws after input, then waits for an event", "[frame_loop]") {
    FrameScheduler scheduler(kFrame, kRepeat);
    const Clock::time_point start = Clock::now();
    int frames = 0;
    // The first frames are due at once: the window has never been drawn.
    REQUIRE(scheduler.nextFrame(false, false));
    CHECK(*scheduler.nextFrame(false, false) <= start);
    Clock::time_point now = drawWhileDue(scheduler, start, frames);
    CHECK(frames == FrameScheduler::kFramesAfterInput);
    CHECK_FALSE(scheduler.nextFrame(false, false));

    // Input long after the last frame: a frame at once, and the frames Dear ImGui settles in,
    // one display refresh apart.
    now += 1s;
    scheduler.onInput();
    CHECK(*scheduler.nextFrame(false, false) <= now);
    frames = 0;
    const Clock::time_point last = drawWhileDue(scheduler, now, frames);
    CHECK(frames == FrameScheduler::kFramesAfterInput);
    CHECK(last - now == (FrameScheduler::kFramesAfterInput - 1) * kFrame);
}

TEST_CASE("news gets one frame, no sooner than a refresh after the last", "[frame_loop]") {
    FrameScheduler scheduler(kFrame, kRepeat);
    int frames = 0;
    const Clock::time_point last = drawWhileDue(scheduler, Clock::now(), frames);
    REQUIRE_FALSE(scheduler.nextFrame(false, false));

    // Right after a frame: due one refresh after it.
    REQUIRE(scheduler.nextFrame(true, false));
    CHECK(*scheduler.nextFrame(true, false) == last + kFrame);
    scheduler.onFrame(last + kFrame);
    // News taken: nothing more is due.
    CHECK_FALSE(scheduler.nextFrame(false, false));
}

TEST_CASE("a held key or button draws at the key-repeat rate", "[frame_loop]") {
    FrameScheduler scheduler(kFrame, kRepeat);
    int frames = 0;
    const Clock::time_point last = drawWhileDue(scheduler, Clock::now(), frames);
    REQUIRE(scheduler.nextFrame(false, true));
    CHECK(*scheduler.nextFrame(false, true) == last + kRepeat);

    SECTION("never faster than the display") {
        FrameScheduler slowDisplay(100ms, kRepeat);
        slowDisplay.onFrame(last);
        CHECK(*slowDisplay.nextFrame(false, true) == last + 100ms);
    }
}
