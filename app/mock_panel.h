// Mock: the rules the embedded echo server answers by (mock_rules.h), edited as JSON. Apply
// checks them and hands them on; an error names the rule and field and changes nothing.
// Clear goes back to echoing; Example fills in rules to start from. Plain Dear ImGui calls,
// drawn into the side panel by the App, tested headless.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "actions.h"
#include "wsdemo/mock_rules.h"

namespace wsdemo {

// The rules kept in the settings, if there are any and they parse; else null (echo).
std::shared_ptr<const MockRules> storedMockRules(const std::string& text);

class MockPanel {
public:
    // `stored`: the settings' rules text, in the editor at start; applied if it parses (the
    // window gives the server storedMockRules(stored)), else error() says why.
    explicit MockPanel(const std::string& stored);

    // The rules to use from now on, when Apply or Clear was clicked; its text is what the
    // settings keep.
    std::optional<SetMockRulesAction> draw();
    const std::string& error() const { return error_; }

private:
    std::optional<SetMockRulesAction> apply();
    void drawStatus() const;

    std::string text_;
    std::string error_;             // Why the last Apply was refused.
    std::size_t appliedRules_ = 0;  // 0: the server echoes.
};

}  // namespace wsdemo
