#include "wsdemo/replay.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

#include "wsdemo/text.h"

namespace wsdemo {

std::optional<ReplayScript> replayScript(const std::vector<RecordedEvent>& events,
                                         uint64_t connection) {
    if (connection == 0) {
        const auto firstSend = std::find_if(events.begin(), events.end(), [](const auto& event) {
            return event.kind == RecordedKind::kMessage &&
                   event.direction == RecordedDirection::kSend && event.message;
        });
        if (firstSend == events.end()) return std::nullopt;
        connection = firstSend->connection;
    }
    ReplayScript script;
    script.connection = connection;
    std::optional<WallClock::time_point> start;
    for (const RecordedEvent& event : events) {
        if (event.connection != connection) continue;
        if (!start) start = event.wallTime;
        if (event.kind == RecordedKind::kOpen && event.opened) {
            script.request = *event.opened;
            start = event.wallTime;
        }
        if (event.kind != RecordedKind::kMessage || !event.message) continue;
        if (event.direction == RecordedDirection::kSend) {
            const auto at =
                std::chrono::duration_cast<std::chrono::microseconds>(event.wallTime - *start);
            script.sends.push_back({std::max(at, std::chrono::microseconds(0)), event.message});
        } else {
            script.replies.push_back(event.message);
        }
    }
    if (script.sends.empty()) return std::nullopt;
    return script;
}

std::variant<ReplayPace, std::string> parsePace(std::string_view text) {
    if (text == "recorded") return ReplayPace{ReplayPace::Kind::kRecorded, 1.0};
    if (text == "fast") return ReplayPace{ReplayPace::Kind::kFast, 1.0};
    std::string_view number = text;
    if (!number.empty() && (number.back() == 'x' || number.back() == 'X')) number.remove_suffix(1);
    // Digits and one point only: strtod alone would take "inf", "nan", "0x1p3" and " 5".
    const bool digitsOnly = !number.empty() &&
                            number.find_first_not_of("0123456789.") == std::string_view::npos &&
                            std::count(number.begin(), number.end(), '.') <= 1 && number != ".";
    if (!digitsOnly)
        return "the pace must be recorded, fast or a factor such as 10 or 0.5, not " +
               wsdemo::printableQuote(text);
    const double factor = std::strtod(std::string(number).c_str(), nullptr);
    if (factor < 0.01 || factor > 1000)
        return "the pace factor must be from 0.01 to 1000, not " + wsdemo::printableQuote(text);
    return ReplayPace{ReplayPace::Kind::kScaled, factor};
}

std::chrono::microseconds dueAt(const ReplayScript& script, std::size_t index, ReplayPace pace) {
    const std::chrono::microseconds recorded = script.sends.at(index).at;
    switch (pace.kind) {
        case ReplayPace::Kind::kRecorded:
            return recorded;
        case ReplayPace::Kind::kFast:
            return std::chrono::microseconds(0);
        case ReplayPace::Kind::kScaled:
            return std::chrono::microseconds(
                std::llround(static_cast<double>(recorded.count()) / pace.factor));
    }
    return recorded;
}

const char* toString(ReplyVerdict verdict) {
    switch (verdict) {
        case ReplyVerdict::kSame:
            return "same";
        case ReplyVerdict::kDifferent:
            return "different";
        case ReplyVerdict::kMissing:
            return "missing";
        case ReplyVerdict::kExtra:
            return "extra";
    }
    return "?";
}

namespace {

// Each message as a number, equal numbers for equal messages (type and bytes), so that the
// alignment compares numbers and reads each message's bytes once, however long.
std::pair<std::vector<std::size_t>, std::vector<std::size_t>> messageIds(
    const std::vector<MessagePtr>& a, const std::vector<MessagePtr>& b) {
    struct Key {
        bool binary;
        std::string_view data;
        bool operator==(const Key& other) const {
            return binary == other.binary && data == other.data;
        }
    };
    struct KeyHash {
        std::size_t operator()(const Key& key) const {
            return std::hash<std::string_view>()(key.data) ^ std::size_t{key.binary};
        }
    };
    std::unordered_map<Key, std::size_t, KeyHash> ids;
    const auto idsOf = [&ids](const std::vector<MessagePtr>& messages) {
        std::vector<std::size_t> result;
        for (const MessagePtr& message : messages) {
            const Key key = message ? Key{message->type == Message::Type::kBinary, message->data}
                                    : Key{false, {}};
            result.push_back(ids.try_emplace(key, ids.size()).first->second);
        }
        return result;
    };
    auto first = idsOf(a);
    return {std::move(first), idsOf(b)};
}

// Index pairs of a longest common subsequence of a[0, n) and b[0, m), in order.
std::vector<std::pair<std::size_t, std::size_t>> commonSubsequence(
    const std::vector<std::size_t>& a, const std::vector<std::size_t>& b, std::size_t n,
    std::size_t m) {
    // lengths[i][j]: of the LCS of a[i, n) and b[j, m). At most 2001 x 2001 x 2 bytes.
    std::vector<uint16_t> lengths((n + 1) * (m + 1), 0);
    const auto at = [&](std::size_t i, std::size_t j) -> uint16_t& {
        return lengths[i * (m + 1) + j];
    };
    for (std::size_t i = n; i-- > 0;)
        for (std::size_t j = m; j-- > 0;)
            at(i, j) = a[i] == b[j] ? static_cast<uint16_t>(at(i + 1, j + 1) + 1)
                                    : std::max(at(i + 1, j), at(i, j + 1));
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    for (std::size_t i = 0, j = 0; i < n && j < m;) {
        if (a[i] == b[j]) {
            pairs.emplace_back(i++, j++);
        } else if (at(i + 1, j) >= at(i, j + 1)) {
            ++i;
        } else {
            ++j;
        }
    }
    return pairs;
}

// recorded[i, iEnd) against now[j, jEnd), none of them matched: paired in order as
// different, the rest missing or extra.
void pairUnmatched(const std::vector<MessagePtr>& recorded, std::size_t i, std::size_t iEnd,
                   const std::vector<MessagePtr>& now, std::size_t j, std::size_t jEnd,
                   std::vector<ComparedReply>& into) {
    for (; i < iEnd && j < jEnd; ++i, ++j)
        into.push_back({ReplyVerdict::kDifferent, recorded[i], now[j]});
    for (; i < iEnd; ++i) into.push_back({ReplyVerdict::kMissing, recorded[i], nullptr});
    for (; j < jEnd; ++j) into.push_back({ReplyVerdict::kExtra, nullptr, now[j]});
}

}  // namespace

std::vector<ComparedReply> compareReplies(const std::vector<MessagePtr>& recorded,
                                          const std::vector<MessagePtr>& now) {
    const auto [recordedIds, nowIds] = messageIds(recorded, now);
    const std::size_t n = std::min(recorded.size(), kMaxAlignedReplies);
    const std::size_t m = std::min(now.size(), kMaxAlignedReplies);
    std::vector<ComparedReply> comparison;
    std::size_t i = 0, j = 0;
    for (const auto& [matchedI, matchedJ] : commonSubsequence(recordedIds, nowIds, n, m)) {
        pairUnmatched(recorded, i, matchedI, now, j, matchedJ, comparison);
        comparison.push_back({ReplyVerdict::kSame, recorded[matchedI], now[matchedJ]});
        i = matchedI + 1;
        j = matchedJ + 1;
    }
    pairUnmatched(recorded, i, n, now, j, m, comparison);
    // Past the bound, by position.
    for (i = n, j = m; i < recorded.size() && j < now.size(); ++i, ++j) {
        comparison.push_back(
            {recordedIds[i] == nowIds[j] ? ReplyVerdict::kSame : ReplyVerdict::kDifferent,
             recorded[i], now[j]});
    }
    pairUnmatched(recorded, i, recorded.size(), now, j, now.size(), comparison);
    return comparison;
}

bool allSame(const std::vector<ComparedReply>& comparison) {
    return std::all_of(comparison.begin(), comparison.end(),
                       [](const auto& reply) { return reply.verdict == ReplyVerdict::kSame; });
}

namespace {

// One message on one line: text as is but for line breaks, binary as hex; cut at 200 bytes.
std::string shownMessage(const MessagePtr& message) {
    constexpr std::size_t kShownBytes = 200;
    if (!message) return {};
    const std::string& data = message->data;
    std::string text;
    if (message->type == Message::Type::kBinary) {
        text = "[binary " + std::to_string(data.size()) + " bytes]";
        if (!data.empty()) text += " " + toHex(std::string_view(data).substr(0, kShownBytes));
    } else {
        for (const char c : utf8Prefix(data, kShownBytes)) {
            if (c == '\n') {
                text += "\\n";
            } else if (c == '\r') {
                text += "\\r";
            } else {
                text += c;
            }
        }
    }
    return data.size() > kShownBytes ? text + "..." : text;
}

}  // namespace

std::vector<std::string> describeComparison(const std::vector<ComparedReply>& comparison) {
    std::vector<std::string> lines;
    std::size_t counts[4] = {};
    for (const ComparedReply& reply : comparison) {
        ++counts[static_cast<int>(reply.verdict)];
        std::string line = toString(reply.verdict);
        switch (reply.verdict) {
            case ReplyVerdict::kSame:
                line += ": " + shownMessage(reply.now);
                break;
            case ReplyVerdict::kDifferent:
                line += ": recorded " + shownMessage(reply.recorded) + " | now " +
                        shownMessage(reply.now);
                break;
            case ReplyVerdict::kMissing:
                line += ": recorded " + shownMessage(reply.recorded);
                break;
            case ReplyVerdict::kExtra:
                line += ": now " + shownMessage(reply.now);
                break;
        }
        lines.push_back(std::move(line));
    }
    lines.push_back("replay: " + std::to_string(counts[0]) + " same, " + std::to_string(counts[1]) +
                    " different, " + std::to_string(counts[2]) + " missing, " +
                    std::to_string(counts[3]) + " extra");
    return lines;
}

}  // namespace wsdemo
