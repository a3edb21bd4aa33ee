#!/usr/bin/python3
"""The man page says what `wsdemo --help` says, and man renders it without a warning.

Usage: /usr/bin/python3 tests/process/test_manpage.py /path/to/wsdemo /path/to/wsdemo.1
       [unittest options]

The page is read as a user reads it: rendered by man, on one line per paragraph (so that
nothing is hyphenated or justified). Under OPTIONS, each subsection is a group of --help, in
the same order, and each option's first paragraph is its description in --help, word for
word; further paragraphs may say more. The URL argument is under ARGUMENTS, the exit statuses
under EXIT STATUS, and .TH names the version that `wsdemo --version` prints.
"""

import os
import re
import subprocess
import sys
import unittest
from dataclasses import dataclass, field

WSDEMO = None  # The binary under test, from the command line.
MANPAGE = None  # The page under test, from the command line.

RUN_TIMEOUT = 10

# What lintian runs (man-db's --warnings), and a width at which no paragraph wraps.
MAN_ENV = {**os.environ, "LC_ALL": "C.UTF-8", "MANROFFSEQ": ""}
MAN_ENV.pop("MAN_KEEP_FORMATTING", None)
UNWRAPPED_WIDTH = "2000"

HELP_OPTION_LINE = re.compile(r"^  (\S.*?)(?: {2,}(\S.*))?$")
HELP_CONTINUATION = re.compile(r"^ {3,}(\S.*)$")
TAG_INDENT = 7  # Where man puts a .TP tag, and the body 7 columns further.
BODY_INDENT = 14


@dataclass
class Option:
    names: list  # ["-h", "--help"]
    value: str  # "FILE", or "" for a flag
    description: str  # One line, whitespace normalised.


@dataclass
class Group:
    title: str
    options: list = field(default_factory=list)


def normalised(text):
    return " ".join(text.split())


def split_names(tag):
    """"-h,--help" or "-h, --help" and "--header 'NAME: VALUE'" into names and value."""
    names, _, value = tag.partition(" ")
    if "," in names and value.startswith("-"):  # "-h, --help": the space is after the comma.
        names, _, value = tag.replace(", ", ",").partition(" ")
    return [name.strip() for name in names.split(",")], value.strip()


def run(command, env=None):
    return subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT, env=env)


def parse_help(text):
    """The groups of `wsdemo --help` ("Argument", "Modes"...) and its exit-status footer."""
    groups, footer, option = [], [], None
    for line in text.splitlines():
        if footer or line.startswith("Exit status:"):
            footer.append(line)
        elif line.endswith(":") and not line.startswith(" "):
            groups.append(Group(line[:-1]))
            option = None
        elif groups and (continuation := HELP_CONTINUATION.match(line)) and option:
            option.description = normalised(option.description + " " + continuation[1])
        elif groups and (match := HELP_OPTION_LINE.match(line)):
            names, value = split_names(match[1])
            option = Option(names, value, normalised(match[2] or ""))
            groups[-1].options.append(option)
        elif line.strip():
            option = None
    return groups, normalised(" ".join(footer).removeprefix("Exit status:"))


def help_exit_statuses(footer):
    """ "0 after a normal close, 1 when ..., 2 for a bad command line." as {"0": "after ..."}."""
    return dict(re.findall(r"(\d) (.*?)(?:, (?=\d )|\.$)", footer))


def render(width):
    result = run(["man", "-E", "UTF-8", "-l", MANPAGE], env={**MAN_ENV, "MANWIDTH": width})
    if result.returncode != 0:
        raise AssertionError(f"man -l {MANPAGE} exited {result.returncode}: {result.stderr}")
    return result.stdout


def page_sections(rendered):
    """{"OPTIONS": [lines]...}: a section starts at a line with no indent."""
    sections, lines = {}, None
    for line in rendered.splitlines()[1:-1]:  # Without the header and footer lines.
        if line and not line.startswith(" "):
            lines = sections.setdefault(line, [])
        elif lines is not None:
            lines.append(line)
    return sections


def tagged_paragraphs(lines):
    """The .TP entries of a section or subsection: [(tag, [paragraph, ...])]."""
    entries = []
    for index, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if line.strip() and indent == TAG_INDENT:
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if following.startswith(" " * BODY_INDENT) and following.strip():
                entries.append((line.strip(), []))  # A long tag, on a line of its own.
            else:  # A short tag, with the first paragraph on its line.
                entries.append((line[:BODY_INDENT].strip(), [normalised(line[BODY_INDENT:])]))
        elif line.strip() and indent == BODY_INDENT and entries:
            entries[-1][1].append(normalised(line))
    return entries


