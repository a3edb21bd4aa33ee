#include "settings_panel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <cfloat>
#include <charconv>
#include <functional>
#include <variant>
#include <vector>

#include "layout.h"
#include "theme.h"
#include "widget_map.h"

namespace wsdemo {

namespace {

const ImVec4 kUnsafeFrameColor(0.55f, 0.1f, 0.1f, 1.0f);

using Field = SettingsPanel::Field;
// The setting as the input shows it.
using Format = std::function<std::string()>;
// Applies the text to the setting if it passes: empty, else why not (and nothing changes).
using Apply = std::function<std::string(const std::string& text)>;

enum class Input { kLine, kLines, kNumber };

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    return std::string(text.substr(first, text.find_last_not_of(" \t\r") - first + 1));
}

// The pieces of `text` between separators, trimmed, empty ones left out.
std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> pieces;
    while (!text.empty()) {
        const auto end = std::min(text.find(separator), text.size());
        if (std::string piece = trimmed(text.substr(0, end)); !piece.empty())
            pieces.push_back(std::move(piece));
        text.remove_prefix(std::min(end + 1, text.size()));
    }
    return pieces;
}

std::string join(const std::vector<std::string>& pieces, const char* separator) {
    std::string text;
    for (const std::string& piece : pieces) text += (text.empty() ? "" : separator) + piece;
    return text;
}

std::variant<long long, std::string> parseInteger(const std::string& text, const IntRange& range) {
    const std::string digits = trimmed(text);
    long long value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size())
        return "enter a whole number of " + std::string(range.unit);
    if (std::string why = checkRange(value, range); !why.empty()) return why;
    return value;
}

// Applies a whole number in `range` with set(value), which may refuse it in turn.
Apply integerApply(const IntRange& range, std::function<std::string(long long)> set) {
    return [range, set = std::move(set)](const std::string& text) -> std::string {
        auto parsed = parseInteger(text, range);
        if (auto* why = std::get_if<std::string>(&parsed)) return *why;
        return set(std::get<long long>(parsed));
    };
}

Apply pathApply(std::string& path) {
    return [&path](const std::string& text) -> std::string {
        if (!text.empty())
            if (std::string why = whyUnreadable(text); !why.empty())
                return "cannot read it: " + why;
        path = text;
        return {};
    };
}

void beginRow(const char* label, bool unsafe = false) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    if (unsafe)
        ImGui::TextColored(warningColor(themeInUse()), "%s", label);
    else
        ImGui::TextUnformatted(label);
    ImGui::TableNextColumn();
}

void showError(const char* label, const std::string& error) {
    if (error.empty()) return;
    wrappedText(warningColor(themeInUse()), error);
    WidgetMap::current().noteValue(std::string(label) + " error", error);
}

void sectionRow(const char* title) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Spacing();
    ImGui::TextDisabled("%s", title);
}

// One labelled input row; true when it changed the setting.
bool drawField(const char* label, Field& field, Input input, const char* unit, const Format& format,
               const Apply& apply) {
    const std::string current = format();
    if (current != field.applied) field = Field{current, {}, current};  // Changed elsewhere.
    beginRow(label);
    const std::string id = std::string("##") + label;
    if (input == Input::kNumber) {
        // One width for every number, the longest accepted fitting: the units line up after.
        ImGui::SetNextItemWidth(ImGui::CalcTextSize("0000000000000").x +
                                2 * ImGui::GetStyle().FramePadding.x);
    } else {
        const float unitWidth =
            unit ? ImGui::CalcTextSize(unit).x + ImGui::GetStyle().ItemSpacing.x : 0.0f;
        ImGui::SetNextItemWidth(-FLT_MIN - unitWidth);
    }
    const bool edited =
        input == Input::kLines
            ? ImGui::InputTextMultiline(id.c_str(), &field.text,
                                        ImVec2(-FLT_MIN, ImGui::GetTextLineHeight() * 4.5f))
            : ImGui::InputText(id.c_str(), &field.text,
                               input == Input::kNumber ? ImGuiInputTextFlags_CharsDecimal : 0);
    noteItem(label);
    if (unit) {
        ImGui::SameLine();
        ImGui::TextUnformatted(unit);
    }
    bool changed = false;
    if (edited) {
        field.error = apply(field.text);
        if (field.error.empty()) {
            field.applied = format();
            changed = field.applied != current;
        }
    }
    showError(label, field.error);
    return changed;
}

