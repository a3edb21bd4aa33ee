#include <catch2/catch.hpp>

#include <initializer_list>
#include <vector>

#include "cli.h"

using wsdemo::CommandLine;
using wsdemo::parseCommandLine;

namespace {

wsdemo::CommandLineResult parse(std::initializer_list<const char*> args) {
    std::vector<const char*> argv{"wsdemo"};
    argv.insert(argv.end(), args);
    return parseCommandLine(static_cast<int>(argv.size()), argv.data());
}

CommandLine accepted(std::initializer_list<const char*> args) {
    auto result = parse(args);
    if (auto* error = std::get_if<std::string>(&result)) FAIL(*error);
    return std::get<CommandLine>(result);
}

std::string refused(std::initializer_list<const char*> args) {
    auto result = parse(args);
    REQUIRE(std::holds_alternative<std::string>(result));
    return std::get<std::string>(result);
}

}  // namespace

TEST_CASE("the command line selects a mode", "[cli]") {
    CHECK(accepted({}).mode == CommandLine::Mode::kWindow);
    CHECK_FALSE(accepted({}).url);
    CHECK(accepted({"--headless"}).mode == CommandLine::Mode::kHeadless);
    CHECK(accepted({"--echo-server"}).mode == CommandLine::Mode::kEchoServer);
    CHECK(accepted({"--help"}).mode == CommandLine::Mode::kHelp);
    CHECK(accepted({"-h"}).mode == CommandLine::Mode::kHelp);
    CHECK(accepted({"--version"}).mode == CommandLine::Mode::kVersion);
    CHECK(accepted({"--verbose"}).verbose);
    CHECK(accepted({"--stats"}).stats);
    CHECK(accepted({"--redraw-continuously"}).redrawContinuously);

    const CommandLine headless = accepted({"--headless", "--url", "wss://example.com/chat"});
    REQUIRE(headless.url);
    CHECK(headless.url->secure);
    CHECK(headless.url->path == "/chat");
    CHECK(accepted({"--url=ws://127.0.0.1:9000"}).url->port == 9000);
    CHECK(accepted({"--echo-server", "--port", "8765"}).port == 8765);
    CHECK(accepted({"--echo-server", "--port=0"}).port == 0);
    CHECK(accepted({"--echo-server", "--bind", "::1"}).bindAddress == "::1");
    CHECK(accepted({}).bindAddress == "127.0.0.1");
    CHECK(accepted({}).maxMessageBytes == 16u << 20);
    CHECK(accepted({"--headless", "--max-message-size", "1000"}).maxMessageBytes == 1000);
    CHECK(accepted({}).verifyTlsCertificate);
    CHECK(accepted({}).verifyTlsHostname);
    CHECK_FALSE(accepted({"--no-verify-certificate"}).verifyTlsCertificate);
    CHECK_FALSE(accepted({"--no-verify-hostname"}).verifyTlsHostname);
}

TEST_CASE("a bad command line gets one specific line", "[cli]") {
    CHECK_THAT(refused({"--bogus"}), Catch::Equals("unknown option '--bogus' (see --help)"));
    CHECK_THAT(refused({"extra"}), Catch::Contains("unexpected argument 'extra'"));
    CHECK_THAT(refused({"--url"}), Catch::Contains("needs a ws:// or wss:// URL"));
    CHECK_THAT(refused({"--url", "ftp://x"}), Catch::Contains("unsupported URL scheme 'ftp'"));
    CHECK_THAT(refused({"--url", "ws://"}), Catch::Contains("no host"));
    CHECK_THAT(refused({"--url", "ws://host:99999"}), Catch::Contains("out of range"));
    CHECK_THAT(refused({"--echo-server", "--port", "abc"}),
               Catch::Contains("invalid --port 'abc'"));
    CHECK_THAT(refused({"--echo-server", "--port", "70000"}), Catch::Contains("0 to 65535"));
    CHECK_THAT(refused({"--echo-server", "--port"}), Catch::Contains("needs a port number"));
    CHECK_THAT(refused({"--port", "80"}), Catch::Contains("only applies to --echo-server"));
    CHECK_THAT(refused({"--bind", "0.0.0.0"}), Catch::Contains("only applies to --echo-server"));
    CHECK_THAT(refused({"--echo-server", "--bind"}), Catch::Contains("needs an IP address"));
    CHECK_THAT(refused({"--max-message-size", "0"}), Catch::Contains("from 1 to 1073741824"));
    CHECK_THAT(refused({"--max-message-size", "2000000000"}), Catch::Contains("from 1 to"));
    CHECK_THAT(refused({"--max-message-size", "16M"}), Catch::Contains("'16M'"));
    CHECK_THAT(refused({"--max-message-size"}), Catch::Contains("needs a number of bytes"));
    CHECK_THAT(refused({"--headless", "--echo-server"}), Catch::Contains("cannot be combined"));
    CHECK_THAT(refused({"--echo-server", "--url", "ws://x"}), Catch::Contains("cannot be used"));
    CHECK_THAT(refused({"--headless", "--stats"}), Catch::Contains("apply to the window only"));
    CHECK_THAT(refused({"--headless=yes"}), Catch::Contains("does not take a value"));
    // Bytes that are not printable ASCII are escaped, so the line cannot garble a terminal.
    CHECK_THAT(refused({"--\xff\x1b[2J"}), Catch::Contains("'--\\xff\\x1b[2J'"));
}
