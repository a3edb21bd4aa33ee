#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <string>
#include <variant>

#include "wsdemo/mock_rules.h"

using namespace wsdemo;
using Clock = std::chrono::steady_clock;

namespace {

// The header's example, whole.
const char* const kExample = R"({"rules": [
  {"on": "connect", "reply": [{"text": "welcome"}]},
  {"on": "timer", "every_ms": 1000, "reply": [{"text": "tick"}]},
  {"match": {"text": "ping?"}, "reply": [{"text": "pong!"}]},
  {"match": {"substring": "slow"}, "reply": [{"text": "late", "delay_ms": 300}]},
  {"match": {"regex": "^add ([0-9]+)$"}, "reply": [{"text": "added"}]},
  {"match": {"json": {"path": "type", "equals": "subscribe"}},
   "reply": [{"binary_hex": "0102ff"}, {"text": "subscribed"}]},
  {"match": {"text": "bye"}, "close": {"code": 4000, "reason": "asked to"}},
  {"match": {"text": "crash"}, "drop": true},
  {"match": {"text": "hush"}, "stop_reading": true},
  {"match": {"text": "poke"}, "ping": "are you there"}
]})";

MockRules parsed(const std::string& json) {
    auto result = parseMockRules(json);
    if (const auto* error = std::get_if<std::string>(&result)) FAIL(*error);
    return std::get<MockRules>(std::move(result));
}

std::string errorOf(const std::string& json) {
    auto result = parseMockRules(json);
    const auto* error = std::get_if<std::string>(&result);
    return error ? *error : "(accepted)";
}

// One rule, put second after a harmless one, so that the error must name rule 2.
std::string errorOfRule(const std::string& rule) {
    return errorOf(R"({"rules": [{"match": {"text": "x"}}, )" + rule + "]}");
}

Message textValue(std::string data) {
    return Message{Message::Type::kText, std::move(data), {}};
}

// The index of the rule that answers `message`, or -1 for an echo.
long answering(const MockRules& rules, const Message& message) {
    const MockRule* rule = findRule(rules, message);
    return rule ? rule - rules.rules.data() : -1;
}

}  // namespace

TEST_CASE("every form of the header's example parses to what it says", "[mock]") {
    const MockRules rules = parsed(kExample);
    REQUIRE(rules.rules.size() == 10);
    const auto& r = rules.rules;
    CHECK(r[0].trigger == MockRule::Trigger::kConnect);
    CHECK(r[0].replies.at(0).data == "welcome");
    CHECK(r[1].trigger == MockRule::Trigger::kTimer);
    CHECK(r[1].every == std::chrono::milliseconds(1000));
    CHECK(r[3].replies.at(0).delay == std::chrono::milliseconds(300));
    REQUIRE(r[5].replies.size() == 2);
    CHECK(r[5].replies[0].type == Message::Type::kBinary);
    CHECK(r[5].replies[0].data == std::string("\x01\x02\xff", 3));
    CHECK(r[5].replies[1].type == Message::Type::kText);
    REQUIRE(r[6].close);
    CHECK(r[6].close->code == 4000);
    CHECK(r[6].close->reason == "asked to");
    CHECK(r[7].drop);
    CHECK(r[8].stopReading);
    CHECK(r[9].ping == std::string("are you there"));
    CHECK(r[4].describe == "rule 5 (match regex \"^add ([0-9]+)$\")");
    CHECK(r[1].describe == "rule 2 (on timer every 1000 ms)");

    SECTION("base64 replies decode") {
        const MockRules base64 = parsed(
            R"({"rules": [{"match": {"text": "b"}, "reply": [{"binary_base64": "AQL/"}]}]})");
        CHECK(base64.rules[0].replies[0].data == std::string("\x01\x02\xff", 3));
    }
}

