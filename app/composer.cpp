#include "composer.h"

// InputTextEx: the only 1.86 call with a hint for a multi-line input.
#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cstdio>
#include <utility>

#include "fonts.h"
#include "theme.h"
#include "widget_map.h"

namespace wsdemo {

namespace {

bool keyPressed(ImGuiKey key) {
    return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key));
}

}  // namespace

std::optional<SendAction> Composer::draw(bool canSend, std::vector<Snippet>& snippets) {
    // A click on either takes the focus from the input: give it back.
    if (ImGui::RadioButton("Text", !binary_)) {
        binary_ = false;
        focus();
    }
    noteItem("Text");
    ImGui::SameLine();
    if (ImGui::RadioButton("Binary", binary_)) {
        binary_ = true;
        focus();
    }
    noteItem("Binary");
    ImGui::SameLine();
    drawSnippets(snippets);
    ImGui::SameLine();
    drawSaveSnippet(snippets);

    const ImGuiStyle& style = ImGui::GetStyle();
    const float buttonWidth = ImGui::CalcTextSize("Send").x + style.FramePadding.x * 2;
    drawInput(buttonWidth + style.ItemSpacing.x, canSend);
    const bool valid = !binary_ || hex_.error.empty();

    ImGui::SameLine();
    ImGui::BeginDisabled(!canSend || input_.empty() || !valid);
    const bool clicked = ImGui::Button("Send");
    ImGui::EndDisabled();
    noteItem("Send");

    std::optional<SendAction> sent = std::move(sentByEnter_);
    if (clicked) {
        sent = take(input_);
        // The click took the focus from the input, so its text is ours to change.
        if (sent) input_.clear();
        focus();
    }
    if (!valid) ImGui::TextColored(warningColor(themeInUse()), "%s", hex_.error.c_str());
    WidgetMap::current().noteValue("hex error", valid ? "" : hex_.error);
    if (!sendError_.empty())
        ImGui::TextColored(warningColor(themeInUse()), "%s", sendError_.c_str());
    WidgetMap::current().noteValue("send error", sendError_);
    return sent;
}

// The input, as high as its lines up to kMaxVisibleLines, leaving `spaceAfter` on its right.
void Composer::drawInput(float spaceAfter, bool canSend) {
    // Seen before the input handles them: the callback decides with the keys of this frame and
    // the cursor of the last one (Up on the first line recalls; on another line it moves up).
    const ImGuiIO& io = ImGui::GetIO();
    const bool arrowsMove = !io.KeyShift && !io.KeyCtrl && !io.KeyAlt;
    sendKey_ = (keyPressed(ImGuiKey_Enter) || keyPressed(ImGuiKey_KeyPadEnter)) && !io.KeyShift;
    upKey_ = arrowsMove && keyPressed(ImGuiKey_UpArrow);
    downKey_ = arrowsMove && keyPressed(ImGuiKey_DownArrow);
    canSend_ = canSend;
    sentByEnter_.reset();

    const ImGuiStyle& style = ImGui::GetStyle();
    const auto lines = static_cast<int>(std::count(input_.begin(), input_.end(), '\n')) + 1;
    const float height =
        static_cast<float>(std::min(lines, kMaxVisibleLines)) * ImGui::GetTextLineHeight() +
        style.FramePadding.y * 2;
    // Escape leaves the input. Dear ImGui would also revert the text to what it held when the
    // input took the focus, possibly a whole draft ago: the draft stays instead.
    const bool escape = inputActive_ && keyPressed(ImGuiKey_Escape);
    std::string beforeEscape = escape ? input_ : std::string();
    if (focusInput_) {
        ImGui::SetKeyboardFocusHere();
        focusInput_ = false;
    }
    ImGui::InputTextEx(
        "##Message", binary_ ? "Hex bytes, e.g. 48 69" : "Send a message", input_.data(),
        static_cast<int>(input_.capacity()) + 1, ImVec2(-spaceAfter, height),
        // _Multiline is from imgui_internal.h's enum: combined as ImGuiInputTextFlags (int).
        ImGuiInputTextFlags{ImGuiInputTextFlags_Multiline} | ImGuiInputTextFlags_CallbackResize |
            ImGuiInputTextFlags_CallbackAlways | ImGuiInputTextFlags_CallbackCharFilter,
        onInputEvent, this);
    noteItem("Message");
    inputActive_ = ImGui::IsItemActive();
    if (escape && !inputActive_) input_ = std::move(beforeEscape);
    // Each frame: typed hex is short, and frames come only on input or news.
    if (binary_) hex_ = parseHexInput(input_);
}

void Composer::onSendResult(SendResult result) {
    sendError_ = result == SendResult::kQueued ? "" : std::string("Not sent: ") + toString(result);
}

