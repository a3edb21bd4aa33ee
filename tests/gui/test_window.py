#!/usr/bin/python3
"""End-to-end GUI test for wsdemo.

Runs the app on a private Xvfb display against a recording echo WebSocket
server, types and sends "Hello!" through the GUI, checks that the echo is shown,
then closes the window as a window manager would and checks for a clean exit.

Usage: /usr/bin/python3 tests/gui/test_window.py WSDEMO_BINARY SCREENSHOT.png
(needs Debian's python3 for python3-websockets and python3-xlib, plus xvfb,
xdotool and imagemagick)
"""

import asyncio
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import websockets
from Xlib import X, display, error
from Xlib.protocol import event

WINDOW_TITLE = "WebSocket Demo"
MESSAGE = "Hello!"
OVERALL_TIMEOUT_S = 60

# Positions relative to the window's top-left corner, read off a screenshot of
# the default 640x480 window. They follow from ImGui's default style: 8 px
# window padding, 13 px font, 19 px frame height, 4 px vertical item spacing.
# Row 1 spans y 8..26: the input from x 8, Send (label 28 px + 2 x 4 px
# padding) at x 596..631, its label starting at (600, 11).
INPUT_POINT = (100, 17)
SEND_POINT = (614, 17)
SEND_PROBE = (598, 10)  # on the Send button's background, off its label
# Below: the status line at y 31, the counter at 48, a separator, "Latest
# message:" at 70 and a bordered child from y 86 whose 8 px padding puts the
# message's first line at (16, 95), 13 px high, up to the child's padding.
LATEST_MESSAGE_RECT = (16, 95, 608, 13)  # x, y, width, height
# ImGuiCol_ButtonHovered of the default dark style, (0.26, 0.59, 0.98, 1.00).
BUTTON_HOVERED_RGB = (66, 150, 250)


class TestFailure(Exception):
    pass


# Also failures: a helper tool failing or the window vanishing under Xlib.
FAILURES = (TestFailure, subprocess.SubprocessError, error.XError)


def wait_for(what, condition, timeout=5.0, app=None):
    """Poll condition() until it is truthy; fail after timeout seconds or as
    soon as the app process (if given) has exited."""
    deadline = time.monotonic() + timeout
    while True:
        # Checked first: a dead app also makes the X calls in conditions fail.
        if app is not None and app.poll() is not None:
            raise TestFailure(f"wsdemo exited with status {app.returncode} "
                              f"while waiting for {what}")
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TestFailure(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.05)


def start_xvfb():
    """Start Xvfb on a display number it picks itself; return (process, ":N")."""
    read_fd, write_fd = os.pipe()
    # -noreset: by default Xvfb resets whenever its last client disconnects
    # (e.g. each polling xdotool), and a client connecting meanwhile (the
    # app) can fail with "Failed to open display".
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1024x768x24",
         "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        # Xvfb writes the display number once it accepts connections, or
        # closes the pipe (empty read) if it dies first.
        ready, _, _ = select.select([pipe], [], [], 10)
        number = pipe.readline().strip() if ready else ""
    if not number:
        xvfb.kill()
        raise TestFailure("Xvfb did not report a display number within 10 s")
    return xvfb, f":{number}"


class RecordingEchoServer:
    """WebSocket echo server on 127.0.0.1 that records what clients send and
    how they close. Runs its own asyncio loop in a thread until stop()."""

    def __init__(self):
        self.connections = 0
        self.received = []
        self.echoed = []
        self.close_code = None
        self.close_frame_received = False
        self.closed = threading.Event()
        self._listening = threading.Event()
        # Daemon: a connection stuck in its closing handshake must not keep
        # the test process alive.
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(),),
                                        daemon=True)
        self._thread.start()
        if not self._listening.wait(5):
            raise TestFailure("the WebSocket server did not start within 5 s")

    async def _serve(self):
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        async with websockets.serve(self._handle, "127.0.0.1", 0) as server:
            self.port = server.sockets[0].getsockname()[1]
            self._listening.set()
            await self._stopping.wait()

    async def _handle(self, ws):
        self.connections += 1
        try:
            async for message in ws:
                self.received.append(message)
                await ws.send(message)
                self.echoed.append(message)
        except websockets.ConnectionClosed:
            pass  # abnormal closes are recorded below like any other
        await ws.wait_closed()
        # close_code is 1006 when no close frame arrived; record that fact
        # explicitly too so the failure message can tell the cases apart.
        self.close_code = ws.close_code
        self.close_frame_received = ws.close_rcvd is not None
        self.closed.set()

    def stop(self):
        self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(timeout=5)


