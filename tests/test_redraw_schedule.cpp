// When the window draws: the wake latch and the redraw scheduler, on a clock the test moves.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "redraw_schedule.h"

using namespace wsdemo;
using namespace std::chrono_literals;

namespace {

std::atomic<int> postCount{0};  // What the latch under test posted.
void countPost() {
    ++postCount;
}

using Clock = RedrawScheduler::Clock;
constexpr Clock::duration kFrame = 16ms;
constexpr Clock::duration kRepeat = 50ms;

// Redraws every time the scheduler asks until none is due; the start of the last one.
Clock::time_point drawWhileDue(RedrawScheduler& scheduler, Clock::time_point now, int& redraws) {
    while (auto due = scheduler.nextRedraw(false, false)) {
        now = std::max(now, *due);
        scheduler.onRedraw(now);
        ++redraws;
    }
    return now;
}

}  // namespace

TEST_CASE("the wake latch posts once until the loop takes the news", "[redraw_schedule]") {
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

TEST_CASE("the scheduler draws after input, then waits for an event", "[redraw_schedule]") {
    RedrawScheduler scheduler(kFrame, kRepeat);
    const Clock::time_point start = Clock::now();
    int redraws = 0;
    // The first frames are due at once: the window has never been drawn.
    REQUIRE(scheduler.nextRedraw(false, false));
    CHECK(*scheduler.nextRedraw(false, false) <= start);
    CHECK(scheduler.inputPending());
    Clock::time_point now = drawWhileDue(scheduler, start, redraws);
    CHECK(redraws == RedrawScheduler::kRedrawsAfterInput);
    CHECK_FALSE(scheduler.nextRedraw(false, false));
    CHECK_FALSE(scheduler.inputPending());

    // Input long after the last frame: a frame at once, and the frames Dear ImGui settles in,
    // one display refresh apart.
    now += 1s;
    scheduler.onInput();
    CHECK(scheduler.inputPending());
    CHECK(*scheduler.nextRedraw(false, false) <= now);
    redraws = 0;
    const Clock::time_point last = drawWhileDue(scheduler, now, redraws);
    CHECK(redraws == RedrawScheduler::kRedrawsAfterInput);
    CHECK(last - now == (RedrawScheduler::kRedrawsAfterInput - 1) * kFrame);
}

TEST_CASE("news gets one frame, no sooner than a refresh after the last", "[redraw_schedule]") {
    RedrawScheduler scheduler(kFrame, kRepeat);
    int redraws = 0;
    const Clock::time_point last = drawWhileDue(scheduler, Clock::now(), redraws);
    REQUIRE_FALSE(scheduler.nextRedraw(false, false));

    // Right after a frame: due one refresh after it.
    REQUIRE(scheduler.nextRedraw(true, false));
    CHECK(*scheduler.nextRedraw(true, false) == last + kFrame);
    scheduler.onRedraw(last + kFrame);
    // News taken: nothing more is due.
    CHECK_FALSE(scheduler.nextRedraw(false, false));
}

TEST_CASE("a held key or button draws at the key-repeat rate", "[redraw_schedule]") {
    RedrawScheduler scheduler(kFrame, kRepeat);
    int redraws = 0;
    const Clock::time_point last = drawWhileDue(scheduler, Clock::now(), redraws);
    REQUIRE(scheduler.nextRedraw(false, true));
    CHECK(*scheduler.nextRedraw(false, true) == last + kRepeat);

    SECTION("never faster than the display") {
        RedrawScheduler slowDisplay(100ms, kRepeat);
        slowDisplay.onRedraw(last);
        CHECK(*slowDisplay.nextRedraw(false, true) == last + 100ms);
    }
}
