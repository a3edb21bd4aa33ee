// One-line descriptions of a channel's state and events, shared by the window and --headless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "wsdemo/channel.h"

namespace wsdemo {

// "Connected to ws://... (subprotocol 'chat')", "Closed by the server: code 4000, reason
// \"bye\"", "Connection lost: code 1006 (no close frame): ...", or the failure's own line.
std::string describeStatus(const ChannelStatus& status);

// What a close code means (RFC 6455 7.4.1, IANA registry): "normal closure", "going away",
// "no close frame", ...; empty for codes without a fixed meaning (3000-4999).
std::string closeCodeMeaning(uint16_t code);

// "reconnecting in 1.3 s (attempt 2)".
std::string describeReconnect(const ReconnectScheduled& reconnect);

// "pong in 0.213 ms", or "pong received (not asked for)".
std::string describePong(const PongReceived& pong);

}  // namespace wsdemo
