#include <catch2/catch.hpp>

#include <string>

#include "slash_command.h"

using wsdemo::parseSlashCommand;

namespace {

template <typename T>
T parsedAs(std::string_view line, bool unsafe = false) {
    const auto command = parseSlashCommand(line, unsafe);
    if (const auto* error = std::get_if<std::string>(&command)) FAIL(*error);
    REQUIRE(std::holds_alternative<T>(command));
    return std::get<T>(command);
}

std::string refused(std::string_view line, bool unsafe = false) {
    const auto command = parseSlashCommand(line, unsafe);
    REQUIRE(std::holds_alternative<std::string>(command));
    return std::get<std::string>(command);
}

}  // namespace

TEST_CASE("a line that is not a command is sent as it is", "[slash]") {
    for (const std::string line :
         {"hello", "", " /ping", "ping", "a/ping", "\xc3\xa9/", " ", "\t/close"}) {
        CAPTURE(line);
        CHECK(parsedAs<wsdemo::SendText>(line).text == line);
    }
}

TEST_CASE("//text sends /text", "[slash]") {
    CHECK(parsedAs<wsdemo::SendText>("//ping").text == "/ping");
    CHECK(parsedAs<wsdemo::SendText>("//").text == "/");
    CHECK(parsedAs<wsdemo::SendText>("///x y").text == "//x y");
}

TEST_CASE("/ping and /pong carry what follows the first space", "[slash]") {
    CHECK(parsedAs<wsdemo::Ping>("/ping").payload.empty());
    CHECK(parsedAs<wsdemo::Ping>("/ping ").payload.empty());
    CHECK(parsedAs<wsdemo::Ping>("/ping hello world").payload == "hello world");
    CHECK(parsedAs<wsdemo::Ping>("/ping  two spaces ").payload == " two spaces ");
    CHECK(parsedAs<wsdemo::Pong>("/pong").payload.empty());
    CHECK(parsedAs<wsdemo::Pong>("/pong \xff\x01").payload == "\xff\x01");

    SECTION("up to 125 bytes, the most a control frame carries") {
        CHECK(parsedAs<wsdemo::Ping>("/ping " + std::string(125, 'p')).payload.size() == 125);
        CHECK_THAT(refused("/ping " + std::string(126, 'p')),
                   Catch::Equals("/ping payload of 126 bytes: at most 125"));
        CHECK_THAT(refused("/pong " + std::string(1000, 'p')),
                   Catch::Equals("/pong payload of 1000 bytes: at most 125"));
    }
}

TEST_CASE("/close takes an optional code and reason", "[slash]") {
    const auto bare = parsedAs<wsdemo::Close>("/close");
    CHECK(bare.code == 1000);
    CHECK(bare.reason.empty());
    CHECK(parsedAs<wsdemo::Close>("/close 4000").code == 4000);
    CHECK(parsedAs<wsdemo::Close>("/close 4000").reason.empty());
    const auto withReason = parsedAs<wsdemo::Close>("/close 1001 going  away, bye");
    CHECK(withReason.code == 1001);
    CHECK(withReason.reason == "going  away, bye");
    CHECK(parsedAs<wsdemo::Close>("/close 3000 " + std::string(123, 'r')).reason.size() == 123);
    CHECK(parsedAs<wsdemo::Close>("/close 1000 h\xc3\xa9").reason == "h\xc3\xa9");
}

TEST_CASE("/close refuses a code an endpoint may not send, and a bad reason", "[slash]") {
    for (const char* line :
         {"/close 1005", "/close 1006", "/close 1015", "/close 999", "/close 0", "/close 2999",
          "/close 5000", "/close 65535", "/close 65536", "/close 99999999999", "/close abc",
          "/close -1", "/close +1000", "/close 1000x", "/close  1000", "/close 0x3e8"}) {
        CAPTURE(line);
        CHECK_THAT(refused(line), Catch::StartsWith("/close code '") &&
                                      Catch::EndsWith("use 1000-1003, 1007-1014 or 3000-4999"));
    }
    CHECK_THAT(refused("/close 1000 " + std::string(124, 'r')),
               Catch::Equals("/close reason of 124 bytes: at most 123"));
    CHECK_THAT(refused("/close 1000 \xc3"), Catch::Equals("/close reason '\\xc3' is not valid "
                                                          "UTF-8"));
}

TEST_CASE("unsafe /close takes any code from 0 to 65535 and any reason bytes", "[slash]") {
    for (const unsigned code : {0u, 1u, 999u, 1005u, 1006u, 1015u, 2999u, 5000u, 65535u}) {
        const auto close = parsedAs<wsdemo::Close>("/close " + std::to_string(code), true);
        CHECK(close.code == code);
        CHECK(close.unchecked);
    }
    const auto bytes = parsedAs<wsdemo::Close>("/close 1005 \xff\xc3", true);
    CHECK(bytes.reason == "\xff\xc3");
    CHECK(parsedAs<wsdemo::Close>("/close 1005 " + std::string(123, 'r'), true).reason.size() ==
          123);
    CHECK_FALSE(parsedAs<wsdemo::Close>("/close 1000").unchecked);
    CHECK_FALSE(parsedAs<wsdemo::Close>("/close").unchecked);  // Bare: 1000, as always.
}

TEST_CASE("unsafe /close still refuses what no close frame can carry", "[slash]") {
    for (const char* line : {"/close 65536", "/close abc", "/close -1", "/close 1000x"}) {
        CAPTURE(line);
        CHECK_THAT(refused(line, true), Catch::StartsWith("/close code '") &&
                                            Catch::EndsWith("' is not a number from 0 to 65535"));
    }
    CHECK_THAT(refused("/close 1005 " + std::string(124, 'r'), true),
               Catch::Equals("/close reason of 124 bytes: at most 123"));
    CHECK_THAT(refused("/close 0 why", true),
               Catch::Equals("/close 0 sends a close frame with no payload: it takes no reason"));
}

TEST_CASE("an unknown command names itself and the ones there are", "[slash]") {
    CHECK_THAT(refused("/frobnicate now"),
               Catch::Equals("unknown command '/frobnicate': /ping [payload], /pong [payload], "
                             "/close [code [reason]], or //text to send /text"));
    CHECK_THAT(refused("/"), Catch::StartsWith("unknown command '/':"));
    CHECK_THAT(refused("/PING"), Catch::StartsWith("unknown command '/PING':"));
    CHECK_THAT(refused("/ping\tx"), Catch::StartsWith("unknown command '/ping\\x09x':"));
    CHECK_THAT(refused("/\x1b[2J"), Catch::StartsWith("unknown command '/\\x1b[2J':"));
}
