#include "json_view.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "hex_dump.h"
#include "wsdemo/text.h"

namespace wsdemo {

using nlohmann::json;

namespace {

// Dumps never throw on bytes that are not UTF-8: strings parsed here are valid anyway.
std::string compact(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string cut(std::string text) {
    const std::string_view kept = utf8Prefix(text, JsonTree::kMaxRowBytes);
    if (kept.size() == text.size()) return text;
    return std::string(kept) + " ...";
}

// "parse error at line 1, column 5: syntax error while parsing value - invalid literal": the
// exception's text without its "[json.exception.parse_error.101] " tag, nor the bytes it last
// read, which are the peer's and may be anything (a number that overflows is quoted whole).
std::string describeError(const json::exception& error) {
    std::string_view what = error.what();
    if (const auto tagEnd = what.find("] "); tagEnd != std::string_view::npos)
        what.remove_prefix(tagEnd + 2);
    return "not JSON: " + cut(std::string(what.substr(0, what.find("; last read"))));
}

bool meantAsJson(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && (text[first] == '{' || text[first] == '[');
}

std::string containerSummary(const json& value) {
    const std::size_t count = value.size();
    if (value.is_object())
        return count == 0
                   ? "{}"
                   : "{ " + std::to_string(count) + (count == 1 ? " member }" : " members }");
    return count == 0 ? "[]" : "[ " + std::to_string(count) + (count == 1 ? " item ]" : " items ]");
}

// A string as JSON, cut before it is escaped, so that a row costs no more than it shows.
std::string jsonString(const std::string& text) {
    if (text.size() <= JsonTree::kMaxRowBytes) return compact(json(text));
    return compact(json(std::string(utf8Prefix(text, JsonTree::kMaxRowBytes)))) + " ...";
}

}  // namespace

std::variant<JsonTree, std::string> JsonTree::parse(std::string_view text) {
    if (!meantAsJson(text)) return std::string();
    if (text.size() > kMaxParseBytes) {
        char sizes[96];
        std::snprintf(sizes, sizeof sizes,
                      "JSON of %.1f MiB: the tree view takes at most %zu MiB, shown as text only",
                      static_cast<double>(text.size()) / (1 << 20), kMaxParseBytes >> 20);
        return std::string(sizes);
    }
    if (jsonNestsDeeperThan(text, kMaxParseDepth))
        return "JSON nested deeper than " + std::to_string(kMaxParseDepth) +
               " levels: shown as text only";
    try {
        return JsonTree(std::make_unique<json>(json::parse(text.begin(), text.end())));
    } catch (const json::exception& error) {
        return describeError(error);
    }
}

JsonTree::JsonTree(std::unique_ptr<json> root) : root_(std::move(root)) {
    addNode(*root_, nullptr, 0, false, 0);
    open_.assign(nodes_.size(), true);
    updateVisible();
}

JsonTree::JsonTree(JsonTree&&) noexcept = default;
JsonTree& JsonTree::operator=(JsonTree&&) noexcept = default;
JsonTree::~JsonTree() = default;

// Recursion bounded by kMaxTreeDepth.
void JsonTree::addNode(const json& value, const std::string* key, std::size_t index, bool inArray,
                       int depth) {
    const std::size_t self = nodes_.size();
    nodes_.push_back(Node{&value, key, index, self + 1, depth, inArray});
    if (!value.is_structured() || value.empty()) return;
    if (depth == kMaxTreeDepth) {
        deepText_.emplace_back(self, cut(compact(value)));
        return;
    }
    if (value.is_object()) {
        for (auto member = value.begin(); member != value.end(); ++member)
            addNode(*member, &member.key(), 0, false, depth + 1);
    } else {
        std::size_t position = 0;
        for (const auto& element : value) addNode(element, nullptr, position++, true, depth + 1);
    }
    nodes_[self].end = nodes_.size();
}

bool JsonTree::isExpandable(std::size_t node) const {
    return nodes_[node].end > node + 1;
}

void JsonTree::setOpen(std::size_t node, bool open) {
    if (open_[node] == open) return;
    open_[node] = open;
    updateVisible();
}

std::string JsonTree::rowText(std::size_t node) const {
    const Node& row = nodes_[node];
    std::string text;
    if (row.key)
        text = jsonString(*row.key) + ": ";
    else if (row.inArray)
        text = "[" + std::to_string(row.index) + "]: ";
    const auto deep = std::lower_bound(deepText_.begin(), deepText_.end(), node,
                                       [](const std::pair<std::size_t, std::string>& entry,
                                          std::size_t n) { return entry.first < n; });
    if (deep != deepText_.end() && deep->first == node)
        text += deep->second;
    else if (row.value->is_structured())
        text += containerSummary(*row.value);
    else if (row.value->is_string())
        text += jsonString(row.value->get_ref<const std::string&>());
    else
        text += compact(*row.value);
    return cut(std::move(text));
}

void JsonTree::updateVisible() {
    visible_.clear();
    for (std::size_t node = 0; node < nodes_.size();) {
        visible_.push_back(node);
        node = open_[node] ? node + 1 : nodes_[node].end;
    }
}

}  // namespace wsdemo
