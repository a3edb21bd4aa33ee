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

OutgoingMessage::OutgoingMessage(const Message& message)
    : type_(message.type), buffer_(LWS_PRE + message.data.size()), size_(message.data.size()) {
    std::memcpy(buffer_.data() + LWS_PRE, message.data.data(), size_);
}

bool OutgoingMessage::writeNextChunk(lws* wsi) {
    const std::size_t chunk = std::min(kChunkBytes, size_ - offset_);
    const bool first = offset_ == 0;
    const bool last = offset_ + chunk == size_;
    const int initial = type_ == Message::Type::kBinary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT;
    // The LWS_PRE bytes before this chunk belong to the previous chunk, already written:
    // libwebsockets may put the frame header there.
    unsigned char* start = buffer_.data() + LWS_PRE + offset_;
    const int written =
        lws_write(wsi, start, chunk,
                  static_cast<lws_write_protocol>(lws_write_ws_flags(initial, first, last)));
    if (written < static_cast<int>(chunk)) return false;
    offset_ += chunk;
    finished_ = last;
    return true;
}

}  // namespace wsdemo
