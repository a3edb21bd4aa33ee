// What the recording's writer and reader share: the JSON library, the limits on what a file
// may hold, and the words for them. Internal to core/src.
#pragma once

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "wsdemo/recording.h"

namespace wsdemo::recording_format {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;
using std::chrono::duration_cast;
using std::chrono::microseconds;

// nlohmann builds values without recursion, but what reads them may not: deeper is refused.
inline constexpr int kMaxNesting = 128;
// Times a file may hold, in microseconds: from 1970 to 2200 (system_clock counts nanoseconds
// in 64 bits, which end in 2262).
inline constexpr int64_t kMaxMicros = int64_t{7258118400} * 1000000;
inline const char* const kHeaderLine = R"({"format":"wsdemo-recording","version":1})";

inline int64_t toMicros(WallClock::time_point time) {
    return duration_cast<microseconds>(time.time_since_epoch()).count();
}

inline WallClock::time_point fromMicros(int64_t micros) {
    return WallClock::time_point(duration_cast<WallClock::duration>(microseconds(micros)));
}

// What counts against RecordingLimits::maxBytes.
inline std::size_t dataBytes(const RecordedEvent& event) {
    return (event.message ? event.message->data.size() : 0) + event.payload.size();
}

inline bool overLimits(const RecordingLimits& limits, std::size_t events, std::size_t bytes,
                       const RecordedEvent& event) {
    return events >= limits.maxEvents || dataBytes(event) > limits.maxBytes - bytes;
}

inline std::string sizeText(std::size_t bytes) {
    if (bytes % (std::size_t{1} << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
    return std::to_string(bytes) + " bytes";
}

// Why a recording stopped short, the same words whether writing or reading.
inline std::string stoppedText(const RecordingLimits& limits, std::size_t events) {
    const std::string limit = events >= limits.maxEvents
                                  ? std::to_string(limits.maxEvents) + " events"
                                  : sizeText(limits.maxBytes) + " of message data";
    return "the recording stopped at its limit of " + limit + ": later events were left out";
}

inline std::string dumpJson(const OrderedJson& json, int indent = -1) {
    // Replace, never throw: only URLs and headers could hold bytes that are not UTF-8.
    return json.dump(indent, ' ', false, Json::error_handler_t::replace);
}

inline bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

}  // namespace wsdemo::recording_format
