#include "cli.h"

#include <string_view>
#include <vector>

namespace wsdemo {

namespace {

// Quotes an argument for an error line; bytes that would garble a terminal are escaped.
std::string quoted(std::string_view text) {
    constexpr std::size_t kShown = 60;
    std::string out = "'";
    for (std::size_t i = 0; i < text.size() && i < kShown; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else {
            static const char kHex[] = "0123456789abcdef";
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    if (text.size() > kShown) out += "...";
    return out + "'";
}

std::optional<uint16_t> parsePort(std::string_view text) {
    if (text.empty() || text.size() > 5) return std::nullopt;
    unsigned value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value > 65535) return std::nullopt;
    return static_cast<uint16_t>(value);
}

}  // namespace

CommandLineResult parseCommandLine(int argc, const char* const argv[]) {
    CommandLine command;
    bool headless = false, echoServer = false, portGiven = false;
    std::vector<std::string_view> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        std::string_view value;
        bool hasInlineValue = false;
        if (const auto equals = arg.find('='); arg.rfind("--", 0) == 0 && equals != arg.npos) {
            value = arg.substr(equals + 1);
            arg = arg.substr(0, equals);
            hasInlineValue = true;
        }
        const auto takeValue = [&]() -> std::optional<std::string_view> {
            if (hasInlineValue) return value;
            if (i + 1 < args.size()) return args[++i];
            return std::nullopt;
        };
        const bool takesValue = arg == "--url" || arg == "--port";
        if (hasInlineValue && !takesValue)
            return "option " + quoted(arg) + " does not take a value";

        if (arg == "-h" || arg == "--help") {
            command.mode = CommandLine::Mode::kHelp;
            return command;
        } else if (arg == "--version") {
            command.mode = CommandLine::Mode::kVersion;
            return command;
        } else if (arg == "--headless") {
            headless = true;
        } else if (arg == "--echo-server") {
            echoServer = true;
        } else if (arg == "--verbose") {
            command.verbose = true;
        } else if (arg == "--stats") {
            command.stats = true;
        } else if (arg == "--redraw-continuously") {
            command.redrawContinuously = true;
        } else if (arg == "--url") {
            const auto text = takeValue();
            if (!text) return std::string("option '--url' needs a ws:// or wss:// URL");
            auto parsed = parseWsUrl(*text);
            if (auto* error = std::get_if<std::string>(&parsed))
                return "invalid --url " + quoted(*text) + ": " + *error;
            command.url = std::get<WsUrl>(parsed);
        } else if (arg == "--port") {
            const auto text = takeValue();
            if (!text) return std::string("option '--port' needs a port number");
            const auto port = parsePort(*text);
            if (!port)
                return "invalid --port " + quoted(*text) + ": expected a number from 0 to 65535";
            command.port = *port;
            portGiven = true;
        } else if (arg.rfind("-", 0) == 0) {
            return "unknown option " + quoted(arg) + " (see --help)";
        } else {
            return "unexpected argument " + quoted(arg) + " (see --help)";
        }
    }

    if (headless && echoServer)
        return std::string("--headless and --echo-server cannot be combined");
    if (echoServer && command.url) return std::string("--url cannot be used with --echo-server");
    if (portGiven && !echoServer) return std::string("--port only applies to --echo-server");
    if ((command.stats || command.redrawContinuously) && (headless || echoServer))
        return std::string("--stats and --redraw-continuously apply to the window only");
    if (headless) command.mode = CommandLine::Mode::kHeadless;
    if (echoServer) command.mode = CommandLine::Mode::kEchoServer;
    return command;
}

std::string usageText() {
    return R"(Usage:
  wsdemo [--url URL]                 open the window and connect
  wsdemo --headless [--url URL]      no window: stdin lines out, received messages in
  wsdemo --echo-server [--port N]    only run the echo server
  wsdemo --help | --version

Without --url, wsdemo starts its own echo server on 127.0.0.1 and connects to it.

Options:
  --url URL       a ws:// or wss:// URL to connect to
  --headless      send each line of stdin as a text message; print each received
                  message on stdout, one per line (binary ones as
                  "[binary N bytes] HEX"); status and errors go to stderr.
                  At the end of stdin, wait up to 5 s for the replies, then
                  close with 1000.
  --echo-server   print the server's ws:// URL on the first line of stdout and
                  echo every message until SIGINT or SIGTERM
  --port N        the echo server's port (default 0: any free port)
  --verbose       show libwebsockets' own log lines
  --stats         window: print frame and latency figures on stderr at exit
  --redraw-continuously
                  window: draw frames back to back instead of waiting for
                  events (what Dear ImGui's example does; a benchmark baseline)

Exit status: 0 after a normal close, 1 when the connection failed or ended
abnormally, 2 for a bad command line.
)";
}

std::string versionText() {
    return "wsdemo " WSDEMO_VERSION;
}

}  // namespace wsdemo
