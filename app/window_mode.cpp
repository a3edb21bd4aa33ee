// The window: Dear ImGui over GLFW and OpenGL 3.3, laid out like Dear ImGui's
// example_glfw_opengl3 (Setup / Main loop / Rendering / Cleanup).
#include <glad/gl.h>  // Before GLFW, so GLFW does not include the system GL header.

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "chat_view.h"
#include "draw_stats.h"
#include "modes.h"
#include "redraw_schedule.h"
#include "startup.h"
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

void redraw(GLFWwindow* window) {
    static_cast<RedrawScheduler*>(glfwGetWindowUserPointer(window))->onInput();
}

// Installed before Dear ImGui's backend, which calls them from its own (it chains to the
// callbacks it finds), so every input and window event asks for frames.
void installRedrawCallbacks(GLFWwindow* window, RedrawScheduler& scheduler) {
    glfwSetWindowUserPointer(window, &scheduler);
    glfwSetCursorPosCallback(window, [](GLFWwindow* w, double, double) { redraw(w); });
    glfwSetCursorEnterCallback(window, [](GLFWwindow* w, int) { redraw(w); });
    glfwSetMouseButtonCallback(window, [](GLFWwindow* w, int, int, int) { redraw(w); });
    glfwSetScrollCallback(window, [](GLFWwindow* w, double, double) { redraw(w); });
    glfwSetKeyCallback(window, [](GLFWwindow* w, int, int, int, int) { redraw(w); });
    glfwSetCharCallback(window, [](GLFWwindow* w, unsigned int) { redraw(w); });
    glfwSetWindowFocusCallback(window, [](GLFWwindow* w, int) { redraw(w); });
    glfwSetWindowRefreshCallback(window, redraw);
    glfwSetFramebufferSizeCallback(window, [](GLFWwindow* w, int, int) { redraw(w); });
    glfwSetWindowIconifyCallback(window, [](GLFWwindow* w, int) { redraw(w); });
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

}  // namespace

int runWindow(const CommandLine& command) {
    // Setup: the connection first, so a bad server fails before a window flashes up.
    std::optional<Target> target = startTarget(command);
    if (!target) return ExitStatus::kFailure;

    glfwSetErrorCallback(onGlfwError);
    if (!glfwInit()) {
        std::fprintf(stderr,
                     "wsdemo: cannot open a window: %s. Use --headless, or run under xvfb-run.\n",
                     lastGlfwError.c_str());
        return ExitStatus::kFailure;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    GLFWwindow* window = glfwCreateWindow(640, 480, "WebSocket Demo", nullptr, nullptr);
    if (!window) {
        std::fprintf(stderr, "wsdemo: cannot create an OpenGL 3.3 window: %s\n",
                     lastGlfwError.c_str());
        glfwTerminate();
        return ExitStatus::kFailure;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    if (!gladLoadGL(glfwGetProcAddress)) {
        std::fprintf(stderr, "wsdemo: cannot load the OpenGL 3.3 functions\n");
        glfwDestroyWindow(window);
        glfwTerminate();
        return ExitStatus::kFailure;
    }

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // Nothing to remember between runs; write no file.
    // A blinking cursor would need two frames a second for as long as the input has the focus,
    // which is always: a steady one costs nothing.
    io.ConfigInputTextCursorBlink = false;
    ImGui::StyleColorsDark();
    RedrawScheduler scheduler(refreshPeriod(), std::chrono::duration_cast<Clock::duration>(
                                                   std::chrono::duration<float>(io.KeyRepeatRate)));
    installRedrawCallbacks(window, scheduler);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    // One channel for the window's life. glfwPostEmptyEvent is safe from any thread and wakes
    // glfwWaitEvents*.
    WakeLatch wake(glfwPostEmptyEvent);
    ChannelLimits limits;
    limits.closeTimeout = kCloseTimeout;
    auto channel = std::make_unique<Channel>([&wake] { wake.notify(); }, limits);
    const ConnectOptions options = channelOptions(command);
    channel->connect(target->url, options);
    ChatView view(securityNotice(options.tls, target->url));
    DrawStats stats(Clock::now());
    MessagePtr shown;  // The latest message the last redraw drew.

    // Main loop: wait until a redraw is due, unless asked to draw back to back as Dear ImGui's
    // example does.
    while (!glfwWindowShouldClose(window)) {
        if (!command.redrawContinuously) {
            const auto due = scheduler.nextRedraw(wake.pending(), inputHeld(io));
            if (!due) {
                glfwWaitEvents();
                continue;
            }
            const auto wait = *due - Clock::now();
            if (wait > Clock::duration::zero()) {
                glfwWaitEventsTimeout(std::chrono::duration<double>(wait).count());
                continue;
            }
        }
        const auto drawStart = Clock::now();
        glfwPollEvents();
        const bool forInput =
            command.redrawContinuously || scheduler.inputPending() || inputHeld(io);
        scheduler.onRedraw(drawStart);
        wake.take();  // Before reading the channel: what arrives from now on wakes us again.
        const bool drawnChanges = view.onEvents(channel->drainEvents());
        // Minimised: keep taking the channel's events, so it keeps reading, but draw nothing.
        if (glfwGetWindowAttrib(window, GLFW_ICONIFIED)) continue;
        // News that changes nothing on screen (a keepalive ping and its pong) costs no redraw.
        if (!forInput && !drawnChanges) continue;

        const MessagePtr latest = channel->latest();
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        if (auto text = view.draw(channel->status(), latest))
            view.onSendResult(channel->send(std::move(*text)));

        // Rendering
        ImGui::Render();
        int width, height;
        glfwGetFramebufferSize(window, &width, &height);
        glViewport(0, 0, width, height);
        // The panel's background (it draws none itself, see ChatView::draw).
        const ImVec4& background = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
        glClearColor(background.x, background.y, background.z, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        glfwSwapBuffers(window);

        const auto drawEnd = Clock::now();
        stats.onDraw(drawEnd - drawStart);
        if (latest != shown) {
            if (latest) stats.onShown(drawEnd - latest->receivedAt);
            shown = latest;
        }
    }
    if (command.stats)
        std::fputs(stats.report(Clock::now(), view.received(), wake.posts()).c_str(), stderr);

    // Cleanup, in reverse order. The window goes away at once; the closing handshake
    // (bounded by ChannelLimits::closeTimeout) finishes behind it.
    glfwHideWindow(window);
    view.onEvents(channel->drainEvents());
    const int exitStatus = exitStatusAtClose(channel->status(), view.reconnectDue());
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
