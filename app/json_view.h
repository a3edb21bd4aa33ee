// A message that is a JSON object or array, as a collapsible tree of rows: the model the
// inspector draws with a list clipper (inspector_panel.h), and what fuzz/fuzz_json_view.cpp
// feeds arbitrary bytes. No Dear ImGui here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace wsdemo {

class JsonTree {
public:
    // Deeper documents are refused before parsing, so that nothing recursive (printing,
    // comparing) can exhaust the stack. nlohmann's parser and destructor are iterative.
    static constexpr int kMaxParseDepth = 256;
    // A parsed document takes some 15 times its text in memory: larger messages are not
    // parsed (16 MiB took 250 MB and 0.7 s).
    static constexpr std::size_t kMaxParseBytes = 4u << 20;
    // Containers this deep are one row of compact JSON, not a subtree: indentation past this
    // helps nobody.
    static constexpr int kMaxTreeDepth = 64;
    // A row's text is cut (never in half a character, " ..." added) past this: the whole value
    // is in the inspector's Text and Hex views.
    static constexpr std::size_t kMaxRowBytes = 200;

    // The tree of `text` if it is a JSON object or array; else why not in one line ("not JSON:
    // parse error at line 1, column 5: ...", "JSON nested deeper than 256 levels", "JSON of
    // 5.0 MiB: ..."), or "" when `text` does not start with '{' or '[' (after white space) and so
    // never meant to be JSON.
    static std::variant<JsonTree, std::string> parse(std::string_view text);

    JsonTree(JsonTree&&) noexcept;
    JsonTree& operator=(JsonTree&&) noexcept;
    ~JsonTree();

    // Nodes in document order: every value, but none below kMaxTreeDepth.
    std::size_t nodeCount() const { return nodes_.size(); }
    int depth(std::size_t node) const { return nodes_[node].depth; }
    // An object or array with members drawn below it, which can be opened and closed.
    bool isExpandable(std::size_t node) const;
    bool isOpen(std::size_t node) const { return open_[node]; }
    void setOpen(std::size_t node, bool open);
    // "\"name\": \"value\"", "[2]: 3.5", "\"items\": [ 3 items ]", "{ 2 members }" (the root),
    // or a container at kMaxTreeDepth as compact JSON: at most kMaxRowBytes and " ...".
    std::string rowText(std::size_t node) const;

    // The nodes shown, in order: those whose every ancestor is open. All are open at first.
    const std::vector<std::size_t>& visibleNodes() const { return visible_; }

private:
    struct Node {
        const nlohmann::json* value;
        const std::string* key;  // Object members only.
        std::size_t index;       // Array elements: the position.
        std::size_t end;         // Index past the node's subtree in nodes_.
        int depth;
        bool inArray;
    };

    explicit JsonTree(std::unique_ptr<nlohmann::json> root);
    void addNode(const nlohmann::json& value, const std::string* key, std::size_t index,
                 bool inArray, int depth);
    void updateVisible();

    std::unique_ptr<nlohmann::json> root_;  // On the heap: nodes point into it.
    std::vector<Node> nodes_;
    std::vector<bool> open_;
    std::vector<std::size_t> visible_;
    // Compact text, already cut, of the non-empty containers at kMaxTreeDepth, by node index
    // (in increasing order).
    std::vector<std::pair<std::size_t, std::string>> deepText_;
};

}  // namespace wsdemo
