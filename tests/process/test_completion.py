#!/usr/bin/python3
"""The bash completion of wsdemo offers what `wsdemo --help` lists, where it applies.

Usage: /usr/bin/python3 tests/process/test_completion.py /path/to/wsdemo \
       /path/to/wsdemo.bash-completion [unittest options]

Each case runs the completion function as bash would on Tab at the end of a command line:
in a bash without startup files that sourced bash-completion and the file under test, with
COMP_LINE, COMP_POINT, COMP_WORDS and COMP_CWORD set, and reads COMPREPLY. The options, the
ones that take a FILE and the groups by mode come from `wsdemo --help`, so that an option
added there and not here fails.
"""

import os
import re
import shlex
import subprocess
import sys
import tempfile
import unittest

from test_manpage import parse_help, run

WSDEMO = None  # The binary under test, from the command line.
COMPLETION = None  # The completion file under test, from the command line.

BASH_COMPLETION = "/usr/share/bash-completion/bash_completion"
RUN_TIMEOUT = 10

# The groups of --help whose options each mode takes, besides the modes themselves.
MODE_GROUPS = {
    "--headless": [
        "Connecting (the window and --headless)",
        "TLS, for wss:// (the window and --headless)",
        "--headless only",
        "Everywhere",
    ],
    "--echo-server": ["--echo-server only", "Everywhere"],
}

# FILE options for recordings: every file is offered, not certificates first.
RECORDING_OPTIONS = {"--record", "--replay"}

# In the directory where file names are completed: certificates and keys, rules, and the rest.
CERTIFICATES = {"ca.pem", "client.key", "server.crt"}
RULES_FILES = {"rules.json"}
OTHER_FILES = {"notes.txt"}
DIRECTORY = "certs"
ALL_FILES = CERTIFICATES | RULES_FILES | OTHER_FILES | {DIRECTORY}
# The files each FILE option offers first (then every file when none is there).
PREFERRED = {"--rules": RULES_FILES}


def comp_words(line):
    """COMP_WORDS as bash splits the line: at blanks, and at "=" and ":" (COMP_WORDBREAKS)."""
    words = re.findall(r"[^\s=:]+|[=:]+", line)
    if line.endswith(" "):
        words.append("")
    return words


def case_script(line):
    words = comp_words(line)
    return "\n".join(
        [
            "(",
            f"COMP_LINE={shlex.quote(line)}",
            "COMP_POINT=${#COMP_LINE}",
            f"COMP_WORDS=({' '.join(shlex.quote(word) for word in words)})",
            f"COMP_CWORD={len(words) - 1}",
            "COMPREPLY=()",
            '_wsdemo wsdemo "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"',
            'printf "%s\\n" "${COMPREPLY[@]}"',
            ")",
            "echo @@end",
        ]
    )


def complete(lines, directory):
    """{line: set of what Tab at its end offers}, for command lines starting with "wsdemo"."""
    script = "\n".join(
        [
            f"source {shlex.quote(BASH_COMPLETION)}",
            f"source {shlex.quote(COMPLETION)}",
            # Outside a real completion compopt only complains; what it sets is not tested.
            "compopt() { :; }",
        ]
        + [case_script(line) for line in lines]
    )
    result = subprocess.run(
        ["bash", "--norc", "--noprofile"],
        input=script,
        capture_output=True,
        text=True,
        cwd=directory,
        timeout=RUN_TIMEOUT,
    )
    assert result.returncode == 0 and not result.stderr, f"bash: {result.stderr}"
    replies = result.stdout.split("@@end\n")[:-1]
    assert len(replies) == len(lines), result.stdout
    return {line: set(reply.split("\n")) - {""} for line, reply in zip(lines, replies)}


class CompletionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        help_run = run([WSDEMO, "--help"])
        assert help_run.returncode == 0, help_run.stderr
        cls.groups, _ = parse_help(help_run.stdout)
        cls.options = [option for group in cls.groups for option in group.options]

    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)
        for name in CERTIFICATES | RULES_FILES | OTHER_FILES:
            open(os.path.join(self.directory.name, name), "w").close()
        os.mkdir(os.path.join(self.directory.name, DIRECTORY))

    def complete(self, *lines):
        return complete(lines, self.directory.name)

    def long_names(self, options):
        return {name for option in options for name in option.names if name.startswith("--")}

    def group_long_names(self, titles):
        known = {group.title: group for group in self.groups}
        missing = [title for title in titles if title not in known]
        self.assertFalse(missing, f"groups no longer in --help: {missing}")
        return self.long_names(o for title in titles for o in known[title].options)

    def test_double_dash_offers_exactly_the_long_options_of_help(self):
        offered = self.complete("wsdemo --")["wsdemo --"]
        expected = self.long_names(self.options)
        self.assertEqual(offered - expected, set(), "offered, but not in --help")
        self.assertEqual(expected - offered, set(), "in --help, but not offered")

    def test_file_options_offer_their_kind_of_file_then_every_file(self):
        file_options = self.long_names(o for o in self.options if o.value == "FILE")
        file_options -= RECORDING_OPTIONS
        self.assertGreaterEqual(len(file_options), 6, "the FILE options of --help")
        for option in sorted(file_options):
            preferred = PREFERRED.get(option, CERTIFICATES) | {DIRECTORY}
            with self.subTest(option=option):
                first, other, joined = (
                    f"wsdemo {option} ",
                    f"wsdemo {option} n",
                    f"wsdemo {option}=",
                )
                offered = self.complete(first, other, joined)
                self.assertEqual(offered[first], preferred)
                self.assertEqual(offered[other], {"notes.txt"}, "none of its kind: every file")
                self.assertEqual(offered[joined], preferred, "after an =")

    def test_recording_options_offer_every_file(self):
        for option in sorted(RECORDING_OPTIONS):
            with self.subTest(option=option):
                line = f"wsdemo --headless {option} "
                offered = self.complete(line)[line]
                self.assertEqual(offered, ALL_FILES)

    def test_other_value_options_offer_no_option_and_no_file(self):
        value_options = self.long_names(o for o in self.options if o.value not in ("", "FILE"))
        self.assertGreaterEqual(len(value_options), 10, "the options of --help with a value")
        lines = [f"wsdemo {option} {cur}" for option in value_options for cur in ("", "-")]
        files = ALL_FILES
        for line, offered in self.complete(*lines).items():
            with self.subTest(line=line):
                self.assertEqual({o for o in offered if o.startswith("-")}, set(), "options")
                self.assertEqual(offered & files, set(), "file names")

    def test_headless_offers_only_the_options_it_takes(self):
        offered = self.complete("wsdemo --headless --")["wsdemo --headless --"]
        self.assertEqual(offered, self.group_long_names(MODE_GROUPS["--headless"]))

    def test_echo_server_offers_only_the_options_it_takes(self):
        lines = ["wsdemo --echo-server --", "wsdemo --port 0 --echo-server "]
        expected = self.group_long_names(MODE_GROUPS["--echo-server"])
        for line, offered in self.complete(*lines).items():
            with self.subTest(line=line):
                self.assertEqual(offered, expected)

    def test_url_position_offers_the_schemes(self):
        schemes = {"ws://", "wss://"}
        expected = {
            "wsdemo ": schemes,
            "wsdemo --headless ": schemes,
            "wsdemo --verbose ": schemes,
            "wsdemo --url ": schemes,
            "wsdemo --url=": schemes,
            "wsdemo wss": {"wss://"},
            "wsdemo ws:": {"//"},  # After the ":", which bash takes as a word break.
        }
        self.assertEqual(self.complete(*expected), expected)

    def test_no_scheme_once_a_url_is_given(self):
        lines = ["wsdemo ws://127.0.0.1:9/ ", "wsdemo --url ws://127.0.0.1:9/ --headless "]
        for line, offered in self.complete(*lines).items():
            with self.subTest(line=line):
                self.assertTrue(offered, "options")
                self.assertEqual({o for o in offered if not o.startswith("--")}, set())


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1].startswith("-"):
        sys.exit(f"usage: {sys.argv[0]} /path/to/wsdemo /path/to/completion [unittest options]")
    WSDEMO = os.path.abspath(sys.argv.pop(1))
    COMPLETION = os.path.abspath(sys.argv.pop(1))
    unittest.main()
