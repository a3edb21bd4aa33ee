// tests/peers/scripted_server.py as a child process: a python-websockets server that echoes
// and obeys "!{json}" commands (see its docstring). Stops with the test that started it.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "channel_probe.h"
#include "subprocess.h"

namespace wsdemo::test {

class ScriptedServer {
public:
    // Waits for the server's URL line; extraArgs go to the script (e.g. --tls CERT KEY).
    explicit ScriptedServer(const std::vector<std::string>& extraArgs = {});
    // ws://127.0.0.1:PORT/ (wss:// with --tls).
    const std::string& url() const { return url_; }
    // The port of url(): "drop" reopens the listener on it.
    std::string port() const;

private:
    Subprocess process_;
    std::string url_;
};

// Sends the command `json` ("!" + json) on an open channel and returns the server's answer,
// the next message received; throws if none arrives within 10 s.
std::string askServer(ChannelProbe& probe, const std::string& json);

// What json.dumps() writes for a string of printable ASCII without '"' or '\', e.g. "a b".
std::string jsonString(std::string_view text);
// What json.dumps() writes for a pair of such strings: ["name", "value"].
std::string jsonPair(std::string_view first, std::string_view second);
// The numbers of the array `"key": [1.5, 2]` in json; throws if the key is not there.
std::vector<double> jsonNumbers(const std::string& json, const std::string& key);

// A steady_clock time in seconds, as the server's time.monotonic() reports it: on Linux both
// read CLOCK_MONOTONIC.
double monotonicSeconds(std::chrono::steady_clock::time_point time);

}  // namespace wsdemo::test
