// Utf8Validator and isValidUtf8(): fed whole, byte by byte or in chunks, the verdict is the
// same, and the same as an independent RFC 3629 decoder's. printableQuote() prints anything safely.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "support.h"
#include "wsdemo/text.h"

namespace {

// The verdict of a validator fed these chunks; once a feed fails, every later one must too.
bool validInChunks(const std::vector<std::string_view>& chunks) {
    wsdemo::Utf8Validator validator;
    bool ok = true;
    for (const auto chunk : chunks) {
        const bool fed = validator.feed(chunk);
        fuzz::check(ok || !fed, "a failed validator stays failed");
        ok = fed;
    }
    return ok && validator.complete();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::asText(data, size);
    const bool valid = wsdemo::isValidUtf8(text);
    fuzz::check(valid == fuzz::referenceIsValidUtf8(text),
                "isValidUtf8 agrees with the reference decoder");

    std::vector<std::string_view> bytes;
    for (std::size_t i = 0; i < text.size(); ++i) bytes.push_back(text.substr(i, 1));
    fuzz::check(validInChunks(bytes) == valid, "byte by byte gives the same verdict");
    fuzz::check(validInChunks(fuzz::chunksOf(text)) == valid, "chunks give the same verdict");

    const std::string shown = wsdemo::printableQuote(text);
    fuzz::check(fuzz::isPrintableAsciiLine(shown), "printableQuote() is printable ASCII");
    // Quotes, at most 60 bytes as \xNN each, and "...".
    fuzz::check(shown.size() <= 2 + 60 * 4 + 3, "printableQuote() is short");
    return 0;
}
