#include "timed_sender.h"

#include <utility>

namespace wsdemo {

TimedSender::TimedSender(Plan plan) : plan_(std::move(plan)) {}

void TimedSender::start(Clock::time_point now) {
    if (stopped_ || done() || next_) return;
    next_ = now + plan_.every;
}

void TimedSender::stop() {
    if (!done()) stopped_ = true;
    next_.reset();
}

bool TimedSender::due(Clock::time_point now) const {
    return next_ && now >= *next_;
}

void TimedSender::sent(Clock::time_point now) {
    if (!next_) return;
    ++count_;
    if (done()) {
        next_.reset();
        return;
    }
    next_ = now + plan_.every;
}

bool TimedSender::done() const {
    return plan_.times && count_ >= *plan_.times;
}

}  // namespace wsdemo
