#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

#include "cli.h"
#include "wsdemo/text.h"

using namespace std::chrono_literals;
using wsdemo::CommandLine;
using wsdemo::parseCommandLine;
using Mode = wsdemo::CommandLine::Mode;

namespace {

wsdemo::CommandLineResult parse(std::initializer_list<std::string> args) {
    std::vector<const char*> argv{"wsdemo"};
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    return parseCommandLine(static_cast<int>(argv.size()), argv.data());
}

CommandLine accepted(std::initializer_list<std::string> args) {
    auto result = parse(args);
    if (auto* error = std::get_if<std::string>(&result)) FAIL(*error);
    return std::get<CommandLine>(result);
}

std::string refused(std::initializer_list<std::string> args) {
    auto result = parse(args);
    REQUIRE(std::holds_alternative<std::string>(result));
    return std::get<std::string>(result);
}

// A file that exists for as long as the test needs it, for --ca, --cert and the like.
class TemporaryFile {
public:
    TemporaryFile()
        : path_(std::filesystem::temp_directory_path() /
                ("wsdemo_test_cli_" + std::to_string(::getpid()) + "_" +
                 std::to_string(counter_++))) {
        std::ofstream(path_) << "-----BEGIN CERTIFICATE-----\n";
    }
    ~TemporaryFile() { std::filesystem::remove(path_); }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;

    std::string path() const { return path_.string(); }

private:
    static inline int counter_ = 0;
    std::filesystem::path path_;
};

}  // namespace

TEST_CASE("the command line selects a mode", "[cli]") {
    CHECK(accepted({}).mode == Mode::kWindow);
    CHECK(accepted({"--headless"}).mode == Mode::kHeadless);
    CHECK(accepted({"--echo-server"}).mode == Mode::kEchoServer);
    CHECK(accepted({"--help"}).mode == Mode::kHelp);
    CHECK(accepted({"-h"}).mode == Mode::kHelp);
    CHECK(accepted({"--version"}).mode == Mode::kVersion);
    // Help wins over anything else on the line, as it is what the user needs then.
    CHECK(accepted({"--headless", "--echo-server", "--bogus", "--help"}).mode == Mode::kHelp);
}

TEST_CASE("without options, every setting has its default", "[cli]") {
    const CommandLine command = accepted({});
    const wsdemo::ConnectOptions defaults;
    CHECK_FALSE(command.url);
    CHECK_FALSE(command.slash);
    CHECK(command.port == 0);
    CHECK(command.bindAddress == "127.0.0.1");
    CHECK(command.tlsCert.empty());
    CHECK(command.tlsKey.empty());
    CHECK(command.idleTimeout == 300s);
    CHECK(command.maxMessageBytes == 16u << 20);
    CHECK_FALSE(command.verbose);
    CHECK_FALSE(command.stats);
    CHECK_FALSE(command.redrawContinuously);
    CHECK(command.connect.subprotocols.empty());
    CHECK(command.connect.headers.empty());
    CHECK(command.connect.origin.empty());
    CHECK(command.connect.connectTimeout == defaults.connectTimeout);
    CHECK(command.connect.pingInterval == defaults.pingInterval);
    CHECK(command.connect.maxMessageBytes == defaults.maxMessageBytes);
    CHECK(command.connect.compression);
    CHECK_FALSE(command.connect.reconnect.enabled);
    CHECK(command.connect.reconnect.maxAttempts == 0);
    CHECK(command.connect.tls.caFile.empty());
    CHECK(command.connect.tls.certFile.empty());
    CHECK(command.connect.tls.keyFile.empty());
    CHECK(command.connect.tls.verifyCertificate);
    CHECK(command.connect.tls.verifyHostname);
    CHECK(command.connect.autoPong);
    CHECK_FALSE(command.unsafe);
    CHECK(command.recordPath.empty());
    CHECK(command.replayPath.empty());
    CHECK(command.pace.kind == wsdemo::ReplayPace::Kind::kRecorded);
    CHECK(command.timedEvery == 0ms);
    CHECK(command.timedMessage.empty());
    CHECK_FALSE(command.timedTimes);
}

