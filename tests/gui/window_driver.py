"""Drives the real wsdemo window on a private Xvfb display, as a person would.

Where a widget is comes from the widget map the app writes when WSDEMO_WIDGET_MAP
names a file (app/widget_map.h): each labelled widget's rectangle in the last
frame, and a few figures read off the screen ("log rows", "state", ...). Input
goes through xdotool (XTEST: real device events, which GLFW handles like a
user's); pixels and the window manager's close message through python3-xlib.

Needs Debian's /usr/bin/python3 (python3-websockets, python3-xlib), xvfb,
xdotool and imagemagick.
"""

import asyncio
import json
import os
import subprocess
import threading
import time
from pathlib import Path

import websockets
from Xlib import X, Xatom, display, error
from Xlib.protocol import event

WINDOW_TITLE = "WebSocket Demo"


class TestFailure(Exception):
    pass


# Also failures: a helper tool failing or the window vanishing under Xlib.
FAILURES = (TestFailure, subprocess.SubprocessError, error.XError)


def wait_for(what, condition, timeout=10.0, app=None):
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


class Xvfb:
    """Xvfb on a display number it picks itself."""

    def __init__(self, dpi=None):
        read_fd, write_fd = os.pipe()
        # -noreset: by default Xvfb resets whenever its last client disconnects
        # (e.g. each polling xdotool), and a client connecting meanwhile (the
        # app) can fail with "Failed to open display".
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x900x24",
             "-nolisten", "tcp", "-noreset"],
            pass_fds=[write_fd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise TestFailure("Xvfb did not start")
        self.name = f":{number}"
        if dpi:
            # What xrdb does: the resource database lives in the root window's
            # RESOURCE_MANAGER property, which GLFW reads at glfwInit.
            xdisplay = display.Display(self.name)
            root = xdisplay.screen().root
            root.change_property(xdisplay.intern_atom("RESOURCE_MANAGER"), Xatom.STRING, 8,
                                 f"Xft.dpi:\t{dpi}\n".encode())
            xdisplay.sync()
            xdisplay.close()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Peer:
    """A python3-websockets server on 127.0.0.1 that records what the client
    sends, the pings it gets and how the connection closes, and sends what the
    test asks it to."""

    def __init__(self):
        self.connections = 0
        self.received = []
        self.pings = []
        self.close_code = None
        self.closed = threading.Event()
        self._listening = threading.Event()
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(),),
                                        daemon=True)
        self._thread.start()
        if not self._listening.wait(5):
            raise TestFailure("the WebSocket peer did not start within 5 s")

    @property
    def url(self):
        return f"ws://127.0.0.1:{self.port}/"

    async def _serve(self):
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        peer = self

        class Recording(websockets.WebSocketServerProtocol):
            async def pong(self, data=b""):  # Called to answer each ping.
                peer.pings.append(bytes(data))
                await super().pong(data)

        async with websockets.serve(self._handle, "127.0.0.1", 0,
                                    create_protocol=Recording) as server:
            self.port = server.sockets[0].getsockname()[1]
            self._listening.set()
            await self._stopping.wait()

    async def _handle(self, ws, path=None):
        self._ws = ws
        self.connections += 1
        try:
            async for message in ws:
                self.received.append(message)
                await ws.send(message)
        except websockets.ConnectionClosed:
            pass
        await ws.wait_closed()
        self.close_code = ws.close_code
        self.closed.set()

    def send(self, message):
        asyncio.run_coroutine_threadsafe(self._ws.send(message), self._loop).result(5)

    def stop(self):
        self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(timeout=5)


