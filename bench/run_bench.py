#!/usr/bin/python3
"""Every row of the benchmark, side by side in one run; scripts/bench builds and calls this.

    run_bench.py BUILD_DIR NODE_MODULES_DIR [--quick]

Peers against the same server: wsdemo_bench_channel (the Channel), the node `ws` client and the
python3-websockets client all talk to one `wsdemo --echo-server`; the raw TCP floor is a C++ TCP
echo (bench/tcp_floor.cpp). The connect row times connect → open, the Channel against node `ws`,
to that server and to a wss:// one (--tls-cert with tests/peers/certs). The app rows drive the real `wsdemo` window under an Xvfb of its own,
read its `--stats` lines at exit and its CPU time and RSS from /proc. Prints a table with medians
and ratios; writes BUILD_DIR/bench/{results.csv,table.md,bench.png}. Figures, not tests: nothing
here passes or fails on a number.
"""

import contextlib
import csv
import json
import math
import os
import platform
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from Xlib import XK, X, display
from Xlib.ext import xtest
from Xlib.protocol import event

HERE = Path(__file__).resolve().parent
WINDOW_TITLE = "WebSocket Demo"
# Where widgets are comes from the widget map the app writes (app/widget_map.h). The colour
# Send turns while hovered (the dark theme's ButtonHovered).
BUTTON_HOVERED_RGB = (66, 150, 250)
LOG_MAX_ROWS = 10_000  # The log's default row limit (app/settings.h).
ROW_ALLOWANCE_BYTES = 200  # The issue's goal: per row held, beyond the message's own bytes.
FLOOD_MESSAGE_BYTES = 32  # push_server.py's flood messages.
KIB, MIB = 1024, 1024 * 1024
RTT_SIZES = (32, KIB, 64 * KIB)
PEERS = ("tcp floor", "wsdemo Channel", "node ws", "python websockets")
WS_PEERS = PEERS[1:]
CONNECT_PEERS = ("wsdemo Channel", "node ws")
CERTS = HERE.parent / "tests" / "peers" / "certs"
CLK_TCK = os.sysconf("SC_CLK_TCK")
# "done" from the push server means the app's worker has read every message; the window takes
# the last of them (up to the channel's 1024 queued events) in its next frames.
SETTLE_S = 0.25


class Settings:
    def __init__(self, quick):
        self.quick = quick
        # Each peer's runs interleave with the others', so that noise from the rest of the
        # machine falls on all of them alike.
        self.rounds = 2 if quick else 5
        self.rtt_rounds = 2 if quick else 10  # Short runs: a process start is cheap.
        self.rtt_count = {32: 500, KIB: 500, 64 * KIB: 200} if quick else \
            {32: 1000, KIB: 1000, 64 * KIB: 300}
        self.rtt_warmup = 100
        self.throughput_count = 20_000 if quick else 200_000
        self.connect_count = 20 if quick else 100
        self.connect_warmup = 5
        self.big_count = 1 if quick else 3
        self.idle_seconds = 5 if quick else 30
        self.latency_messages = 60 if quick else 300
        self.flood_messages = 100_000 if quick else 1_000_000
        self.close_runs = 2 if quick else 5
        self.hover_probes = 5 if quick else 15
        self.idle_log_messages = 12_000  # Past the log's 10,000 rows: a full log.
        self.first_frame_runs = 3 if quick else 7
        self.script_pause_ms = 300  # Between messages in new scripts: one atlas build each.


class BenchError(Exception):
    pass


# ---------------------------------------------------------------- figures and the CSV


