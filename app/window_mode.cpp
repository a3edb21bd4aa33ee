// The window: Dear ImGui over GLFW and OpenGL 3.3, laid out like Dear ImGui's
// example_glfw_opengl3 (Setup / Main loop / Rendering / Cleanup). What it draws is the App's
// (app.h); this file owns the window, the fonts, the channel, the embedded echo server and the
// settings file, and carries out the actions the App's panels ask for.
#include <glad/gl.h>  // Before GLFW, so GLFW does not include the system GL header.

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>

#include "app.h"
#include "draw_stats.h"
#include "fonts.h"
#include "modes.h"
#include "recording_files.h"
#include "redraw_schedule.h"
#include "replay_run.h"
#include "settings_store.h"
#include "startup.h"
#include "theme.h"
#include "widget_map.h"
#include "window_icon.h"
#include "wsdemo/channel.h"

namespace wsdemo {

namespace {

using Clock = std::chrono::steady_clock;

std::string lastGlfwError;  // Main thread only: GLFW reports errors on the calling thread.

void onGlfwError(int code, const char* description) {
    lastGlfwError = std::string(description) + " (GLFW error " + std::to_string(code) + ")";
}

// The window is gone by then: a server that does not answer our close frame within this is
// dropped, so the process ends within a second of the window closing.
constexpr std::chrono::milliseconds kCloseTimeout{500};

// One display refresh, the shortest time between two frames; 60 Hz where the monitor does not
// say.
Clock::duration refreshPeriod() {
    const GLFWvidmode* mode = glfwGetVideoMode(glfwGetPrimaryMonitor());
    const int hertz = mode && mode->refreshRate > 0 ? mode->refreshRate : 60;
    return std::chrono::duration_cast<Clock::duration>(std::chrono::seconds(1)) / hertz;
}

// What the GLFW callbacks reach through the window's user pointer (main thread only).
struct WindowEvents {
    RedrawScheduler* scheduler;
    std::optional<float> newContentScale;  // The window moved to a monitor with another scale.
    std::vector<int> keysPressed;          // Since the last frame, in order.
    bool minimised = false;                // As the iconify callback last said.
};

// Dear ImGui 1.86 samples io.KeysDown once a frame: a key pressed and released between two
// frames (a quick tap on a slow frame, xdotool's key) would never be seen. Each key pressed
// since the last frame is down for the next one, and released after it if it is up by then.
class KeyTaps {
public:
    // Before NewFrame.
    void hold(ImGuiIO& io, WindowEvents& events) {
        requeueDeferred(io);
        bool modifierHeld = false;
        for (const int key : events.keysPressed)
            if (key >= 0 && key < static_cast<int>(IM_ARRAYSIZE(io.KeysDown)) &&
                !io.KeysDown[key]) {
                io.KeysDown[key] = true;
                released_.push_back(key);
                modifierHeld |= isCommandModifier(key);
            }
        events.keysPressed.clear();
        updateModifiers(io);
        // A chord tapped between two frames (Ctrl+A, then typing): Dear ImGui drops characters
        // while Ctrl is down, and it is down for this frame only. They wait for the next.
        if (modifierHeld) {
            deferred_.assign(io.InputQueueCharacters.begin(), io.InputQueueCharacters.end());
            io.InputQueueCharacters.resize(0);
        }
    }
    // After the frame; true when a key was let go or characters wait, which needs a frame.
    bool release(ImGuiIO& io, GLFWwindow* window) {
        bool any = !deferred_.empty();
        for (const int key : released_)
            if (glfwGetKey(window, key) == GLFW_RELEASE) {
                io.KeysDown[key] = false;
                any = true;
            }
        released_.clear();
        updateModifiers(io);
        return any;
    }

private:
    static bool isCommandModifier(int key) {
        return key == GLFW_KEY_LEFT_CONTROL || key == GLFW_KEY_RIGHT_CONTROL ||
               key == GLFW_KEY_LEFT_ALT || key == GLFW_KEY_RIGHT_ALT ||
               key == GLFW_KEY_LEFT_SUPER || key == GLFW_KEY_RIGHT_SUPER;
    }
    // As the GLFW backend sets them in its key callback, from the keys down now.
    static void updateModifiers(ImGuiIO& io) {
        io.KeyCtrl = io.KeysDown[GLFW_KEY_LEFT_CONTROL] || io.KeysDown[GLFW_KEY_RIGHT_CONTROL];
        io.KeyShift = io.KeysDown[GLFW_KEY_LEFT_SHIFT] || io.KeysDown[GLFW_KEY_RIGHT_SHIFT];
        io.KeyAlt = io.KeysDown[GLFW_KEY_LEFT_ALT] || io.KeysDown[GLFW_KEY_RIGHT_ALT];
        io.KeySuper = io.KeysDown[GLFW_KEY_LEFT_SUPER] || io.KeysDown[GLFW_KEY_RIGHT_SUPER];
    }
    // Characters held back from the last frame go before those typed since.
    void requeueDeferred(ImGuiIO& io) {
        if (deferred_.empty()) return;
        deferred_.insert(deferred_.end(), io.InputQueueCharacters.begin(),
                         io.InputQueueCharacters.end());
        io.InputQueueCharacters.resize(0);
        for (const ImWchar c : deferred_) io.InputQueueCharacters.push_back(c);
        deferred_.clear();
    }

