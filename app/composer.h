// The composer: the cookbook's input (hint "Send a message") and Send button, grown into what a
// person debugging a server types with. Enter sends, Shift+Enter adds a line (the input grows to
// kMaxVisibleLines, then scrolls); Text or Binary (typed as hex, checked as typed); Up and Down
// recall the messages sent, as a shell does; saved snippets. Plain Dear ImGui calls: drawn
// into the current window by the App, tested headless.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "actions.h"
#include "hex_input.h"
#include "settings.h"
#include "timed_sender.h"
#include "wsdemo/channel.h"

struct ImGuiInputTextCallbackData;

namespace wsdemo {

// What the timer's controls ask: start sending a message at intervals, or stop.
struct TimerRequest {
    std::optional<TimedSender::Plan> start;     // Empty: stop the timer.
    Message::Type type = Message::Type::kText;  // Of the plan's message.
};

class Composer {
public:
    static constexpr int kMaxVisibleLines = 5;
    // What Up and Down recall: the newest messages sent, within both bounds (a larger message
    // is sent but not kept).
    static constexpr std::size_t kHistoryMessages = 100;
    static constexpr std::size_t kHistoryBytes = 8u << 20;
    // Snippets persist in the settings file: bounded in count and in size.
    static constexpr std::size_t kMaxSnippets = 100;
    static constexpr std::size_t kMaxSnippetBytes = 1u << 20;
    // A timer's interval, and how many times it may send.
    static constexpr double kMinEverySeconds = 0.01, kMaxEverySeconds = 86400;
    static constexpr int kMaxTimes = 1'000'000;

    // canSend: the channel would queue a message (connecting, open, or a reconnect is due).
    // While it would not, the input stays editable but Enter and Send do nothing.
    // snippets: the settings' snippets, which the panel inserts, adds and deletes in place.
    std::optional<SendAction> draw(bool canSend, std::vector<Snippet>& snippets);
    // What the channel said to the last SendAction: a refusal stays on screen, in red, until
    // the next send.
    void onSendResult(SendResult result);
    // The timer under the input: Every (seconds), Times (0: until stopped), Start timer or Stop
    // timer, and how far `timer` (the App's, or null) got by `now`. Start takes the message in
    // the input; canStart: the connection is open.
    std::optional<TimerRequest> drawTimer(const TimedSender* timer, bool canStart,
                                          SteadyClock::time_point now);
    // Puts the keyboard focus in the input (it is there at start, and after each send).
    void focus() { focusInput_ = true; }

private:
    struct Draft {
        std::string text;
        bool binary = false;
    };

    void drawInput(float spaceAfter, bool canSend);
    static int onInputEvent(ImGuiInputTextCallbackData* data);
    void onInputActive(ImGuiInputTextCallbackData* data);
    bool recall(ImGuiInputTextCallbackData* data, bool older);
    std::optional<SendAction> take(const std::string& text);
    std::optional<SendAction> message(const std::string& text) const;
    std::string timerProblem() const;
    void remember(Draft sent);
    void drawSnippets(std::vector<Snippet>& snippets);
    void drawSaveSnippet(std::vector<Snippet>& snippets);
    void insert(const Snippet& snippet);

    std::string input_;
    bool binary_ = false;
    HexParse hex_{{}, {}, 0};  // Of input_ in Binary mode.
    std::string sendError_;
    bool focusInput_ = true;
    bool inputActive_ = false;  // In the last frame.

    // Keys seen before the input drew this frame, and what the input's last callback saw.
    bool sendKey_ = false, upKey_ = false, downKey_ = false, canSend_ = false;
    bool cursorOnFirstLine_ = true, cursorOnLastLine_ = true;
    std::size_t cursor_ = 0;  // Byte offset in input_, where a snippet goes.
    std::optional<SendAction> sentByEnter_;

    std::deque<Draft> history_;  // Oldest first.
    std::size_t historyBytes_ = 0;
    std::size_t historyPosition_ = 0;  // history_.size(): the draft, not a recalled message.
    Draft draft_;                      // Kept while Up and Down browse the history.

    std::string snippetName_;
    std::string snippetError_;

    double everySeconds_ = 1.0;
    int times_ = 0;  // 0: until stopped.
};

}  // namespace wsdemo
