// What a panel may ask of the window: panels draw and return actions, they never call the
// channel or start servers themselves. The window loop (window_mode.cpp) carries them out.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "wsdemo/channel.h"
#include "wsdemo/message.h"
#include "wsdemo/mock_rules.h"

namespace wsdemo {

// Connect to `url` with the options of the settings (the current connection, if any, ends).
struct ConnectAction {
    std::string url;
};
// Start the embedded echo server if it is not running, then connect to it.
struct UseEchoServerAction {};
// Close with this code and reason; while connecting or waiting to reconnect, give up at once.
struct DisconnectAction {
    uint16_t code = CloseCode::kNormal;
    std::string reason;
    bool unchecked = false;  // The close panel's Unsafe: any code and reason bytes go.
};
struct SendAction {
    Message::Type type = Message::Type::kText;
    std::string data;    // Text: UTF-8. Binary: the bytes (already parsed from hex).
    bool timed = false;  // Sent by the composer's timer: the log marks it.
};
struct PingAction {
    std::string payload;  // At most 125 bytes.
};
struct PongAction {
    std::string payload;  // At most 125 bytes; unsolicited.
};
// Rules for the embedded echo server, now and when it starts; null: it echoes.
struct SetMockRulesAction {
    std::shared_ptr<const MockRules> rules;
    std::string text;  // As typed, kept in the settings.
};

// Record tab: write what was recorded to `path` (HAR for .har, else JSON Lines).
struct SaveRecordingAction {
    enum class Scope { kThisConnection, kEveryConnection };
    std::string path;
    Scope scope = Scope::kThisConnection;
};
// Read a recording file, off the UI thread, then App::showRecording.
struct OpenRecordingAction {
    std::string path;
};
// Connect for a replay, with these options (the settings' with the recording's subprotocols
// and headers).
struct ReplayConnectAction {
    std::string url;
    ConnectOptions options;
};

// A replay's steps due now, in order: each is sent until the channel does not take one, so that
// a full queue never reorders them; what it said to each goes to App::onReplayStepResults.
struct ReplayStepsAction {
    std::vector<MessagePtr> steps;
};

using Action = std::variant<ConnectAction, UseEchoServerAction, DisconnectAction, SendAction,
                            PingAction, PongAction, SetMockRulesAction, SaveRecordingAction,
                            OpenRecordingAction, ReplayConnectAction, ReplayStepsAction>;

}  // namespace wsdemo
