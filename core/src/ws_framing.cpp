#include "ws_framing.h"

#include <libwebsockets.h>

#include <sys/random.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace wsdemo {

namespace {

// lws 4.1.6 has no call that says whether an extension is active; this one answers -1 exactly
// when it is not, and with no option name changes nothing (read in extension.c and
// extension-permessage-deflate.c). The only extension lws has, under the name every context
// here registers it with.
bool compressionActive(lws* wsi) {
    return lws_set_extension_option(wsi, "permessage-deflate", nullptr, nullptr) == 0;
}

constexpr unsigned char kRsv1 = 0x40;  // As lws_get_reserved_bits() places it.

}  // namespace

MessageAssembler::Result MessageAssembler::append(lws* wsi, const void* in, std::size_t len) {
    if (!inMessage_) {
        inMessage_ = true;
        message_.type = lws_frame_is_binary(wsi) ? Message::Type::kBinary : Message::Type::kText;
        message_.data.clear();
        utf8_ = Utf8Validator();
        // RSV1 on a message's first frame says it is compressed (RFC 7692 6); lws keeps the
        // bits of the frame it is delivering.
        compressed_ = compressionActive(wsi) && (lws_get_reserved_bits(wsi) & kRsv1) != 0;
    }
    // What the current frame still announces counts now: memory stays bounded whatever a
    // header claims, and the connection fails before the bytes arrive. Not for a compressed
    // message, whose headers count compressed bytes, more than the message's when it does not
    // compress (and lws tells its last inflated chunk by lws_is_final_fragment() alone).
    const std::size_t remaining = compressed_ ? 0 : lws_remaining_packet_payload(wsi);
    if (len > maxMessageBytes_ - message_.data.size() ||
        remaining > maxMessageBytes_ - message_.data.size() - len)
        return Result::kTooBig;
    const std::string_view bytes(static_cast<const char*>(in), len);
    const bool text = message_.type == Message::Type::kText;
    if (text && !utf8_.feed(bytes)) return Result::kInvalidUtf8;
    message_.data.append(bytes);
    // lws delivers a large frame in chunks: the message is whole only after the last chunk of
    // the final fragment.
    if (!lws_is_final_fragment(wsi) || remaining != 0) return Result::kIncomplete;
    if (text && !utf8_.complete()) return Result::kInvalidUtf8;
    return Result::kComplete;
}

Message MessageAssembler::take() {
    inMessage_ = false;
    return std::move(message_);
}

void MessageAssembler::reset() {
    inMessage_ = false;
    message_.data.clear();
    message_.data.shrink_to_fit();
}

int closeWith(lws* wsi, uint16_t code, std::string_view reason) {
    // lws copies the reason into the close frame it builds.
    lws_close_reason(wsi, static_cast<lws_close_status>(code),
                     reinterpret_cast<unsigned char*>(const_cast<char*>(reason.data())),
                     reason.size());
    return -1;
}

namespace wsframe {

std::size_t writeHeader(unsigned char* out, Opcode opcode, bool final, uint64_t payloadBytes,
                        const MaskKey* maskKey) {
    out[0] = static_cast<unsigned char>((final ? 0x80 : 0) | static_cast<uint8_t>(opcode));
    const unsigned char maskBit = maskKey ? 0x80 : 0;
    std::size_t size = 2;
    if (payloadBytes < 126) {
        out[1] = static_cast<unsigned char>(maskBit | payloadBytes);
    } else if (payloadBytes <= 0xFFFF) {
        out[1] = maskBit | 126;
        out[2] = static_cast<unsigned char>(payloadBytes >> 8);
        out[3] = static_cast<unsigned char>(payloadBytes);
        size = 4;
    } else {
        out[1] = maskBit | 127;
        for (int byte = 0; byte < 8; ++byte)
            out[2 + byte] = static_cast<unsigned char>(payloadBytes >> (56 - 8 * byte));
        size = 10;
    }
    if (maskKey) {
        std::memcpy(out + size, maskKey->data(), maskKey->size());
        size += maskKey->size();
    }
    return size;
}

void copyMasked(unsigned char* out, const unsigned char* in, std::size_t size, const MaskKey& key) {
    // The key repeated over a word: XOR in memory order whatever the byte order.
    unsigned char keyBytes[8];
    for (std::size_t i = 0; i < sizeof keyBytes; ++i) keyBytes[i] = key[i % 4];
    uint64_t keyWord;
    std::memcpy(&keyWord, keyBytes, sizeof keyWord);
    std::size_t done = 0;
    for (; done + sizeof keyWord <= size; done += sizeof keyWord) {
        uint64_t word;
        std::memcpy(&word, in + done, sizeof word);
        word ^= keyWord;
        std::memcpy(out + done, &word, sizeof word);
    }
    for (; done < size; ++done) out[done] = in[done] ^ key[done % 4];
}

bool MaskKeys::next(MaskKey& key) {
    if (used_ + key.size() > pool_.size()) {
        std::size_t filled = 0;
        while (filled < pool_.size()) {
            const ssize_t got = getrandom(pool_.data() + filled, pool_.size() - filled, 0);
            if (got < 0 && errno != EINTR) return false;
            if (got > 0) filled += static_cast<std::size_t>(got);
        }
        used_ = 0;
    }
    std::memcpy(key.data(), pool_.data() + used_, key.size());
    used_ += key.size();
    return true;
}

}  // namespace wsframe

