#include "scripted_server.h"

#include <cstdlib>
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

std::string ScriptedServer::port() const {
    const auto start = url_.rfind(':') + 1;
    return url_.substr(start, url_.find('/', start) - start);
}

std::string askServer(ChannelProbe& probe, const std::string& json) {
    const std::size_t before = probe.messages().size();
    probe.channel().send("!" + json);
    if (!probe.waitForMessages(before + 1))
        throw std::runtime_error("scripted_server.py did not answer " + json);
    return probe.messages().at(before)->data;
}

std::string jsonString(std::string_view text) {
    for (const char c : text)
        if (c < ' ' || c > '~' || c == '"' || c == '\\')
            throw std::invalid_argument("jsonString() takes plain printable ASCII only");
    return "\"" + std::string(text) + "\"";
}

std::string jsonPair(std::string_view first, std::string_view second) {
    return "[" + jsonString(first) + ", " + jsonString(second) + "]";
}

std::vector<double> jsonNumbers(const std::string& json, const std::string& key) {
    const std::string opening = jsonString(key) + ": [";
    const auto start = json.find(opening);
    if (start == std::string::npos) throw std::runtime_error("no array " + key + " in " + json);
    std::vector<double> numbers;
    const char* cursor = json.c_str() + start + opening.size();
    while (*cursor != ']') {
        char* end = nullptr;
        numbers.push_back(std::strtod(cursor, &end));
        if (end == cursor) throw std::runtime_error("not a number array: " + key + " in " + json);
        cursor = end;
        if (*cursor == ',') cursor += 2;  // ", "
    }
    return numbers;
}

double monotonicSeconds(std::chrono::steady_clock::time_point time) {
    return std::chrono::duration<double>(time.time_since_epoch()).count();
}

}  // namespace wsdemo::test
