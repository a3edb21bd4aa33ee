// The three ways wsdemo runs. Each returns the process's exit status.
#pragma once

#include "cli.h"

namespace wsdemo {

namespace ExitStatus {
constexpr int kOk = 0;
constexpr int kFailure = 1;  // Could not connect, or the connection ended abnormally.
constexpr int kUsage = 2;
}  // namespace ExitStatus

int runWindow(const CommandLine& command);
int runHeadless(const CommandLine& command);
int runEchoServer(const CommandLine& command);

}  // namespace wsdemo
