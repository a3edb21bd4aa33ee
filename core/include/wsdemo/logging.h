// libwebsockets' own log lines. Call once at start-up, before any Channel or EchoServer exists.
#pragma once

namespace wsdemo {

// Quiet: libwebsockets prints nothing; the channel and server report every failure themselves.
// Verbose: its errors, warnings and notices go to stderr.
void setLibraryLogging(bool verbose);

}  // namespace wsdemo