TEST_CASE("the URL is a positional argument or --url", "[cli]") {
    CHECK(accepted({"wss://example.com/chat"}).url == "wss://example.com/chat");
    CHECK(accepted({"--headless", "ws://127.0.0.1:9000/"}).url == "ws://127.0.0.1:9000/");
    CHECK(accepted({"ws://h/", "--headless"}).mode == Mode::kHeadless);
    CHECK(accepted({"--url", "ws://h/x"}).url == "ws://h/x");
    CHECK(accepted({"--url=ws://h/?a=b"}).url == "ws://h/?a=b");
    CHECK(accepted({"--", "ws://h/"}).url == "ws://h/");

    CHECK_THAT(refused({"ws://a/", "--url", "ws://b/"}),
               Catch::Equals("the URL is given twice: as an argument and with --url"));
    CHECK_THAT(refused({"ws://a/", "ws://b/"}),
               Catch::Equals("unexpected argument 'ws://b/' (see --help)"));
    CHECK_THAT(refused({"--url", "ws://a/", "--url", "ws://b/"}),
               Catch::Equals("--url is given more than once"));
    CHECK_THAT(refused({"--url"}), Catch::Equals("option '--url' needs a ws:// or wss:// URL"));
    CHECK_THAT(refused({"--url="}), Catch::Equals("option '--url' needs a ws:// or wss:// URL"));
    CHECK_THAT(refused({"--url", "ftp://x"}), Catch::StartsWith("invalid --url 'ftp://x': ") &&
                                                  Catch::Contains("unsupported URL scheme 'ftp'"));
    CHECK_THAT(refused({"ftp://x"}), Catch::StartsWith("invalid URL 'ftp://x': "));
    CHECK_THAT(refused({"extra"}), Catch::StartsWith("invalid URL 'extra': "));
    CHECK_THAT(refused({"--url", "ws://"}), Catch::Contains("no host"));
    CHECK_THAT(refused({"ws://host:99999"}), Catch::Contains("out of range"));
    CHECK_THAT(refused({"--echo-server", "--url", "ws://x"}),
               Catch::Equals("--url cannot be used with --echo-server"));
    CHECK_THAT(refused({"--echo-server", "ws://x"}),
               Catch::Equals("URL cannot be used with --echo-server"));
}

TEST_CASE("subprotocols, headers and the origin", "[cli]") {
    const CommandLine command =
        accepted({"--subprotocol", "v2.chat", "--subprotocol=v1.chat", "--header", "X-Token:  a:b ",
                  "--header=Cookie: c=1", "--origin", "https://example.com"});
    CHECK(command.connect.subprotocols == std::vector<std::string>{"v2.chat", "v1.chat"});
    REQUIRE(command.connect.headers.size() == 2);
    CHECK(command.connect.headers[0].name == "X-Token");
    CHECK(command.connect.headers[0].value == "a:b");
    CHECK(command.connect.headers[1].name == "Cookie");
    CHECK(command.connect.headers[1].value == "c=1");
    CHECK(command.connect.origin == "https://example.com");
    CHECK(accepted({"--headless", "--origin", "null"}).connect.origin == "null");

    CHECK_THAT(refused({"--subprotocol", "a b"}),
               Catch::StartsWith("invalid --subprotocol: the subprotocol 'a b' may only hold"));
    CHECK_THAT(refused({"--subprotocol"}),
               Catch::Equals("option '--subprotocol' needs a subprotocol name"));
    CHECK_THAT(refused({"--subprotocol", "chat", "--subprotocol", "chat"}),
               Catch::Equals("--subprotocol 'chat' is given twice"));
    CHECK_THAT(refused({"--header", "Sec-WebSocket-Key: x"}),
               Catch::StartsWith("invalid --header: the header 'Sec-WebSocket-Key' cannot be set"));
    CHECK_THAT(
        refused({"--header", "X-A: b\r\nX-B: c"}),
        Catch::Equals(
            "invalid --header: a header cannot contain a control character such as CR, LF or NUL"));
    CHECK_THAT(refused({"--header", "no colon"}), Catch::StartsWith("invalid --header: no colon"));
    CHECK_THAT(refused({"--header"}), Catch::Equals("option '--header' needs 'Name: value'"));
    CHECK_THAT(refused({"--origin", "https://a\r\nX: y"}),
               Catch::Equals("invalid --origin 'https://a\\x0d\\x0aX: y': the origin cannot "
                             "contain a control character such as CR, LF or NUL"));
    CHECK_THAT(
        refused({"--origin", "https://a\x01"}),
        Catch::EndsWith("the origin cannot contain a control character such as CR, LF or NUL"));
    CHECK_THAT(refused({"--origin="}), Catch::StartsWith("option '--origin' needs an origin"));
}

