// Mock-server rules: the echo server answers as these say, to make a server misbehave on
// purpose. Ordered rules match a message (exact text, substring, regex, or a JSON field's
// value) and answer with messages (text, binary as hex or base64, each after a delay) and/or act
// on the connection (close with a code and reason, drop without a close frame, stop reading,
// send a ping). Rules can also fire on connect and on a timer. A message no rule matches is
// echoed.
//
//   {"rules": [
//     {"on": "connect", "reply": [{"text": "welcome"}]},
//     {"on": "timer", "every_ms": 1000, "reply": [{"text": "tick"}]},
//     {"match": {"text": "ping?"}, "reply": [{"text": "pong!"}]},
//     {"match": {"substring": "slow"}, "reply": [{"text": "late", "delay_ms": 300}]},
//     {"match": {"regex": "^add ([0-9]+)$"}, "reply": [{"text": "added"}]},
//     {"match": {"json": {"path": "type", "equals": "subscribe"}},
//      "reply": [{"binary_hex": "0102ff"}, {"text": "subscribed"}]},
//     {"match": {"text": "bye"}, "close": {"code": 4000, "reason": "asked to"}},
//     {"match": {"text": "crash"}, "drop": true},
//     {"match": {"text": "hush"}, "stop_reading": true},
//     {"match": {"text": "poke"}, "ping": "are you there"}
//   ]}
//
// "on" is "message" (the default, with "match"), "connect" or "timer" (with "every_ms").
// A reply's "delay_ms" counts from the previous reply of the same rule (or from the trigger).
// Actions come after the rule's replies are written, but for stop_reading, which acts at the
// match (else messages sent meanwhile would still be read). Answers leave in the order of what
// caused them: a delayed reply holds back the echoes of later messages. Timer rules are those
// a connection had at its upgrade; message rules those current when each message arrives. JSON
// paths are dotted ("a.b.0.c": object keys, array indexes); "equals" takes any JSON value, compared
// as JSON.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "wsdemo/message.h"

namespace wsdemo {

struct MockReply {
    Message::Type type = Message::Type::kText;
    std::string data;
    std::chrono::milliseconds delay{0};  // After the previous reply of its rule.
};

class MockMatcher;  // Compiled match (regex compiled once, JSON value parsed once).

struct MockRule {
    enum class Trigger { kMessage, kConnect, kTimer };
    Trigger trigger = Trigger::kMessage;
    std::shared_ptr<const MockMatcher> match;  // kMessage only.
    std::chrono::milliseconds every{0};        // kTimer only: from the upgrade, then again.
    std::vector<MockReply> replies;
    // At most one of these acts, after the replies.
    struct Close {
        uint16_t code = CloseCode::kNormal;
        std::string reason;
    };
    std::optional<Close> close;
    bool drop = false;                // End the TCP connection without a close frame.
    bool stopReading = false;         // Read nothing more from this client (TCP pushes back).
    std::optional<std::string> ping;  // Send a ping with this payload.
    std::string describe;             // "rule 3 (match regex \"^add\")", for logs and errors.
};

struct MockRules {
    std::vector<MockRule> rules;
};

// Limits of a rules file: refused beyond them, with the limit named.
constexpr std::size_t kMaxRulesFileBytes = 1u << 20;
constexpr std::size_t kMaxRules = 1000;
constexpr std::size_t kMaxRepliesPerRule = 100;
constexpr std::chrono::milliseconds kMaxReplyDelay{600000};
constexpr std::chrono::milliseconds kMinTimerInterval{10};

// Parses and checks a whole rules document. An error names the rule (1-based) and the field:
// "rule 3: \"match.regex\": missing ) at offset 7", "rule 5: \"close.code\": 1005 may not be
// sent", "rule 2: unknown field \"repy\"". A close code must be one an endpoint may send; a
// reason at most 123 bytes of UTF-8; a text reply UTF-8; a ping payload at most 125 bytes.
std::variant<MockRules, std::string> parseMockRules(std::string_view json);
// Reads and parses a file ("cannot read rules.json: No such file or directory").
std::variant<MockRules, std::string> loadMockRules(const std::string& path);

// The first message rule that matches `message`, or nullptr: echo it. Never throws, never
// crashes and never takes long, whatever the message (a regex that would need more than a
// bounded amount of work does not match).
const MockRule* findRule(const MockRules& rules, const Message& message);

}  // namespace wsdemo
