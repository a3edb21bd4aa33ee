#!/usr/bin/python3
"""The real window under Xvfb, driven as a person would (see window_driver.py),
each step checked from the peer's side and from the screen.

Usage: /usr/bin/python3 tests/gui/test_window.py WSDEMO_BINARY OUTPUT_DIR SCENARIO
  session   type a URL into URL and press Enter; the peer sends several
            messages and all show in the log with the one sent; Ping, and the
            peer sees a ping; Disconnect, and the peer sees 1000. Saves the
            README's screenshots and the GIF of connect, send, echo, disconnect.
            First: WM_CLASS is wsdemo, and _NET_WM_ICON has 48 and 128 px images.
  unicode   Cyrillic, CJK and emoji from the peer are drawn with no '?'.
  restart   the window size and the URL history survive a restart.
  scale     at Xft.dpi 192 (content scale 2) fonts and widgets are twice the size.
  mock      mock rules kept in settings.json answer "ping?" with "pong!" after Echo
            server; a timer (every 0.3 s, 3 times) sends 3 rows marked timed.
            Saves the Mock panel's screenshot.
  minimised the composer's timer keeps sending while the window is minimised, and once
            nothing is due a minimised window uses no CPU; restored, it draws again.
  record    send two messages, Save log to a .jsonl (its lines checked), Open it (its rows
            and the banner in the log), Replay it to the peer (which gets both again; the
            comparison says 2 same).
"""

import json
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from window_driver import FAILURES, App, Peer, TestFailure, Xvfb, wait_for

OVERALL_TIMEOUT_S = 100
SENTENCE = "Привет, мир! 你好 🎉 café — naïve ≥ ∑"


def log_rows(app):
    return int(app.value("log rows") or 0)


def connect_by_typing(app, peer):
    app.click("URL")
    wait_for("the URL input to take the typing", lambda: app.value("active") == "URL",
             app=app.process)
    app.key("ctrl+a")
    app.type(peer.url)
    wait_for("the typed URL in the input", lambda: app.value("url") == peer.url,
             app=app.process)
    app.key("Return")
    wait_for("the peer to see the connection", lambda: peer.connections == 1,
             app=app.process)
    wait_for("the state badge to say Open",
             lambda: (app.value("state") or "").startswith("Open"), app=app.process)


class Gif:
    """Frames of the window, made into an animated GIF with ImageMagick."""

    def __init__(self, app, workdir):
        self.app, self.workdir, self.frames = app, Path(workdir), []

    def frame(self):
        path = self.workdir / f"gif-{len(self.frames):02d}.png"
        self.app.screenshot(path)
        self.frames.append(str(path))

    def save(self, path):
        subprocess.run(["convert", "-delay", "90", "-loop", "0", *self.frames,
                        "-layers", "Optimize", str(path)], check=True, timeout=60)


def check_identity(app):
    """The WM_CLASS desktops match to wsdemo.desktop, and the icon in both sizes."""
    if app.wm_class() != ("wsdemo", "wsdemo"):
        raise TestFailure(f"WM_CLASS is {app.wm_class()}, expected ('wsdemo', 'wsdemo')")
    images = app.icon_images()
    for size in (48, 128):
        if not images.get((size, size)):
            raise TestFailure(f"_NET_WM_ICON has no visible {size}x{size} image: {images}")