class AppWindow:
    """The app's X window: input via xdotool (XTEST, i.e. real device events,
    which GLFW handles like a user's), pixels and WM messages via Xlib."""

    def __init__(self, xdisplay, window_id, env):
        self.id = window_id
        self._env = env
        self._display = xdisplay
        self._window = xdisplay.create_resource_object("window", window_id)

    def xdotool(self, *args):
        subprocess.run(["xdotool", *args], env=self._env, check=True, timeout=5)

    def focus(self):
        # Without a window manager nobody focuses the window, and the ImGui
        # GLFW backend ignores the mouse position of unfocused windows.
        self.xdotool("windowfocus", "--sync", str(self.id))

    def move_mouse(self, point):
        self.xdotool("mousemove", "--window", str(self.id), *map(str, point))

    def pixels(self, x, y, width, height):
        return self._window.get_image(x, y, width, height, X.ZPixmap,
                                      0xFFFFFFFF).data

    def pixel(self, point):
        blue, green, red, _ = self.pixels(*point, 1, 1)  # 32-bit BGRX
        return red, green, blue

    def screenshot(self, path):
        subprocess.run(["import", "-window", str(self.id), str(path)],
                       env=self._env, check=True, timeout=10)

    def request_close(self):
        """Ask the app to close, as a window manager's close button does."""
        d = self._display
        message = event.ClientMessage(
            window=self._window, client_type=d.intern_atom("WM_PROTOCOLS"),
            data=(32, [d.intern_atom("WM_DELETE_WINDOW"), X.CurrentTime, 0, 0, 0]))
        self._window.send_event(message, event_mask=X.NoEventMask)
        d.flush()


def find_window(env):
    result = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", f"^{WINDOW_TITLE}$"],
        env=env, capture_output=True, text=True, timeout=5)
    ids = result.stdout.split()
    return int(ids[0]) if ids else None


def screenshot_screen(env, path):
    subprocess.run(["import", "-window", "root", str(path)], env=env, timeout=10)


