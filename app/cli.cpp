#include "cli.h"

#include <string_view>
#include <vector>

#include "wsdemo/text.h"

namespace wsdemo {

namespace {

// A message size is held in memory whole: a gigabyte is already more than a demo should take.
constexpr std::size_t kMaxMessageSizeLimit = std::size_t{1} << 30;

std::optional<std::size_t> parseMessageSize(std::string_view text) {
    if (text.empty() || text.size() > 10) return std::nullopt;
    std::size_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + static_cast<std::size_t>(c - '0');
    }
    if (value < 1 || value > kMaxMessageSizeLimit) return std::nullopt;
    return value;
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
    bool headless = false, echoServer = false, portGiven = false, bindGiven = false;
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
        const bool takesValue =
            arg == "--url" || arg == "--port" || arg == "--bind" || arg == "--max-message-size";
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
        } else if (arg == "--bind") {
            const auto text = takeValue();
            if (!text || text->empty()) return std::string("option '--bind' needs an IP address");
            command.bindAddress = std::string(*text);
            bindGiven = true;
        } else if (arg == "--max-message-size") {
            const auto text = takeValue();
            if (!text) return std::string("option '--max-message-size' needs a number of bytes");
            const auto bytes = parseMessageSize(*text);
            if (!bytes)
                return "invalid --max-message-size " + quoted(*text) +
                       ": expected a number of bytes from 1 to " +
                       std::to_string(kMaxMessageSizeLimit);
            command.maxMessageBytes = *bytes;
        } else if (arg == "--no-verify-certificate") {
            command.verifyTlsCertificate = false;
        } else if (arg == "--no-verify-hostname") {
            command.verifyTlsHostname = false;
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
    if (bindGiven && !echoServer) return std::string("--bind only applies to --echo-server");
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
  wsdemo --echo-server [--port N] [--bind ADDR]    only run the echo server
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
  --bind ADDR     the echo server's address (default 127.0.0.1); any other
                  than loopback is reachable from other machines, and said so
  --max-message-size BYTES
                  the largest message sent or received, client and server
                  (default 16777216); a larger one closes with 1009
  --no-verify-certificate
                  wss://: accept a self-signed, expired or unknown certificate
  --no-verify-hostname
                  wss://: accept a certificate issued for another host
                  (both are for test servers, and shown while in use)
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