def session(app, peer, out, workdir):
    check_identity(app)
    gif = Gif(app, workdir)
    gif.frame()
    connect_by_typing(app, peer)
    gif.frame()

    before = log_rows(app)
    for text in ("first from the peer", "second from the peer",
                 '{"from": "peer", "items": [1, 2, 3], "nested": {"ok": true}}'):
        peer.send(text)
    app.click("Message")
    wait_for("the message input to take the typing",
             lambda: app.value("active") == "Message", app=app.process)
    app.type("Hello!")
    gif.frame()
    app.key("Return")
    wait_for("the peer to receive Hello!", lambda: peer.received == ["Hello!"],
             app=app.process)
    # Three from the peer, Hello! sent, and its echo: five rows more.
    wait_for("five more rows in the log", lambda: log_rows(app) >= before + 5,
             app=app.process)
    rows = sorted((label for label in app.widgets()["items"] if label.startswith("Log row ")),
                  key=lambda label: int(label.split()[-1]))
    if len(rows) < 5:
        raise TestFailure(f"only {len(rows)} log rows on screen: {rows}")
    blank = [label for label in rows if app.inked(app.rect(label)) == 0]
    if blank:
        raise TestFailure(f"log rows drawn blank: {blank}")
    gif.frame()
    app.screenshot(out / "window.png")

    # The JSON message, whole, in the inspector: Hello! and its echo came after it.
    app.click(rows[-3])
    app.click("Inspector")
    app.click("JSON")
    wait_for("the JSON tree", lambda: app.value("inspector view") == "JSON", app=app.process)
    app.screenshot(out / "inspector.png")

    app.click("Stats")
    pings_before = len(peer.pings)
    app.click("Ping")
    wait_for("the peer to see a ping", lambda: len(peer.pings) > pings_before,
             app=app.process)
    wait_for("a round trip in the plot", lambda: int(app.value("rtt samples") or 0) >= 1,
             app=app.process)
    app.screenshot(out / "stats.png")
    app.click("Settings")
    app.screenshot(out / "settings.png")

    app.click("Disconnect")
    wait_for("the peer to see the close", peer.closed.is_set, app=app.process)
    if peer.close_code != 1000:
        raise TestFailure(f"close code {peer.close_code}, expected 1000")
    wait_for("the state badge to say Closed",
             lambda: (app.value("state") or "").startswith("Closed"), app=app.process)
    gif.frame()
    gif.save(out / "session.gif")
    status = app.close()
    if status != 0:
        raise TestFailure(f"wsdemo exited with status {status}, expected 0")
    return ("WM_CLASS and icon set, connected by URL, 3 + 2 messages in the log, ping seen, "
            "closed with 1000")


def unicode(app, peer, out, workdir):
    connect_by_typing(app, peer)
    peer.send(SENTENCE)
    wait_for("the sentence in the latest message",
             lambda: app.value("latest") == SENTENCE, app=app.process)
    latest = app.rect("Latest message")
    if app.inked(latest) == 0:
        raise TestFailure("the latest message is drawn blank")
    missing = app.value("missing glyphs")
    if missing != "0":
        raise TestFailure(f"codepoints drawn as a box, no installed font has them: {missing}")
    shown_missing = app.value("inspector missing glyphs")
    if shown_missing:
        raise TestFailure(f"the inspector lists glyphs the font lacks: {shown_missing}")
    app.screenshot(out / "unicode.png")
    app.close()
    return f"{SENTENCE!r} drawn, no missing glyph"


def restart(binary, xvfb, peer, out, workdir, config_home):
    first = App(binary, xvfb, workdir, config_home, [peer.url])
    try:
        wait_for("the peer to see the connection", lambda: peer.connections == 1,
                 app=first.process)
        first.resize(900, 650)
        wait_for("a frame at the new size",
                 lambda: first.rect("URL")[2] > 0 and first.value("window") == "900x650",
                 app=first.process)
        if first.close() != 0:
            raise TestFailure("the first run did not exit with 0")
    finally:
        first.kill()
    saved = json.loads((config_home / "wsdemo" / "settings.json").read_text())
    second = App(binary, xvfb, workdir, config_home)
    try:
        size = second.value("window")
        if size != "900x650":
            raise TestFailure(f"window {size} after a restart, expected 900x650")
        second.click("URL history")
        # The second run connected to its own echo server: that URL came first.
        second.click("URL history 1")
        wait_for("the URL chosen from the history", lambda: second.value("url") == peer.url,
                 app=second.process)
        second.screenshot(out / "history.png")
        second.close()
    finally:
        second.kill()
    return f"900x650 and {saved.get('urlHistory', [])[:1]} remembered"


def scale(app, peer, out, workdir):
    wait_for("content scale 2", lambda: app.value("font scale") == "2.000000", app=app.process)
    height = app.rect("URL")[3]
    # 15 px text at scale 1 makes a 21 px input; twice the text, twice the padding.
    if height < 38:
        raise TestFailure(f"the URL input is {height} px high at content scale 2")
    app.screenshot(out / "scale.png")
    app.close()
    return f"content scale 2, URL input {height:g} px high"