TEST_CASE("timeouts and the ping interval take seconds with decimals", "[cli]") {
    CHECK(accepted({"--connect-timeout", "10"}).connect.connectTimeout == 10s);
    CHECK(accepted({"--connect-timeout", "0.5"}).connect.connectTimeout == 500ms);
    CHECK(accepted({"--connect-timeout=.25"}).connect.connectTimeout == 250ms);
    CHECK(accepted({"--connect-timeout", "2."}).connect.connectTimeout == 2s);
    CHECK(accepted({"--connect-timeout", "0.001"}).connect.connectTimeout == 1ms);
    CHECK(accepted({"--connect-timeout", "600"}).connect.connectTimeout == 600s);
    CHECK(accepted({"--connect-timeout", "1.23456"}).connect.connectTimeout == 1234ms);
    CHECK(accepted({"--ping-interval", "0"}).connect.pingInterval == 0ms);
    CHECK(accepted({"--ping-interval", "0.000"}).connect.pingInterval == 0ms);
    CHECK(accepted({"--ping-interval", "1.5"}).connect.pingInterval == 1500ms);
    CHECK(accepted({"--ping-interval", "3600"}).connect.pingInterval == 3600s);
    CHECK(accepted({"--echo-server", "--idle-timeout", "0"}).idleTimeout == 0ms);
    CHECK(accepted({"--echo-server", "--idle-timeout", "2.5"}).idleTimeout == 2500ms);
    CHECK(accepted({"--echo-server", "--idle-timeout", "86400"}).idleTimeout == 86400s);

    for (const char* bad : {"-1", "0", "0.0", "0.0004", "600.001", "1e3", "nan", "inf", ".", "",
                            " 1", "1 ", "1,5", "0x10", "+1", "1.2.3", "99999999999"}) {
        CAPTURE(bad);
        const std::string error = refused({"--connect-timeout", bad});
        if (std::string(bad).empty()) {
            CHECK_THAT(error,
                       Catch::Equals("option '--connect-timeout' needs a number of seconds"));
        } else {
            CHECK_THAT(error, Catch::StartsWith("invalid --connect-timeout '") &&
                                  Catch::EndsWith("': expected seconds from 0.001 to 600, such "
                                                  "as 0.5 or 10"));
        }
    }
    CHECK_THAT(refused({"--ping-interval", "3600.5"}),
               Catch::Equals("invalid --ping-interval '3600.5': expected 0 (off) or seconds from "
                             "0.001 to 3600, such as 0.5"));
    CHECK_THAT(refused({"--ping-interval", "-0"}), Catch::StartsWith("invalid --ping-interval"));
    CHECK_THAT(refused({"--echo-server", "--idle-timeout", "forever"}),
               Catch::Equals("invalid --idle-timeout 'forever': expected 0 (never) or seconds "
                             "from 0.001 to 86400"));
}

