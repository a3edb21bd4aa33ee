// Text checks and display shared by the protocol code and the command line.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wsdemo {

// RFC 3629 UTF-8, checked as the bytes arrive: a text message fails on its first bad byte,
// not after 16 MiB, and a character may straddle two fragments.
class Utf8Validator {
public:
    // False from the first byte that cannot be part of valid UTF-8 on.
    bool feed(std::string_view bytes);
    // True when no character is cut off at the end.
    bool complete() const { return pending_ == 0; }

private:
    int pending_ = 0;                         // Continuation bytes still to come.
    unsigned char low_ = 0x80, high_ = 0xBF;  // Range of the next continuation byte.
    bool failed_ = false;
};

// What a text message and a close reason must be.
bool isValidUtf8(std::string_view text);

// The longest beginning of `text` of at most `maxBytes` that does not end inside a UTF-8
// sequence, so that what is shown never ends in half a character.
std::string_view utf8Prefix(std::string_view text, std::size_t maxBytes);

// Bytes as lowercase hex digits, two a byte, with `separator` between bytes.
std::string toHex(std::string_view bytes, std::string_view separator = {});

// Whether brackets outside strings nest deeper than `limit` anywhere in `text`. Where the text
// is JSON this is the parser's depth; past a syntax error the parser stops anyway. Checked
// before nlohmann-json builds values, which are recursive to destroy and to walk. A scan rather
// than nlohmann's parse callback, which took 1.2 s for 1 MiB (a plain parse: 36 ms).
bool jsonNestsDeeperThan(std::string_view text, int limit);
// Whether `text` ends within a JSON string (as JSON cut off in the middle of one does).
bool jsonEndsInsideString(std::string_view text);

// RFC 4648 base64 with padding, as JSON Lines and HAR carry binary data.
std::string toBase64(std::string_view bytes);
// None for anything but canonical padded base64 (white space is not allowed either).
std::optional<std::string> fromBase64(std::string_view text);

// Text from outside (an argument, a URL, a peer) made safe to print in one line: in single
// quotes, bytes outside printable ASCII as \xNN, cut after 60 bytes with "...".
std::string printableQuote(std::string_view text);

}  // namespace wsdemo
