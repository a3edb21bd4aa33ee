// tests/peers/scripted_server.py as a child process: a python-websockets server that echoes
// and obeys "!{json}" commands (see its docstring). Stops with the test that started it.
#pragma once

#include <string>
#include <vector>

#include "subprocess.h"

namespace wsdemo::test {

class ScriptedServer {
public:
    // Waits for the server's URL line; extraArgs go to the script (e.g. --tls CERT KEY).
    explicit ScriptedServer(const std::vector<std::string>& extraArgs = {});
    // ws://127.0.0.1:PORT/ (wss:// with --tls).
    const std::string& url() const { return url_; }

private:
    Subprocess process_;
    std::string url_;
};

}  // namespace wsdemo::test