    std::vector<int> released_;      // Held for this frame, though already up.
    std::vector<ImWchar> deferred_;  // Typed after a chord, for the next frame.
};

void redraw(GLFWwindow* window) {
    static_cast<WindowEvents*>(glfwGetWindowUserPointer(window))->scheduler->onInput();
}

// Installed before Dear ImGui's backend, which calls them from its own (it chains to the
// callbacks it finds), so every input and window event asks for frames.
void installRedrawCallbacks(GLFWwindow* window, WindowEvents& events) {
    glfwSetWindowUserPointer(window, &events);
    glfwSetCursorPosCallback(window, [](GLFWwindow* w, double, double) { redraw(w); });
    glfwSetCursorEnterCallback(window, [](GLFWwindow* w, int) { redraw(w); });
    glfwSetMouseButtonCallback(window, [](GLFWwindow* w, int, int, int) { redraw(w); });
    glfwSetScrollCallback(window, [](GLFWwindow* w, double, double) { redraw(w); });
    glfwSetKeyCallback(window, [](GLFWwindow* w, int key, int, int action, int) {
        if (action == GLFW_PRESS)
            static_cast<WindowEvents*>(glfwGetWindowUserPointer(w))->keysPressed.push_back(key);
        redraw(w);
    });
    glfwSetCharCallback(window, [](GLFWwindow* w, unsigned int) { redraw(w); });
    glfwSetWindowFocusCallback(window, [](GLFWwindow* w, int) { redraw(w); });
    glfwSetWindowRefreshCallback(window, redraw);
    glfwSetFramebufferSizeCallback(window, [](GLFWwindow* w, int, int) { redraw(w); });
    glfwSetWindowIconifyCallback(window, [](GLFWwindow* w, int iconified) {
        static_cast<WindowEvents*>(glfwGetWindowUserPointer(w))->minimised = iconified;
        redraw(w);
    });
    glfwSetWindowContentScaleCallback(window, [](GLFWwindow* w, float xScale, float) {
        static_cast<WindowEvents*>(glfwGetWindowUserPointer(w))->newContentScale = xScale;
        redraw(w);
    });
}

// What the connection came to by the time the user closed the window (see runWindow).
int exitStatusAtClose(const ChannelStatus& status, bool reconnectDue) {
    const bool failed = status.state == ReadyState::kClosed && !reconnectDue &&
                        (status.failure != FailureStage::kNone ||
                         (status.closeCode != 0 && status.closeCode != CloseCode::kNormal));
    return failed ? ExitStatus::kFailure : ExitStatus::kOk;
}

bool inputHeld(const ImGuiIO& io) {
    const auto down = [](bool isDown) { return isDown; };
    return std::any_of(std::begin(io.KeysDown), std::end(io.KeysDown), down) ||
           std::any_of(std::begin(io.MouseDown), std::end(io.MouseDown), down);
}

// Text the next frames may draw, so the fonts have its glyphs by then.
void noteEventText(FontManager& fonts, const ChannelEvent& event) {
    if (const auto* received = std::get_if<MessageReceived>(&event.what)) {
        if (received->message->type == Message::Type::kText)
            fonts.noteText(received->message->data);
    } else if (const auto* sent = std::get_if<MessageSent>(&event.what)) {
        if (sent->message->type == Message::Type::kText) fonts.noteText(sent->message->data);
    } else if (const auto* changed = std::get_if<StateChanged>(&event.what)) {
        fonts.noteText(changed->status.closeReason);
        fonts.noteText(changed->status.error);
    }
}

// A wider atlas is built on a worker while frames go on with the current one (a rebuild takes
// longer than a frame); once built, it is swapped in between two frames and given to the GPU.
// Whether it swapped one in.
bool updateFonts(FontManager& fonts, WakeLatch& wake) {
    if (fonts.rebuildDue()) fonts.startBuild([&wake] { wake.notify(); });
    ImFontAtlas* atlas = fonts.finishBuild();
    if (!atlas) return false;
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui::GetIO().Fonts = atlas;
    ImGui_ImplOpenGL3_CreateFontsTexture();
    return true;
}

// Text pasted into Dear ImGui's 16-bit inputs keeps its characters above U+FFFF, as the slots
// the composer turns back on Send (FontManager::editable). Copying out is left alone: the log's
// Copy puts a peer's message on the clipboard byte for byte.
struct PasteMapping {
    const char* (*get)(void*) = nullptr;
    void* userData = nullptr;
    std::string pasted;  // What the last paste returned; Dear ImGui reads it at once.
};
PasteMapping pasteMapping;  // Main thread only, as the clipboard is.

void installPasteMapping(ImGuiIO& io) {
    pasteMapping.get = io.GetClipboardTextFn;
    pasteMapping.userData = io.ClipboardUserData;
    io.GetClipboardTextFn = [](void*) -> const char* {
        const char* text = pasteMapping.get(pasteMapping.userData);
        if (!text) return nullptr;
        pasteMapping.pasted = editableText(text);
        return pasteMapping.pasted.c_str();
    };
}

// What the GUI tests read off the window besides the panels' widgets.
void noteWindowValues(GLFWwindow* window, const FontManager& fonts) {
    int width, height;
    glfwGetWindowSize(window, &width, &height);
    WidgetMap& map = WidgetMap::current();
    map.noteValue("window", std::to_string(width) + "x" + std::to_string(height));
    map.noteValue("missing glyphs", std::to_string(fonts.missingCount()));
    map.noteValue("font scale", std::to_string(fonts.scale()));
}

// The widget map of the last frame, for tests that drive the window (tests/gui): written to
// the file WSDEMO_WIDGET_MAP names, atomically, when it changed.
class WidgetMapFile {
public:
    WidgetMapFile() {
        if (const char* path = std::getenv("WSDEMO_WIDGET_MAP")) path_ = path;
    }
    void update() {
        if (path_.empty()) return;
        std::string json = WidgetMap::current().toJson();
        if (json == written_) return;
        const std::string temporary = path_ + ".tmp";
        std::ofstream(temporary, std::ios::trunc) << json;
        if (std::rename(temporary.c_str(), path_.c_str()) == 0) written_ = std::move(json);
    }

private:
    std::string path_;
    std::string written_;
};

// The embedded echo server (started on demand) and the channel: what actions act on.
struct Session {
    const CommandLine& command;
    Channel& channel;
    App& app;
    std::unique_ptr<EchoServer>& echoServer;
    WakeLatch& wake;
    RecordingFiles& files;
    std::shared_ptr<const MockRules> mockRules;  // The Mock panel's, for any echo server.

