#include "scripted_server.h"

#include <chrono>
#include <stdexcept>

namespace wsdemo::test {

namespace {

std::vector<std::string> command(const std::vector<std::string>& extraArgs) {
    std::vector<std::string> argv{WSDEMO_PYTHON, WSDEMO_PEERS_DIR "/scripted_server.py"};
    argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
    return argv;
}

}  // namespace

ScriptedServer::ScriptedServer(const std::vector<std::string>& extraArgs)
    : process_(command(extraArgs)) {
    const auto line = process_.readLine(std::chrono::seconds(10));
    if (!line || line->find("://127.0.0.1:") == std::string::npos)
        throw std::runtime_error("scripted_server.py did not print its URL");
    url_ = *line;
}

}  // namespace wsdemo::test
