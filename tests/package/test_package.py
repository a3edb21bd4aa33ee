#!/usr/bin/python3
"""The Debian package, as a user gets it: built by scripts/package from a built
tree (CPack, then lintian), unpacked with dpkg-deb -x into a temporary root,
and run from there.

Usage: /usr/bin/python3 tests/package/test_package.py BUILD_DIR [unittest options]

Needs dpkg-dev, lintian, desktop-file-utils, appstream, xdg-utils, man-db and,
for the ws:// link, xvfb (the GUI tests' Xvfb and Peer are reused).
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(SOURCE / "tests" / "gui"))
from window_driver import Peer, Xvfb, wait_for  # noqa: E402

BUILD = None  # The built tree to package, from the command line.
TIMEOUT = 10  # for one run of the installed binary

EXPECTED_FILES = {
    "usr/bin/wsdemo",
    "usr/share/applications/wsdemo.desktop",
    "usr/share/bash-completion/completions/wsdemo",
    "usr/share/doc/wsdemo/LICENSE",
    "usr/share/doc/wsdemo/README.md",
    "usr/share/doc/wsdemo/changelog.gz",
    "usr/share/doc/wsdemo/copyright",
    "usr/share/icons/hicolor/128x128/apps/wsdemo.png",
    "usr/share/icons/hicolor/256x256/apps/wsdemo.png",
    "usr/share/icons/hicolor/48x48/apps/wsdemo.png",
    "usr/share/icons/hicolor/scalable/apps/wsdemo.svg",
    "usr/share/man/man1/wsdemo.1.gz",
    "usr/share/metainfo/io.github.wsdemo.wsdemo.metainfo.xml",
}


def run(*command, **options):
    return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, **options)


class Package(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = Path(tempfile.mkdtemp(prefix="wsdemo-package-"))
        cls.packaging = subprocess.run(
            [SOURCE / "scripts" / "package", "--from", BUILD, "--into", cls.scratch / "out"],
            capture_output=True, text=True, timeout=300)
        if cls.packaging.returncode != 0:
            return  # test_lintian_* reports it; the rest are skipped.
        cls.deb = Path(cls.packaging.stdout.splitlines()[-1])
        cls.root = cls.scratch / "root"
        subprocess.run(["dpkg-deb", "-x", cls.deb, cls.root], check=True)
        cls.wsdemo = cls.root / "usr/bin/wsdemo"

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.scratch)

    def setUp(self):
        if self.packaging.returncode != 0 and not self.id().endswith("lintian"):
            self.skipTest("scripts/package failed")

    def field(self, name):
        return run("dpkg-deb", "-f", self.deb, name).stdout.strip()

    def test_scripts_package_builds_a_deb_that_passes_lintian(self):
        self.assertEqual(self.packaging.returncode, 0,
                         f"scripts/package:\n{self.packaging.stdout}\n{self.packaging.stderr}")
        self.assertRegex(self.deb.name, r"^wsdemo_\d+\.\d+\.\d+_\w+\.deb$")

    def test_control_fields_name_maintainer_section_homepage_and_dependencies(self):
        self.assertEqual(self.field("Package"), "wsdemo")
        self.assertEqual(self.field("Section"), "net")
        self.assertRegex(self.field("Maintainer"), r"^[^<>]+ <[^@<>]+@[^@<>]+>$")
        self.assertRegex(self.field("Homepage"), r"^https://")
        depends = self.field("Depends")
        # dpkg-shlibdeps' share, with versions, and the font the window cannot do without.
        for library in ("libwebsockets17", "libglfw3", "libssl3", "libfreetype6", "libc6"):
            self.assertRegex(depends, rf"(^|, ){library} \(>= [^)]+\)")
        self.assertRegex(depends, r"(^|, )fonts-dejavu-core(,|$)")
        self.assertEqual(self.field("Recommends"), "fonts-noto-cjk, fonts-symbola")

    def test_package_places_every_file(self):
        files = {str(p.relative_to(self.root)) for p in self.root.rglob("*") if not p.is_dir()}
        self.assertEqual(files, EXPECTED_FILES)

    def test_desktop_entry_is_valid_and_opens_ws_and_wss_links(self):
        entry = self.root / "usr/share/applications/wsdemo.desktop"
        result = run("desktop-file-validate", entry)
        self.assertEqual((result.returncode, result.stdout + result.stderr), (0, ""))
        lines = entry.read_text().splitlines()
        for line in ("Exec=wsdemo %u", "Icon=wsdemo", "StartupWMClass=wsdemo",
                     "MimeType=x-scheme-handler/ws;x-scheme-handler/wss;"):
            self.assertIn(line, lines)

    def test_appstream_data_is_valid(self):
        result = run("appstreamcli", "validate", "--no-net", "--pedantic",
                     self.root / "usr/share/metainfo/io.github.wsdemo.wsdemo.metainfo.xml")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertNotRegex(result.stdout, r"(?m)^[EWIP]:", result.stdout)

    def test_icons_have_the_sizes_their_folders_name(self):
        for size in (48, 128, 256):
            png = (self.root / f"usr/share/icons/hicolor/{size}x{size}/apps/wsdemo.png")
            header = png.read_bytes()[:24]
            self.assertEqual(header[:8], b"\x89PNG\r\n\x1a\n", png)
            width, height = (int.from_bytes(header[i:i + 4], "big") for i in (16, 20))
            self.assertEqual((width, height), (size, size), png)

    def test_man_page_renders(self):
        page = run("man", "-l", "-Tutf8", self.root / "usr/share/man/man1/wsdemo.1.gz",
                   env={**os.environ, "MANWIDTH": "80"})
        self.assertEqual(page.returncode, 0, page.stderr)
        self.assertIn("wsdemo - ", re.sub(r".\x08", "", page.stdout))

    def test_installed_binary_prints_its_version_and_help(self):
        version = run(self.wsdemo, "--version")
        self.assertEqual(version.returncode, 0, version.stderr)
        self.assertEqual(version.stdout.splitlines()[0], f"wsdemo {self.field('Version')}")
        usage = run(self.wsdemo, "--help")
        self.assertEqual(usage.returncode, 0, usage.stderr)
        self.assertIn("Usage: wsdemo [OPTIONS] [URL]", usage.stdout)

    def test_installed_binary_echoes_through_its_own_server(self):
        server = subprocess.Popen([self.wsdemo, "--echo-server"], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True)
        try:
            url = server.stdout.readline().strip()  # Its first line, at once.
            self.assertRegex(url, r"^ws://127\.0\.0\.1:\d+/$")
            client = run(self.wsdemo, "--headless", url, input="hello\nwsdemo\n")
            self.assertEqual((client.returncode, client.stdout), (0, "hello\nwsdemo\n"),
                             client.stderr)
        finally:
            server.terminate()
            server.wait(TIMEOUT)

    def test_xdg_open_opens_ws_links_in_the_installed_wsdemo(self):
        share = self.root / "usr/share"
        home = self.scratch / "home"
        env = {
            **os.environ,
            "PATH": f"{self.root / 'usr/bin'}:{os.environ['PATH']}",
            "XDG_DATA_DIRS": f"{share}:/usr/share",
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CURRENT_DESKTOP": "",  # xdg-open's generic path: what a bare X session does.
        }
        # What desktop-file-utils' dpkg trigger does when the package is installed.
        subprocess.run(["update-desktop-database", share / "applications"], check=True)
        for scheme in ("ws", "wss"):
            handler = run("xdg-mime", "query", "default", f"x-scheme-handler/{scheme}", env=env)
            self.assertEqual(handler.stdout.strip(), "wsdemo.desktop", handler.stderr)

        xvfb, peer = Xvfb(), Peer()
        opener = subprocess.Popen(["xdg-open", peer.url], env={**env, "DISPLAY": xvfb.name},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  start_new_session=True)
        try:
            wait_for("the window opened by xdg-open to connect", lambda: peer.connections > 0,
                     timeout=20)
        finally:
            os.killpg(opener.pid, 15)
            opener.wait(TIMEOUT)
            peer.stop()
            xvfb.stop()


if __name__ == "__main__":
    BUILD = sys.argv.pop(1)
    unittest.main()
