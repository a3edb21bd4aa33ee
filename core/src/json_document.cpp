// JSON through nlohmann's SAX interface, building the document as its parser would, so that
// a cut leaves a document behind.
#include "json_document.h"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include "wsdemo/text.h"

namespace wsdemo {

namespace {

using Json = nlohmann::json;

// ".name", or "name" first; a key that is not a plain name as ['...'], in one printable line.
std::string keyText(const std::string& key, bool first) {
    const bool plain = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
    });
    if (!plain) return "[" + printableQuote(key) + "]";
    return (first ? "" : ".") + key;
}

class DocumentBuilder {
public:
    bool null() { return add(nullptr); }
    bool boolean(bool value) { return add(value); }
    bool number_integer(Json::number_integer_t value) { return addNumber(value); }
    bool number_unsigned(Json::number_unsigned_t value) { return addNumber(value); }
    bool number_float(Json::number_float_t value, const std::string&) { return addNumber(value); }
    bool string(std::string& value) { return add(std::move(value)); }
    bool binary(Json::binary_t& value) { return add(std::move(value)); }
    bool start_object(std::size_t) { return open(Json::object()); }
    bool key(std::string& name) {
        lastWasNumber_ = false;
        key_ = std::move(name);
        return true;
    }
    bool end_object() { return close(); }
    bool start_array(std::size_t) { return open(Json::array()); }
    bool end_array() { return close(); }
    bool parse_error(std::size_t at, const std::string&, const Json::exception&) {
        errorAt_ = at;
        return false;
    }

    // Where parsing stopped: one past the end when the text ended in the middle of the
    // document (nlohmann counts the end of the input as a character read).
    std::size_t errorAt() const { return errorAt_; }
    Json& document() { return document_; }

    // After `text` was cut off: drops a number that runs to the end (it may be short), closes
    // what is open, and returns the JSON path of the innermost value left open.
    std::string closeAtCut(std::string_view text) {
        if (open_.empty()) return {};
        // A digit last, outside a string, can only be the end of a number.
        if (lastWasNumber_ && std::isdigit(static_cast<unsigned char>(text.back())) &&
            !jsonEndsInsideString(text))
            removeLast(*open_.back());
        std::string path = pathText();
        open_.clear();
        return path;
    }

private:
    bool add(Json value) {
        lastWasNumber_ = false;
        place(std::move(value));
        return true;
    }
    bool addNumber(Json value) {
        place(std::move(value));
        lastWasNumber_ = true;
        return true;
    }
    bool open(Json container) {
        lastWasNumber_ = false;
        open_.push_back(&place(std::move(container)));
        return true;
    }
    bool close() {
        lastWasNumber_ = false;
        open_.pop_back();
        if (!open_.empty() && open_.back()->is_object()) keys_.pop_back();
        return true;
    }
    // An open container is the last value of its parent, which gains nothing until it
    // closes, so the pointers in open_ stay valid.
    Json& place(Json value) {
        if (open_.empty()) return document_ = std::move(value);
        Json& parent = *open_.back();
        if (parent.is_array()) {
            parent.push_back(std::move(value));
            return parent.back();
        }
        if (value.is_structured()) keys_.push_back(key_);
        return parent[key_] = std::move(value);
    }
    // Only for the last value placed in `container`.
    void removeLast(Json& container) {
        if (container.is_array() && !container.empty()) container.erase(container.size() - 1);
        if (container.is_object()) container.erase(key_);
    }
    // "entries[2]._webSocketMessages[7]": the innermost open value, from the document's
    // top, where arrays are named by the index of their last element.
    std::string pathText() const {
        std::string path;
        std::size_t key = 0;
        for (std::size_t i = 0; i + 1 < open_.size(); ++i) {
            if (open_[i]->is_array()) {
                path += "[" + std::to_string(open_[i]->size() - 1) + "]";
            } else {
                path += keyText(keys_[key++], path.empty());
            }
        }
        return path;
    }

    Json document_;
    std::vector<Json*> open_;        // The containers not closed yet, outermost first.
    std::vector<std::string> keys_;  // The key of each open container whose parent is an object.
    std::string key_;                // The last key read.
    bool lastWasNumber_ = false;
    std::size_t errorAt_ = 0;
};

}  // namespace

JsonDocument readJsonDocument(std::string_view text) {
    DocumentBuilder builder;
    JsonDocument document;
    if (Json::sax_parse(text.begin(), text.end(), &builder)) {
        document.whole = std::move(builder.document());
        return document;
    }
    document.errorAt = builder.errorAt();
    document.cutOff = document.errorAt > text.size();
    if (document.cutOff) {
        document.cutAt = builder.closeAtCut(text);
        document.beforeCut = std::move(builder.document());
    }
    return document;
}

}  // namespace wsdemo
