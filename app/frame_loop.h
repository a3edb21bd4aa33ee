// What decides when the window draws, so that it costs nothing while nothing happens and shows
// a message in the next frame after it arrives. No GLFW here: tests drive it with a fake clock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

namespace wsdemo {

// The channel's wake hook, coalesced: however many messages arrive between two frames, the
// window's loop is woken (`post`, e.g. glfwPostEmptyEvent) once.
class WakeLatch {
public:
    explicit WakeLatch(void (*post)()) : post_(post) {}

    // Any thread: there is news for the loop.
    void notify() {
        if (pending_.exchange(true)) return;
        posts_.fetch_add(1, std::memory_order_relaxed);
        post_();
    }
    // Loop thread: whether there is news not yet taken.
    bool pending() const { return pending_.load(); }
    // Loop thread, just before it reads the channel: news from now on wakes it again.
    void take() { pending_.store(false); }
    // How many times `post` was called.
    std::uint64_t posts() const { return posts_.load(std::memory_order_relaxed); }

private:
    void (*const post_)();
    std::atomic<bool> pending_{false};
    std::atomic<std::uint64_t> posts_{0};
};

// When the next frame is due. Input or news gets a frame at once, but never sooner than one
// display refresh after the previous frame (vsync does not throttle everywhere, e.g. not under
// Xvfb). Input gets kFramesAfterInput frames: Dear ImGui settles hover and active states over
// the frames after the input that changed them. A held key or button gets frames at the
// key-repeat rate: Dear ImGui repeats keys on its own clock. Otherwise nothing draws.
class FrameScheduler {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr int kFramesAfterInput = 3;

    FrameScheduler(Clock::duration framePeriod, Clock::duration repeatPeriod)
        : framePeriod_(framePeriod), repeatPeriod_(repeatPeriod) {}

    // Input, or a window event that needs a redraw (expose, resize, focus, iconify).
    void onInput() { framesAfterInput_ = kFramesAfterInput; }

    // When the next frame should start; nullopt while none is due (wait for an event).
    std::optional<Clock::time_point> nextFrame(bool news, bool inputHeld) const;

    // A frame starts now: it takes the news and counts as one of the frames after input.
    void onFrame(Clock::time_point start);

private:
    const Clock::duration framePeriod_;
    const Clock::duration repeatPeriod_;
    Clock::time_point lastFrame_{};  // The epoch: the first frame is due at once.
    int framesAfterInput_ = kFramesAfterInput;
};

}  // namespace wsdemo