int Composer::onInputEvent(ImGuiInputTextCallbackData* data) {
    auto& self = *static_cast<Composer*>(data->UserData);
    switch (data->EventFlag) {
        case ImGuiInputTextFlags_CallbackResize:  // As imgui_stdlib does for std::string.
            self.input_.resize(static_cast<std::size_t>(data->BufTextLen));
            data->Buf = self.input_.data();
            return 0;
        case ImGuiInputTextFlags_CallbackCharFilter:
            // Enter without Shift sends: its new line is not typed. Pasted lines still are.
            return data->EventChar == '\n' && self.sendKey_ ? 1 : 0;
        default:
            self.onInputActive(data);
            return 0;
    }
}

// Each frame the input is active, after it handled the keys: send, recall, note the cursor.
void Composer::onInputActive(ImGuiInputTextCallbackData* data) {
    if (sendKey_) {
        sentByEnter_ = take(std::string(data->Buf, static_cast<std::size_t>(data->BufTextLen)));
        if (sentByEnter_) data->DeleteChars(0, data->BufTextLen);
    } else if (upKey_ && cursorOnFirstLine_) {
        recall(data, true);
    } else if (downKey_ && cursorOnLastLine_) {
        recall(data, false);
    }
    const std::string_view text(data->Buf, static_cast<std::size_t>(data->BufTextLen));
    cursor_ = static_cast<std::size_t>(data->CursorPos);
    cursorOnFirstLine_ = text.substr(0, cursor_).find('\n') == std::string_view::npos;
    cursorOnLastLine_ = text.substr(cursor_).find('\n') == std::string_view::npos;
}

// Up (older) or Down (newer) through the messages sent, as a shell does: the first Up keeps
// the draft, which Down past the newest brings back. Returns false at either end.
bool Composer::recall(ImGuiInputTextCallbackData* data, bool older) {
    if (older ? historyPosition_ == 0 : historyPosition_ == history_.size()) return false;
    if (older && historyPosition_ == history_.size())
        draft_ = {std::string(data->Buf, static_cast<std::size_t>(data->BufTextLen)), binary_};
    historyPosition_ = older ? historyPosition_ - 1 : historyPosition_ + 1;
    const Draft& shown = historyPosition_ == history_.size() ? draft_ : history_[historyPosition_];
    binary_ = shown.binary;
    data->DeleteChars(0, data->BufTextLen);
    data->InsertChars(0, shown.text.data(), shown.text.data() + shown.text.size());
    return true;
}

// The message `text` makes in the current mode, if it may go: not empty, valid hex in Binary,
// and the channel would take it. Remembered for Up and Down.
std::optional<SendAction> Composer::take(const std::string& text) {
    if (!canSend_) return std::nullopt;
    std::optional<SendAction> action = message(text);
    if (!action) return std::nullopt;
    remember({text, binary_});
    sendError_.clear();
    focus();
    return action;
}

// The message `text` makes in the current mode: not empty, valid hex in Binary.
std::optional<SendAction> Composer::message(const std::string& text) const {
    if (text.empty()) return std::nullopt;
    if (!binary_) return SendAction{Message::Type::kText, originalText(text)};  // U+10000 up.
    HexParse parse = parseHexInput(text);
    if (!parse.error.empty()) return std::nullopt;
    return SendAction{Message::Type::kBinary, std::move(parse.bytes)};
}

std::optional<TimerRequest> Composer::drawTimer(const TimedSender* timer, bool canStart,
                                                SteadyClock::time_point now) {
    const bool running = timer && timer->running();
    const float numberWidth = ImGui::GetFontSize() * 5;
    ImGui::BeginDisabled(running);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Every");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(numberWidth);
    ImGui::InputDouble("s##every", &everySeconds_, 0, 0, "%g");
    noteItem("Every");
    ImGui::SameLine();
    ImGui::TextUnformatted("Times");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(numberWidth);
    ImGui::InputInt("##times", &times_, 0, 0);
    noteItem("Times");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("0: until stopped");
    ImGui::EndDisabled();
    ImGui::SameLine();

    std::optional<TimerRequest> request;
    const std::string problem = timerProblem();
    const bool validInput = !input_.empty() && (!binary_ || hex_.error.empty());
    if (running) {
        if (ImGui::Button("Stop timer")) request = TimerRequest{};
        noteItem("Stop timer");
    } else {
        ImGui::BeginDisabled(!canStart || !validInput || !problem.empty());
        const std::optional<SendAction> next =
            ImGui::Button("Start timer") ? message(input_) : std::nullopt;
        if (next) {
            const auto every = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::duration<double>(everySeconds_));
            std::optional<uint64_t> times;
            if (times_ > 0) times = static_cast<uint64_t>(times_);
            request = TimerRequest{TimedSender::Plan{next->data, every, times}, next->type};
        }
        ImGui::EndDisabled();
        noteItem("Start timer");
        if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
            ImGui::SetTooltip("Sends the message above at intervals while connected");
    }
    std::string status = problem;
    if (status.empty() && timer) {
        status = "timed: " + std::to_string(timer->count());
        if (timer->plan().times) status += " of " + std::to_string(*timer->plan().times);
        status += " sent";
        if (const auto due = timer->nextDue()) {
            char next[48];
            std::snprintf(next, sizeof next, ", next in %.1f s",
                          std::max(0.0, std::chrono::duration<double>(*due - now).count()));
            status += next;
        } else {
            status += timer->done() ? ", done" : ", stopped";
        }
    }
    ImGui::SameLine();
    if (problem.empty())
        ImGui::TextDisabled("%s", status.c_str());
    else
        ImGui::TextColored(warningColor(themeInUse()), "%s", status.c_str());
    WidgetMap::current().noteValue("timer", status);
    return request;
}

