// The window: Dear ImGui over GLFW and OpenGL 3.3, laid out like Dear ImGui's
// example_glfw_opengl3 (Setup / Main loop / Rendering / Cleanup).
#include <glad/gl.h>  // Before GLFW, so GLFW does not include the system GL header.

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <cstdio>
#include <memory>
#include <string>

#include "chat_view.h"
#include "modes.h"
#include "startup.h"
#include "wsdemo/channel.h"

namespace wsdemo {

namespace {

std::string lastGlfwError;  // Main thread only: GLFW reports errors on the calling thread.

void onGlfwError(int code, const char* description) {
    lastGlfwError = std::string(description) + " (GLFW error " + std::to_string(code) + ")";
}

// Redraws while nothing happens keep the text cursor blinking; input and messages wake the
// loop at once.
constexpr double kIdleRedrawSeconds = 0.5;
// Dear ImGui settles hover and active states a frame after the input that changed them.
constexpr int kFramesAfterWake = 2;

}  // namespace

int runWindow(const CommandLine& command) {
    // Setup: the connection first, so a bad server fails before a window flashes up.
    std::optional<Target> target = startTarget(command);
    if (!target) return ExitStatus::kFailure;
    const WsUrl& url = target->url;

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
    ImGui::GetIO().IniFilename = nullptr;  // Nothing to remember between runs; write no file.
    ImGui::StyleColorsDark();
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    ChannelOptions options;
    options.onWake = glfwPostEmptyEvent;  // Safe from any thread: wakes glfwWaitEvents*.
    auto channel = std::make_unique<Channel>(url, options);
    ChatView view(url.toString());

    // Main loop
    int framesToDraw = 0;
    while (!glfwWindowShouldClose(window)) {
        if (framesToDraw > 0) {
            glfwPollEvents();
            --framesToDraw;
        } else {
            glfwWaitEventsTimeout(kIdleRedrawSeconds);
            framesToDraw = kFramesAfterWake;
        }
        if (glfwGetWindowAttrib(window, GLFW_ICONIFIED)) continue;

        view.onEvents(channel->drainEvents());
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        if (auto text = view.draw(channel->status(), channel->latest()))
            view.onSendResult(channel->send(std::move(*text)));

        // Rendering
        ImGui::Render();
        int width, height;
        glfwGetFramebufferSize(window, &width, &height);
        glViewport(0, 0, width, height);
        glClearColor(0.10f, 0.10f, 0.12f, 1.00f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        glfwSwapBuffers(window);
    }

    // Cleanup, in reverse order. The window goes away at once; the closing handshake
    // (bounded by ChannelOptions::closeTimeout) finishes behind it.
    glfwHideWindow(window);
    channel->close(CloseCode::kNormal);
    channel.reset();
    target.reset();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return ExitStatus::kOk;
}

}  // namespace wsdemo
