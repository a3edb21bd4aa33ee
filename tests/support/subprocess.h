// A child process for tests, with its stdin and stdout on pipes and every wait bounded.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace wsdemo::test {

class Subprocess {
public:
    // Starts argv[0] (a path) with argv; stderr is inherited so its complaints show in the log.
    explicit Subprocess(const std::vector<std::string>& argv);
    // Closes its stdin, sends SIGTERM, and SIGKILL if it has not exited a second later.
    ~Subprocess();
    Subprocess(const Subprocess&) = delete;
    Subprocess& operator=(const Subprocess&) = delete;

    // The next line of its stdout without the newline; nullopt at EOF or after the timeout.
    std::optional<std::string> readLine(std::chrono::milliseconds timeout);
    // Its exit status (128 + N after signal N); nullopt if it is still running at the timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout);

private:
    pid_t pid_ = -1;
    int pidFd_ = -1;  // Becomes readable when the child exits.
    int stdin_ = -1;  // Held open: scripted peers exit when it closes.
    int stdout_ = -1;
    std::string buffered_;
    std::optional<int> exitStatus_;
};

}  // namespace wsdemo::test
