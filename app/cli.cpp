#include "cli.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "wsdemo/text.h"
#include "wsdemo/url.h"

namespace wsdemo {

namespace {

using std::chrono::milliseconds;

// A message size is held in memory whole: a gigabyte is already more than a demo should take.
constexpr std::size_t kMaxMessageSizeLimit = std::size_t{1} << 30;
constexpr uint64_t kMaxReconnectsLimit = 1000000;
constexpr uint64_t kMaxTimedTimes = 1000000000;

// Where an option applies. The help groups options by it and the parser refuses an option
// outside it, so that the two cannot disagree.
enum class Scope { kMode, kClient, kTls, kHeadless, kEchoServer, kWindow, kEverywhere };

const char* groupTitle(Scope scope) {
    switch (scope) {
        case Scope::kMode:
            return "Modes";
        case Scope::kClient:
            return "Connecting (the window and --headless)";
        case Scope::kTls:
            return "TLS, for wss:// (the window and --headless)";
        case Scope::kHeadless:
            return "--headless only";
        case Scope::kEchoServer:
            return "--echo-server only";
        case Scope::kWindow:
            return "The window only";
        case Scope::kEverywhere:
            return "Everywhere";
    }
    return "?";
}

// A duration given in seconds, as people write it: 10, 0.5, .5. Millisecond resolution.
struct SecondsRange {
    milliseconds least;
    milliseconds most;
    bool zeroAllowed;      // As "off" or "never".
    const char* expected;  // Says all of the above, for the error line.
};

constexpr SecondsRange kConnectTimeoutRange{milliseconds(1), milliseconds(600000), false,
                                            "seconds from 0.001 to 600, such as 0.5 or 10"};
constexpr SecondsRange kPingIntervalRange{milliseconds(1), milliseconds(3600000), true,
                                          "0 (off) or seconds from 0.001 to 3600, such as 0.5"};
constexpr SecondsRange kEveryRange{milliseconds(1), milliseconds(86400000), false,
                                   "seconds from 0.001 to 86400, such as 0.5 or 10"};
constexpr SecondsRange kIdleTimeoutRange{milliseconds(1), milliseconds(86400000), true,
                                         "0 (never) or seconds from 0.001 to 86400"};

bool isAllDigits(std::string_view text) {
    return text.find_first_not_of("0123456789") == std::string_view::npos;
}

std::optional<uint64_t> parseUnsigned(std::string_view text, uint64_t most) {
    if (text.empty() || text.size() > 19 || !isAllDigits(text)) return std::nullopt;
    uint64_t value = 0;
    for (const char c : text) value = value * 10 + static_cast<uint64_t>(c - '0');
    if (value > most) return std::nullopt;
    return value;
}

std::optional<milliseconds> parseSeconds(std::string_view text, const SecondsRange& range) {
    const auto dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view fraction =
        dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    if ((whole.empty() && fraction.empty()) || whole.size() > 9 || !isAllDigits(whole) ||
        !isAllDigits(fraction))
        return std::nullopt;
    int64_t count = 0;
    for (const char c : whole) count = count * 10 + (c - '0');
    for (std::size_t i = 0; i < 3; ++i)
        count = count * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
    const milliseconds value(count);
    const bool zero = whole.find_first_not_of('0') == std::string_view::npos &&
                      fraction.find_first_not_of('0') == std::string_view::npos;
    if (zero && range.zeroAllowed) return value;
    if (value < range.least || value > range.most) return std::nullopt;
    return value;
}

// CLI11 declares the options and splits argv; every check and every error line is ours, so
// that each says what is wrong in words and CLI11 never prints or exits.
class Parser {
public:
    Parser();

    CommandLineResult parse(int argc, const char* const argv[]);
    std::string help() const;

private:
    struct Declared {
        CLI::Option* option;
        Scope scope;
        const char* needs;  // What its value is, for "option '--x' needs ...". Null: a flag.
        bool repeatable;
    };

