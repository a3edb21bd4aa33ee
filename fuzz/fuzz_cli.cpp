// parseCommandLine(): the input is argv after the program name, split on NUL bytes (which no
// real argument can hold). Whatever it is, an error is one printable line, and what is accepted
// is valid: a URL that parses, headers and subprotocols that their own checks accept.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cli.h"
#include "support.h"
#include "wsdemo/url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    // Each argument ends in a NUL, which the last one may leave out. Copies, so that every
    // argument is a C string as in argv.
    std::vector<std::string> args;
    for (std::string_view rest = fuzz::asText(data, size); !rest.empty();) {
        const auto nul = rest.find('\0');
        args.emplace_back(rest.substr(0, nul));
        rest.remove_prefix(nul == std::string_view::npos ? rest.size() : nul + 1);
    }
    std::vector<const char*> argv{"wsdemo"};
    for (const auto& arg : args) argv.push_back(arg.c_str());
    argv.push_back(nullptr);

    const auto result = wsdemo::parseCommandLine(static_cast<int>(argv.size() - 1), argv.data());
    if (const auto* error = std::get_if<std::string>(&result)) {
        fuzz::check(!error->empty(), "a command line error says why");
        fuzz::check(fuzz::isPrintableAsciiLine(*error),
                    "a command line error is one line of printable ASCII");
        return 0;
    }
    const auto& command = std::get<wsdemo::CommandLine>(result);
    fuzz::check(
        !command.url || std::holds_alternative<wsdemo::WsUrl>(wsdemo::parseWsUrl(*command.url)),
        "an accepted URL parses");
    for (const auto& header : command.connect.headers)
        fuzz::check(std::holds_alternative<wsdemo::Header>(
                        wsdemo::parseHeader(header.name + ": " + header.value)),
                    "an accepted header passes parseHeader() as it is");
    for (const auto& subprotocol : command.connect.subprotocols)
        fuzz::check(wsdemo::checkSubprotocol(subprotocol).empty(),
                    "an accepted subprotocol passes checkSubprotocol()");
    fuzz::check(
        command.connect.origin.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos,
        "an accepted origin holds no CR, LF or NUL");
    fuzz::check(
        command.maxMessageBytes >= 1 && command.connect.maxMessageBytes == command.maxMessageBytes,
        "the client and the server share one message size limit");
    return 0;
}
