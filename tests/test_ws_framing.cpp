// The pure part of MessageWriter's raw write path: frame headers, masking, mask keys. Each
// frame built here is read back by a decoder written from RFC 6455 section 5.2, not from the
// code under test. That peers accept the frames on the wire (python3-websockets, node ws, over
// TLS, mixed with pings) is the channel and echo server tests' part.
#include <catch2/catch.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "ws_framing.h"

using namespace wsdemo;
using wsframe::MaskKey;
using wsframe::Opcode;

namespace {

struct DecodedFrame {
    bool final = false;
    int rsv = 0;
    int opcode = -1;
    bool masked = false;
    uint64_t length = 0;
    std::size_t headerBytes = 0;
    MaskKey key{};
};

// RFC 6455 5.2, byte by byte.
DecodedFrame decode(const unsigned char* bytes) {
    DecodedFrame frame;
    frame.final = (bytes[0] & 0x80) != 0;
    frame.rsv = (bytes[0] >> 4) & 0x7;
    frame.opcode = bytes[0] & 0xF;
    frame.masked = (bytes[1] & 0x80) != 0;
    const unsigned lengthCode = bytes[1] & 0x7F;
    std::size_t at = 2;
    if (lengthCode < 126) {
        frame.length = lengthCode;
    } else {
        const std::size_t lengthBytes = lengthCode == 126 ? 2 : 8;
        for (std::size_t i = 0; i < lengthBytes; ++i)
            frame.length = frame.length << 8 | bytes[at++];
    }
    if (frame.masked)
        for (auto& keyByte : frame.key) keyByte = bytes[at++];
    frame.headerBytes = at;
    return frame;
}

std::vector<unsigned char> pattern(std::size_t size) {
    std::vector<unsigned char> bytes(size);
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<unsigned char>(i * 7 + 3);
    return bytes;
}

}  // namespace

TEST_CASE("a frame header uses the shortest length encoding", "[ws_framing]") {
    struct Case {
        uint64_t length;
        std::size_t headerBytes;
    };
    // Every boundary of the three encodings (7 bits, 16 bits, 64 bits).
    const Case cases[] = {{0, 2},
                          {1, 2},
                          {125, 2},
                          {126, 4},
                          {127, 4},
                          {65535, 4},
                          {65536, 10},
                          {65537, 10},
                          {16 << 20, 10},
                          {uint64_t{1} << 40, 10},
                          {(uint64_t{1} << 63) - 1, 10}};
    for (const Case& c : cases) {
        CAPTURE(c.length);
        unsigned char header[wsframe::kMaxHeaderBytes];
        const std::size_t size =
            wsframe::writeHeader(header, Opcode::kBinary, true, c.length, nullptr);
        CHECK(size == c.headerBytes);
        const DecodedFrame frame = decode(header);
        CHECK(frame.headerBytes == size);
        CHECK(frame.length == c.length);
        CHECK_FALSE(frame.masked);
    }
}

TEST_CASE("a frame header carries the opcode, FIN, no RSV bit, and the mask key", "[ws_framing]") {
    const MaskKey key{0xA1, 0x02, 0xF3, 0x7C};
    unsigned char header[wsframe::kMaxHeaderBytes];

    SECTION("a first text fragment, masked") {
        const std::size_t size = wsframe::writeHeader(header, Opcode::kText, false, 300, &key);
        const DecodedFrame frame = decode(header);
        CHECK(size == 8);
        CHECK(frame.opcode == 0x1);
        CHECK_FALSE(frame.final);
        CHECK(frame.rsv == 0);
        CHECK(frame.masked);
        CHECK(frame.key == key);
        CHECK(frame.length == 300);
    }
    SECTION("a final continuation, masked, 64-bit length") {
        const std::size_t size =
            wsframe::writeHeader(header, Opcode::kContinuation, true, 70000, &key);
        const DecodedFrame frame = decode(header);
        CHECK(size == wsframe::kMaxHeaderBytes);
        CHECK(frame.opcode == 0x0);
        CHECK(frame.final);
        CHECK(frame.key == key);
        CHECK(frame.length == 70000);
    }
    SECTION("an empty binary message, unmasked") {
        const std::size_t size = wsframe::writeHeader(header, Opcode::kBinary, true, 0, nullptr);
        CHECK(size == 2);
        CHECK(header[0] == 0x82);
        CHECK(header[1] == 0x00);
    }
}

TEST_CASE("masking XORs byte i with key byte i mod 4, at every length and alignment",
          "[ws_framing]") {
    const MaskKey key{0x12, 0x34, 0x56, 0x78};
    const std::vector<unsigned char> input = pattern(64 + 7);
    for (std::size_t offset = 0; offset < 8; ++offset) {
        for (std::size_t size = 0; size <= 64; ++size) {
            CAPTURE(offset, size);
            // Unaligned source and destination, and a guard byte past the end.
            std::vector<unsigned char> out(size + 9, 0xEE);
            wsframe::copyMasked(out.data() + 1, input.data() + offset, size, key);
            bool same = true;
            for (std::size_t i = 0; i < size; ++i)
                same = same && out[1 + i] == (input[offset + i] ^ key[i % 4]);
            CHECK(same);
            CHECK(out[0] == 0xEE);
            CHECK(out[1 + size] == 0xEE);
        }
    }
}

TEST_CASE("a header and a masked payload read back as the message", "[ws_framing]") {
    for (std::size_t size : {std::size_t{0}, std::size_t{125}, std::size_t{126}, std::size_t{65535},
                             std::size_t{65536}, std::size_t{300001}}) {
        CAPTURE(size);
        const std::vector<unsigned char> payload = pattern(size);
        const MaskKey key{0x9E, 0x37, 0x79, 0xB9};
        std::vector<unsigned char> wire(wsframe::kMaxHeaderBytes + size);
        const std::size_t header =
            wsframe::writeHeader(wire.data(), Opcode::kBinary, true, size, &key);
        wsframe::copyMasked(wire.data() + header, payload.data(), size, key);
        wire.resize(header + size);

        const DecodedFrame frame = decode(wire.data());
        REQUIRE(frame.headerBytes == header);
        REQUIRE(frame.length == size);
        std::vector<unsigned char> unmasked(size);
        for (std::size_t i = 0; i < size; ++i) unmasked[i] = wire[header + i] ^ frame.key[i % 4];
        CHECK(unmasked == payload);
    }
}

TEST_CASE("mask keys keep coming, and differ, past many pool refills", "[ws_framing]") {
    wsframe::MaskKeys keys;
    std::set<uint32_t> seen;
    const int count = 5000;  // About 20 refills of the pool.
    for (int i = 0; i < count; ++i) {
        MaskKey key;
        REQUIRE(keys.next(key));
        seen.insert(uint32_t{key[0]} << 24 | uint32_t{key[1]} << 16 | uint32_t{key[2]} << 8 |
                    key[3]);
    }
    // 5,000 random 32-bit keys collide with odds of about 0.3%; a few repeats are tolerated,
    // a stuck or cycling pool is not.
    CHECK(seen.size() >= count - 3);
}

TEST_CASE("a frame's payload and header fit one socket chunk", "[ws_framing]") {
    CHECK(MessageWriter::kFramePayloadBytes + wsframe::kMaxHeaderBytes == kSocketChunkBytes);
}
