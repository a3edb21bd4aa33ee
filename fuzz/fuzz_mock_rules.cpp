// parseMockRules() on any bytes, then findRule() with fixed messages and the bytes themselves:
// no crash, no exception, no stack exhaustion; an error is one short UTF-8 line; a rule found
// is a message rule of the list.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "support.h"
#include "wsdemo/mock_rules.h"
#include "wsdemo/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string_view bytes = fuzz::asText(data, size);
    auto parsed = wsdemo::parseMockRules(bytes);
    if (const auto* error = std::get_if<std::string>(&parsed)) {
        fuzz::check(!error->empty(), "an error says something");
        fuzz::check(wsdemo::isValidUtf8(*error), "an error is UTF-8");
        fuzz::check(error->size() <= 400, "an error is one short line");
        fuzz::check(error->find('\n') == std::string::npos, "an error is one line");
        return 0;
    }
    const auto& rules = std::get<wsdemo::MockRules>(parsed);
    fuzz::check(rules.rules.size() <= wsdemo::kMaxRules, "the rule count is bounded");
    using Type = wsdemo::Message::Type;
    const wsdemo::Message messages[] = {
        {Type::kText, "ping?", {}},
        {Type::kText, R"({"type": "subscribe", "a": [1, {"b": 2}]})", {}},
        {Type::kBinary, std::string("\x01\x02\xff", 3), {}},
        {Type::kBinary, std::string(bytes), {}},
    };
    for (const auto& message : messages) {
        const wsdemo::MockRule* rule = wsdemo::findRule(rules, message);
        if (!rule) continue;
        fuzz::check(rule >= rules.rules.data() && rule < rules.rules.data() + rules.rules.size(),
                    "a rule found is one of the list");
        fuzz::check(rule->trigger == wsdemo::MockRule::Trigger::kMessage && rule->match,
                    "only message rules match messages");
    }
    return 0;
}