class App:
    """A wsdemo window process with its own settings directory and widget map."""

    def __init__(self, binary, xvfb, workdir, config_home, args=()):
        self.workdir = Path(workdir)
        self.map_path = self.workdir / "widgets.json"
        self.map_path.unlink(missing_ok=True)
        self.env = dict(os.environ, DISPLAY=xvfb.name, XDG_CONFIG_HOME=str(config_home),
                        WSDEMO_WIDGET_MAP=str(self.map_path))
        self._out = open(self.workdir / "stdout.txt", "ab")
        self._err = open(self.workdir / "stderr.txt", "ab")
        self.process = subprocess.Popen([binary, *args], env=self.env, stdout=self._out,
                                        stderr=self._err)
        self._xdisplay = display.Display(xvfb.name)
        self.id = wait_for(f'a window named "{WINDOW_TITLE}"', self._find_window,
                           app=self.process)
        self._window = self._xdisplay.create_resource_object("window", self.id)
        wait_for("the first frame's widget map", self.map_path.exists, app=self.process)
        # Without a window manager nobody focuses the window, and the ImGui
        # GLFW backend ignores the mouse position of unfocused windows.
        self.xdotool("windowfocus", "--sync", str(self.id))

    def _find_window(self):
        result = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", f"^{WINDOW_TITLE}$"],
            env=self.env, capture_output=True, text=True, timeout=5)
        ids = result.stdout.split()
        return int(ids[0]) if ids else None

    def xdotool(self, *args):
        subprocess.run(["xdotool", *map(str, args)], env=self.env, check=True, timeout=5)

    def widgets(self):
        try:
            return json.loads(self.map_path.read_text())
        except (OSError, ValueError):
            return {"items": {}, "values": {}}

    def value(self, name):
        return self.widgets()["values"].get(name)

    def rect(self, label):
        return wait_for(f'the widget "{label}" on screen',
                        lambda: self.widgets()["items"].get(label), app=self.process)

    def click(self, label):
        """Moves onto the widget, waits until a frame has seen the mouse there
        (Dear ImGui acts on a click only over a widget it saw hovered), clicks."""
        x, y, width, height = self.rect(label)
        self.xdotool("mousemove", "--window", self.id, int(x + width / 2), int(y + height / 2))
        wait_for(f'the mouse over "{label}"',
                 lambda: self.value("hovered") == label, app=self.process)
        self.xdotool("click", "1")

    def type(self, text):
        self.xdotool("type", "--delay", "20", text)

    def key(self, *keys):
        self.xdotool("key", *keys)

    def pixels(self, rect):
        x, y, width, height = map(int, rect)
        return self._window.get_image(x, y, width, height, X.ZPixmap, 0xFFFFFFFF).data

    def inked(self, rect):
        """How many pixels of rect differ from its first pixel: text drawn."""
        data = self.pixels(rect)
        background = data[0:3]
        return sum(1 for i in range(0, len(data), 4) if data[i:i + 3] != background)

    def wm_class(self):
        """WM_CLASS: (instance, class)."""
        return self._window.get_wm_class()

    def icon_images(self):
        """_NET_WM_ICON's images (width, height, then width * height ARGB
        pixels each): {(width, height): how many pixels are not transparent}."""
        icon = self._window.get_full_property(self._xdisplay.intern_atom("_NET_WM_ICON"),
                                              Xatom.CARDINAL)
        data, images, start = (icon.value if icon else []), {}, 0
        while start + 2 <= len(data):
            width, height = data[start], data[start + 1]
            pixels = data[start + 2:start + 2 + width * height]
            images[(width, height)] = sum(1 for argb in pixels if argb >> 24)
            start += 2 + width * height
        return images

    def set_minimised(self, minimised):
        """As a window manager does when the user minimises or restores it: WM_STATE Iconic (3)
        or Normal (1), which is what GLFW reads for GLFW_ICONIFIED."""
        wm_state = self._xdisplay.intern_atom("WM_STATE")
        self._window.change_property(wm_state, wm_state, 32, [3 if minimised else 1, 0])
        self._xdisplay.flush()

    def cpu_seconds(self):
        """User and system time the process has used so far (/proc/PID/stat)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def screenshot(self, path):
        subprocess.run(["import", "-window", str(self.id), str(path)], env=self.env,
                       check=True, timeout=10)

    def resize(self, width, height):
        self.xdotool("windowsize", "--sync", self.id, width, height)

    def close(self, timeout=5):
        """Ask the app to close, as a window manager's close button does; its
        exit status."""
        d = self._xdisplay
        message = event.ClientMessage(
            window=self._window, client_type=d.intern_atom("WM_PROTOCOLS"),
            data=(32, [d.intern_atom("WM_DELETE_WINDOW"), X.CurrentTime, 0, 0, 0]))
        self._window.send_event(message, event_mask=X.NoEventMask)
        d.flush()
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise TestFailure(f"wsdemo did not exit within {timeout} s of WM_DELETE_WINDOW")

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._xdisplay.close()
        self._out.close()
        self._err.close()

    def logs(self):
        return "\n".join(f"--- wsdemo {name} ---\n" +
                         (self.workdir / f"{name}.txt").read_text(errors="replace")
                         for name in ("stderr", "stdout"))
