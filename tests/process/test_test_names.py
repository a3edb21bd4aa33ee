#!/usr/bin/python3
"""Every Catch2 test case can be its own CTest test.

Usage: /usr/bin/python3 tests/process/test_test_names.py CATCH2_BINARY...

catch_discover_tests hands each test name to CMake as a list element and back to the binary
as its first argument: a '[' or ']' (CMake's bracket quoting), a ';' (the list separator) or a
backslash merges names into one test that runs none of them, and a leading '-' is read as an
option. This happened: 43 test cases once hid behind "1 MB of nested [ ...".
"""

import subprocess
import sys
import unittest

BINARIES = []


class TestNames(unittest.TestCase):
    def test_every_name_survives_ctest(self):
        for binary in BINARIES:
            names = subprocess.run([binary, "--list-test-names-only"], capture_output=True,
                                   text=True).stdout.splitlines()  # Exit status: the count.
            self.assertGreater(len(names), 10, binary)
            for name in filter(None, names):
                with self.subTest(binary=binary, name=name):
                    self.assertFalse(any(c in name for c in "[];\\"), "a [, ], ; or \\")
                    self.assertFalse(name.startswith("-"), "starts with -")


if __name__ == "__main__":
    BINARIES = sys.argv[1:]
    del sys.argv[1:]
    unittest.main()
