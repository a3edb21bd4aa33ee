#include <csignal>
#include <cstdio>
#include <variant>

#include "cli.h"
#include "modes.h"
#include "versions.h"
#include "wsdemo/logging.h"

int main(int argc, char* argv[]) {
    using namespace wsdemo;
    const CommandLineResult parsed = parseCommandLine(argc, argv);
    if (const auto* error = std::get_if<std::string>(&parsed)) {
        std::fprintf(stderr, "wsdemo: %s\n", error->c_str());
        return ExitStatus::kUsage;
    }
    const CommandLine& command = std::get<CommandLine>(parsed);
    // A closed stdout (wsdemo --headless | head) is a write error, not a silent death.
    std::signal(SIGPIPE, SIG_IGN);
    setLibraryLogging(command.verbose);

    switch (command.mode) {
        case CommandLine::Mode::kHelp:
            std::fputs(usageText().c_str(), stdout);
            return ExitStatus::kOk;
        case CommandLine::Mode::kVersion:
            std::puts(versionText().c_str());
            return ExitStatus::kOk;
        case CommandLine::Mode::kHeadless:
            return runHeadless(command);
        case CommandLine::Mode::kEchoServer:
            return runEchoServer(command);
        case CommandLine::Mode::kWindow:
            return runWindow(command);
    }
    return ExitStatus::kUsage;
}
