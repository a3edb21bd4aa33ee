// A libwebsockets timer that calls a member of its owner. Worker threads only.
#pragma once

#include <libwebsockets.h>

#include <type_traits>

namespace wsdemo {

template <class Owner, void (Owner::*onExpired)()>
class LwsTimer {
public:
    explicit LwsTimer(Owner& owner) : slot_{{}, &owner} {}
    LwsTimer(const LwsTimer&) = delete;
    LwsTimer& operator=(const LwsTimer&) = delete;

    // Replaces any schedule already pending.
    void schedule(lws_context* context, lws_usec_t delay) {
        lws_sul_schedule(context, 0, &slot_.sul, &LwsTimer::expired, delay);
    }
    // Safe when not scheduled. Must run before the context is destroyed: lws keeps the timer
    // in a list that the context owns (LwsWorker::Hooks::beforeDestroy).
    void cancel() { lws_sul_cancel(&slot_.sul); }

private:
    // Standard-layout, so that lws_container_of() (offsetof) is defined on it.
    struct Slot {
        lws_sorted_usec_list_t sul;
        Owner* owner;
    };

    static_assert(std::is_standard_layout_v<Slot>, "lws_container_of() needs offsetof()");

    static void expired(lws_sorted_usec_list_t* sul) {
        Slot* slot = lws_container_of(sul, Slot, sul);
        (slot->owner->*onExpired)();
    }

    Slot slot_;
};

}  // namespace wsdemo
