// Messages and peer files for tests: messages shared, as the channel hands them out.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "wsdemo/message.h"

namespace wsdemo::test {

inline MessagePtr sharedMessage(Message::Type type, std::string data) {
    return std::make_shared<const Message>(Message{type, std::move(data), {}});
}

inline MessagePtr textMessage(std::string text) {
    return sharedMessage(Message::Type::kText, std::move(text));
}

inline MessagePtr binaryMessage(std::string bytes) {
    return sharedMessage(Message::Type::kBinary, std::move(bytes));
}

// The test CA, and the certificates and keys it signed, for wss:// peers and servers.
inline const std::string kCerts = WSDEMO_PEERS_DIR "/certs/";

}  // namespace wsdemo::test
