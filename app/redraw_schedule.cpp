#include "redraw_schedule.h"

#include <algorithm>

namespace wsdemo {

std::optional<RedrawScheduler::Clock::time_point> RedrawScheduler::nextRedraw(
    bool news, bool inputHeld) const {
    if (news || redrawsAfterInput_ > 0) return lastRedraw_ + refreshPeriod_;
    if (inputHeld) return lastRedraw_ + std::max(refreshPeriod_, repeatPeriod_);
    return std::nullopt;
}

void RedrawScheduler::onRedraw(Clock::time_point start) {
    lastRedraw_ = start;
    if (redrawsAfterInput_ > 0) --redrawsAfterInput_;
}

}  // namespace wsdemo
