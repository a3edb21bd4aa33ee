#define PCRE2_CODE_UNIT_WIDTH 8

#include "wsdemo/mock_rules.h"

#include <pcre2.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "wsdemo/channel.h"
#include "wsdemo/text.h"

namespace wsdemo {

using nlohmann::json;

namespace {

// Deeper JSON is refused before nlohmann builds it, in rules files and in messages matched as
// JSON: values nest on the parser's stack.
constexpr int kMaxJsonDepth = 64;
// PCRE2's bounds on one match: backtracking steps, nesting of backtracking frames, and their
// heap (KiB). Beyond them a regex does not match; the server thread stays responsive.
constexpr uint32_t kRegexMatchLimit = 1000000;
constexpr uint32_t kRegexDepthLimit = 100000;
constexpr uint32_t kRegexHeapLimitKiB = 64 * 1024;
constexpr std::size_t kMaxPingBytes = 125;
constexpr std::size_t kMaxCloseReasonBytes = 123;

// Thrown while checking a rule, caught by parseMockRules(): the field's path and what is wrong.
struct RuleError {
    std::string field;  // Empty: the rule as a whole.
    std::string why;
};

[[noreturn]] void fail(std::string field, std::string why) {
    throw RuleError{std::move(field), std::move(why)};
}

std::string quotedJson(std::string_view text) {
    return json(std::string(utf8Prefix(text, 40))).dump() + (text.size() > 40 ? "..." : "");
}

void refuseUnknownFields(const json& object, std::initializer_list<const char*> known,
                         const std::string& prefix) {
    for (const auto& item : object.items()) {
        if (std::none_of(known.begin(), known.end(),
                         [&](const char* name) { return item.key() == name; }))
            fail({}, "unknown field " + quotedJson(prefix + item.key()));
    }
}

const json* member(const json& object, const char* name) {
    const auto found = object.find(name);
    return found == object.end() ? nullptr : &*found;
}

const std::string& stringField(const json& value, const std::string& field) {
    if (!value.is_string()) fail(field, "must be a string");
    return value.get_ref<const std::string&>();
}

// An integer in [min, max]: "must be an integer from 0 to 600000".
int64_t integerField(const json& value, const std::string& field, int64_t min, int64_t max) {
    const std::string range = std::to_string(min) + " to " + std::to_string(max);
    if (!value.is_number_integer()) fail(field, "must be an integer from " + range);
    if (value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(max))
        fail(field, value.dump() + " is not from " + range);
    const auto number = value.get<int64_t>();
    if (number < min || number > max) fail(field, value.dump() + " is not from " + range);
    return number;
}

std::optional<std::string> fromHexDigits(std::string_view text) {
    auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    if (text.size() % 2 != 0) return std::nullopt;
    std::string bytes;
    bytes.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int high = digit(text[i]), low = digit(text[i + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        bytes.push_back(static_cast<char>(high * 16 + low));
    }
    return bytes;
}

}  // namespace

// One compiled match. PCRE2 objects are freed with it.
class MockMatcher {
public:
    enum class Kind { kText, kSubstring, kRegex, kJson };

    MockMatcher(Kind kind, std::string text) : kind_(kind), text_(std::move(text)) {}
    MockMatcher(std::vector<std::string> path, json equals)
        : kind_(Kind::kJson), path_(std::move(path)), equals_(std::move(equals)) {}
    ~MockMatcher() {
        pcre2_match_context_free(matchContext_);
        pcre2_code_free(regex_);
    }
    MockMatcher(const MockMatcher&) = delete;
    MockMatcher& operator=(const MockMatcher&) = delete;

    // Compiles kRegex; an error says what and where ("missing closing parenthesis at offset 7").
    std::string compile() {
        int code = 0;
        PCRE2_SIZE offset = 0;
        // Messages may be any bytes: invalid UTF-8 in them simply does not match.
        regex_ = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(text_.data()), text_.size(),
                               PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &offset, nullptr);
        if (!regex_) {
            PCRE2_UCHAR message[256];
            pcre2_get_error_message(code, message, sizeof message);
            return reinterpret_cast<const char*>(message) + std::string(" at offset ") +
                   std::to_string(offset);
        }
        matchContext_ = pcre2_match_context_create(nullptr);
        if (!matchContext_) throw std::bad_alloc();
        pcre2_set_match_limit(matchContext_, kRegexMatchLimit);
        pcre2_set_depth_limit(matchContext_, kRegexDepthLimit);
        pcre2_set_heap_limit(matchContext_, kRegexHeapLimitKiB);
        return {};
    }

