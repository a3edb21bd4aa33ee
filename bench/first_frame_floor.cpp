// The floor for "start to first frame drawn, fonts included": a bare GLFW + glad + Dear ImGui
// window with Dear ImGui's built-in font draws one frame and exits. Prints one line,
// first_frame_ms=<float>: from the process's spawn (WSDEMO_SPAWN_NS, CLOCK_MONOTONIC in ns, set
// by the harness just before it starts the program) to the first glfwSwapBuffers returning.
// Without WSDEMO_SPAWN_NS, from the start of main().
#include <glad/gl.h>  // Before GLFW, so GLFW does not include the system GL header.

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace {

using Clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC on Linux, as the harness's.

Clock::time_point startTime() {
    const char* spawn = std::getenv("WSDEMO_SPAWN_NS");
    if (!spawn) return Clock::now();
    return Clock::time_point(std::chrono::nanoseconds(std::strtoll(spawn, nullptr, 10)));
}

}  // namespace

int main() {
    const Clock::time_point start = startTime();
    if (!glfwInit()) {
        std::fprintf(stderr, "first_frame_floor: glfwInit failed (no display?)\n");
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    // wsdemo's default size (WindowPlacement in app/settings.h): llvmpipe fills as many pixels.
    GLFWwindow* window = glfwCreateWindow(960, 720, "First frame floor", nullptr, nullptr);
    if (!window) {
        std::fprintf(stderr, "first_frame_floor: cannot create an OpenGL 3.3 window\n");
        glfwTerminate();
        return 1;
    }
    glfwMakeContextCurrent(window);
    gladLoadGL(glfwGetProcAddress);

    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui::StyleColorsDark();
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    glfwPollEvents();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::Begin("Floor", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::TextUnformatted("Hello, world");
    ImGui::End();
    ImGui::Render();
    int width = 0, height = 0;
    glfwGetFramebufferSize(window, &width, &height);
    glViewport(0, 0, width, height);
    glClearColor(0.1f, 0.1f, 0.1f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    glfwSwapBuffers(window);
    const std::chrono::duration<double, std::milli> elapsed = Clock::now() - start;
    std::printf("first_frame_ms=%.3f\n", elapsed.count());

    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return 0;
}