TEST_CASE("each error names the rule and the field", "[mock]") {
    SECTION("unknown fields, at every level") {
        CHECK(errorOfRule(R"({"match": {"text": "a"}, "repy": []})") ==
              "rule 2: unknown field \"repy\"");
        CHECK(errorOfRule(R"({"match": {"txt": "a"}})") == "rule 2: unknown field \"match.txt\"");
        CHECK(errorOfRule(R"({"match": {"text": "a"}, "reply": [{"text": "b", "dealy_ms": 1}]})") ==
              "rule 2: unknown field \"reply.1.dealy_ms\"");
        CHECK(errorOfRule(R"({"match": {"text": "a"}, "close": {"code": 1000, "why": "x"}})") ==
              "rule 2: unknown field \"close.why\"");
        CHECK(errorOf(R"({"rules": [], "rule": []})") == "unknown field \"rule\"");
    }
    SECTION("wrong types") {
        CHECK(errorOfRule(R"({"match": {"text": 5}})") ==
              "rule 2: \"match.text\": must be a string");
        CHECK(errorOfRule(R"({"match": {"text": "a"}, "reply": {"text": "b"}})") ==
              "rule 2: \"reply\": must be an array");
        CHECK(errorOfRule(R"({"match": {"text": "a"}, "drop": "yes"})") ==
              "rule 2: \"drop\": must be true or false");
        CHECK(
            errorOfRule(R"({"match": {"text": "a"}, "reply": [{"text": "b", "delay_ms": 1.5}]})") ==
            "rule 2: \"reply.1.delay_ms\": must be an integer from 0 to 600000");
        CHECK(errorOfRule(R"("x")") == "rule 2: must be an object");
    }
    SECTION("a regex that does not compile, with its offset") {
        CHECK(errorOfRule(R"({"match": {"regex": "^(ab"}})") ==
              "rule 2: \"match.regex\": missing closing parenthesis at offset 4");
    }
    SECTION("binary that does not decode") {
        CHECK(errorOfRule(R"({"match": {"text": "a"}, "reply": [{"binary_hex": "0g"}]})") ==
              "rule 2: \"reply.1.binary_hex\": is not pairs of hex digits");
        CHECK(errorOfRule(R"({"match": {"text": "a"}, "reply": [{"binary_hex": "012"}]})") ==
              "rule 2: \"reply.1.binary_hex\": is not pairs of hex digits");
        CHECK(errorOfRule(R"({"match": {"text": "a"}, "reply": [{"binary_base64": "AQL"}]})") ==
              "rule 2: \"reply.1.binary_base64\": is not padded base64");
    }
    SECTION("close codes an endpoint may not send") {
        for (const char* code : {"1005", "1006", "999"})
            CHECK(errorOfRule(std::string(R"({"match": {"text": "a"}, "close": {"code": )") + code +
                              "}}") ==
                  std::string("rule 2: \"close.code\": ") + code + " may not be sent");
    }
    SECTION("a reason over 123 bytes, a ping over 125") {
        CHECK(errorOfRule(R"({"match": {"text": "a"}, "close": {"code": 1000, "reason": ")" +
                          std::string(124, 'r') + "\"}}") ==
              "rule 2: \"close.reason\": is 124 bytes, more than the 123 a close frame holds");
        CHECK(
            errorOfRule(R"({"match": {"text": "a"}, "ping": ")" + std::string(126, 'p') + "\"}") ==
            "rule 2: \"ping\": is 126 bytes, more than the 125 a ping holds");
    }
    SECTION("text that is not UTF-8 is refused where it stands") {
        // nlohmann checks every string of the document: the error gives line and column.
        const std::string error =
            errorOfRule("{\"match\": {\"text\": \"a\"}, \"reply\": [{\"text\": \"\xff\"}]}");
        CHECK(error.rfind("not JSON: parse error at line 1, column ", 0) == 0);
        CHECK(error.find("ill-formed UTF-8 byte") != std::string::npos);
    }
    SECTION("delays and intervals beyond their limits") {
        CHECK(errorOfRule(
                  R"({"match": {"text": "a"}, "reply": [{"text": "b", "delay_ms": 600001}]})") ==
              "rule 2: \"reply.1.delay_ms\": 600001 is not from 0 to 600000");
        CHECK(errorOfRule(R"({"on": "timer", "every_ms": 9})") ==
              "rule 2: \"every_ms\": 9 is not from 10 to 600000");
        CHECK(errorOfRule(R"({"on": "timer"})") ==
              "rule 2: \"every_ms\": is missing (a timer rule needs one)");
    }
    SECTION("what the server cannot do, and rules that contradict themselves") {
        CHECK(errorOfRule(R"({"match": {"text": "a"}, "stop_answering_pings": true})") ==
              "rule 2: \"stop_answering_pings\": not possible: libwebsockets 4.1.6 answers a ping "
              "itself before any callback of the server's (the client side has --no-auto-pong)");
        CHECK(errorOfRule(R"({"match": {"text": "a"}, "drop": true, "ping": ""})") ==
              "rule 2: \"ping\": only one of \"close\", \"drop\", \"stop_reading\" and \"ping\" "
              "may act");
        CHECK(errorOfRule(R"({"on": "connect", "match": {"text": "a"}})") ==
              "rule 2: \"match\": applies to \"on\": \"message\" only");
        CHECK(errorOfRule(R"({"reply": []})") ==
              "rule 2: \"match\": is missing (a message rule needs one)");
    }
    SECTION("too many rules, too many replies") {
        std::string many = R"({"rules": [)";
        for (std::size_t i = 0; i <= kMaxRules; ++i) many += R"({"match": {"text": "x"}},)";
        many.back() = ']';
        CHECK(errorOf(many + "}") == "has 1001 rules, more than the limit of 1000");
        std::string replies = R"({"match": {"text": "a"}, "reply": [)";
        for (std::size_t i = 0; i <= kMaxRepliesPerRule; ++i) replies += R"({"text": "r"},)";
        replies.back() = ']';
        CHECK(errorOfRule(replies + "}") ==
              "rule 2: \"reply\": has 101 replies, more than the 100 a rule may have");
    }
    SECTION("nesting 1000 deep is refused before it is built") {
        const std::string deep = R"({"rules": [{"match": {"json": {"path": "a", "equals": )" +
                                 std::string(1000, '[') + std::string(1000, ']') + "}}}]}";
        CHECK(errorOf(deep) == "nested deeper than 64 levels");
    }
    SECTION("not JSON, empty, not the expected shape") {
        CHECK(errorOf("{\"rules\": [") ==
              "not JSON: parse error at line 1, column 12: syntax error while parsing value - "
              "unexpected end of input; expected '[', '{', or a literal");
        CHECK(errorOf("").rfind("not JSON: parse error at line 1, column 1: ", 0) == 0);
        CHECK(errorOf("[]") == "must be an object with a \"rules\" array");
        CHECK(errorOf(std::string(kMaxRulesFileBytes + 1, ' ')) ==
              "the rules are 1048577 bytes, more than the limit of 1048576");
    }
    SECTION("a file that cannot be read") {
        auto result = loadMockRules("/nonexistent/rules.json");
        REQUIRE(std::holds_alternative<std::string>(result));
        CHECK(std::get<std::string>(result) ==
              "cannot read /nonexistent/rules.json: No such file or directory");
    }
}