    void connect(const std::string& url, const ConnectOptions& options) {
        channel.connect(url, options);
        app.onConnect(url, options);
        if (std::string notice = securityNotice(options.tls, url); !notice.empty())
            app.addNotice(std::move(notice));
    }

    void carryOut(Action action) {
        std::visit([this](auto&& request) { handle(std::move(request)); }, std::move(action));
    }
    void handle(ConnectAction request) { connect(request.url, app.settings().connect); }
    void handle(UseEchoServerAction) {
        if (!echoServer) {
            try {
                echoServer = startEmbeddedServer(command, mockRules);
            } catch (const std::runtime_error& error) {
                app.addNotice(std::string("Echo server: ") + error.what());
                return;
            }
        }
        connect(echoServer->url(), app.settings().connect);
    }
    void handle(DisconnectAction request) {
        try {
            if (request.unchecked)
                channel.disconnectUnchecked(request.code, std::move(request.reason));
            else
                channel.disconnect(request.code, std::move(request.reason));
        } catch (const std::invalid_argument& error) {  // The close panel checks first.
            app.addNotice(std::string("Not closed: ") + error.what());
        }
    }
    void handle(SendAction request) {
        app.onMessageSendResult(request.type == Message::Type::kText
                                    ? channel.send(std::move(request.data))
                                    : channel.sendBinary(std::move(request.data)),
                                request.timed);
    }
    void handle(ReplayStepsAction request) {
        std::vector<SendResult> results;
        for (const MessagePtr& step : request.steps) {
            results.push_back(sendStep(channel, *step));
            if (results.back() != SendResult::kQueued) break;  // The rest wait, in order.
        }
        app.onReplayStepResults(results);
    }
    void handle(PingAction request) { app.onSendResult(channel.ping(std::move(request.payload))); }
    void handle(PongAction request) { app.onSendResult(channel.pong(std::move(request.payload))); }
    void handle(SetMockRulesAction request) {
        mockRules = std::move(request.rules);
        if (echoServer) echoServer->setRules(mockRules);
    }

