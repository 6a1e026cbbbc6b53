#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count passed and failed test cases in a test runner's log.

Understands kunit.py's summary ("Testing complete. Ran N tests: passed: P,
failed: F, ...") and the closing line of the pvbus guest harnesses
("<word>: P passed, F failed").  Prints "P F".
"""

import re
import sys


def main():
    text = open(sys.argv[1], errors="replace").read()
    passed = failed = 0
    for m in re.finditer(r"Testing complete\. Ran \d+ tests?: (.*)", text):
        fields = dict(re.findall(r"(\w+): (\d+)", m.group(1)))
        passed += int(fields.get("passed", 0))
        failed += int(fields.get("failed", 0)) + int(fields.get("crashed", 0))
    for m in re.finditer(r"^[\w-]+: (\d+) passed, (\d+) failed", text, re.M):
        passed += int(m.group(1))
        failed += int(m.group(2))
    print(passed, failed)


if __name__ == "__main__":
    main()