MOCK_RULES = """{"rules": [
  {"on": "connect",
   "reply": [{"text": "welcome"}]},
  {"match": {"text": "ping?"},
   "reply": [{"text": "pong!"}]},
  {"match": {"regex": "^add ([0-9]+)$"},
   "reply": [{"text": "added"}]},
  {"match": {"text": "bye"},
   "close": {"code": 4000, "reason": "asked to"}}
]}
"""


def retype(app, label, text):
    """Replaces the text of the input labelled `label`, as Ctrl+A and typing do."""
    app.click(label)
    wait_for(f"the {label} input to take the typing", lambda: app.value("active") == label,
             app=app.process)
    app.key("ctrl+a")
    app.type(text)


def timed_rows(app):
    return [label for label in app.widgets()["items"] if label.startswith("Timed row ")]


def mock(app, peer, out, workdir):
    wait_for("the stored rules in use", lambda: app.value("mock status") ==
             "The echo server answers by 4 rules", app=app.process)
    app.click("Echo server")
    wait_for("the welcome of the connect rule", lambda: app.value("latest") == "welcome",
             app=app.process)
    retype(app, "Message", "ping?")
    app.key("Return")
    wait_for("pong! answering ping?", lambda: app.value("latest") == "pong!", app=app.process)

    retype(app, "Message", "tick")
    retype(app, "Every", "0.3")
    retype(app, "Times", "3")
    started = time.monotonic()
    app.click("Start timer")
    wait_for("3 timed sends", lambda: app.value("timer") == "timed: 3 of 3 sent, done",
             app=app.process)
    elapsed = time.monotonic() - started
    if elapsed < 0.85:
        raise TestFailure(f"3 sends 0.3 s apart took only {elapsed:.2f} s")
    wait_for("3 rows marked timed", lambda: len(timed_rows(app)) == 3, app=app.process)
    wait_for("the last echo", lambda: app.value("latest") == "tick", app=app.process)
    app.screenshot(out / "mock.png")
    app.close()
    return f"pong! by the stored rules, 3 timed rows in {elapsed:.2f} s"


def send_by_typing(app, text):
    app.click("Message")
    wait_for("the message input to take the typing",
             lambda: app.value("active") == "Message", app=app.process)
    app.type(text)
    app.key("Return")


def record(app, peer, out, workdir):
    connect_by_typing(app, peer)
    for text in ("first", "second"):
        send_by_typing(app, text)
        wait_for(f"the peer to receive {text}", lambda: peer.received[-1:] == [text],
                 app=app.process)
    wait_for("both echoes in the log", lambda: log_rows(app) >= 4, app=app.process)

    app.click("Record")
    path = workdir / "session.jsonl"
    retype(app, "Save to", str(path))
    wait_for("the JSON Lines format named", lambda: app.value("save format") == "JSON Lines",
             app=app.process)
    app.click("Save log")
    wait_for("the save reported",
             lambda: (app.value("record status") or "").startswith("Saved"), app=app.process)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    if lines[0].get("format") != "wsdemo-recording":
        raise TestFailure(f"the first line is {lines[0]}, not the format's header")
    messages = [(line["dir"], line.get("text")) for line in lines
                if line.get("event") == "message"]
    expected = [("send", "first"), ("receive", "first"), ("send", "second"),
                ("receive", "second")]
    if messages != expected:
        raise TestFailure(f"the file's messages are {messages}, expected {expected}")
    if not any(line.get("event") == "open" and line.get("url") == peer.url for line in lines):
        raise TestFailure(f"no open event with {peer.url} in {lines}")

    retype(app, "File", str(path))
    app.click("Open")
    wait_for("the banner over the recording",
             lambda: (app.value("viewing") or "").startswith(f"Viewing {path} (read-only)"),
             app=app.process)
    wait_for("the recording's rows in the log", lambda: log_rows(app) == len(lines) - 1,
             app=app.process)

    app.click("Replay")
    wait_for("the peer to receive both again",
             lambda: peer.received == ["first", "second", "first", "second"], app=app.process)
    wait_for("the comparison to say 2 same",
             lambda: (app.value("comparison") or "").startswith("2 same, 0 different"),
             app=app.process)
    wait_for("the replay done",
             lambda: (app.value("replay progress") or "").endswith("done"), app=app.process)
    app.screenshot(out / "record.png")
    app.close()
    return f"{len(lines) - 1} events saved and opened, replayed: {app.value('comparison')}"


