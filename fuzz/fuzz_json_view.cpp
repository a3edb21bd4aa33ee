// JsonTree::parse() and the tree's rows on any bytes: no crash, no stack exhaustion, and the
// rows a person reads are bounded, whole characters, and open and close consistently.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "json_view.h"
#include "support.h"
#include "wsdemo/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    auto parsed = wsdemo::JsonTree::parse(fuzz::asText(data, size));
    if (const auto* error = std::get_if<std::string>(&parsed)) {
        fuzz::check(wsdemo::isValidUtf8(*error), "an error is UTF-8");
        fuzz::check(error->size() <= 300, "an error is one short line");
        return 0;
    }
    auto& tree = std::get<wsdemo::JsonTree>(parsed);
    fuzz::check(tree.nodeCount() >= 1, "a tree has its root");
    fuzz::check(tree.visibleNodes().size() == tree.nodeCount(), "all nodes are open at first");
    for (std::size_t node = 0; node < tree.nodeCount(); ++node) {
        const std::string row = tree.rowText(node);
        fuzz::check(wsdemo::isValidUtf8(row), "a row is UTF-8");
        fuzz::check(row.size() <= wsdemo::JsonTree::kMaxRowBytes + 4, "a row is bounded");
        fuzz::check(tree.depth(node) <= wsdemo::JsonTree::kMaxTreeDepth, "the tree is bounded");
    }
    tree.setOpen(0, false);
    fuzz::check(tree.visibleNodes().size() == 1, "a closed root hides everything below it");
    tree.setOpen(0, true);
    fuzz::check(tree.visibleNodes().size() == tree.nodeCount(), "opening it shows all again");
    return 0;
}