def percentile(values, fraction):
    """Nearest rank: the smallest value with at least `fraction` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(len(ordered) * fraction)) - 1]


class Results:
    def __init__(self):
        self.rows = []  # (row, peer, parameter, run, value, unit)
        self.figures = {}  # (row, peer, parameter) -> summary value

    def raw(self, row, peer, parameter, run, values, unit):
        self.rows.extend((row, peer, parameter, run, value, unit) for value in values)

    def put(self, row, peer, parameter, value):
        self.figures[(row, peer, parameter)] = value
        return value

    def get(self, row, peer, parameter=""):
        return self.figures.get((row, peer, parameter))

    def write_csv(self, path):
        with open(path, "w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["row", "peer", "parameter", "run", "value", "unit"])
            writer.writerows(self.rows)


# ---------------------------------------------------------------- processes


class Processes:
    """Everything the run starts, ended (by pid) when it ends."""

    def __init__(self):
        self.started = []

    def start(self, args, **kwargs):
        process = subprocess.Popen(args, **kwargs)
        self.started.append(process)
        return process

    def end_all(self):
        for process in reversed(self.started):
            if process.poll() is None:
                process.send_signal(signal.SIGCONT)  # A stopped server cannot die otherwise.
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def read_line(process, timeout, what):
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    line = process.stdout.readline().strip() if ready else ""
    if not line:
        raise BenchError(f"no {what} within {timeout} s")
    return line


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime, all threads


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise BenchError(f"no VmRSS for {pid}")


def busy_ticks():
    """CPU ticks all CPUs spent in user and system mode since boot (from /proc/stat)."""
    with open("/proc/stat") as stat:
        user, nice, system = (int(t) for t in stat.readline().split()[1:4])
    return user + nice + system


class OtherLoad:
    """What the rest of the machine took while a part of the run ran: every CPU tick spent
    outside this process, its children (waited for or not) and their threads. Shown beside the
    figures, as they mean little when something else was busy."""

    def __init__(self, processes):
        self.processes = processes
        self.start = (time.monotonic(), busy_ticks(), self.own_ticks())

    def own_ticks(self):
        with open("/proc/self/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        for process in self.processes.started:
            if process.returncode is None:  # Not reaped: not in cutime yet.
                try:
                    ticks += round(cpu_seconds(process.pid) * CLK_TCK)
                except (FileNotFoundError, ProcessLookupError):
                    pass
        return ticks

    def percent_of_a_core(self):
        started, busy, own = self.start
        others = (busy_ticks() - busy) - (self.own_ticks() - own)
        return 100 * max(0, others) / CLK_TCK / (time.monotonic() - started)


@contextlib.contextmanager
def cpus_polling():
    """Holds /dev/cpu_dma_latency at 0 (PM QoS), so idle CPUs poll instead of halting, as
    latency benchmarks do. On this kind of VM a halted vCPU takes 30-50 µs to wake, which
    otherwise lands on the round trips at random."""
    try:
        fd = os.open("/dev/cpu_dma_latency", os.O_WRONLY)
    except OSError as error:
        print(f"Warning: cannot hold /dev/cpu_dma_latency ({error.strerror}): idle CPUs may "
              "halt, and wake-up latency will show in the figures.", flush=True)
        yield False
        return
    try:
        os.write(fd, struct.pack("i", 0))
        yield True
    finally:
        os.close(fd)  # Closing it ends the request.


class Bench:
    def __init__(self, build, node_modules, settings):
        self.build = build
        self.settings = settings
        self.wsdemo = build / "app" / "wsdemo"
        self.processes = Processes()
        self.results = Results()
        self.node_env = dict(os.environ, NODE_PATH=str(node_modules))
        self.configs = tempfile.TemporaryDirectory(prefix="wsdemo-bench-config-")

    # ------------------------------------------------------------ the peers

    def client_args(self, peer, mode, size, count, warmup=0, url=None):
        if peer == "tcp floor":
            return [self.build / "bench" / "wsdemo_bench_tcp", "client", str(self.tcp_port),
                    str(size), str(count), str(warmup)]
        tail = [url or self.echo_url, mode, str(size), str(count), str(warmup)]
        if peer == "wsdemo Channel":
            return [self.build / "bench" / "wsdemo_bench_channel", *tail]
        if peer == "node ws":
            return ["node", HERE / "peers" / "ws_client.js", *tail]
        return ["/usr/bin/python3", HERE / "peers" / "ws_client.py", *tail]

    def peer_run(self, peer, mode, size, count, warmup=0, url=None):
        args = self.client_args(peer, mode, size, count, warmup, url)
        # wss://: every client trusts the test CA that signed the TLS echo server's certificate.
        env = dict(self.node_env if peer == "node ws" else os.environ,
                   WSDEMO_BENCH_CA=str(CERTS / "ca.pem"))
        result = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)
        if result.returncode != 0:
            raise BenchError(f"{peer} {mode} {size}: {result.stderr.strip()}")
        return [float(line) for line in result.stdout.split()]

    def start_servers(self):
        echo = self.processes.start([self.wsdemo, "--echo-server"], stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, text=True)
        self.echo_url = read_line(echo, 10, "echo server URL")
        tls = self.processes.start([self.wsdemo, "--echo-server", "--tls-cert",
                                    CERTS / "localhost.pem", "--tls-key", CERTS / "localhost.key"],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        # By name, as the certificate says: each connection resolves it, as a real one does.
        self.tls_url = read_line(tls, 10, "TLS echo server URL").replace("127.0.0.1",
                                                                          "localhost")
        tcp = self.processes.start([self.build / "bench" / "wsdemo_bench_tcp", "server"],
                                   stdout=subprocess.PIPE, text=True)
        self.tcp_port = int(read_line(tcp, 10, "TCP echo port"))

    def round_trips(self):
        s = self.settings
        for size in RTT_SIZES:
            samples = {peer: [] for peer in PEERS}
            for run in range(s.rtt_rounds):
                for peer in PEERS:
                    values = self.peer_run(peer, "rtt", size, s.rtt_count[size], s.rtt_warmup)
                    self.results.raw("rtt", peer, size, run, values, "us")
                    samples[peer] += values
            for peer in PEERS:
                self.results.put("rtt p50", peer, size, percentile(samples[peer], 0.5))
                self.results.put("rtt p99", peer, size, percentile(samples[peer], 0.99))
            progress(f"round trips, {size} B: " + ", ".join(
                f"{peer} {self.results.get('rtt p50', peer, size):.1f}" for peer in PEERS) +
                " µs (p50)")

    def throughput(self):
        s = self.settings
        rates = {peer: [] for peer in WS_PEERS}
        for run in range(s.rounds):
            for peer in WS_PEERS:
                seconds = self.peer_run(peer, "throughput", 32, s.throughput_count)[0]
                rates[peer].append(s.throughput_count / seconds)
                self.results.raw("throughput", peer, 32, run, [rates[peer][-1]], "msg/s")
        for peer in WS_PEERS:
            self.results.put("throughput", peer, 32, statistics.median(rates[peer]))
        progress("throughput: " + ", ".join(
            f"{peer} {self.results.get('throughput', peer, 32):,.0f}" for peer in WS_PEERS) +
            " msg/s")

    def big_message(self):
        s = self.settings
        times = {peer: [] for peer in WS_PEERS}
        for run in range(s.rounds):
            for peer in WS_PEERS:
                values = self.peer_run(peer, "big", 16 * MIB, s.big_count)
                times[peer] += values
                self.results.raw("16 MiB echo", peer, 16 * MIB, run, values, "s")
        for peer in WS_PEERS:
            self.results.put("16 MiB echo", peer, 16 * MIB, statistics.median(times[peer]))
        progress("16 MiB echo: " + ", ".join(
            f"{peer} {self.results.get('16 MiB echo', peer, 16 * MIB) * 1000:.0f}"
            for peer in WS_PEERS) + " ms")

    def connect_times(self):
        s = self.settings
        for scheme, url in (("ws", self.echo_url), ("wss", self.tls_url)):
            samples = {peer: [] for peer in CONNECT_PEERS}
            for run in range(s.rounds):
                for peer in CONNECT_PEERS:
                    values = self.peer_run(peer, "connect", 0, s.connect_count, s.connect_warmup,
                                           url)
                    self.results.raw("connect", peer, scheme, run, values, "us")
                    samples[peer] += values
            for peer in CONNECT_PEERS:
                self.results.put("connect p50", peer, scheme, percentile(samples[peer], 0.5))
                self.results.put("connect p99", peer, scheme, percentile(samples[peer], 0.99))
            progress(f"connect → open, {scheme}: " + ", ".join(
                f"{peer} {self.results.get('connect p50', peer, scheme):.0f}" for peer in
                CONNECT_PEERS) + " µs (p50)")

    # ------------------------------------------------------------ the window

    def start_xvfb(self):
        read_fd, write_fd = os.pipe()
        # -noreset: otherwise Xvfb resets when its last client goes, racing the next one.
        xvfb = self.processes.start(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1024x768x24", "-nolisten",
             "tcp", "-noreset"], pass_fds=(write_fd,), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            ready, _, _ = select.select([pipe], [], [], 10)
            number = pipe.readline().strip() if ready else ""
        if not number:
            raise BenchError("Xvfb did not report a display number within 10 s")
        return xvfb, f":{number}"

    def app_env(self, display_name, **extra):
        """A fresh settings directory each run (no remembered layout or tab), and the widget
        map."""
        config = tempfile.mkdtemp(dir=self.configs.name)
        return dict(os.environ, DISPLAY=display_name, XDG_CONFIG_HOME=config,
                    WSDEMO_WIDGET_MAP=str(self.build / "bench" / "widgets.json"), **extra)

    def start_app(self, *args):
        """The window on an Xvfb of its own; returns an AppRun once the window is mapped."""
        xvfb, name = self.start_xvfb()
        log = open(self.build / "bench" / "wsdemo-stderr.txt", "w+")
        env = self.app_env(name)
        Path(env["WSDEMO_WIDGET_MAP"]).unlink(missing_ok=True)
        app = self.processes.start([self.wsdemo, *args], env=env, stdout=subprocess.DEVNULL,
                                   stderr=log)
        return AppRun(app, xvfb, name, log, Path(env["WSDEMO_WIDGET_MAP"]))

    def idle(self):
        """The window as people keep it open: a full log, the composer focused, the round-trip
        plot shown; then nothing happens. Against the same window redrawing continuously."""
        s = self.settings
        for peer in ("wsdemo", "redraw continuously"):
            server = self.start_push_server("flood", s.idle_log_messages)
            args = ["--stats", "--url", server.url]
            run = self.start_app(*args, *(["--redraw-continuously"]
                                          if peer == "redraw continuously" else []))
            server.wait_for("done", timeout=60)
            run.wait_for("a full log", lambda: run.widgets()["values"].get("log rows") ==
                         str(LOG_MAX_ROWS))
            run.click("Stats")
            for _ in range(3):
                run.click("Ping")
                time.sleep(0.2)
            run.write_draft()  # Last: the composer keeps the focus.
            time.sleep(2)  # The pongs, and the frames that follow the last input.
            self.results.put("RSS at start", peer, "", rss_mb(run.app.pid))
            before = run.cpu_seconds()
            time.sleep(s.idle_seconds)
            used = run.cpu_seconds() - before
            percent = self.results.put("idle CPU", peer, "", 100 * used / s.idle_seconds)
            self.results.raw("idle CPU", peer, s.idle_seconds, 0, [percent], "% of a core")
            if peer == "wsdemo":
                self.hover("idle", run)
            stats = run.close()
            progress(f"idle, {peer}: {percent:.2f}% of a core (app + Xvfb) over "
                     f"{s.idle_seconds} s, full log, composer focused, plot shown; "
                     f"{stats['frames']:.0f} frames in the whole run, RSS "
                     f"{self.results.get('RSS at start', peer):.0f} MB")

    def hover(self, condition, run):
        """Input → screen: XTEST mouse motion onto Send until the window shows it hovered, and
        off it until it does not."""
        if not run.drafted:
            run.write_draft()
        samples = []
        on_send, off_send = run.center("Send"), run.center("Message")
        for _ in range(self.settings.hover_probes):
            for point, hovered in ((on_send, True), (off_send, False)):
                time.sleep(0.1)  # Past the frames that settle the previous motion.
                start = time.perf_counter()
                run.move_mouse(point)
                deadline = start + 2
                while run.send_hovered() != hovered:
                    if time.perf_counter() > deadline:
                        raise BenchError(f"no hover change within 2 s ({condition})")
                samples.append((time.perf_counter() - start) * 1000)
        self.results.raw("input to screen", "wsdemo", condition, 0, samples, "ms")
        self.results.put("input to screen p50", "wsdemo", condition,
                         percentile(samples, 0.5))
        self.results.put("input to screen max", "wsdemo", condition, max(samples))

    def arrival_latency(self):
        s = self.settings
        server = self.start_push_server("spaced", s.latency_messages, 10, 60)
        run = self.start_app("--stats", "--url", server.url)
        server.wait_for("done", timeout=s.latency_messages * 0.1 + 30)
        time.sleep(SETTLE_S)
        stats = run.close()
        latency = stats["arrival_to_screen_ms"]
        for key in ("p50", "p90", "p99", "max"):
            self.results.put("arrival to screen", "wsdemo", key, latency[key])
        self.results.put("arrival to screen", "wsdemo", "shown", latency["n"])
        self.results.put("arrival to screen", "wsdemo", "received", stats["received"])
        self.results.raw("arrival to screen", "wsdemo", "p50,p90,p99,max", 0,
                         [latency[k] for k in ("p50", "p90", "p99", "max")], "ms")
        progress(f"arrival → screen: p50 {latency['p50']:.2f} ms, p99 {latency['p99']:.2f} ms "
                 f"({latency['n']} of {stats['received']} messages shown)")

    def flood(self):
        s = self.settings
        server = self.start_push_server("flood", s.flood_messages, "wait")
        run = self.start_app("--stats", "--url", server.url)
        server.wait_for("connected", timeout=10)
        time.sleep(1.5)  # The empty window settles (fonts, first frames).
        start_rss = rss_mb(run.app.pid)
        run.write_draft()  # For the hover probe under the flood.
        server.go()
        rss = []  # (messages sent, MB), sampled as the server reports progress
        cpu_before, wall_before = run.cpu_seconds(), time.monotonic()
        probed = False
        while True:
            line = server.next_line(timeout=300)
            if line == "done":
                break
            sent = int(line.split()[1])
            rss.append((sent, rss_mb(run.app.pid)))
            if not probed:  # Once, while the flood runs.
                self.hover("flood", run)
                probed = True
        cpu = (run.cpu_seconds() - cpu_before) / (time.monotonic() - wall_before) * 100
        time.sleep(SETTLE_S)
        final = rss_mb(run.app.pid)
        stats = run.close()
        for sent, mb in rss:
            self.results.raw("flood RSS", "wsdemo", f"{sent} messages sent", 0, [mb], "MB")
        self.results.put("flood", "wsdemo", "RSS start", start_rss)
        self.results.put("flood", "wsdemo", "RSS first tenth", rss[0][1])
        self.results.put("flood", "wsdemo", "RSS half",
                         next(mb for sent, mb in rss if sent >= s.flood_messages // 2))
        self.results.put("flood", "wsdemo", "frame p99", stats["frame_ms"]["p99"])
        self.results.put("flood", "wsdemo", "frame p50", stats["frame_ms"]["p50"])
        self.results.put("flood", "wsdemo", "frame max", stats["frame_ms"]["max"])
        self.results.put("flood", "wsdemo", "RSS end", final)
        self.results.put("flood", "wsdemo", "received", stats["received"])
        self.results.put("flood", "wsdemo", "fps", stats["frames"] / stats["seconds"])
        self.results.put("flood", "wsdemo", "wakes per frame", stats["wakes"] / stats["frames"])
        self.results.put("flood", "wsdemo", "CPU", cpu)
        self.results.put("flood", "wsdemo", "seconds", stats["seconds"])
        progress(f"flood of {s.flood_messages:,}: {stats['received']:,} received, "
                 f"{stats['frames'] / stats['seconds']:.0f} frames/s, "
                 f"{stats['wakes'] / stats['frames']:.2f} wakes a frame, RSS {start_rss:.0f} → "
                 f"{final:.0f} MB, {cpu:.0f}% CPU, frame p99 {stats['frame_ms']['p99']:.2f} ms")

    def first_frame(self):
        """Spawn → first frame drawn (after its SwapBuffers), fonts included: the app against a
        bare GLFW + Dear ImGui window (bench/first_frame_floor.cpp), runs interleaved, on one
        Xvfb."""
        xvfb, name = self.start_xvfb()
        floor_program = self.build / "bench" / "wsdemo_bench_first_frame"
        times = {"floor": [], "wsdemo": []}
        try:
            for _ in range(self.settings.first_frame_runs):
                env = dict(os.environ, DISPLAY=name, WSDEMO_SPAWN_NS=str(time.monotonic_ns()))
                result = subprocess.run([floor_program], env=env, capture_output=True,
                                        text=True, timeout=30)
                times["floor"].append(float(result.stdout.split("first_frame_ms=")[1]))

                log = open(self.build / "bench" / "wsdemo-stderr.txt", "w+")
                env = self.app_env(name)
                env["WSDEMO_SPAWN_NS"] = str(time.monotonic_ns())
                app = self.processes.start([self.wsdemo, "--stats"], env=env,
                                           stdout=subprocess.DEVNULL, stderr=log)
                run = AppRun(app, xvfb, name, log, Path(env["WSDEMO_WIDGET_MAP"]))
                run.xvfb = None  # Shared by the row's runs.
                times["wsdemo"].append(run.close()["first_frame_ms"])
        finally:
            xvfb.terminate()
            xvfb.wait(timeout=5)
        for peer, values in times.items():
            self.results.raw("first frame", peer, "", 0, values, "ms")
            self.results.put("first frame", peer, "", statistics.median(values))
        progress("spawn → first frame: " + ", ".join(
            f"{peer} median {statistics.median(v):.0f} ms of {', '.join(f'{t:.0f}' for t in v)}"
            for peer, v in times.items()))

    def atlas(self):
        """A new script arrives: the headless atlas benchmark (bench/atlas_rebuild.cpp), and
        the window's own builds on its worker and the frames that swap them in."""
        result = subprocess.run([self.build / "bench" / "wsdemo_bench_atlas"],
                                capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            raise BenchError(f"wsdemo_bench_atlas: {result.stderr.strip()}")
        figures = dict(line.split("=", 1) for line in result.stdout.split() if "=" in line)
        for key, value in figures.items():
            self.results.put("atlas bench", "wsdemo_bench_atlas", key, float(value))
            self.results.raw("atlas bench", "wsdemo_bench_atlas", key, 0, [float(value)], "")

        server = self.start_push_server("scripts", self.settings.script_pause_ms)
        run = self.start_app("--stats", "--url", server.url)
        server.wait_for("done", timeout=60)
        time.sleep(1)  # The last build and its swap.
        stats = run.close()
        for key in ("atlas_build_ms", "atlas_swap_frame_ms"):
            for quantile in ("n", "p50", "p99", "max"):
                self.results.put("atlas app", key, quantile, stats[key][quantile])
        self.results.put("atlas app", "frame_ms", "p99", stats["frame_ms"]["p99"])
        build, swap = stats["atlas_build_ms"], stats["atlas_swap_frame_ms"]
        progress(f"atlas: bench rebuild p99 {figures.get('rebuild_ms_p99', '?')} ms; the window: "
                 f"{build['n']:.0f} builds p50 {build['p50']:.1f} / p99 {build['p99']:.1f} ms on "
                 f"its worker, swap frame p99 {swap['p99']:.1f} ms")

    def close_to_exit(self):
        s = self.settings
        for condition in ("embedded server", "stopped server"):
            times = []
            for _ in range(s.close_runs):
                server = None
                if condition == "embedded server":
                    run = self.start_app()
                else:
                    server = self.processes.start([self.wsdemo, "--echo-server"],
                                                  stdout=subprocess.PIPE,
                                                  stderr=subprocess.DEVNULL, text=True)
                    run = self.start_app("--url", read_line(server, 10, "echo server URL"))
                time.sleep(0.5)  # Connected: 127.0.0.1 takes well under a millisecond.
                if server:
                    os.kill(server.pid, signal.SIGSTOP)  # Accepts TCP, answers nothing.
                start = time.perf_counter()
                run.request_close()
                status = run.app.wait(timeout=10)
                times.append((time.perf_counter() - start) * 1000)
                run.end()
                if server:
                    os.kill(server.pid, signal.SIGCONT)
                    server.terminate()
                    server.wait(timeout=5)
                if status != 0:
                    raise BenchError(f"wsdemo exited with {status} ({condition})")
            self.results.raw("close to exit", "wsdemo", condition, 0, times, "ms")
            self.results.put("close to exit", "wsdemo", condition, statistics.median(times))
            progress(f"window close → exit, {condition}: median {statistics.median(times):.0f} "
                     f"ms of {', '.join(f'{t:.0f}' for t in times)}")

    def start_push_server(self, *args):
        process = self.processes.start(
            ["/usr/bin/python3", HERE / "push_server.py", *map(str, args)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        return PushServer(process)


class PushServer:
    def __init__(self, process):
        self.process = process
        self.url = f"ws://127.0.0.1:{read_line(process, 10, 'push server port')}/"

    def go(self):
        """Starts a waiting flood."""
        self.process.stdin.write("go\n")
        self.process.stdin.flush()

    def next_line(self, timeout):
        return read_line(self.process, timeout, "push server progress")

    def wait_for(self, wanted, timeout):
        deadline = time.monotonic() + timeout
        while self.next_line(max(0.1, deadline - time.monotonic())) != wanted:
            pass


class AppRun:
    """The app on its Xvfb: window found through Xlib, input through XTEST."""

    def __init__(self, app, xvfb, name, log, map_path):
        self.app, self.xvfb, self.log, self.map_path = app, xvfb, log, map_path
        self.display = display.Display(name)
        deadline = time.monotonic() + 10
        while not (window := self.find_window()):
            if app.poll() is not None or time.monotonic() > deadline:
                raise BenchError(f"no window (wsdemo status {app.poll()})")
            time.sleep(0.02)
        self.window = window
        # Nobody else focuses it (no window manager), and the GLFW backend reads the mouse only
        # while the window has the focus.
        self.window.set_input_focus(X.RevertToParent, X.CurrentTime)
        self.display.sync()
        # Off the label: 2 px in from Send's left edge, half way down.
        x, y, _, height = self.rect("Send")
        self.send_probe = (int(x) + 2, int(y + height / 2))
        self.drafted = False

    def widgets(self):
        try:
            return json.loads(self.map_path.read_text())
        except (OSError, ValueError):
            return {"items": {}, "values": {}}

    def wait_for(self, what, condition, timeout=10):
        deadline = time.monotonic() + timeout
        while not (result := condition()):
            if self.app.poll() is not None or time.monotonic() > deadline:
                raise BenchError(f"no {what} within {timeout} s (wsdemo status {self.app.poll()})")
            time.sleep(0.02)
        return result

    def rect(self, label):
        return self.wait_for(f'widget "{label}" in the widget map',
                             lambda: self.widgets()["items"].get(label))

    def center(self, label):
        x, y, width, height = self.rect(label)
        return (int(x + width / 2), int(y + height / 2))

    def write_draft(self):
        """Text in the composer, which enables Send (disabled, it shows no hover)."""
        self.click("Message")
        for character in "hello":
            keycode = self.display.keysym_to_keycode(XK.string_to_keysym(character))
            for kind in (X.KeyPress, X.KeyRelease):
                xtest.fake_input(self.display, kind, keycode)
                self.display.sync()
        self.drafted = True
        time.sleep(0.2)

    def click(self, label):
        """Onto the widget, until a frame saw it hovered (Dear ImGui acts on a click only then),
        and a click."""
        self.move_mouse(self.center(label))
        self.wait_for(f'mouse over "{label}"',
                      lambda: self.widgets()["values"].get("hovered") == label)
        for kind in (X.ButtonPress, X.ButtonRelease):
            xtest.fake_input(self.display, kind, 1)
            self.display.sync()
            time.sleep(0.05)

    def find_window(self):
        for child in self.display.screen().root.query_tree().children:
            attributes = child.get_attributes()
            if child.get_wm_name() == WINDOW_TITLE and attributes.map_state == X.IsViewable:
                return child
        return None

    def cpu_seconds(self):
        return cpu_seconds(self.app.pid) + cpu_seconds(self.xvfb.pid)

    def move_mouse(self, point):
        origin = self.window.translate_coords(self.display.screen().root, 0, 0)
        xtest.fake_input(self.display, X.MotionNotify, x=-origin.x + point[0],
                         y=-origin.y + point[1])
        self.display.sync()

    def send_hovered(self):
        blue, green, red, _ = self.window.get_image(*self.send_probe, 1, 1, X.ZPixmap,
                                                    0xFFFFFFFF).data
        return (red, green, blue) == BUTTON_HOVERED_RGB

    def request_close(self):
        """WM_DELETE_WINDOW, as a window manager's close button sends."""
        d = self.display
        message = event.ClientMessage(
            window=self.window, client_type=d.intern_atom("WM_PROTOCOLS"),
            data=(32, [d.intern_atom("WM_DELETE_WINDOW"), X.CurrentTime, 0, 0, 0]))
        self.window.send_event(message, event_mask=X.NoEventMask)
        d.flush()

    def close(self):
        """Closes the window, waits for a clean exit; the --stats figures."""
        self.request_close()
        status = self.app.wait(timeout=10)
        self.end()
        self.log.seek(0)
        text = self.log.read()
        if status != 0:
            raise BenchError(f"wsdemo exited with {status}: {text}")
        return parse_stats(text)

    def end(self):
        self.display.close()
        if self.xvfb:
            self.xvfb.terminate()
            self.xvfb.wait(timeout=5)


def parse_stats(text):
    stats = {}
    for line in text.splitlines():
        if not line.startswith("wsdemo: stats: "):
            continue
        fields = line[len("wsdemo: stats: "):].split()
        if "=" in fields[0]:
            stats.update((k, float(v)) for k, v in (f.split("=") for f in fields))
        else:
            stats[fields[0]] = {k: float(v) for k, v in (f.split("=") for f in fields[1:])}
    if "frames" not in stats:
        raise BenchError(f"no --stats lines from wsdemo: {text}")
    return stats


def progress(line):
    print(f"  {line}", flush=True)


# ---------------------------------------------------------------- the report


def machine():
    model = "unknown CPU"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break

    def version(command):
        try:
            return subprocess.run(command, capture_output=True, text=True,
                                  timeout=10).stdout.strip()
        except OSError:
            return "?"

    with open("/etc/debian_version") as debian:
        debian_version = debian.read().strip()
    mesa = version(["dpkg-query", "-W", "-f=${Version}", "libgl1-mesa-dri"])
    lws = version(["dpkg-query", "-W", "-f=${Version}", "libwebsockets-dev"])
    memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30
    return (f"{model}, {os.cpu_count()} cores, {memory:.0f} GiB; "
            f"Linux {platform.release()}, Debian {debian_version}; Xvfb with Mesa llvmpipe "
            f"{mesa}; libwebsockets {lws}; node {version(['node', '--version'])}")


def machine_busy(seconds=2):
    """How busy all CPUs were over the next `seconds`, in percent (from /proc/stat)."""

    def sample():
        with open("/proc/stat") as stat:
            ticks = [int(t) for t in stat.readline().split()[1:]]
        return sum(ticks), ticks[3] + ticks[4]  # total, idle + iowait

    total, idle = sample()
    time.sleep(seconds)
    total2, idle2 = sample()
    return 100 * (1 - (idle2 - idle) / max(1, total2 - total))


def ratio(value, baseline):
    return f"{value / baseline:.2f}×" if value and baseline else "—"


def verdict(met):
    return "met" if met else "**missed**"


def table(results, settings):
    r = results
    lines = ["| what | wsdemo | baselines, same run | goal | |", "|---|---|---|---|---|"]

    def row(what, value, baseline, goal, met):
        lines.append(f"| {what} | {value} | {baseline} | {goal} | "
                     f"{'—' if met is None else verdict(met)} |")

    idle, busy = r.get("idle CPU", "wsdemo"), r.get("idle CPU", "redraw continuously")
    row(f"idle CPU, connected, no traffic, {settings.idle_seconds} s (app + its Xvfb); full log "
        f"({settings.idle_log_messages:,} messages pushed first), composer focused, round-trip "
        "plot shown", f"{idle:.2f}% of a core", f"redrawing continuously: {busy:.0f}%",
        "0.00%", round(idle, 2) == 0)

    arrival = lambda key: r.get("arrival to screen", "wsdemo", key)
    row(f"message arrival → on screen ({arrival('shown'):.0f} of {arrival('received'):.0f} "
        "spaced messages drawn)",
        f"p50 {arrival('p50'):.2f} ms, p99 {arrival('p99'):.2f} ms", "—",
        "p50 ≤ 3 ms, p99 ≤ 16 ms", arrival("p50") <= 3 and arrival("p99") <= 16)

    for size in RTT_SIZES:
        p50 = {peer: r.get("rtt p50", peer, size) for peer in PEERS}
        p99 = r.get("rtt p99", "wsdemo Channel", size)
        channel = p50["wsdemo Channel"]
        row(f"echo round trip, {size_name(size)}, p50 (p99)",
            f"{channel:.1f} µs ({p99:.0f})",
            f"TCP floor {p50['tcp floor']:.1f} µs ({ratio(channel, p50['tcp floor'])}); "
            f"node ws {p50['node ws']:.1f} µs ({ratio(channel, p50['node ws'])}); "
            f"python {p50['python websockets']:.1f} µs "
            f"({ratio(channel, p50['python websockets'])})",
            "≤ 1.5× floor and < node",
            channel <= 1.5 * p50["tcp floor"] and channel < p50["node ws"])

    rate = {peer: r.get("throughput", peer, 32) for peer in WS_PEERS}
    row(f"throughput, {settings.throughput_count:,} pipelined 32 B messages",
        f"{rate['wsdemo Channel']:,.0f} msg/s",
        f"node ws {rate['node ws']:,.0f} ({ratio(rate['wsdemo Channel'], rate['node ws'])}); "
        f"python {rate['python websockets']:,.0f} "
        f"({ratio(rate['wsdemo Channel'], rate['python websockets'])})",
        "≥ node", rate["wsdemo Channel"] >= rate["node ws"])

    big = {peer: r.get("16 MiB echo", peer, 16 * MIB) * 1000 for peer in WS_PEERS}
    row("16 MiB message echo", f"{big['wsdemo Channel']:.0f} ms",
        f"node ws {big['node ws']:.0f} ms ({ratio(big['wsdemo Channel'], big['node ws'])}); "
        f"python {big['python websockets']:.0f} ms "
        f"({ratio(big['wsdemo Channel'], big['python websockets'])})",
        "< both", big["wsdemo Channel"] < min(big["node ws"], big["python websockets"]))

    for scheme in ("ws", "wss"):
        p50 = {peer: r.get("connect p50", peer, scheme) for peer in CONNECT_PEERS}
        p99 = {peer: r.get("connect p99", peer, scheme) for peer in CONNECT_PEERS}
        channel = p50["wsdemo Channel"]
        row(f"connect → open, {scheme}://, loopback, p50 (p99)",
            f"{channel:.0f} µs ({p99['wsdemo Channel']:.0f})",
            f"node ws {p50['node ws']:.0f} µs ({p99['node ws']:.0f}; "
            f"{ratio(channel, p50['node ws'])})", "—", None)

    embedded = r.get("close to exit", "wsdemo", "embedded server")
    stopped = r.get("close to exit", "wsdemo", "stopped server")
    row("window close → process exit (median)", f"{embedded:.0f} ms", "—", "≤ 250 ms",
        embedded <= 250)
    row("… with a stopped server (SIGSTOP)", f"{stopped:.0f} ms", "—", "≤ 1 s",
        stopped <= 1000)

    flood = lambda key: r.get("flood", "wsdemo", key)
    rows_held = min(LOG_MAX_ROWS, flood("received"))
    allowance = rows_held * (FLOOD_MESSAGE_BYTES + ROW_ALLOWANCE_BYTES) / MIB
    above_empty = flood("RSS end") - flood("RSS start")
    per_row = above_empty * MIB / rows_held - FLOOD_MESSAGE_BYTES
    growth = flood("RSS end") - flood("RSS half")
    row(f"RSS after a flood of {settings.flood_messages:,} {FLOOD_MESSAGE_BYTES} B messages "
        f"({flood('received'):,.0f} received, {rows_held:,.0f} rows held), above the empty "
        "window",
        f"+{above_empty:.2f} MB: {per_row:,.0f} B a row beyond the message (empty "
        f"{flood('RSS start'):.1f} MB, end {flood('RSS end'):.1f})",
        f"allowance {allowance:.2f} MB", f"≤ message bytes + {ROW_ALLOWANCE_BYTES} B a row",
        above_empty <= allowance)
    row("… flat once the log is full: RSS at half the flood → end",
        f"{flood('RSS half'):.2f} → {flood('RSS end'):.2f} MB ({growth:+.2f})",
        f"after a tenth: {flood('RSS first tenth'):.2f} MB", "no growth (≤ 1 MB)", growth <= 1)
    row("… frame time under that flood (--stats frame_ms, llvmpipe), p99 (p50, max)",
        f"{flood('frame p99'):.2f} ms ({flood('frame p50'):.2f}, {flood('frame max'):.1f})",
        "—", "p99 ≤ 8 ms", flood("frame p99") <= 8)
    row("under that flood: frames/s, wakes a frame, CPU",
        f"{flood('fps'):.0f} frames/s, {flood('wakes per frame'):.2f} wakes a frame, "
        f"{flood('CPU'):.0f}% of a core", "—", "≤ 1 wake a frame",
        flood("wakes per frame") <= 1.0)
    hover = lambda condition: r.get("input to screen p50", "wsdemo", condition)
    hover_max = lambda condition: r.get("input to screen max", "wsdemo", condition)
    row("mouse onto Send → hover drawn, p50 (max)",
        f"under the flood {hover('flood'):.1f} ms ({hover_max('flood'):.0f})",
        f"idle: {hover('idle'):.1f} ms ({hover_max('idle'):.0f})",
        "responsive: within 2 frames (33 ms)", hover_max("flood") <= 33.4)

    first = r.get("first frame", "wsdemo")
    floor = r.get("first frame", "floor")
    row(f"spawn → first frame drawn, fonts included (median of {settings.first_frame_runs})",
        f"{first:.0f} ms", f"bare GLFW + Dear ImGui window {floor:.0f} ms "
        f"({ratio(first, floor)})", "≤ 1.2× floor", first <= 1.2 * floor)

    bench = lambda key: r.get("atlas bench", "wsdemo_bench_atlas", key)
    rebuild, swap = bench("rebuild_ms_p99"), bench("worker_swap_ms_p99")
    row(f"glyph atlas, a new script arrives (wsdemo_bench_atlas: {bench('glyphs'):.0f} glyphs), "
        "p99: build on the worker + swap on the UI thread",
        f"{rebuild:.1f} + {swap:.2f} ms",
        f"Latin only {bench('latin_build_ms_p99'):.1f} ms; many scripts at once "
        f"{bench('rebuild_many_scripts_ms_p99'):.1f} ms; CPU time {bench('rebuild_cpu_ms_p99'):.1f}"
        " ms", "≤ 16.7 ms", rebuild + swap <= 16.7)
    app = lambda key, quantile: r.get("atlas app", key, quantile)
    row(f"… in the window: {app('atlas_build_ms', 'n'):.0f} builds as messages in new scripts "
        f"arrive {settings.script_pause_ms} ms apart (--stats atlas_build_ms + "
        "atlas_swap_frame_ms), p99 (p50)",
        f"{app('atlas_build_ms', 'p99'):.1f} + {app('atlas_swap_frame_ms', 'p99'):.1f} ms "
        f"({app('atlas_build_ms', 'p50'):.1f} + {app('atlas_swap_frame_ms', 'p50'):.1f})",
        f"all frames p99 {app('frame_ms', 'p99'):.1f} ms", "≤ 16.7 ms",
        app("atlas_build_ms", "p99") + app("atlas_swap_frame_ms", "p99") <= 16.7)
    return "\n".join(lines)


def size_name(size):
    return f"{size // KIB} KiB" if size >= KIB else f"{size} B"


def plot(results, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    r = results
    colors = {"tcp floor": "#888888", "wsdemo Channel": "#1f77b4", "node ws": "#2ca02c",
              "python websockets": "#ff7f0e"}
    figure, axes = plt.subplots(2, 2, figsize=(11, 7.5))
    ax = axes[0][0]
    width = 0.2
    for i, peer in enumerate(PEERS):
        values = [r.get("rtt p50", peer, size) for size in RTT_SIZES]
        ax.bar([x + (i - 1.5) * width for x in range(len(RTT_SIZES))], values, width,
               label=peer, color=colors[peer])
    ax.set_xticks(range(len(RTT_SIZES)), [size_name(size) for size in RTT_SIZES])
    ax.set_yscale("log")
    ax.set_ylabel("µs, p50, log scale (lower is better)")
    ax.set_title("Echo round trip, one message in flight")
    ax.legend(fontsize=8)

    for ax, key, parameter, title, unit, scale in (
            (axes[0][1], "throughput", 32, "Pipelined 32 B messages",
             "messages/s (higher is better)", 1),
            (axes[1][0], "16 MiB echo", 16 * MIB, "16 MiB message echo",
             "ms (lower is better)", 1000)):
        values = [r.get(key, peer, parameter) * scale for peer in WS_PEERS]
        ax.bar(WS_PEERS, values, color=[colors[peer] for peer in WS_PEERS])
        ax.set_title(title)
        ax.set_ylabel(unit)
        ax.tick_params(axis="x", labelsize=8)

    ax = axes[1][1]
    labels = ["event-driven\n(wsdemo)", "redrawing\ncontinuously"]
    values = [r.get("idle CPU", "wsdemo"), r.get("idle CPU", "redraw continuously")]
    bars = ax.bar(labels, values, color=["#1f77b4", "#888888"])
    ax.bar_label(bars, [f"{v:.2f}%" for v in values])
    ax.set_title("Idle window, connected: CPU (app + its Xvfb)")
    ax.set_ylabel("% of one core")
    figure.suptitle("wsdemo benchmark (all clients against the same wsdemo --echo-server)")
    figure.tight_layout()
    figure.savefig(path, dpi=80)


def main():
    if len(sys.argv) < 3 or sys.argv[3:] not in ([], ["--quick"]):
        sys.exit(__doc__)
    build, node_modules = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    settings = Settings(sys.argv[3:] == ["--quick"])
    out = build / "bench"
    bench = Bench(build, node_modules, settings)
    started = time.monotonic()
    others = {}  # Part of the run -> what other processes took meanwhile, % of a core.
    polling = False
    busy_before = machine_busy()
    if busy_before > 5:
        print(f"Warning: {busy_before:.0f}% of the CPUs were busy before the run: something "
              "else is running, and the figures will show it.", flush=True)
    try:
        def measure(part):
            load = OtherLoad(bench.processes)
            part()
            others[part.__name__] = load.percent_of_a_core()

        bench.start_servers()
        print("Clients against one wsdemo --echo-server, idle CPUs polling:", flush=True)
        with cpus_polling() as polling:
            for part in (bench.round_trips, bench.throughput, bench.big_message,
                         bench.connect_times):
                measure(part)
        # The window as on any machine: idle CPUs may halt.
        print("The window (each run on an Xvfb of its own):", flush=True)
        for part in (bench.idle, bench.arrival_latency, bench.flood, bench.first_frame,
                     bench.atlas, bench.close_to_exit):
            measure(part)
    except (BenchError, subprocess.SubprocessError) as failure:
        sys.exit(f"bench: {failure}")
    finally:
        bench.processes.end_all()

    others_text = ", ".join(f"{part.replace('_', ' ')} {percent:.0f}"
                            for part, percent in others.items())
    idle_text = ("The client rows ran with idle CPUs polling (/dev/cpu_dma_latency held at 0), "
                 "the window rows without." if polling else "Idle CPUs could halt throughout.")
    report = (f"Machine: {machine()}.\n\n"
              f"Run: {time.strftime('%Y-%m-%d')}, {'--quick, ' if settings.quick else ''}"
              f"{time.monotonic() - started:.0f} s; CPUs {busy_before:.0f}% busy in the 2 s "
              f"before it. Other processes meanwhile, in % of one core: {others_text}. "
              f"{idle_text}\n\n" + table(bench.results, settings) + "\n")
    print("\n" + report)
    bench.results.write_csv(out / "results.csv")
    (out / "table.md").write_text(report)
    plot(bench.results, out / "bench.png")
    print(f"Raw figures: {out / 'results.csv'}\nTable: {out / 'table.md'}\n"
          f"Plot: {out / 'bench.png'}")


if __name__ == "__main__":
    main()