    CLI::Option* flag(const char* names, Scope scope, const char* description);
    CLI::Option* value(const char* name, const char* valueName, const char* needs, Scope scope,
                       const char* description);
    CLI::Option* repeatable(const char* name, const char* valueName, const char* needs, Scope scope,
                            const char* description);

    std::string checkFlagValues(int argc, const char* const argv[]) const;
    std::string checkLeftovers() const;
    std::string checkGivenOnceWithValues() const;
    std::string checkScopes(CommandLine::Mode mode) const;
    std::string checkPairs() const;

    std::string readUrl(CommandLine& command) const;
    std::string readClientOptions(ConnectOptions& connect) const;
    std::string readTlsOptions(TlsOptions& tls) const;
    std::string readEchoServerOptions(CommandLine& command) const;
    std::string readMaxMessageSize(CommandLine& command) const;
    std::string readRules(CommandLine& command) const;
    std::string readHeadlessOptions(CommandLine& command) const;

    // Each is empty when the option is not given or is valid, else the error line.
    static std::string invalid(const CLI::Option* option, const std::string& why);
    static std::string readPath(const CLI::Option* option, std::string& path);
    static std::string readSeconds(const CLI::Option* option, const SecondsRange& range,
                                   milliseconds& duration);

    static bool given(const CLI::Option* option) { return option->count() > 0; }
    // The value of an option given once, checked by checkGivenOnceWithValues().
    static const std::string& valueOf(const CLI::Option* option) {
        return option->results().front();
    }

