// JSON read whole, or, when the text ends in the middle of it, what came before the cut: a
// HAR file that a browser or a full disk left unfinished still has its first messages.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace wsdemo {

struct JsonDocument {
    std::optional<nlohmann::json> whole;  // When all of the text is one JSON value.
    // Where parsing stopped (nlohmann counts the end of the text as a character read).
    std::size_t errorAt = 0;
    // The text ended in the middle of the value. beforeCut holds what came before, closed
    // where the cut left it open: a value the cut made short is left out (a string, a literal,
    // a number that runs to the end), so an object may lack its last members. cutAt is the
    // JSON path of the innermost value left open ("entries[2]._webSocketMessages[7]").
    bool cutOff = false;
    nlohmann::json beforeCut;
    std::string cutAt;
};

// Without exceptions; nesting is not bounded here (see jsonNestsDeeperThan).
JsonDocument readJsonDocument(std::string_view text);

}  // namespace wsdemo