    Kind kind() const { return kind_; }
    const std::string& text() const { return text_; }

    // `document`: the message parsed as JSON, once for all rules (null: not JSON).
    bool matches(std::string_view data, const json* document) const {
        switch (kind_) {
            case Kind::kText:
                return data == text_;
            case Kind::kSubstring:
                return data.find(text_) != std::string_view::npos;
            case Kind::kRegex:
                return regexMatches(data);
            case Kind::kJson:
                return document && jsonMatches(*document);
        }
        return false;
    }

private:
    bool regexMatches(std::string_view data) const {
        pcre2_match_data* matchData = pcre2_match_data_create(1, nullptr);
        if (!matchData) return false;
        const int result = pcre2_match(regex_, reinterpret_cast<PCRE2_SPTR>(data.data()),
                                       data.size(), 0, 0, matchData, matchContext_);
        pcre2_match_data_free(matchData);
        return result >= 0;  // Negative: no match, or a limit reached.
    }

    bool jsonMatches(const json& document) const {
        const json* node = &document;
        for (const std::string& step : path_) {
            if (node->is_object()) {
                const auto found = node->find(step);
                if (found == node->end()) return false;
                node = &*found;
            } else if (node->is_array() && !step.empty() && step.size() < 10 &&
                       step.find_first_not_of("0123456789") == std::string::npos) {
                const std::size_t index = std::stoul(step);
                if (index >= node->size()) return false;
                node = &(*node)[index];
            } else {
                return false;
            }
        }
        return *node == equals_;
    }