def page_groups(sections):
    """The page's ARGUMENTS as "Argument", then each subsection of OPTIONS, as Groups."""

    def group(title, lines):
        options = []
        for tag, paragraphs in tagged_paragraphs(lines):
            names, value = split_names(tag)
            options.append(Option(names, value, paragraphs[0] if paragraphs else ""))
        return Group(title, options)

    groups = [group("Argument", sections.get("ARGUMENTS", []))]
    title, lines = None, []
    for line in sections.get("OPTIONS", []) + ["   (end)"]:
        if re.match(r"^ {3}\S", line):
            if title:
                groups.append(group(title, lines))
            title, lines = line.strip(), []
        else:
            lines.append(line)
    return groups


class ManPageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        help_run = run([WSDEMO, "--help"])
        assert help_run.returncode == 0, help_run.stderr
        cls.help_groups, cls.help_footer = parse_help(help_run.stdout)
        cls.rendered = render(UNWRAPPED_WIDTH)
        cls.sections = page_sections(cls.rendered)
        cls.page_groups = page_groups(cls.sections)

    def test_help_is_understood(self):
        # Guards the comparisons below against a --help this parser reads as nothing.
        self.assertEqual(self.help_groups[0].title, "Argument")
        self.assertGreaterEqual(len(self.help_groups), 5)
        for group in self.help_groups:
            self.assertTrue(group.options, f"no option read in the --help group {group.title!r}")
            for option in group.options:
                self.assertTrue(option.description, f"no description read for {option.names}")
        self.assertEqual(set(help_exit_statuses(self.help_footer)), {"0", "1", "2"})

    def test_groups_are_those_of_help_in_its_order(self):
        self.assertEqual(
            [group.title for group in self.page_groups],
            [group.title for group in self.help_groups],
            "the groups of options: ARGUMENTS then the subsections of OPTIONS (first list), and "
            "the groups of --help (second list)",
        )

    def test_each_group_has_the_options_of_help_in_its_order(self):
        for page, help in zip(self.page_groups, self.help_groups):
            with self.subTest(group=help.title):
                self.assertEqual(
                    [option.names for option in page.options],
                    [option.names for option in help.options],
                    f"the options of {help.title!r}: on the page (first), in --help (second)",
                )

    def test_each_option_has_the_value_name_and_description_of_help(self):
        page_options = {tuple(o.names): o for g in self.page_groups for o in g.options}
        for group in self.help_groups:
            for option in group.options:
                name = ",".join(option.names)
                page = page_options.get(tuple(option.names))
                with self.subTest(option=name):
                    self.assertIsNotNone(page, f"{name} is in --help but not on the page")
                    self.assertEqual(
                        page.value, option.value, f"{name}: value name on the page, in --help"
                    )
                    self.assertEqual(
                        page.description,
                        option.description,
                        f"{name}: description (its first paragraph) on the page, in --help",
                    )

    def test_exit_statuses_are_those_of_help(self):
        page = {
            tag: paragraphs[0] if paragraphs else ""
            for tag, paragraphs in tagged_paragraphs(self.sections.get("EXIT STATUS", []))
        }
        self.assertEqual(
            page,
            help_exit_statuses(self.help_footer),
            "EXIT STATUS on the page (first), the --help footer (second)",
        )

    def test_title_names_the_version_that_version_prints(self):
        version_run = run([WSDEMO, "--version"])
        self.assertEqual(version_run.returncode, 0, version_run.stderr)
        printed = version_run.stdout.splitlines()[0]
        footer = re.split(r" {2,}", self.rendered.rstrip("\n").splitlines()[-1].strip())
        self.assertEqual(footer[0], printed, f"the page's footer line (from .TH): {footer}")

    def test_man_renders_it_without_a_warning(self):
        # Lintian's check, at the width of a terminal.
        result = run(
            ["man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", MANPAGE],
            env={**MAN_ENV, "MANWIDTH": "80"},
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "", "man --warnings")

    def test_mandoc_finds_nothing_to_warn_about(self):
        result = run(["mandoc", "-T", "lint", "-W", "warning", MANPAGE])
        self.assertEqual((result.returncode, result.stdout + result.stderr), (0, ""))

    def test_every_dash_is_a_minus_sign(self):
        # A bare "-" is a hyphen to groff, which some devices draw as U+2010: an option
        # copied from the page would not work. Every dash in the source is "\-".
        with open(MANPAGE, encoding="utf-8") as page:
            for number, line in enumerate(page, 1):
                if line.startswith(('.\\"', ".TH ")):  # A comment; the date.
                    continue
                self.assertNotRegex(line, r"(?<!\\)-", f"{MANPAGE}:{number}: a bare '-'")


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1].startswith("-"):
        sys.exit(f"usage: {sys.argv[0]} /path/to/wsdemo /path/to/wsdemo.1 [unittest options]")
    WSDEMO = os.path.abspath(sys.argv.pop(1))
    MANPAGE = os.path.abspath(sys.argv.pop(1))
    unittest.main()
