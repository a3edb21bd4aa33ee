#include "ws_framing.h"

#include <libwebsockets.h>

#include <algorithm>
#include <cstring>

namespace wsdemo {

MessageAssembler::Result MessageAssembler::append(lws* wsi, const void* in, std::size_t len) {
    if (!inMessage_) {
        inMessage_ = true;
        message_.type = lws_frame_is_binary(wsi) ? Message::Type::kBinary : Message::Type::kText;
        message_.data.clear();
        utf8_ = Utf8Validator();
    }
    // What the current frame still announces counts now: memory stays bounded whatever a
    // header claims, and the connection fails before the bytes arrive.
    const std::size_t remaining = lws_remaining_packet_payload(wsi);
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

MessageWriter::Result MessageWriter::write(lws* wsi, const Next& next, const Written& written) {
    for (int frame = 0; frame < kFramesPerWriteable; ++frame) {
        if (!current_) {
            current_ = next();
            offset_ = 0;
            if (!current_) return Result::kIdle;
        }
        if (!writeNextChunk(wsi)) return Result::kFailed;
        if (offset_ == current_->data.size()) {
            written(current_);
            current_.reset();
        }
        if (lws_partial_buffered(wsi)) break;  // The socket is full: wait for it.
    }
    return Result::kMore;
}

bool MessageWriter::writeNextChunk(lws* wsi) {
    const std::string& data = current_->data;
    const std::size_t chunk = std::min(kChunkBytes, data.size() - offset_);
    const bool first = offset_ == 0;
    const bool last = offset_ + chunk == data.size();
    const int initial =
        current_->type == Message::Type::kBinary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT;
    // lws writes the frame header into the LWS_PRE bytes before the payload.
    chunk_.resize(LWS_PRE + chunk);
    std::memcpy(chunk_.data() + LWS_PRE, data.data() + offset_, chunk);
    const int written =
        lws_write(wsi, chunk_.data() + LWS_PRE, chunk,
                  static_cast<lws_write_protocol>(lws_write_ws_flags(initial, first, last)));
    if (written < static_cast<int>(chunk)) return false;
    offset_ += chunk;
    return true;
}

}  // namespace wsdemo
