// The three ways wsdemo runs. Each returns the process's exit status.
#pragma once

#include "cli.h"

namespace wsdemo {

namespace ExitStatus {
constexpr int kOk = 0;
constexpr int kFailure = 1;  // Could not connect, or the connection ended abnormally.
constexpr int kUsage = 2;
}  // namespace ExitStatus

// kFailure if the window cannot open. Otherwise what the connection had come to when the user
// closed the window: kFailure if it had failed or ended other than with 1000 (and no reconnect
// was due), kOk if it was open, still connecting or closed normally; the window then closes it
// with 1000.
int runWindow(const CommandLine& command);
// kOk after a closing handshake with 1000 (either side) or with the code /close asked for (any
// code, with --unsafe);
// kFailure for a failed or abnormal connection, a second Ctrl+C, or any stdin line not sent.
// With --replay: kOk when every reply was the same as recorded, kFailure otherwise, kUsage
// when the file holds nothing to replay.
int runHeadless(const CommandLine& command);
int runEchoServer(const CommandLine& command);

}  // namespace wsdemo