    // Record tab: files are read and written on a thread of their own (see RecordingFiles),
    // and what is done is shown by takeFileDone().
    void handle(SaveRecordingAction request) {
        std::vector<RecordedEvent> events = app.recordingToSave(request.scope);
        const std::size_t count = events.size();
        if (files.save(request.path, std::move(events), WSDEMO_VERSION, [this] { wake.notify(); }))
            app.onRecordingSaving(request.path, count);
        else
            app.onRecordingSaved(request.path, 0, "Not saved: still " + files.underWay());
    }
    void handle(OpenRecordingAction request) {
        if (!files.open(std::move(request.path), app.settings().log.forRecordings(),
                        [this] { wake.notify(); }))
            app.onRecordingOpenFailed("still " + files.underWay());
    }
    void handle(ReplayConnectAction request) { connect(request.url, request.options); }
    // True when a file was read or written: it is news for a frame.
    bool takeFileDone(FontManager& fonts) {
        auto done = files.take();
        if (!done) return false;
        if (auto* saved = std::get_if<RecordingFiles::Saved>(&*done)) {
            app.onRecordingSaved(saved->path, saved->events, saved->error);
            return true;
        }
        auto& opened = std::get<RecordingFiles::Opened>(*done);
        if (auto* read = std::get_if<RecordingRead>(&opened.read)) {
            for (const RecordedEvent& event : read->events)
                if (event.message && event.message->type == Message::Type::kText)
                    fonts.noteText(event.message->data);
            app.showRecording(opened.path, std::move(*read));
        } else {
            app.onRecordingOpenFailed(std::get<std::string>(opened.read));
        }
        return true;
    }
};

void saveSettings(const SettingsStore& store, App& app) {
    if (std::string error = store.save(app.settings()); !error.empty())
        app.addNotice("Settings not saved: " + error);
}

void rememberPlacement(GLFWwindow* window, Settings& settings) {
    WindowPlacement& placement = settings.window;
    glfwGetWindowPos(window, &placement.x, &placement.y);
    glfwGetWindowSize(window, &placement.width, &placement.height);
    placement.known = true;
}

// The default size, scaled to the monitor, may not fit on it (960x720 at scale 2 on a 1280x900
// screen): then it takes the work area.
void fitToWorkArea(GLFWwindow* window) {
    int x, y, areaWidth, areaHeight, width, height;
    glfwGetMonitorWorkarea(glfwGetPrimaryMonitor(), &x, &y, &areaWidth, &areaHeight);
    glfwGetWindowSize(window, &width, &height);
    if (areaWidth <= 0 || areaHeight <= 0) return;  // The monitor does not say.
    if (width > areaWidth || height > areaHeight)
        glfwSetWindowSize(window, std::min(width, areaWidth), std::min(height, areaHeight));
}

// The window with an OpenGL 3.3 context, current, where the settings last saw it; nullptr after
// saying why on stderr.
GLFWwindow* openWindow(const WindowPlacement& placement) {
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);  // The default size, in points.
    // WM_CLASS, which desktops match to wsdemo.desktop's StartupWMClass for its icon and name.
    glfwWindowHintString(GLFW_X11_CLASS_NAME, "wsdemo");
    glfwWindowHintString(GLFW_X11_INSTANCE_NAME, "wsdemo");
    GLFWwindow* window =
        glfwCreateWindow(placement.width, placement.height, "WebSocket Demo", nullptr, nullptr);
    if (!window) {
        std::fprintf(stderr, "wsdemo: cannot create an OpenGL 3.3 window: %s\n",
                     lastGlfwError.c_str());
        return nullptr;
    }
    setWindowIcon(window);
    if (placement.known) {
        glfwSetWindowSize(window, placement.width, placement.height);
        glfwSetWindowPos(window, placement.x, placement.y);
    } else {
        fitToWorkArea(window);
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    if (!gladLoadGL(glfwGetProcAddress)) {
        std::fprintf(stderr, "wsdemo: cannot load the OpenGL 3.3 functions\n");
        glfwDestroyWindow(window);
        return nullptr;
    }
    return window;
}

void configureInput(ImGuiIO& io) {
    io.IniFilename = nullptr;  // The settings file remembers the layout (settings_store.h).
    // A blinking cursor would need two frames a second for as long as the input has the focus,
    // which is always: a steady one costs nothing.
    io.ConfigInputTextCursorBlink = false;
    // Dear ImGui 1.86's Tab moves between text inputs only: the arrow keys and Space reach
    // every button.
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
}

// Waits for events until a redraw is due: input, news from the channel, or the App's own tick.
// True when it is due now; false when an event came first (the caller looks again).
// Minimised, only what is sent counts: ticks for the screen would wake it for nothing.
bool waitForRedraw(const RedrawScheduler& scheduler, const WakeLatch& wake, const App& app,
                   const ImGuiIO& io, bool minimised) {
    auto due = scheduler.nextRedraw(wake.pending(), inputHeld(io));
    const auto tick = minimised ? app.nextSendDue() : app.nextTick(Clock::now());
    if (tick) due = due ? std::min(*due, *tick) : tick;
    if (!due) {
        glfwWaitEvents();
        return false;
    }
    const auto wait = *due - Clock::now();
    if (wait <= Clock::duration::zero()) return true;
    glfwWaitEventsTimeout(std::chrono::duration<double>(wait).count());
    return false;
}

// The channel's news since the last frame, to the fonts (glyphs to bake) and the App, counting
// the messages received; true when it is worth a frame (App::onEvents).
bool takeNews(Channel& channel, App& app, FontManager& fonts, std::uint64_t& received) {
    const std::vector<ChannelEvent> events = channel.drainEvents();
    for (const ChannelEvent& event : events) {
        noteEventText(fonts, event);
        received += std::holds_alternative<MessageReceived>(event.what);
    }
    return app.onEvents(events);
}

// Rendering: the frame's draw data onto the window's background.
void render(GLFWwindow* window) {
    ImGui::Render();
    int width, height;
    glfwGetFramebufferSize(window, &width, &height);
    glViewport(0, 0, width, height);
    // The App's background (it draws none itself, see App::frame).
    const ImVec4& background = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(background.x, background.y, background.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    glfwSwapBuffers(window);
}

}  // namespace

int runWindow(const CommandLine& command) {
    // Setup: the settings; the embedded echo server (unless a URL was given) starts while the
    // window is created.
    const SettingsStore store(configDirectory());
    LoadResult loaded = store.load();
    const auto mockRules = storedMockRules(loaded.settings.mockRules);
    auto targetStarted = std::async(
        std::launch::async, [&command, mockRules] { return startTarget(command, mockRules); });

    glfwSetErrorCallback(onGlfwError);
    if (!glfwInit()) {
        std::fprintf(stderr,
                     "wsdemo: cannot open a window: %s. Use --headless, or run under xvfb-run.\n",
                     lastGlfwError.c_str());
        return ExitStatus::kFailure;
    }
    // The fonts are found and baked while the window is created.
    float contentScale = 1.0f;
    glfwGetMonitorContentScale(glfwGetPrimaryMonitor(), &contentScale, nullptr);
    auto fontsBuilt = std::async(std::launch::async, [contentScale] {
        auto built = std::make_unique<FontManager>(contentScale);
        built->build();
        return built;
    });
    GLFWwindow* window = openWindow(loaded.settings.window);
    if (!window) {
        glfwTerminate();
        return ExitStatus::kFailure;
    }

    std::optional<Target> target = targetStarted.get();
    const std::unique_ptr<FontManager> fonts = fontsBuilt.get();
    if (!target) {  // startTarget said why.
        glfwDestroyWindow(window);
        glfwTerminate();
        return ExitStatus::kFailure;
    }
    IMGUI_CHECKVERSION();
    ImGui::CreateContext(&fonts->atlas());  // The manager owns the atlas; it outlives the context.
    ImGuiIO& io = ImGui::GetIO();
    configureInput(io);
    glfwGetWindowContentScale(window, &contentScale, nullptr);
    fonts->setScale(contentScale);  // Another monitor's scale: rebuilt before the first frame.
    Theme theme = loaded.settings.theme;
    applyStyle(theme, contentScale);
    RedrawScheduler scheduler(refreshPeriod(), std::chrono::duration_cast<Clock::duration>(
                                                   std::chrono::duration<float>(io.KeyRepeatRate)));
    WindowEvents windowEvents{&scheduler, std::nullopt, {}};
    KeyTaps keyTaps;
    installRedrawCallbacks(window, windowEvents);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    installPasteMapping(io);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    // One channel for the window's life. glfwPostEmptyEvent is safe from any thread and wakes
    // glfwWaitEvents*.
    WakeLatch wake(glfwPostEmptyEvent);
    ChannelLimits limits;
    limits.closeTimeout = kCloseTimeout;
    auto channel = std::make_unique<Channel>([&wake] { wake.notify(); }, limits);
    RecordingFiles files;  // Its jobs wake the loop through `wake`.
    App app(std::move(loaded.settings), target->url);
    if (!loaded.problem.empty()) app.addNotice(loaded.problem);
    if (!fonts->problem().empty()) app.addNotice(fonts->problem());
    Session session{command, *channel, app, target->embeddedServer, wake, files, mockRules};
    // A URL on the command line connects with the command line's options, as --headless
    // does; the echo server with the options the settings remember.
    session.connect(target->url, command.url ? channelOptions(command) : app.settings().connect);
    WidgetMapFile widgetMapFile;
    DrawStats stats(Clock::now(), DrawStats::spawnTime(std::getenv("WSDEMO_SPAWN_NS")));
    std::uint64_t received = 0;
    MessagePtr shown;  // The latest message the last redraw drew.

    // Main loop: wait until a redraw is due, unless asked to draw back to back as Dear ImGui's
    // example does.
    while (!glfwWindowShouldClose(window)) {
        if (!command.redrawContinuously &&
            !waitForRedraw(scheduler, wake, app, io, windowEvents.minimised))
            continue;
        const auto drawStart = Clock::now();
        glfwPollEvents();
        const bool forInput =
            command.redrawContinuously || scheduler.inputPending() || inputHeld(io);
        const auto tick = app.nextTick(drawStart);
        scheduler.onRedraw(drawStart);
        wake.take();  // Before reading the channel: what arrives from now on wakes us again.
        const bool channelNews = takeNews(*channel, app, *fonts, received);
        const bool news = session.takeFileDone(*fonts) || channelNews;  // Both taken, always.
        // Minimised: keep taking the channel's events, so it keeps reading, and sending what is
        // due (the timer, a replay), but draw nothing.
        if (windowEvents.minimised) {
            for (Action& action : app.sendsDueUndrawn(channel->status(), drawStart))
                session.carryOut(std::move(action));
            continue;
        }

        fonts->noteCharacters(io.InputQueueCharacters);
        if (windowEvents.newContentScale) {
            contentScale = *std::exchange(windowEvents.newContentScale, std::nullopt);
            fonts->setScale(contentScale);
            applyStyle(theme, contentScale);
        }
        const bool atlasSwapped = updateFonts(*fonts, wake);
        // Housekeeping (a keepalive ping and its pong) costs no frame.
        if (!forInput && !news && !atlasSwapped && !(tick && *tick <= drawStart)) continue;
        const MessagePtr latest = channel->latest();
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        keyTaps.hold(io, windowEvents);
        ImGui::NewFrame();
        WidgetMap::current().beginFrame();
        noteWindowValues(window, *fonts);
        for (Action& action : app.frame(channel->status(), latest, drawStart))
            session.carryOut(std::move(action));

        // Rendering
        if (keyTaps.release(io, window)) scheduler.onInput();  // ImGui sees the key go up.
        render(window);

        const auto drawEnd = Clock::now();
        stats.onDraw(drawStart, drawEnd);
        if (atlasSwapped) stats.onAtlasSwap(fonts->lastBuildTime(), drawEnd - drawStart);
        if (latest != shown) {
            if (latest) stats.onShown(drawEnd - latest->receivedAt);
            shown = latest;
        }
        if (app.takeSettingsChanged()) {
            if (app.settings().theme != theme) {
                theme = app.settings().theme;
                applyStyle(theme, contentScale);
                scheduler.onInput();  // Redraw in the new colours.
            }
            saveSettings(store, app);
        }
        widgetMapFile.update();
    }
    fonts->finishBuild(/*wait=*/true);  // A build under way wakes the loop through `wake`.
    files.finish();
    if (command.stats)
        std::fputs(stats.report(Clock::now(), received, wake.posts()).c_str(), stderr);

    // Cleanup, in reverse order. The window goes away at once; the closing handshake
    // (bounded by ChannelLimits::closeTimeout) finishes behind it.
    rememberPlacement(window, app.settings());
    saveSettings(store, app);
    glfwHideWindow(window);
    app.onEvents(channel->drainEvents());
    const int exitStatus = exitStatusAtClose(channel->status(), app.reconnectPending());
    channel->disconnect(CloseCode::kNormal);
    channel.reset();
    target.reset();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return exitStatus;
}

}  // namespace wsdemo