// Why the timer's numbers cannot start it, or empty.
std::string Composer::timerProblem() const {
    if (!(everySeconds_ >= kMinEverySeconds && everySeconds_ <= kMaxEverySeconds))
        return "every 0.01 to 86400 s";
    if (times_ < 0 || times_ > kMaxTimes) return "0 to 1000000 times";
    return {};
}

void Composer::remember(Draft sent) {
    historyPosition_ = history_.size();  // A send ends any browsing; the draft was sent.
    draft_ = {};
    if (sent.text.size() > kHistoryBytes) return;
    historyBytes_ += sent.text.size();
    history_.push_back(std::move(sent));
    while (history_.size() > kHistoryMessages || historyBytes_ > kHistoryBytes) {
        historyBytes_ -= history_.front().text.size();
        history_.pop_front();
    }
    historyPosition_ = history_.size();
}

void Composer::drawSnippets(std::vector<Snippet>& snippets) {
    if (ImGui::Button("Snippets")) ImGui::OpenPopup("##snippet list");
    noteItem("Snippets");
    if (!ImGui::BeginPopup("##snippet list")) return;
    if (snippets.empty()) ImGui::TextDisabled("None yet: type a message, then Save as snippet");
    for (std::size_t i = 0; i < snippets.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        const bool remove = ImGui::SmallButton("Delete");
        noteItem("Delete snippet " + snippets[i].name);
        ImGui::SameLine();
        if (ImGui::Selectable(snippets[i].name.c_str())) insert(snippets[i]);  // Closes the list.
        noteItem("Snippet " + snippets[i].name);
        ImGui::PopID();
        if (remove) snippets.erase(snippets.begin() + static_cast<std::ptrdiff_t>(i--));
    }
    ImGui::EndPopup();
}

// Same kind: at the cursor, as typing it would. Another kind: instead of the draft, since text
// and hex do not mix.
void Composer::insert(const Snippet& snippet) {
    const std::string body = editableText(snippet.body);
    if (snippet.binary == binary_)
        input_.insert(std::min(cursor_, input_.size()), body);
    else
        input_ = body;
    binary_ = snippet.binary;
    cursor_ = input_.size();
    focus();
}

void Composer::drawSaveSnippet(std::vector<Snippet>& snippets) {
    ImGui::BeginDisabled(input_.empty());
    if (ImGui::Button("Save as snippet")) {
        ImGui::OpenPopup("##save snippet");
        snippetError_.clear();
    }
    ImGui::EndDisabled();
    noteItem("Save as snippet");
    if (!ImGui::BeginPopup("##save snippet")) return;
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
    const bool enter = ImGui::InputTextWithHint("##name", "Snippet name", &snippetName_,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
    noteItem("Snippet name");
    const auto existing = std::find_if(snippets.begin(), snippets.end(),
                                       [&](const Snippet& s) { return s.name == snippetName_; });
    if (existing != snippets.end()) ImGui::TextDisabled("Replaces the snippet of that name");
    ImGui::BeginDisabled(snippetName_.empty());
    const bool save = ImGui::Button("Save") || (enter && !snippetName_.empty());
    ImGui::EndDisabled();
    noteItem("Save snippet");
    ImGui::SameLine();
    const bool cancel = ImGui::Button("Cancel");
    if (save) {
        if (input_.size() > kMaxSnippetBytes)
            snippetError_ = "A snippet holds at most 1 MiB; this message is " +
                            std::to_string(input_.size()) + " bytes";
        else if (existing == snippets.end() && snippets.size() >= kMaxSnippets)
            snippetError_ = "At most 100 snippets: delete one first";
        else if (existing != snippets.end())
            *existing = {snippetName_, originalText(input_), binary_};
        else
            snippets.push_back({snippetName_, originalText(input_), binary_});
    }
    if (!snippetError_.empty())
        ImGui::TextColored(warningColor(themeInUse()), "%s", snippetError_.c_str());
    WidgetMap::current().noteValue("snippet error", snippetError_);
    if ((save && snippetError_.empty()) || cancel) {
        snippetName_.clear();
        ImGui::CloseCurrentPopup();
        focus();
    }
    ImGui::EndPopup();
}

}  // namespace wsdemo
