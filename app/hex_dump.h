// How message bytes are shown to a person: hex dump lines, and text cut where a character ends.
// No Dear ImGui here: the inspector and the log draw what these return.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wsdemo {

constexpr std::size_t kHexDumpBytesPerLine = 16;

// One line of a `hexdump -C` style dump of the first 16 bytes of `bytes`, found at `offset` in
// the message: offset, the bytes in hex (a gap after the eighth), and the printable ASCII ones
// ('.' for the others):
// "00000010  48 65 6c 6c 6f 20 77 6f  72 6c 64 0a                 |Hello world.|"
std::string hexDumpLine(std::string_view bytes, std::size_t offset);

// How many lines hexDumpLine() takes for `size` bytes (one for an empty message).
std::size_t hexDumpLineCount(std::size_t size);

}  // namespace wsdemo