    CLI::App app_;
    std::vector<Declared> declared_;
    CLI::Option *positionalUrl_, *help_, *version_, *headless_, *echoServer_;
    CLI::Option *url_, *subprotocol_, *header_, *origin_, *connectTimeout_, *pingInterval_,
        *noCompression_, *reconnect_, *maxReconnects_, *noAutoPong_;
    CLI::Option *ca_, *cert_, *key_, *noVerifyCertificate_, *noVerifyHostname_;
    CLI::Option *slash_, *unsafe_, *record_, *replay_, *pace_, *every_, *message_, *times_;
    CLI::Option *port_, *bind_, *tlsCert_, *tlsKey_, *idleTimeout_, *rules_;
    CLI::Option *stats_, *redrawContinuously_;
    CLI::Option *maxMessageSize_, *verbose_;
};

Parser::Parser()
    : app_(
          "wsdemo: a WebSocket client, in a Dear ImGui window unless --headless (like\n"
          "wscat), and an echo server (--echo-server).",
          "wsdemo") {
    app_.set_help_flag();  // --help is a mode of ours, not an exception.
    app_.allow_extras();   // Unknown arguments are reported by checkLeftovers().
    app_.get_formatter()->column_width(30);
    app_.get_formatter()->label("Positionals", "Argument");
    app_.footer(
        "Exit status: 0 after a normal close, 1 when the connection failed or ended\n"
        "abnormally, 2 for a bad command line.");

    headless_ = flag("--headless", Scope::kMode,
                     "no window: send each line of stdin as a text\n"
                     "message; print each received message on stdout,\n"
                     "one per line (binary ones as\n"
                     "\"[binary N bytes] HEX\"); status and errors go to\n"
                     "stderr. At the end of stdin, wait up to 5 s for\n"
                     "the replies, then close with 1000");
    echoServer_ = flag("--echo-server", Scope::kMode,
                       "only run the echo server: print its ws:// URL on\n"
                       "the first line of stdout and echo every message\n"
                       "until SIGINT or SIGTERM");
    help_ = flag("-h,--help", Scope::kMode, "print this help");
    version_ = flag("--version", Scope::kMode,
                    "print the version, and those of the libraries it\n"
                    "runs with");

    positionalUrl_ = app_.add_option("URL")
                         ->description(
                             "a ws:// or wss:// URL to connect to. Without one,\n"
                             "wsdemo starts its own echo server on 127.0.0.1\n"
                             "and connects to it")
                         ->group(groupTitle(Scope::kClient));
    declared_.push_back({positionalUrl_, Scope::kClient, "a ws:// or wss:// URL", false});

    url_ = value("--url", "URL", "a ws:// or wss:// URL", Scope::kClient,
                 "the same as the URL argument");
    subprotocol_ = repeatable("--subprotocol", "NAME", "a subprotocol name", Scope::kClient,
                              "offer this subprotocol (repeatable, in order of\n"
                              "preference); the server picks one");
    header_ = repeatable("--header", "'NAME: VALUE'", "'Name: value'", Scope::kClient,
                         "send this request header too (repeatable)");
    origin_ = value("--origin", "ORIGIN", "an origin such as https://example.com", Scope::kClient,
                    "send this Origin header");
    connectTimeout_ = value("--connect-timeout", "SECONDS", "a number of seconds", Scope::kClient,
                            "give up connecting after this long (default 10)");
    pingInterval_ = value("--ping-interval", "SECONDS", "a number of seconds", Scope::kClient,
                          "ping after half of this long without a word from\n"
                          "the server, and drop the connection after all of\n"
                          "it (default 30; 0: never)");
    noCompression_ = flag("--no-compression", Scope::kClient, "do not offer permessage-deflate");
    reconnect_ = flag("--reconnect", Scope::kClient,
                      "connect again after the connection drops or fails,\n"
                      "waiting 0.5 s to 30 s (exponential backoff with\n"
                      "jitter); never after a close we asked for");
    maxReconnects_ = value("--max-reconnects", "N", "a number of attempts", Scope::kClient,
                           "with --reconnect: at most N attempts in a row");
    noAutoPong_ = flag("--no-auto-pong", Scope::kClient,
                       "leave the server's pings unanswered (to test its\n"
                       "timeouts); our own keepalive pings go on");

    ca_ = value("--ca", "FILE", "a file", Scope::kTls,
                "trust the CA certificates in this PEM file instead\n"
                "of the system's");
    cert_ = value("--cert", "FILE", "a file", Scope::kTls,
                  "present this client certificate (PEM), with --key");
    key_ =
        value("--key", "FILE", "a file", Scope::kTls, "the client certificate's private key (PEM)");
    noVerifyCertificate_ = flag("--no-verify-certificate", Scope::kTls,
                                "accept a self-signed, expired or unknown\n"
                                "certificate (for test servers; said while in use)");
    noVerifyHostname_ = flag("--no-verify-hostname", Scope::kTls,
                             "accept a certificate issued for another host\n"
                             "(for test servers; said while in use)");

    slash_ = flag("--slash", Scope::kHeadless,
                  "stdin lines /ping [payload], /pong [payload] and\n"
                  "/close [code [reason]] send control frames;\n"
                  "//text sends /text");
    unsafe_ = flag("--unsafe", Scope::kHeadless,
                   "with --slash: /close takes any code from 0 to\n"
                   "65535 (0: a close frame with no payload) and any\n"
                   "reason bytes, as no well-behaved client sends");
    record_ = value("--record", "FILE", "a file name", Scope::kHeadless,
                    "record every connection to FILE: JSON Lines, or\n"
                    "HAR 1.2 if the name ends in .har");
    replay_ = value("--replay", "FILE", "a file", Scope::kHeadless,
                    "send the messages a recording (JSON Lines or HAR)\n"
                    "sent, to URL or else the recorded one; then wait\n"
                    "for as many replies as recorded (or 2 s of\n"
                    "silence), print each as same, different, missing\n"
                    "or extra, and exit 1 if any is not the same.\n"
                    "stdin is not read");
    pace_ = value("--pace", "PACE", "recorded, fast or a factor", Scope::kHeadless,
                  "with --replay: recorded (the default), fast (as\n"
                  "fast as the send queue allows) or a factor such\n"
                  "as 10 (ten times as fast) or 0.5");
    every_ = value("--every", "SECONDS", "a number of seconds", Scope::kHeadless,
                   "send --message every SECONDS while connected (the\n"
                   "first SECONDS after the open), stdin as well; a\n"
                   "disconnect stops it. At the end of stdin, go on\n"
                   "until --times is reached (without --times, until\n"
                   "Ctrl+C or a disconnect)");
    message_ = value("--message", "TEXT", "a text message", Scope::kHeadless,
                     "the text message that --every sends");
    times_ = value("--times", "N", "a number of times", Scope::kHeadless,
                   "with --every: stop after N messages");

    port_ = value("--port", "N", "a port number", Scope::kEchoServer,
                  "listen on this port (default 0: any free port)");
    bind_ = value("--bind", "ADDR", "an IP address", Scope::kEchoServer,
                  "listen on this address (default 127.0.0.1); any\n"
                  "other than loopback is reachable from other\n"
                  "machines, and said so");
    tlsCert_ = value("--tls-cert", "FILE", "a file", Scope::kEchoServer,
                     "serve wss:// with this certificate (PEM), with\n"
                     "--tls-key");
    tlsKey_ = value("--tls-key", "FILE", "a file", Scope::kEchoServer,
                    "the server certificate's private key (PEM)");
    idleTimeout_ = value("--idle-timeout", "SECONDS", "a number of seconds", Scope::kEchoServer,
                         "ping an upgraded connection after half of this\n"
                         "without a pong, and drop it if none comes by the\n"
                         "end (default 300; 0: never)");
    rules_ = value("--rules", "FILE", "a file", Scope::kEchoServer,
                   "answer as the rules in this JSON file say\n"
                   "(replies, delays, close, drop, ping...);\n"
                   "unmatched messages are echoed");

    stats_ = flag("--stats", Scope::kWindow, "print frame and latency figures on stderr at exit");
    redrawContinuously_ = flag("--redraw-continuously", Scope::kWindow,
                               "draw frames back to back instead of waiting for\n"
                               "events (what Dear ImGui's example does; a\n"
                               "benchmark baseline)");

    maxMessageSize_ = value("--max-message-size", "BYTES", "a number of bytes", Scope::kEverywhere,
                            "the largest message sent or received, client and\n"
                            "server (default 16777216); a larger one closes\n"
                            "the connection with 1009");
    verbose_ = flag("--verbose", Scope::kEverywhere, "show libwebsockets' own log lines");
}

std::string Parser::help() const {
    std::string text = app_.help();
    // CLI11 2.1 puts two blank lines between groups of options; one is enough.
    for (auto at = text.find("\n\n\n"); at != std::string::npos; at = text.find("\n\n\n", at))
        text.erase(at, 1);
    return text;
}

CLI::Option* Parser::flag(const char* names, Scope scope, const char* description) {
    // CLI11's two-argument forms take a const char* as the variable to store into, so the
    // description is set on its own.
    CLI::Option* option = app_.add_flag(names)->description(description);
    // "--headless=no" would otherwise mean the flag is off, silently.
    option->disable_flag_override()->group(groupTitle(scope));
    declared_.push_back({option, scope, nullptr, false});
    return option;
}

CLI::Option* Parser::value(const char* name, const char* valueName, const char* needs, Scope scope,
                           const char* description) {
    // 0 to 1 values and every occurrence kept: "--url" with no value, and "--url" given
    // twice, get lines of ours instead of CLI11's.
    CLI::Option* option = app_.add_option(name)
                              ->description(description)
                              ->expected(0, 1)
                              ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
                              ->option_text(valueName)
                              ->group(groupTitle(scope));
    declared_.push_back({option, scope, needs, false});
    return option;
}

CLI::Option* Parser::repeatable(const char* name, const char* valueName, const char* needs,
                                Scope scope, const char* description) {
    CLI::Option* option = value(name, valueName, needs, scope, description);
    declared_.back().repeatable = true;
    return option;
}

CommandLineResult Parser::parse(int argc, const char* const argv[]) {
    if (std::string error = checkFlagValues(argc, argv); !error.empty()) return error;
    try {
        app_.parse(argc, argv);
    } catch (const CLI::Error&) {
        // Nothing known gets here once checkFlagValues() passed; still, a line of ours.
        return std::string("the command line cannot be read (see --help)");
    }
    CommandLine command;
    if (given(help_)) {
        command.mode = CommandLine::Mode::kHelp;
        return command;
    }
    if (given(version_)) {
        command.mode = CommandLine::Mode::kVersion;
        return command;
    }
    for (const auto& check : {&Parser::checkLeftovers, &Parser::checkGivenOnceWithValues})
        if (std::string error = (this->*check)(); !error.empty()) return error;
    if (given(headless_) && given(echoServer_))
        return std::string("--headless and --echo-server cannot be combined");
    if (given(headless_)) command.mode = CommandLine::Mode::kHeadless;
    if (given(echoServer_)) command.mode = CommandLine::Mode::kEchoServer;
    if (std::string error = checkScopes(command.mode); !error.empty()) return error;
    if (std::string error = checkPairs(); !error.empty()) return error;

    for (const auto& read :
         {&Parser::readMaxMessageSize, &Parser::readUrl, &Parser::readEchoServerOptions})
        if (std::string error = (this->*read)(command); !error.empty()) return error;
    if (std::string error = readClientOptions(command.connect); !error.empty()) return error;
    if (std::string error = readTlsOptions(command.connect.tls); !error.empty()) return error;
    if (std::string error = readHeadlessOptions(command); !error.empty()) return error;
    command.slash = given(slash_);
    command.unsafe = given(unsafe_);
    command.verbose = given(verbose_);
    command.stats = given(stats_);
    command.redrawContinuously = given(redrawContinuously_);
    return command;
}

// "--headless=yes": CLI11 would take "--headless=" as the flag and throw for the rest without
// saying which option, so this is checked first.
std::string Parser::checkFlagValues(int argc, const char* const argv[]) const {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--") break;  // Arguments from here on are not options.
        const auto equals = arg.find('=');
        if (arg.rfind("--", 0) != 0 || equals == std::string_view::npos) continue;
        const std::string name(arg.substr(0, equals));
        for (const Declared& declared : declared_)
            if (!declared.needs && declared.option->check_name(name))
                return "option " + wsdemo::printableQuote(name) + " does not take a value";
    }
    return {};
}

std::string Parser::checkLeftovers() const {
    const auto isOption = [](const std::string& arg) { return arg.size() > 1 && arg[0] == '-'; };
    const auto unknownOption = [](const std::string& arg) {
        return "unknown option " + wsdemo::printableQuote(arg) + " (see --help)";
    };
    // CLI11 takes "---url", which is no valid option name, for the URL argument.
    if (given(positionalUrl_) && isOption(valueOf(positionalUrl_)))
        return unknownOption(valueOf(positionalUrl_));
    for (const std::string& leftover : app_.remaining()) {
        if (leftover == "--") continue;  // The end of options, which CLI11 hands back.
        if (isOption(leftover)) return unknownOption(leftover);
        return "unexpected argument " + wsdemo::printableQuote(leftover) + " (see --help)";
    }
    return {};
}

std::string Parser::checkGivenOnceWithValues() const {
    for (const Declared& declared : declared_) {
        if (!declared.needs || !given(declared.option)) continue;
        const std::string name = declared.option->get_name();
        if (!declared.repeatable && declared.option->results().size() > 1)
            return name + " is given more than once";
        for (const std::string& result : declared.option->results())
            if (result.empty())
                return "option " + wsdemo::printableQuote(name) + " needs " + declared.needs;
    }
    if (given(positionalUrl_) && given(url_))
        return std::string("the URL is given twice: as an argument and with --url");
    return {};
}

std::string Parser::checkScopes(CommandLine::Mode mode) const {
    using Mode = CommandLine::Mode;
    for (const Declared& declared : declared_) {
        if (!given(declared.option)) continue;
        const std::string name = declared.option->get_name();
        switch (declared.scope) {
            case Scope::kClient:
            case Scope::kTls:
                if (mode == Mode::kEchoServer) return name + " cannot be used with --echo-server";
                break;
            case Scope::kHeadless:
                if (mode != Mode::kHeadless) return name + " only applies to --headless";
                break;
            case Scope::kEchoServer:
                if (mode != Mode::kEchoServer) return name + " only applies to --echo-server";
                break;
            case Scope::kWindow:
                if (mode != Mode::kWindow) return name + " applies to the window only";
                break;
            case Scope::kMode:
            case Scope::kEverywhere:
                break;
        }
    }
    return {};
}

std::string Parser::checkPairs() const {
    const std::pair<const CLI::Option*, const CLI::Option*> bothOrNeither[] = {
        {cert_, key_}, {key_, cert_}, {tlsCert_, tlsKey_}, {tlsKey_, tlsCert_}};
    for (const auto& [one, other] : bothOrNeither)
        if (given(one) && !given(other))
            return one->get_name() + " needs " + other->get_name() + " too";
    if (given(maxReconnects_) && !given(reconnect_))
        return std::string("--max-reconnects only applies with --reconnect");
    const std::pair<const CLI::Option*, const CLI::Option*> onlyWith[] = {
        {unsafe_, slash_}, {pace_, replay_}, {times_, every_}};
    for (const auto& [one, other] : onlyWith)
        if (given(one) && !given(other))
            return one->get_name() + " only applies with " + other->get_name();
    for (const auto& [one, other] : {std::pair{every_, message_}, std::pair{message_, every_}})
        if (given(one) && !given(other))
            return one->get_name() + " needs " + other->get_name() + " too";
    if (given(replay_) && given(every_))
        return std::string("--replay and --every cannot be combined");
    if (given(replay_) && given(slash_))
        return std::string(
            "--replay and --slash cannot be combined: stdin is not read while "
            "replaying");
    return {};
}

std::string Parser::readUrl(CommandLine& command) const {
    const CLI::Option* option = given(url_) ? url_ : positionalUrl_;
    if (!given(option)) return {};
    const std::string& text = valueOf(option);
    const auto parsed = parseWsUrl(text);
    if (const auto* error = std::get_if<std::string>(&parsed))
        return (option == url_ ? "invalid --url " : "invalid URL ") + wsdemo::printableQuote(text) +
               ": " + *error;
    command.url = text;
    return {};
}

std::string Parser::readMaxMessageSize(CommandLine& command) const {
    if (!given(maxMessageSize_)) return {};
    const auto bytes = parseUnsigned(valueOf(maxMessageSize_), kMaxMessageSizeLimit);
    if (!bytes || *bytes == 0)
        return invalid(maxMessageSize_, "expected a number of bytes from 1 to " +
                                            std::to_string(kMaxMessageSizeLimit));
    command.maxMessageBytes = static_cast<std::size_t>(*bytes);
    command.connect.maxMessageBytes = command.maxMessageBytes;
    return {};
}

std::string Parser::readEchoServerOptions(CommandLine& command) const {
    if (given(port_)) {
        const auto port = parseUnsigned(valueOf(port_), 65535);
        if (!port) return invalid(port_, "expected a number from 0 to 65535");
        command.port = static_cast<uint16_t>(*port);
    }
    if (given(bind_)) command.bindAddress = valueOf(bind_);
    for (const auto& error :
         {readPath(tlsCert_, command.tlsCert), readPath(tlsKey_, command.tlsKey),
          readSeconds(idleTimeout_, kIdleTimeoutRange, command.idleTimeout), readRules(command)})
        if (!error.empty()) return error;
    return {};
}

std::string Parser::readRules(CommandLine& command) const {
    if (std::string error = readPath(rules_, command.rulesFile); !error.empty()) return error;
    if (command.rulesFile.empty()) return {};
    auto loaded = loadMockRules(command.rulesFile);
    if (const auto* error = std::get_if<std::string>(&loaded)) return invalid(rules_, *error);
    command.rules = std::make_shared<const MockRules>(std::get<MockRules>(std::move(loaded)));
    return {};
}

std::string Parser::readHeadlessOptions(CommandLine& command) const {
    if (given(record_)) command.recordPath = valueOf(record_);
    if (std::string error = readPath(replay_, command.replayPath); !error.empty()) return error;
    if (given(pace_)) {
        auto pace = parsePace(valueOf(pace_));
        if (const auto* why = std::get_if<std::string>(&pace)) return invalid(pace_, *why);
        command.pace = std::get<ReplayPace>(pace);
    }
    if (std::string error = readSeconds(every_, kEveryRange, command.timedEvery); !error.empty())
        return error;
    if (given(message_)) {
        const std::string& text = valueOf(message_);
        if (!isValidUtf8(text)) return invalid(message_, "not valid UTF-8");
        if (text.size() > command.maxMessageBytes)
            return invalid(message_, "longer than the largest message (" +
                                         std::to_string(command.maxMessageBytes) + " bytes)");
        command.timedMessage = text;
    }
    if (given(times_)) {
        const auto times = parseUnsigned(valueOf(times_), kMaxTimedTimes);
        if (!times || *times == 0)
            return invalid(times_, "expected a number from 1 to " + std::to_string(kMaxTimedTimes));
        command.timedTimes = *times;
    }
    return {};
}

std::string Parser::readClientOptions(ConnectOptions& connect) const {
    for (const std::string& name : subprotocol_->results()) {
        if (std::string why = checkSubprotocol(name); !why.empty())
            return "invalid --subprotocol: " + why;
        if (std::find(connect.subprotocols.begin(), connect.subprotocols.end(), name) !=
            connect.subprotocols.end())
            return "--subprotocol " + wsdemo::printableQuote(name) + " is given twice";
        connect.subprotocols.push_back(name);
    }
    for (const std::string& text : header_->results()) {
        auto parsed = parseHeader(text);
        if (const auto* why = std::get_if<std::string>(&parsed)) return "invalid --header: " + *why;
        connect.headers.push_back(std::get<Header>(std::move(parsed)));
    }
    if (given(origin_)) {
        if (std::string why = checkOrigin(valueOf(origin_)); !why.empty())
            return invalid(origin_, why);
        connect.origin = valueOf(origin_);
    }
    for (const auto& error :
         {readSeconds(connectTimeout_, kConnectTimeoutRange, connect.connectTimeout),
          readSeconds(pingInterval_, kPingIntervalRange, connect.pingInterval)})
        if (!error.empty()) return error;
    connect.compression = !given(noCompression_);
    connect.autoPong = !given(noAutoPong_);
    connect.reconnect.enabled = given(reconnect_);
    if (given(maxReconnects_)) {
        const auto attempts = parseUnsigned(valueOf(maxReconnects_), kMaxReconnectsLimit);
        if (!attempts || *attempts == 0)
            return invalid(maxReconnects_,
                           "expected a number from 1 to " + std::to_string(kMaxReconnectsLimit));
        connect.reconnect.maxAttempts = static_cast<unsigned>(*attempts);
    }
    return {};
}

std::string Parser::readTlsOptions(TlsOptions& tls) const {
    for (const auto& error :
         {readPath(ca_, tls.caFile), readPath(cert_, tls.certFile), readPath(key_, tls.keyFile)})
        if (!error.empty()) return error;
    tls.verifyCertificate = !given(noVerifyCertificate_);
    tls.verifyHostname = !given(noVerifyHostname_);
    return {};
}

std::string Parser::invalid(const CLI::Option* option, const std::string& why) {
    return "invalid " + option->get_name() + " " + wsdemo::printableQuote(valueOf(option)) + ": " +
           why;
}

std::string Parser::readPath(const CLI::Option* option, std::string& path) {
    if (!given(option)) return {};
    if (std::string why = whyUnreadable(valueOf(option)); !why.empty())
        return "cannot read " + option->get_name() + " " + wsdemo::printableQuote(valueOf(option)) +
               ": " + why;
    path = valueOf(option);
    return {};
}

std::string Parser::readSeconds(const CLI::Option* option, const SecondsRange& range,
                                milliseconds& duration) {
    if (!given(option)) return {};
    const auto parsed = parseSeconds(valueOf(option), range);
    if (!parsed) return invalid(option, std::string("expected ") + range.expected);
    duration = *parsed;
    return {};
}

}  // namespace

CommandLineResult parseCommandLine(int argc, const char* const argv[]) {
    return Parser().parse(argc, argv);
}

std::string usageText() {
    return Parser().help();
}

}  // namespace wsdemo
