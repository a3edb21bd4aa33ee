// Recorded events for tests, with the fields every kind has; callers set the rest.
#pragma once

#include <cstdint>
#include <utility>

#include "wsdemo/recording.h"

namespace wsdemo::test {

inline RecordedEvent recordedEvent(WallClock::time_point wallTime, uint64_t connection,
                                   RecordedKind kind,
                                   RecordedDirection direction = RecordedDirection::kReceive) {
    RecordedEvent event;
    event.wallTime = wallTime;
    event.connection = connection;
    event.kind = kind;
    event.direction = direction;
    return event;
}

inline RecordedEvent recordedMessage(WallClock::time_point wallTime, uint64_t connection,
                                     RecordedDirection direction, MessagePtr message,
                                     bool timed = false) {
    RecordedEvent event = recordedEvent(wallTime, connection, RecordedKind::kMessage, direction);
    event.message = std::move(message);
    event.timed = timed;
    return event;
}

}  // namespace wsdemo::test