TEST_CASE("compression and reconnecting", "[cli]") {
    CHECK_FALSE(accepted({"--no-compression"}).connect.compression);
    const CommandLine reconnecting = accepted({"--headless", "--reconnect"});
    CHECK(reconnecting.connect.reconnect.enabled);
    CHECK(reconnecting.connect.reconnect.maxAttempts == 0);
    CHECK(accepted({"--reconnect", "--max-reconnects", "3"}).connect.reconnect.maxAttempts == 3);
    CHECK(accepted({"--max-reconnects=1000000", "--reconnect"}).connect.reconnect.maxAttempts ==
          1000000);

    CHECK_THAT(refused({"--max-reconnects", "3"}),
               Catch::Equals("--max-reconnects only applies with --reconnect"));
    for (const char* bad : {"0", "-1", "1000001", "x", "1.5"}) {
        CAPTURE(bad);
        CHECK_THAT(refused({"--reconnect", "--max-reconnects", bad}),
                   Catch::EndsWith("': expected a number from 1 to 1000000"));
    }
}

TEST_CASE("the option --no-auto-pong applies to the window and --headless", "[cli][pong]") {
    CHECK_FALSE(accepted({"--no-auto-pong"}).connect.autoPong);
    CHECK_FALSE(accepted({"--headless", "--no-auto-pong"}).connect.autoPong);
    CHECK_THAT(refused({"--echo-server", "--no-auto-pong"}),
               Catch::Equals("--no-auto-pong cannot be used with --echo-server"));
    CHECK_THAT(refused({"--no-auto-pong=1"}),
               Catch::Equals("option '--no-auto-pong' does not take a value"));
}

TEST_CASE("the option --unsafe goes with --slash", "[cli][unsafe]") {
    CHECK(accepted({"--headless", "--slash", "--unsafe"}).unsafe);
    CHECK_THAT(refused({"--headless", "--unsafe"}),
               Catch::Equals("--unsafe only applies with --slash"));
    CHECK_THAT(refused({"--unsafe"}), Catch::Equals("--unsafe only applies to --headless"));
}

TEST_CASE("the option --record takes a file name, in --headless", "[cli][record]") {
    CHECK(accepted({"--headless", "--record", "out.har"}).recordPath == "out.har");
    CHECK(accepted({"--headless", "--record=/nonexistent/x.jsonl"}).recordPath ==
          "/nonexistent/x.jsonl");  // Said at run time; the connection goes on.
    CHECK_THAT(refused({"--record", "x"}), Catch::Equals("--record only applies to --headless"));
    CHECK_THAT(refused({"--headless", "--record"}),
               Catch::Equals("option '--record' needs a file name"));
    CHECK_THAT(refused({"--headless", "--record", "a", "--record", "b"}),
               Catch::Equals("--record is given more than once"));
}

TEST_CASE("the option --replay takes a readable file and --pace", "[cli][replay]") {
    TemporaryFile recording;
    const CommandLine replay = accepted({"--headless", "--replay", recording.path()});
    CHECK(replay.replayPath == recording.path());
    CHECK_FALSE(replay.url);  // The recorded one is used.
    CHECK(replay.pace.kind == wsdemo::ReplayPace::Kind::kRecorded);
    CHECK(accepted({"--headless", "--replay", recording.path(), "--pace", "fast"}).pace.kind ==
          wsdemo::ReplayPace::Kind::kFast);
    const auto scaled = accepted({"--headless", "--replay", recording.path(), "--pace", "10"}).pace;
    CHECK(scaled.kind == wsdemo::ReplayPace::Kind::kScaled);
    CHECK(scaled.factor == 10.0);
    CHECK(accepted({"--headless", "ws://h/", "--replay", recording.path()}).url == "ws://h/");

    CHECK_THAT(refused({"--headless", "--replay", recording.path(), "--pace", "slow"}),
               Catch::StartsWith("invalid --pace 'slow': "));
    CHECK_THAT(refused({"--headless", "--pace", "fast"}),
               Catch::Equals("--pace only applies with --replay"));
    CHECK_THAT(refused({"--headless", "--replay", "/nonexistent/r.jsonl"}),
               Catch::StartsWith("cannot read --replay '/nonexistent/r.jsonl': "));
    CHECK_THAT(refused({"--replay", recording.path()}),
               Catch::Equals("--replay only applies to --headless"));
    CHECK_THAT(
        refused({"--headless", "--replay", recording.path(), "--every", "1", "--message", "m"}),
        Catch::Equals("--replay and --every cannot be combined"));
    CHECK_THAT(refused({"--headless", "--replay", recording.path(), "--slash"}),
               Catch::StartsWith("--replay and --slash cannot be combined"));
}

