// parseCommandLine(): the input is argv after the program name, split on NUL bytes (which no
// real argument can hold). Whatever it is, an error is one printable line.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cli.h"
#include "support.h"

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
    }
    return 0;
}