MessageWriter::Result MessageWriter::write(lws* wsi, const Next& next, const Written& written) {
    // lws sends what is left of a short send before WRITEABLE comes again; more bytes now would
    // queue behind it in lws's heap.
    if (lws_partial_buffered(wsi)) return Result::kMore;
    if (!current_ && !takeNext(next)) return Result::kIdle;
    const bool compressed = compressionActive(wsi);
    // An empty message goes raw, uncompressed (RFC 7692 allows it): lws 4.1.6 compresses one
    // into nothing and aborts on assert(0) in extension-permessage-deflate.c.
    if (compressed && !current_->data.empty()) return writeFragmentThroughLws(wsi, written);
    return writeRaw(wsi, next, written, compressed);
}

void MessageWriter::reset() {
    current_.reset();
    offset_ = 0;
    finished_.clear();
}

bool MessageWriter::takeNext(const Next& next) {
    current_ = next();
    offset_ = 0;
    return current_ != nullptr;
}

MessageWriter::Result MessageWriter::writeRaw(lws* wsi, const Next& next, const Written& written,
                                              bool compressed) {
    if (!batch_) batch_ = std::make_unique<unsigned char[]>(kSocketChunkBytes);
    batchBytes_ = 0;
    bool nextMayNeedLws = false;
    while (current_ || takeNext(next)) {
        const std::size_t payload = std::min(kFramePayloadBytes, current_->data.size() - offset_);
        if (batchBytes_ + wsframe::kMaxHeaderBytes + payload > kSocketChunkBytes) break;
        if (!appendFrame(payload)) return Result::kFailed;
        if (offset_ == current_->data.size()) finished_.push_back(std::move(current_));
        // With compression, only an empty message came here: the next one, if any is queued,
        // may need lws, in a callback of its own.
        if (!current_ && compressed) {
            nextMayNeedLws = true;
            break;
        }
    }
    if (lws_write(wsi, batch_.get(), batchBytes_, LWS_WRITE_HTTP) < static_cast<int>(batchBytes_))
        return Result::kFailed;
    for (const MessagePtr& message : finished_) written(message);
    finished_.clear();
    return current_ || nextMayNeedLws || lws_partial_buffered(wsi) ? Result::kMore : Result::kIdle;
}

bool MessageWriter::appendFrame(std::size_t payload) {
    const bool first = offset_ == 0;
    const bool final = offset_ + payload == current_->data.size();
    const wsframe::Opcode opcode = !first ? wsframe::Opcode::kContinuation
                                   : current_->type == Message::Type::kBinary
                                       ? wsframe::Opcode::kBinary
                                       : wsframe::Opcode::kText;
    unsigned char* out = batch_.get() + batchBytes_;
    const auto* in = reinterpret_cast<const unsigned char*>(current_->data.data()) + offset_;
    const bool masked = role_ == Role::kClient;
    wsframe::MaskKey key;
    if (masked && !maskKeys_.next(key)) return false;
    // No RSV bit: the frame is not compressed.
    const std::size_t header =
        wsframe::writeHeader(out, opcode, final, payload, masked ? &key : nullptr);
    if (masked)
        wsframe::copyMasked(out + header, in, payload, key);
    else
        std::memcpy(out + header, in, payload);
    batchBytes_ += header + payload;
    offset_ += payload;
    return true;
}

// One fragment a callback: while permessage-deflate drains what it compressed, lws holds
// WRITEABLE back, and a second lws_write() in the same callback would hand it new input too soon
// (it aborts on assert(!priv->tx.avail_in)). lws_partial_buffered() does not tell.
MessageWriter::Result MessageWriter::writeFragmentThroughLws(lws* wsi, const Written& written) {
    const std::string& data = current_->data;
    const std::size_t chunk = std::min(kFramePayloadBytes, data.size() - offset_);
    const bool first = offset_ == 0;
    const bool last = offset_ + chunk == data.size();
    const int initial =
        current_->type == Message::Type::kBinary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT;
    // lws writes the frame header into the LWS_PRE bytes before the payload.
    chunk_.resize(LWS_PRE + chunk);
    std::memcpy(chunk_.data() + LWS_PRE, data.data() + offset_, chunk);
    const int sent =
        lws_write(wsi, chunk_.data() + LWS_PRE, chunk,
                  static_cast<lws_write_protocol>(lws_write_ws_flags(initial, first, last)));
    if (sent < static_cast<int>(chunk)) return Result::kFailed;
    offset_ += chunk;
    if (last) {
        written(current_);
        current_.reset();
    }
    return Result::kMore;
}

}  // namespace wsdemo