TEST_CASE("the options --every and --message go together, --times with them", "[cli][timed]") {
    const CommandLine timed =
        accepted({"--headless", "--every", "0.2", "--message", "tick", "--times", "3"});
    CHECK(timed.timedEvery == 200ms);
    CHECK(timed.timedMessage == "tick");
    CHECK(timed.timedTimes == 3u);
    CHECK_FALSE(accepted({"--headless", "--every", "5", "--message", "m"}).timedTimes);

    CHECK_THAT(refused({"--headless", "--every", "1", "--message", ""}),
               Catch::Equals("option '--message' needs a text message"));
    CHECK_THAT(refused({"--headless", "--every", "1"}),
               Catch::Equals("--every needs --message too"));
    CHECK_THAT(refused({"--headless", "--message", "m"}),
               Catch::Equals("--message needs --every too"));
    CHECK_THAT(refused({"--headless", "--times", "3"}),
               Catch::Equals("--times only applies with --every"));
    CHECK_THAT(refused({"--every", "1", "--message", "m"}),
               Catch::Equals("--every only applies to --headless"));
    for (const char* bad : {"0", "-1", "x", "86400.001", ""}) {
        CAPTURE(bad);
        CHECK_THAT(refused({"--headless", "--every", bad, "--message", "m"}),
                   Catch::Contains("--every"));
    }
    CHECK_THAT(refused({"--headless", "--every", "0", "--message", "m"}),
               Catch::Equals("invalid --every '0': expected seconds from 0.001 to 86400, such as "
                             "0.5 or 10"));
    for (const char* bad : {"0", "-1", "1000000001", "1.5"}) {
        CAPTURE(bad);
        CHECK_THAT(refused({"--headless", "--every", "1", "--message", "m", "--times", bad}),
                   Catch::EndsWith("': expected a number from 1 to 1000000000"));
    }
    CHECK_THAT(refused({"--headless", "--every", "1", "--message", "\xff"}),
               Catch::Equals("invalid --message '\\xff': not valid UTF-8"));
    CHECK_THAT(
        refused({"--headless", "--max-message-size", "3", "--every", "1", "--message", "four"}),
        Catch::Equals("invalid --message 'four': longer than the largest message (3 "
                      "bytes)"));
}

TEST_CASE("TLS files must exist and be readable", "[cli]") {
    const TemporaryFile ca, cert, key;
    const CommandLine command =
        accepted({"--ca", ca.path(), "--cert", cert.path(), "--key", key.path(),
                  "--no-verify-certificate", "--no-verify-hostname"});
    CHECK(command.connect.tls.caFile == ca.path());
    CHECK(command.connect.tls.certFile == cert.path());
    CHECK(command.connect.tls.keyFile == key.path());
    CHECK_FALSE(command.connect.tls.verifyCertificate);
    CHECK_FALSE(command.connect.tls.verifyHostname);

    const std::string missing = ca.path() + ".missing";
    CHECK_THAT(refused({"--ca", missing}),
               Catch::Equals("cannot read --ca '" + missing + "': No such file or directory"));
    CHECK_THAT(refused({"--cert", cert.path(), "--key", missing}),
               Catch::StartsWith("cannot read --key '"));
    CHECK_THAT(refused({"--cert", missing, "--key", key.path()}),
               Catch::StartsWith("cannot read --cert '"));
    CHECK_THAT(refused({"--ca", "/"}), Catch::Equals("cannot read --ca '/': not a regular file"));
    CHECK_THAT(refused({"--cert", cert.path()}), Catch::Equals("--cert needs --key too"));
    CHECK_THAT(refused({"--key", key.path()}), Catch::Equals("--key needs --cert too"));
    CHECK_THAT(refused({"--ca"}), Catch::Equals("option '--ca' needs a file"));
}

