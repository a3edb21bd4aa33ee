// Replay: a recording's sent messages sent again, to the recorded server or another, at the
// recorded pace, scaled, or as fast as allowed; then what the server answered now, set against
// what it answered then. A recorded session becomes a regression test of a server.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "wsdemo/channel.h"
#include "wsdemo/message.h"
#include "wsdemo/recording.h"

namespace wsdemo {

// One connection of a recording, as a script to run again.
struct ReplayScript {
    uint64_t connection = 0;     // Which connection of the recording.
    RecordedConnection request;  // URL, headers, subprotocols it opened with (may be empty
                                 // when the file had no open event, as HAR from some tools).
    struct Step {
        std::chrono::microseconds at{0};  // After the connection opened (or the first event).
        MessagePtr message;
    };
    std::vector<Step> sends;          // Sent messages, in order.
    std::vector<MessagePtr> replies;  // Received messages, in order: what to compare against.
};

// The first connection of `events` that sent anything (or `connection` when given, if found).
// None when there is nothing to replay.
std::optional<ReplayScript> replayScript(const std::vector<RecordedEvent>& events,
                                         uint64_t connection = 0);

struct ReplayPace {
    enum class Kind { kRecorded, kFast, kScaled };
    Kind kind = Kind::kRecorded;
    double factor = 1.0;  // kScaled: 10 is ten times as fast as recorded.
};
// "recorded", "fast", or a factor from 0.01 to 1000 ("10", "0.5", "10x").
std::variant<ReplayPace, std::string> parsePace(std::string_view text);
// How long after the replay started step `index` is due.
std::chrono::microseconds dueAt(const ReplayScript& script, std::size_t index, ReplayPace pace);

enum class ReplyVerdict { kSame, kDifferent, kMissing, kExtra };
const char* toString(ReplyVerdict verdict);  // "same", "different", "missing", "extra"

struct ComparedReply {
    ReplyVerdict verdict = ReplyVerdict::kSame;
    MessagePtr recorded;  // Null for kExtra.
    MessagePtr now;       // Null for kMissing.
};

// Aligns the two lists as diff does (a longest common subsequence of equal messages: same type
// and bytes); between two matched messages, unmatched ones are paired as kDifferent in order,
// and what is left over is kMissing (recorded only) or kExtra (now only). Bounded: past
// kMaxAlignedReplies on either side, the rest is compared by position.
constexpr std::size_t kMaxAlignedReplies = 2000;
std::vector<ComparedReply> compareReplies(const std::vector<MessagePtr>& recorded,
                                          const std::vector<MessagePtr>& now);
bool allSame(const std::vector<ComparedReply>& comparison);

// The comparison as --headless prints it: one line per reply, "same", "different",
// "missing" or "extra", then both messages (text as is, binary as [binary N bytes] HEX,
// cut at 200 bytes with "..."), and a last line "replay: 5 same, 1 different, 0 missing,
// 2 extra".
std::vector<std::string> describeComparison(const std::vector<ComparedReply>& comparison);

}  // namespace wsdemo