    const Kind kind_;
    const std::string text_;  // kText, kSubstring: the bytes; kRegex: the pattern.
    pcre2_code* regex_ = nullptr;
    pcre2_match_context* matchContext_ = nullptr;
    const std::vector<std::string> path_;  // kJson: dotted path, split.
    const json equals_;
};

namespace {

std::vector<std::string> splitPath(const std::string& path) {
    std::vector<std::string> steps;
    if (path.empty()) return steps;  // The document itself.
    std::size_t start = 0;
    for (;;) {
        const std::size_t dot = path.find('.', start);
        steps.push_back(path.substr(start, dot - start));
        if (dot == std::string::npos) return steps;
        start = dot + 1;
    }
}

std::shared_ptr<const MockMatcher> readMatch(const json& match, std::string& describe) {
    if (!match.is_object() || match.size() != 1)
        fail("match", "must be an object with one of \"text\", \"substring\", \"regex\", \"json\"");
    refuseUnknownFields(match, {"text", "substring", "regex", "json"}, "match.");
    const auto first = match.begin();
    const std::string key = first.key();
    const json& value = first.value();
    const std::string field = "match." + key;
    if (key == "json") {
        if (!value.is_object()) fail(field, "must be an object with \"path\" and \"equals\"");
        refuseUnknownFields(value, {"path", "equals"}, field + ".");
        const json* path = member(value, "path");
        const json* equals = member(value, "equals");
        if (!path) fail(field + ".path", "is missing");
        if (!equals) fail(field + ".equals", "is missing");
        const std::string& dotted = stringField(*path, field + ".path");
        describe = "match json " + quotedJson(dotted);
        return std::make_shared<const MockMatcher>(splitPath(dotted), *equals);
    }
    const std::string& text = stringField(value, field);
    describe = "match " + key + " " + quotedJson(text);
    if (key == "regex") {
        auto matcher = std::make_shared<MockMatcher>(MockMatcher::Kind::kRegex, text);
        if (std::string error = matcher->compile(); !error.empty()) fail(field, error);
        return matcher;
    }
    return std::make_shared<const MockMatcher>(
        key == "text" ? MockMatcher::Kind::kText : MockMatcher::Kind::kSubstring, text);
}

MockReply readReply(const json& reply, std::size_t number) {
    const std::string at = "reply." + std::to_string(number);
    if (!reply.is_object())
        fail(at, "must be an object with \"text\", \"binary_hex\" or \"binary_base64\"");
    refuseUnknownFields(reply, {"text", "binary_hex", "binary_base64", "delay_ms"}, at + ".");
    MockReply out;
    if (const json* delay = member(reply, "delay_ms"))
        out.delay = std::chrono::milliseconds(
            integerField(*delay, at + ".delay_ms", 0, kMaxReplyDelay.count()));
    const std::size_t forms = reply.size() - (member(reply, "delay_ms") ? 1 : 0);
    if (forms != 1) fail(at, "needs exactly one of \"text\", \"binary_hex\", \"binary_base64\"");
    if (const json* text = member(reply, "text")) {
        // nlohmann refuses a document with text that is not UTF-8: a JSON string is.
        out.data = stringField(*text, at + ".text");
    } else if (const json* hex = member(reply, "binary_hex")) {
        auto bytes = fromHexDigits(stringField(*hex, at + ".binary_hex"));
        if (!bytes) fail(at + ".binary_hex", "is not pairs of hex digits");
        out.type = Message::Type::kBinary;
        out.data = std::move(*bytes);
    } else {
        const json* base64 = member(reply, "binary_base64");
        auto bytes = fromBase64(stringField(*base64, at + ".binary_base64"));
        if (!bytes) fail(at + ".binary_base64", "is not padded base64");
        out.type = Message::Type::kBinary;
        out.data = std::move(*bytes);
    }
    return out;
}

void readActions(const json& rule, MockRule& out) {
    std::vector<const char*> acting;
    if (const json* close = member(rule, "close")) {
        if (!close->is_object()) fail("close", "must be an object with \"code\" and \"reason\"");
        refuseUnknownFields(*close, {"code", "reason"}, "close.");
        const json* code = member(*close, "code");
        if (!code) fail("close.code", "is missing");
        MockRule::Close action;
        action.code = static_cast<uint16_t>(integerField(*code, "close.code", 0, 65535));
        if (!isSendableCloseCode(action.code))
            fail("close.code", std::to_string(action.code) + " may not be sent");
        if (const json* reason = member(*close, "reason")) {
            action.reason = stringField(*reason, "close.reason");
            if (action.reason.size() > kMaxCloseReasonBytes)
                fail("close.reason", "is " + std::to_string(action.reason.size()) +
                                         " bytes, more than the 123 a close frame holds");
        }
        out.close = std::move(action);
        acting.push_back("close");
    }
    if (const json* drop = member(rule, "drop")) {
        if (!drop->is_boolean()) fail("drop", "must be true or false");
        out.drop = drop->get<bool>();
        if (out.drop) acting.push_back("drop");
    }
    if (const json* stop = member(rule, "stop_reading")) {
        if (!stop->is_boolean()) fail("stop_reading", "must be true or false");
        out.stopReading = stop->get<bool>();
        if (out.stopReading) acting.push_back("stop_reading");
    }
    if (const json* ping = member(rule, "ping")) {
        out.ping = stringField(*ping, "ping");
        if (out.ping->size() > kMaxPingBytes)
            fail("ping", "is " + std::to_string(out.ping->size()) +
                             " bytes, more than the 125 a ping holds");
        acting.push_back("ping");
    }
    if (acting.size() > 1)
        fail(acting[1], "only one of \"close\", \"drop\", \"stop_reading\" and \"ping\" may act");
}

MockRule readRule(const json& rule, std::size_t number) {
    if (!rule.is_object()) fail({}, "must be an object");
    if (member(rule, "stop_answering_pings"))
        fail("stop_answering_pings",
             "not possible: libwebsockets 4.1.6 answers a ping itself before any callback of "
             "the server's (the client side has --no-auto-pong)");
    refuseUnknownFields(
        rule, {"on", "match", "every_ms", "reply", "close", "drop", "stop_reading", "ping"}, "");
    MockRule out;
    std::string trigger = "message";
    if (const json* on = member(rule, "on")) trigger = stringField(*on, "on");
    const json* match = member(rule, "match");
    const json* every = member(rule, "every_ms");
    if (trigger == "message") {
        if (!match) fail("match", "is missing (a message rule needs one)");
        out.match = readMatch(*match, out.describe);
    } else if (trigger == "connect" || trigger == "timer") {
        if (match) fail("match", "applies to \"on\": \"message\" only");
        out.trigger =
            trigger == "connect" ? MockRule::Trigger::kConnect : MockRule::Trigger::kTimer;
        out.describe = "on " + trigger;
    } else {
        fail("on", quotedJson(trigger) + " is not \"message\", \"connect\" or \"timer\"");
    }
    if (out.trigger == MockRule::Trigger::kTimer) {
        if (!every) fail("every_ms", "is missing (a timer rule needs one)");
        out.every = std::chrono::milliseconds(
            integerField(*every, "every_ms", kMinTimerInterval.count(), kMaxReplyDelay.count()));
        out.describe += " every " + std::to_string(out.every.count()) + " ms";
    } else if (every) {
        fail("every_ms", "applies to \"on\": \"timer\" only");
    }
    if (const json* replies = member(rule, "reply")) {
        if (!replies->is_array()) fail("reply", "must be an array");
        if (replies->size() > kMaxRepliesPerRule)
            fail("reply", "has " + std::to_string(replies->size()) + " replies, more than the " +
                              std::to_string(kMaxRepliesPerRule) + " a rule may have");
        for (const json& reply : *replies)
            out.replies.push_back(readReply(reply, out.replies.size() + 1));
    }
    readActions(rule, out);
    out.describe = "rule " + std::to_string(number) + " (" + out.describe + ")";
    return out;
}

// "parse error at line 1, column 5: syntax error while parsing value - invalid literal",
// without nlohmann's tag and the bytes it last read.
std::string describeParseError(const json::exception& error) {
    std::string_view what = error.what();
    if (const auto tagEnd = what.find("] "); tagEnd != std::string_view::npos)
        what.remove_prefix(tagEnd + 2);
    return "not JSON: " + std::string(what.substr(0, what.find("; last read")));
}

}  // namespace

std::variant<MockRules, std::string> parseMockRules(std::string_view text) {
    if (text.size() > kMaxRulesFileBytes)
        return "the rules are " + std::to_string(text.size()) + " bytes, more than the limit of " +
               std::to_string(kMaxRulesFileBytes);
    if (jsonNestsDeeperThan(text, kMaxJsonDepth))
        return "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    json document;
    try {
        document = json::parse(text);
    } catch (const json::exception& error) {
        return describeParseError(error);
    }
    if (!document.is_object()) return std::string("must be an object with a \"rules\" array");
    for (const auto& item : document.items())
        if (item.key() != "rules") return "unknown field " + quotedJson(item.key());
    const json* rules = member(document, "rules");
    if (!rules || !rules->is_array())
        return std::string("must be an object with a \"rules\" array");
    if (rules->size() > kMaxRules)
        return "has " + std::to_string(rules->size()) + " rules, more than the limit of " +
               std::to_string(kMaxRules);
    MockRules out;
    for (const json& rule : *rules) {
        const std::string name = "rule " + std::to_string(out.rules.size() + 1);
        try {
            out.rules.push_back(readRule(rule, out.rules.size() + 1));
        } catch (const RuleError& error) {
            return name + ": " + (error.field.empty() ? "" : quotedJson(error.field) + ": ") +
                   error.why;
        } catch (const json::exception& error) {
            return name + ": " + describeParseError(error);
        }
    }
    return out;
}

std::variant<MockRules, std::string> loadMockRules(const std::string& path) {
    if (std::string why = whyUnreadable(path); !why.empty())
        return "cannot read " + path + ": " + why;  // Before opening: a FIFO would block.
    std::ifstream file(path, std::ios::binary);
    if (!file) return "cannot read " + path + ": " + std::strerror(errno);
    std::string text;
    char buffer[64 * 1024];
    while (file.read(buffer, sizeof buffer) || file.gcount() > 0) {
        text.append(buffer, static_cast<std::size_t>(file.gcount()));
        if (text.size() > kMaxRulesFileBytes)
            return path + " is more than the limit of " + std::to_string(kMaxRulesFileBytes) +
                   " bytes";
    }
    if (file.bad()) return "cannot read " + path + ": " + std::strerror(errno);
    return parseMockRules(text);
}

const MockRule* findRule(const MockRules& rules, const Message& message) {
    try {
        std::optional<json> document;  // Parsed at the first JSON rule.
        bool parsed = false;
        for (const MockRule& rule : rules.rules) {
            if (rule.trigger != MockRule::Trigger::kMessage || !rule.match) continue;
            if (rule.match->kind() == MockMatcher::Kind::kJson && !parsed) {
                parsed = true;
                if (!jsonNestsDeeperThan(message.data, kMaxJsonDepth)) {
                    json value = json::parse(message.data, nullptr, false);
                    if (!value.is_discarded()) document = std::move(value);
                }
            }
            if (rule.match->matches(message.data, document ? &*document : nullptr)) return &rule;
        }
    } catch (const std::exception&) {
        // Out of memory parsing a message as JSON: it matches nothing and is echoed.
    }
    return nullptr;
}

}  // namespace wsdemo