TEST_CASE("echo server options", "[cli]") {
    const TemporaryFile cert, key;
    const CommandLine command =
        accepted({"--echo-server", "--port", "8765", "--bind", "::1", "--tls-cert", cert.path(),
                  "--tls-key", key.path(), "--max-message-size", "1000", "--verbose"});
    CHECK(command.port == 8765);
    CHECK(command.bindAddress == "::1");
    CHECK(command.tlsCert == cert.path());
    CHECK(command.tlsKey == key.path());
    CHECK(command.maxMessageBytes == 1000);
    CHECK(command.verbose);
    CHECK(accepted({"--echo-server", "--port=0"}).port == 0);
    CHECK(accepted({"--echo-server", "--port", "65535"}).port == 65535);

    CHECK_THAT(refused({"--echo-server", "--port", "abc"}),
               Catch::Equals("invalid --port 'abc': expected a number from 0 to 65535"));
    CHECK_THAT(refused({"--echo-server", "--port", "65536"}), Catch::Contains("0 to 65535"));
    CHECK_THAT(refused({"--echo-server", "--port", "-1"}), Catch::Contains("0 to 65535"));
    CHECK_THAT(refused({"--echo-server", "--port"}),
               Catch::Equals("option '--port' needs a port number"));
    CHECK_THAT(refused({"--echo-server", "--bind"}),
               Catch::Equals("option '--bind' needs an IP address"));
    CHECK_THAT(refused({"--echo-server", "--tls-cert", cert.path()}),
               Catch::Equals("--tls-cert needs --tls-key too"));
    CHECK_THAT(refused({"--echo-server", "--tls-key", key.path()}),
               Catch::Equals("--tls-key needs --tls-cert too"));
    CHECK_THAT(refused({"--echo-server", "--tls-cert", cert.path(), "--tls-key", "/nonexistent"}),
               Catch::Equals("cannot read --tls-key '/nonexistent': No such file or directory"));
}

TEST_CASE("the maximum message size serves the client and the server", "[cli]") {
    const CommandLine command = accepted({"--headless", "--max-message-size", "1000"});
    CHECK(command.maxMessageBytes == 1000);
    CHECK(command.connect.maxMessageBytes == 1000);
    CHECK(accepted({"--max-message-size", "1073741824"}).maxMessageBytes == 1u << 30);
    for (const char* bad : {"0", "1073741825", "2000000000", "16M", "-5", "99999999999999999999"}) {
        CAPTURE(bad);
        CHECK_THAT(refused({"--max-message-size", bad}),
                   Catch::Equals("invalid --max-message-size " + wsdemo::printableQuote(bad) +
                                 ": expected a number of bytes from 1 to 1073741824"));
    }
    CHECK_THAT(refused({"--max-message-size"}),
               Catch::Equals("option '--max-message-size' needs a number of bytes"));
}

