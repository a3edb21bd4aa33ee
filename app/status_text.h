// One-line descriptions of a channel's state, shared by the window and --headless.
#pragma once

#include <string>

#include "wsdemo/channel.h"

namespace wsdemo {

// "Connected to ws://...", "Closed by the server: code 4000, reason \"bye\"", ...
std::string describeStatus(const ChannelStatus& status, const std::string& url);

}  // namespace wsdemo