def minimised(app, peer, out, workdir):
    connect_by_typing(app, peer)
    retype(app, "Message", "tick")
    retype(app, "Every", "0.4")
    retype(app, "Times", "5")
    app.click("Start timer")
    wait_for("the first timed send", lambda: "tick" in peer.received, app=app.process)
    app.set_minimised(True)
    sent_before = peer.received.count("tick")
    wait_for("all 5 timed sends, the last ones while minimised",
             lambda: peer.received.count("tick") == 5, app=app.process)
    if sent_before >= 5:
        raise TestFailure("the timer was done before the window was minimised")

    # Nothing is due now, and the rate shown settles a second after the last echo: a minimised
    # window has no reason to wake. A measurement over a fixed span, so a sleep.
    before = app.cpu_seconds()
    time.sleep(2.0)
    used = app.cpu_seconds() - before
    if used > 0.2:
        raise TestFailure(f"minimised with nothing due, the window used {used:.2f} s of CPU in 2 s")

    app.set_minimised(False)
    wait_for("the restored window to draw the timer done",
             lambda: app.value("timer") == "timed: 5 of 5 sent, done", app=app.process)
    app.close()
    return f"{5 - sent_before} of 5 timed sends while minimised; idle minimised: {used:.2f} s CPU in 2 s"


def main():
    if len(sys.argv) != 4:
        sys.exit(f"usage: {sys.argv[0]} WSDEMO_BINARY OUTPUT_DIR SCENARIO")
    binary, out, scenario = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    out.mkdir(parents=True, exist_ok=True)

    def overall_timeout(signum, frame):
        raise TestFailure(f"overall deadline of {OVERALL_TIMEOUT_S} s exceeded")

    signal.signal(signal.SIGALRM, overall_timeout)
    signal.alarm(OVERALL_TIMEOUT_S)
    start = time.monotonic()
    xvfb = Xvfb(dpi=192 if scenario == "scale" else None)
    peer = Peer()
    app = None
    try:
        with tempfile.TemporaryDirectory(prefix="wsdemo-gui-") as workdir:
            workdir = Path(workdir)
            config_home = workdir / "config"
            try:
                if scenario == "restart":
                    result = restart(binary, xvfb, peer, out, workdir, config_home)
                else:
                    if scenario == "mock":
                        (config_home / "wsdemo").mkdir(parents=True)
                        (config_home / "wsdemo" / "settings.json").write_text(json.dumps(
                            {"version": 1, "mockRules": MOCK_RULES,
                             "layout": {"sideTab": "Mock", "logWidthShare": 0.5}}))
                    app = App(binary, xvfb, workdir, config_home)
                    result = {"session": session, "unicode": unicode, "scale": scale,
                              "record": record, "mock": mock,
                              "minimised": minimised}[scenario](app, peer, out, workdir)
            except FAILURES as failure:
                print(f"FAIL: {scenario}: {failure}", file=sys.stderr)
                if app is not None and app.process.poll() is None:
                    app.screenshot(out / f"{scenario}.failure.png")
                    print(f"screen at failure: {out / (scenario + '.failure.png')}",
                          file=sys.stderr)
                    print(f"widgets: {app.widgets()}", file=sys.stderr)
                print(f"peer received {peer.received}, pings {peer.pings}, close code "
                      f"{peer.close_code}", file=sys.stderr)
                log = workdir / "stderr.txt"
                if log.exists():
                    print(f"--- wsdemo stderr ---\n{log.read_text(errors='replace')}",
                          file=sys.stderr)
                return 1
            finally:
                if app is not None:
                    app.kill()
    finally:
        signal.alarm(0)
        peer.stop()
        xvfb.stop()
    print(f"PASS: {scenario}: {result} ({time.monotonic() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
