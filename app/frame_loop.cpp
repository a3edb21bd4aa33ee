#include "frame_loop.h"

#include <algorithm>

namespace wsdemo {

std::optional<FrameScheduler::Clock::time_point> FrameScheduler::nextFrame(bool news,
                                                                           bool inputHeld) const {
    if (news || framesAfterInput_ > 0) return lastFrame_ + framePeriod_;
    if (inputHeld) return lastFrame_ + std::max(framePeriod_, repeatPeriod_);
    return std::nullopt;
}

void FrameScheduler::onFrame(Clock::time_point start) {
    lastFrame_ = start;
    if (framesAfterInput_ > 0) --framesAfterInput_;
}

}  // namespace wsdemo