TEST_CASE("findRule takes the first message rule that matches", "[mock]") {
    const MockRules rules = parsed(R"({"rules": [
      {"on": "connect", "reply": [{"text": "welcome"}]},
      {"match": {"text": "exact"}, "reply": [{"text": "1"}]},
      {"match": {"substring": "sub"}, "reply": [{"text": "2"}]},
      {"match": {"regex": "^add ([0-9]+)$"}, "reply": [{"text": "3"}]},
      {"match": {"json": {"path": "a.list.1.type", "equals": {"k": [1, 2]}}}},
      {"match": {"json": {"path": "n", "equals": 2}}},
      {"match": {"substring": "exact"}, "reply": [{"text": "never first"}]}
    ]})");
    CHECK(answering(rules, textValue("exact")) == 1);
    CHECK(answering(rules, textValue("exact!")) == 6);  // Not equal: the later substring rule.
    CHECK(answering(rules, textValue("a sub b")) == 2);
    CHECK(answering(rules, textValue("add 42")) == 3);
    CHECK(answering(rules, textValue("add 42 ")) == -1);
    CHECK(answering(rules, textValue(R"({"a": {"list": [0, {"type": {"k": [1, 2]}}]}})")) == 4);
    CHECK(answering(rules, textValue(R"({"a": {"list": [0, {"type": {"k": [2, 1]}}]}})")) == -1);
    CHECK(answering(rules, textValue(R"({"n": 2.0})")) == 5);  // Compared as JSON numbers.
    CHECK(answering(rules, textValue(R"({"n": "2"})")) == -1);
    CHECK(answering(rules, textValue("{not json")) == -1);
    CHECK(answering(rules, textValue("welcome")) == -1);  // Connect rules never match messages.
    CHECK(answering(rules, Message{Message::Type::kBinary, std::string("\xffsub", 4), {}}) == 2);
    CHECK(answering(rules, textValue(std::string(100, '[') + "1" + std::string(100, ']'))) == -1);
}

TEST_CASE("a catastrophic regex gives up quickly without matching", "[mock]") {
    const MockRules rules = parsed(R"({"rules": [{"match": {"regex": "^(a+)+$"}}]})");
    const Message attack = textValue(std::string(100 * 1024, 'a') + "b");
    const auto start = Clock::now();
    CHECK(findRule(rules, attack) == nullptr);
    const auto took = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("catastrophic regex on 100 KiB: %.1f ms\n", took * 1000);
    CHECK(took < 1.0);
}

TEST_CASE("a 16 MiB message meets every kind of rule without a crash", "[mock]") {
    const MockRules rules = parsed(R"({"rules": [
      {"match": {"regex": "(x|y)*z"}},
      {"match": {"json": {"path": "a", "equals": 1}}},
      {"match": {"substring": "needle"}}
    ]})");
    std::string big(16u << 20, 'x');
    const auto start = Clock::now();
    CHECK(findRule(rules, textValue(big)) == nullptr);
    big.replace(big.size() - 6, 6, "needle");
    CHECK(answering(rules, textValue(big)) == 2);
    const auto took = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("16 MiB message through three rules, twice: %.1f ms\n", took * 1000);
    CHECK(took < 5.0);
}
