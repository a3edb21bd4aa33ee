#include "raw_frames.h"

#include "wsdemo/text.h"

namespace wsdemo::test {

std::string frameHeader(std::uint8_t flagsAndOpcode, std::uint64_t length) {
    std::string header(1, static_cast<char>(flagsAndOpcode));
    if (length < 126) {
        header += static_cast<char>(length);
    } else if (length <= 0xFFFF) {
        header += static_cast<char>(126);
        for (int shift = 8; shift >= 0; shift -= 8) header += static_cast<char>(length >> shift);
    } else {
        header += static_cast<char>(127);
        for (int shift = 56; shift >= 0; shift -= 8) header += static_cast<char>(length >> shift);
    }
    return header;
}

std::string frame(std::uint8_t flagsAndOpcode, std::string_view payload, bool masked) {
    std::string bytes = frameHeader(flagsAndOpcode, payload.size());
    if (masked) {
        bytes[1] = static_cast<char>(bytes[1] | 0x80);
        bytes.append(4, '\0');
    }
    return bytes.append(payload);
}

std::string closePayload(std::uint16_t code, std::string_view reason) {
    std::string payload{static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
    return payload.append(reason);
}

std::string rawCommand(std::string_view bytes, bool thenAbort) {
    return R"(!{"op":"raw","hex":")" + toHex(bytes) +
           (thenAbort ? R"(","then":"abort"})" : R"("})");
}

}  // namespace wsdemo::test