// unsafeInUse: the connection in use has it off, which `offNote` says in red beside it.
bool drawSwitch(const char* label, bool& value, const char* description, bool unsafeInUse,
                const char* offNote = "(off in use)") {
    beginRow(label, unsafeInUse);
    if (unsafeInUse) ImGui::PushStyleColor(ImGuiCol_FrameBg, kUnsafeFrameColor);
    const bool changed = ImGui::Checkbox((std::string(description) + "##" + label).c_str(), &value);
    noteItem(label);
    if (unsafeInUse) {
        ImGui::PopStyleColor();
        ImGui::SameLine();
        ImGui::TextColored(warningColor(themeInUse()), "%s", offNote);
    }
    return changed;
}

std::string formatHeaders(const std::vector<Header>& headers) {
    std::vector<std::string> lines;
    for (const Header& header : headers) lines.push_back(header.name + ": " + header.value);
    return join(lines, "\n");
}

}  // namespace

bool SettingsPanel::draw(Settings& settings, const ConnectOptions* inUse) {
    ImGui::TextWrapped("Connection options apply at the next Connect.");
    noteItem("Settings note");
    if (!ImGui::BeginTable("Settings", 2, ImGuiTableFlags_SizingStretchProp)) return false;
    ImGui::TableSetupColumn("Setting", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("Value", ImGuiTableColumnFlags_WidthStretch);
    unsafeInUse_.clear();
    bool changed = drawConnection(settings.connect, inUse);
    changed |= drawReconnect(settings.connect.reconnect);
    changed |= drawTls(settings.connect.tls, inUse);
    changed |= drawLooks(settings);
    ImGui::EndTable();
    if (!unsafeInUse_.empty())
        WidgetMap::current().noteValue("unsafe in use", join(unsafeInUse_, ", "));
    return changed;
}

bool SettingsPanel::drawConnection(ConnectOptions& options, const ConnectOptions* inUse) {
    sectionRow("Connection");
    bool changed = drawField(
        "Subprotocols", subprotocols_, Input::kLine, nullptr,
        [&] { return join(options.subprotocols, ", "); },
        [&](const std::string& text) -> std::string {
            std::vector<std::string> names = split(text, ',');
            for (const std::string& name : names)
                if (std::string why = checkSubprotocol(name); !why.empty()) return why;
            options.subprotocols = std::move(names);
            return {};
        });
    changed |= drawField(
        "Headers", headers_, Input::kLines, nullptr, [&] { return formatHeaders(options.headers); },
        [&](const std::string& text) -> std::string {
            std::vector<Header> headers;
            int lineNumber = 0;
            for (std::string_view rest = text; !rest.empty();) {
                const auto end = std::min(rest.find('\n'), rest.size());
                const std::string_view line = rest.substr(0, end);
                rest.remove_prefix(std::min(end + 1, rest.size()));
                ++lineNumber;
                if (trimmed(line).empty()) continue;
                auto parsed = parseHeader(line);
                if (auto* why = std::get_if<std::string>(&parsed))
                    return "line " + std::to_string(lineNumber) + ": " + *why;
                headers.push_back(std::get<Header>(std::move(parsed)));
            }
            options.headers = std::move(headers);
            return {};
        });
    changed |= drawField(
        "Origin", origin_, Input::kLine, nullptr, [&] { return options.origin; },
        [&](const std::string& text) -> std::string {
            if (std::string why = checkOrigin(text); !why.empty()) return why;
            options.origin = text;
            return {};
        });
    changed |= drawField(
        "Connect timeout", connectTimeout_, Input::kNumber, "ms",
        [&] { return std::to_string(options.connectTimeout.count()); },
        integerApply(limits::kConnectTimeoutMs, [&](long long value) {
            options.connectTimeout = std::chrono::milliseconds(value);
            return std::string();
        }));
    changed |= drawField(
        "Max message size", maxMessageBytes_, Input::kNumber, "bytes",
        [&] { return std::to_string(options.maxMessageBytes); },
        integerApply(limits::kMaxMessageBytes, [&](long long value) {
            options.maxMessageBytes = static_cast<std::size_t>(value);
            return std::string();
        }));
    changed |= drawSwitch("Compression", options.compression, "offer permessage-deflate", false);
    changed |= drawField(
        "Ping interval", pingInterval_, Input::kNumber, "ms (0: off)",
        [&] { return std::to_string(options.pingInterval.count()); },
        integerApply(limits::kPingIntervalMs, [&](long long value) {
            options.pingInterval = std::chrono::milliseconds(value);
            return std::string();
        }));
    const bool pingsUnanswered = inUse && !inUse->autoPong;
    if (pingsUnanswered) unsafeInUse_.push_back("answer pings");
    changed |= drawSwitch("Answer pings", options.autoPong, "pong the server's pings",
                          pingsUnanswered, "(not answering pings)");
    return changed;
}

bool SettingsPanel::drawReconnect(ReconnectOptions& options) {
    sectionRow("Reconnect");
    bool changed = drawSwitch("Reconnect", options.enabled, "after a drop, with backoff", false);
    changed |= drawField(
        "Min delay", minDelay_, Input::kNumber, "ms",
        [&] { return std::to_string(options.minDelay.count()); },
        integerApply(limits::kReconnectDelayMs, [&](long long value) {
            if (value > options.maxDelay.count())
                return "must not be above the max delay (" +
                       std::to_string(options.maxDelay.count()) + " ms)";
            options.minDelay = std::chrono::milliseconds(value);
            return std::string();
        }));
    changed |= drawField(
        "Max delay", maxDelay_, Input::kNumber, "ms",
        [&] { return std::to_string(options.maxDelay.count()); },
        integerApply(limits::kReconnectDelayMs, [&](long long value) {
            if (value < options.minDelay.count())
                return "must not be below the min delay (" +
                       std::to_string(options.minDelay.count()) + " ms)";
            options.maxDelay = std::chrono::milliseconds(value);
            return std::string();
        }));
    changed |= drawField(
        "Max attempts", maxAttempts_, Input::kNumber, "(0: no limit)",
        [&] { return std::to_string(options.maxAttempts); },
        integerApply(limits::kReconnectAttempts, [&](long long value) {
            options.maxAttempts = static_cast<unsigned>(value);
            return std::string();
        }));
    return changed;
}

bool SettingsPanel::drawTls(TlsOptions& options, const ConnectOptions* inUse) {
    sectionRow("TLS (wss://)");
    const bool certificateUnsafe = inUse && !inUse->tls.verifyCertificate;
    const bool hostnameUnsafe = inUse && !inUse->tls.verifyHostname;
    bool changed = drawSwitch("Verify certificate", options.verifyCertificate,
                              "chain and validity dates", certificateUnsafe);
    changed |= drawSwitch("Verify hostname", options.verifyHostname,
                          "the certificate names the host", hostnameUnsafe);
    if (certificateUnsafe) unsafeInUse_.push_back("verify certificate");
    if (hostnameUnsafe) unsafeInUse_.push_back("verify hostname");

    const Format caFile = [&] { return options.caFile; };
    changed |=
        drawField("CA file", caFile_, Input::kLine, nullptr, caFile, pathApply(options.caFile));
    const Format certFile = [&] { return options.certFile; };
    changed |= drawField("Client certificate", certFile_, Input::kLine, nullptr, certFile,
                         pathApply(options.certFile));
    const Format keyFile = [&] { return options.keyFile; };
    changed |= drawField("Client key", keyFile_, Input::kLine, nullptr, keyFile,
                         pathApply(options.keyFile));
    if (options.certFile.empty() != options.keyFile.empty()) {
        beginRow("");
        showError("Client certificate and key",
                  "a client certificate needs both a certificate and a key file");
    }
    return changed;
}

bool SettingsPanel::drawLooks(Settings& settings) {
    sectionRow("Window");
    beginRow("Theme");
    noteItem("Theme");
    bool changed = false;
    if (ImGui::RadioButton("Dark", settings.theme == Theme::kDark)) {
        changed |= settings.theme != Theme::kDark;
        settings.theme = Theme::kDark;
    }
    noteItem("Dark");
    ImGui::SameLine();
    if (ImGui::RadioButton("Light", settings.theme == Theme::kLight)) {
        changed |= settings.theme != Theme::kLight;
        settings.theme = Theme::kLight;
    }
    noteItem("Light");
    changed |= drawField(
        "Log rows", logRows_, Input::kNumber, "rows",
        [&] { return std::to_string(settings.log.maxRows); },
        integerApply(limits::kLogRows, [&](long long value) {
            settings.log.maxRows = static_cast<std::size_t>(value);
            return std::string();
        }));
    constexpr IntRange kLogMiB{limits::kLogBytes.min >> 20, limits::kLogBytes.max >> 20, "MiB"};
    changed |= drawField(
        "Log size", logMiB_, Input::kNumber, "MiB of messages",
        [&] { return std::to_string(settings.log.maxBytes >> 20); },
        integerApply(kLogMiB, [&](long long value) {
            settings.log.maxBytes = static_cast<std::size_t>(value) << 20;
            return std::string();
        }));
    return changed;
}

}  // namespace wsdemo
