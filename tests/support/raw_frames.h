// WebSocket frames written byte by byte, for peers that must break the protocol on purpose.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wsdemo::test {

namespace Opcode {
constexpr std::uint8_t kContinuation = 0x0, kText = 0x1, kBinary = 0x2, kClose = 0x8, kPing = 0x9,
                       kPong = 0xA;
}
constexpr std::uint8_t kFin = 0x80;
constexpr std::uint8_t kRsv1 = 0x40;

// One unmasked frame (as a server sends): flags | opcode, then the payload with the
// shortest length encoding. A masked frame uses a zero mask key, so the payload reads as is.
std::string frame(std::uint8_t flagsAndOpcode, std::string_view payload, bool masked = false);

// A frame header that claims `length` bytes, without the payload.
std::string frameHeader(std::uint8_t flagsAndOpcode, std::uint64_t length);

// A close frame's payload: the code in network order, then the reason.
std::string closePayload(std::uint16_t code, std::string_view reason = {});

// The scripted_server.py command that writes these bytes to the wire, then maybe drops TCP.
std::string rawCommand(std::string_view bytes, bool thenAbort = false);

}  // namespace wsdemo::test
