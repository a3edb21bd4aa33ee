// parseHeader() and checkSubprotocol() on the same bytes. What either accepts is safe to put in
// a request: no control character but tab, a token name, no header that libwebsockets or RFC 6455
// own; what either refuses gets one printable line.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "support.h"
#include "wsdemo/channel.h"

namespace {

// RFC 7230 3.2.6, written out rather than shared with the code under test.
bool referenceIsToken(std::string_view text) {
    constexpr std::string_view kTchar =
        "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    return !text.empty() && text.find_first_not_of(kTchar) == std::string_view::npos;
}

std::string lowercase(std::string_view text) {
    std::string lower(text);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower;
}

bool isOwned(std::string_view name) {
    const std::string lower = lowercase(name);
    for (const char* owned :
         {"host", "upgrade", "connection", "origin", "content-length", "transfer-encoding"})
        if (lower == owned) return true;
    return lower.rfind("sec-websocket-", 0) == 0;
}

// RFC 7230 3.2: no control byte but tab in a header.
bool hasControl(std::string_view text) {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && byte != '\t') || byte == 0x7f) return true;
    }
    return false;
}

void checkError(const std::string& error) {
    fuzz::check(!error.empty(), "a refusal says why");
    fuzz::check(fuzz::isPrintableAsciiLine(error), "a refusal is one line of printable ASCII");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::asText(data, size);

    const auto header = wsdemo::parseHeader(text);
    if (const auto* accepted = std::get_if<wsdemo::Header>(&header)) {
        fuzz::check(!hasControl(accepted->name) && !hasControl(accepted->value),
                    "an accepted header holds no control character but tab");
        fuzz::check(!hasControl(text), "a header with a control character is refused");
        fuzz::check(referenceIsToken(accepted->name), "an accepted header name is a token");
        fuzz::check(!isOwned(accepted->name), "a header that lws or RFC 6455 owns is refused");
        fuzz::check(text.substr(0, accepted->name.size() + 1) == accepted->name + ":",
                    "the name is what comes before the first colon");
        const std::string_view rest = text.substr(accepted->name.size() + 1);
        fuzz::check(rest.find(accepted->value) != std::string_view::npos,
                    "the value is taken from after the colon");
        fuzz::check(accepted->value.empty() ||
                        (accepted->value.front() != ' ' && accepted->value.front() != '\t' &&
                         accepted->value.back() != ' ' && accepted->value.back() != '\t'),
                    "the value has no white space around it");
    } else {
        checkError(std::get<std::string>(header));
    }

    const std::string subprotocolError = wsdemo::checkSubprotocol(text);
    fuzz::check(subprotocolError.empty() == referenceIsToken(text),
                "a subprotocol is accepted exactly when it is a token");
    if (!subprotocolError.empty()) checkError(subprotocolError);
    return 0;
}
