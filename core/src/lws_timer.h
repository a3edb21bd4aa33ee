// A libwebsockets timer that calls a member of its owner. Worker threads only.
#pragma once

#include <libwebsockets.h>

namespace wsdemo {

template <class Owner, void (Owner::*onExpired)()>
class LwsTimer {
public:
    explicit LwsTimer(Owner& owner) : owner_(owner) {}

    void schedule(lws_context* context, lws_usec_t delay) {
        lws_sul_schedule(context, 0, &sul_, &LwsTimer::expired, delay);
    }
    void cancel() { lws_sul_cancel(&sul_); }

private:
    static void expired(lws_sorted_usec_list_t* sul) {
        // sul_ is the first member: the timer starts where its sul does.
        LwsTimer* timer = reinterpret_cast<LwsTimer*>(sul);
        (timer->owner_.*onExpired)();
    }

    lws_sorted_usec_list_t sul_{};
    Owner& owner_;
};

}  // namespace wsdemo
