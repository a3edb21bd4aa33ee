// --headless --replay FILE [--pace P]: a recording's sent messages sent again, then the replies
// compared with the recorded ones (describeComparison() on stdout; exit 0 when all are the
// same, 1 otherwise, 2 when the file holds nothing to replay). The pacing and the wait for
// the replies are ReplayRun's (replay_run.h).
#pragma once

#include "cli.h"

namespace wsdemo {

// The whole --replay mode: reads the file, connects (to the URL given, else the recorded one,
// with the options replayOptions() makes of the command line's and the recorded ones), replays,
// compares. Problems with the file go to stderr, one line each, prefixed with its name.
int runReplay(const CommandLine& command, int signalFd);

}  // namespace wsdemo