def run(binary, screenshot_path, failure_shot, xdisplay_name, server, workdir):
    env = dict(os.environ, DISPLAY=xdisplay_name)
    url = f"ws://127.0.0.1:{server.port}/"
    xdisplay = display.Display(xdisplay_name)
    with open(workdir / "stdout.txt", "wb") as out, \
            open(workdir / "stderr.txt", "wb") as err:
        app = subprocess.Popen([binary, "--url", url], env=env, stdout=out,
                               stderr=err)
    try:
        window_id = wait_for(f'a window named "{WINDOW_TITLE}"',
                             lambda: find_window(env), timeout=10, app=app)
        wait_for(f"the app to connect to {url}", lambda: server.connections,
                 app=app)
        window = AppWindow(xdisplay, window_id, env)
        window.focus()

        # ImGui acts on a click only if a frame has already seen the mouse over
        # the widget. The Send button is drawn in the opaque ButtonHovered
        # colour while hovered, which shows when the app has seen the mouse.
        def send_hovered():
            return window.pixel(SEND_PROBE) == BUTTON_HOVERED_RGB

        window.move_mouse(SEND_POINT)
        wait_for("the Send button to show hover", send_hovered, app=app)
        # The input has no hover colour; Send losing its hover shows instead
        # that the app has seen the mouse move onto the input.
        window.move_mouse(INPUT_POINT)
        wait_for("the Send button to lose hover", lambda: not send_hovered(),
                 app=app)
        window.xdotool("click", "1")
        window.xdotool("type", MESSAGE)

        blank_message_line = window.pixels(*LATEST_MESSAGE_RECT)
        window.move_mouse(SEND_POINT)
        # The key events reach the app before this mouse motion, so once the
        # hover shows, the whole message is in the input.
        wait_for("the Send button to show hover", send_hovered, app=app)
        window.xdotool("click", "1")

        wait_for(f"the server to receive {MESSAGE!r}", lambda: server.received,
                 app=app)
        # Only a received message changes the line under "Latest message:",
        # so once the echo is sent, a change from its pixels before Send means
        # the echo is shown. (What it says is seen in the saved screenshot.)
        wait_for("the echo to appear under \"Latest message:\"",
                 lambda: server.echoed
                 and window.pixels(*LATEST_MESSAGE_RECT) != blank_message_line,
                 app=app)
        window.screenshot(screenshot_path)

        window.request_close()
        try:
            status = app.wait(timeout=5)
        except subprocess.TimeoutExpired:
            raise TestFailure("wsdemo did not exit within 5 s of WM_DELETE_WINDOW")
        if status != 0:
            raise TestFailure(f"wsdemo exited with status {status}, expected 0")
        wait_for("the server to see the connection close", server.closed.is_set)
        # Checked once the connection is over, so a late extra send counts too.
        if server.received != [MESSAGE]:
            raise TestFailure(f"server received {server.received}, "
                              f"expected [{MESSAGE!r}]")
        if not server.close_frame_received:
            raise TestFailure("the app closed the connection without sending a "
                              f"close frame (close code {server.close_code})")
        if server.close_code != 1000:
            raise TestFailure(f"close code {server.close_code}, expected 1000")
        if server.connections != 1:
            raise TestFailure(f"the app connected {server.connections} times, "
                              "expected once")
    except FAILURES:
        # Now, while the app still shows its state; it is killed below.
        screenshot_screen(env, failure_shot)
        raise
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        xdisplay.close()


def on_overall_timeout(signum, frame):
    raise TestFailure(f"overall test deadline of {OVERALL_TIMEOUT_S} s exceeded")


def main():
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} WSDEMO_BINARY SCREENSHOT.png")
    binary, screenshot_path = sys.argv[1], Path(sys.argv[2])
    if not os.access(binary, os.X_OK):
        sys.exit(f"FAIL: {binary} is not an executable file")
    screenshot_path.parent.mkdir(parents=True, exist_ok=True)
    failure_shot = screenshot_path.with_name(screenshot_path.stem + ".failure.png")
    failure_shot.unlink(missing_ok=True)  # so only this run's failure leaves one
    signal.signal(signal.SIGALRM, on_overall_timeout)
    signal.alarm(OVERALL_TIMEOUT_S)
    start = time.monotonic()
    xvfb, xdisplay_name = start_xvfb()
    server = RecordingEchoServer()
    try:
        with tempfile.TemporaryDirectory(prefix="wsdemo-gui-") as workdir:
            workdir = Path(workdir)
            try:
                run(binary, screenshot_path, failure_shot, xdisplay_name,
                    server, workdir)
            except FAILURES as failure:
                print(f"FAIL: {failure}", file=sys.stderr)
                print(f"screen at failure: {failure_shot}", file=sys.stderr)
                print(f"server received {server.received}, close code "
                      f"{server.close_code}", file=sys.stderr)
                for name in ("stderr", "stdout"):
                    text = (workdir / f"{name}.txt").read_text(errors="replace")
                    print(f"--- wsdemo {name} ---\n{text}", file=sys.stderr)
                return 1
    finally:
        signal.alarm(0)
        server.stop()
        xvfb.terminate()
        try:
            xvfb.wait(timeout=5)
        except subprocess.TimeoutExpired:
            xvfb.kill()
    print(f"PASS: sent {MESSAGE!r}, echo shown, closed with 1000, exit 0 "
          f"({time.monotonic() - start:.1f} s); screenshot: {screenshot_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