TEST_CASE("each option applies to its modes only", "[cli]") {
    CHECK(accepted({"--headless", "--slash"}).slash);
    CHECK(accepted({"--stats"}).stats);
    CHECK(accepted({"--redraw-continuously"}).redrawContinuously);

    CHECK_THAT(refused({"--headless", "--echo-server"}),
               Catch::Equals("--headless and --echo-server cannot be combined"));
    CHECK_THAT(refused({"--slash"}), Catch::Equals("--slash only applies to --headless"));
    CHECK_THAT(refused({"--echo-server", "--slash"}),
               Catch::Equals("--slash only applies to --headless"));
    CHECK_THAT(refused({"--headless", "--stats"}),
               Catch::Equals("--stats applies to the window only"));
    CHECK_THAT(refused({"--echo-server", "--redraw-continuously"}),
               Catch::Equals("--redraw-continuously applies to the window only"));
    for (const char* option : {"--port", "--bind", "--tls-cert", "--tls-key", "--idle-timeout"}) {
        CAPTURE(option);
        CHECK_THAT(refused({option, "1"}),
                   Catch::Equals(std::string(option) + " only applies to --echo-server"));
        CHECK_THAT(refused({"--headless", option, "1"}),
                   Catch::Equals(std::string(option) + " only applies to --echo-server"));
    }
    const std::vector<std::vector<std::string>> clientOptions = {{"--subprotocol", "x"},
                                                                 {"--header", "X: y"},
                                                                 {"--origin", "o"},
                                                                 {"--connect-timeout", "1"},
                                                                 {"--ping-interval", "1"},
                                                                 {"--no-compression"},
                                                                 {"--reconnect"},
                                                                 {"--ca", "f"},
                                                                 {"--cert", "f"},
                                                                 {"--key", "f"},
                                                                 {"--no-verify-certificate"},
                                                                 {"--no-verify-hostname"}};
    for (const auto& args : clientOptions) {
        CAPTURE(args.front());
        std::vector<const char*> argv{"wsdemo", "--echo-server"};
        for (const std::string& arg : args) argv.push_back(arg.c_str());
        const auto result = parseCommandLine(static_cast<int>(argv.size()), argv.data());
        REQUIRE(std::holds_alternative<std::string>(result));
        CHECK_THAT(std::get<std::string>(result),
                   Catch::Equals(args.front() + " cannot be used with --echo-server"));
    }
}

TEST_CASE("a bad command line gets one specific line", "[cli]") {
    CHECK_THAT(refused({"--bogus"}), Catch::Equals("unknown option '--bogus' (see --help)"));
    CHECK_THAT(refused({"-x"}), Catch::Equals("unknown option '-x' (see --help)"));
    CHECK_THAT(refused({"--Headless"}), Catch::Equals("unknown option '--Headless' (see --help)"));
    CHECK_THAT(refused({"--headless=yes"}),
               Catch::Equals("option '--headless' does not take a value"));
    CHECK_THAT(refused({"--no-compression=false"}),
               Catch::Equals("option '--no-compression' does not take a value"));
    CHECK_THAT(refused({"--verbose="}), Catch::Equals("option '--verbose' does not take a value"));
    CHECK_THAT(refused({"---url", "ws://h/"}),
               Catch::Equals("unknown option '---url' (see --help)"));
    CHECK_THAT(refused({"--echo-server", "--port", "1", "--port", "2"}),
               Catch::Equals("--port is given more than once"));
    // Bytes that are not printable ASCII are escaped, so the line cannot garble a terminal.
    CHECK_THAT(refused({"--\xff\x1b[2J"}), Catch::Equals("unknown option '--\\xff\\x1b[2J' (see "
                                                         "--help)"));
    CHECK_THAT(refused({"ws://h/", "\x1b[2J"}),
               Catch::Equals("unexpected argument '\\x1b[2J' (see --help)"));
}

TEST_CASE("the usage documents every option and the exit statuses", "[cli]") {
    const std::string usage = wsdemo::usageText();
    for (const char* option : {"URL",
                               "--url",
                               "--headless",
                               "--echo-server",
                               "--help",
                               "--version",
                               "--subprotocol",
                               "--header",
                               "--origin",
                               "--ca",
                               "--cert",
                               "--key",
                               "--connect-timeout",
                               "--ping-interval",
                               "--no-compression",
                               "--reconnect",
                               "--max-reconnects",
                               "--slash",
                               "--unsafe",
                               "--no-auto-pong",
                               "--record",
                               "--replay",
                               "--pace",
                               "--every",
                               "--message",
                               "--times",
                               "--port",
                               "--bind",
                               "--tls-cert",
                               "--tls-key",
                               "--idle-timeout",
                               "--max-message-size",
                               "--no-verify-certificate",
                               "--no-verify-hostname",
                               "--verbose",
                               "--stats",
                               "--redraw-continuously"}) {
        CAPTURE(option);
        CHECK_THAT(usage, Catch::Contains(std::string(option) + " "));
    }
    CHECK_THAT(usage, Catch::Contains("Exit status: 0 ") && Catch::Contains(" 1 when") &&
                          Catch::Contains("2 for a bad command line"));
}
