// What decides when the window redraws, so that it costs nothing while nothing happens and shows
// a message in the next redraw after it arrives. A redraw is one display frame (Dear ImGui's
// NewFrame to SwapBuffers), not a WebSocket frame. No GLFW here: tests drive it with a fake
// clock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

namespace wsdemo {

// The channel's wake hook, coalesced: however many messages arrive between two redraws, the
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

// When the next redraw is due. Input or news gets a redraw at once, but never sooner than one
// display refresh after the previous one (vsync does not throttle everywhere, e.g. not under
// Xvfb). Input gets kRedrawsAfterInput redraws: Dear ImGui settles hover and active states over
// the display frames after the input that changed them. A held key or button gets redraws at
// the key-repeat rate: Dear ImGui repeats keys on its own clock. Otherwise nothing draws.
class RedrawScheduler {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr int kRedrawsAfterInput = 3;

    RedrawScheduler(Clock::duration refreshPeriod, Clock::duration repeatPeriod)
        : refreshPeriod_(refreshPeriod), repeatPeriod_(repeatPeriod) {}

    // Input, or a window event that needs a redraw (expose, resize, focus, iconify).
    void onInput() { redrawsAfterInput_ = kRedrawsAfterInput; }

    // When the next redraw should start; nullopt while none is due (wait for an event).
    std::optional<Clock::time_point> nextRedraw(bool news, bool inputHeld) const;

    // Input is waiting for its redraws: a redraw now is owed to it, not only to news.
    bool inputPending() const { return redrawsAfterInput_ > 0; }

    // A redraw starts now: it takes the news and counts as one of the redraws after input.
    void onRedraw(Clock::time_point start);

private:
    const Clock::duration refreshPeriod_;
    const Clock::duration repeatPeriod_;
    Clock::time_point lastRedraw_{};  // The epoch: the first redraw is due at once.
    int redrawsAfterInput_ = kRedrawsAfterInput;
};

}  // namespace wsdemo
