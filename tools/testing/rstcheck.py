#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Parse reST documents with docutils and fail on any warning.

The kernel's Sphinx directives (kernel-doc) are not known to plain docutils;
their blocks are dropped before parsing (scripts/kernel-doc checks the
comments they pull in).
"""

import re
import sys

import docutils.core
import docutils.utils

SPHINX_ONLY = re.compile(r"^\.\. (kernel-doc|toctree|c:\w+)::.*\n(?:[ \t]+.*\n|\n)*",
                         re.M)


def check(path):
    text = SPHINX_ONLY.sub("", open(path).read())
    try:
        docutils.core.publish_doctree(
            text, source_path=path,
            settings_overrides={"halt_level": docutils.utils.Reporter.WARNING_LEVEL,
                                "report_level": docutils.utils.Reporter.WARNING_LEVEL})
    except docutils.utils.SystemMessage:
        return False    # docutils has printed the message
    return True


def main():
    bad = [p for p in sys.argv[1:] if not check(p)]
    if bad:
        print(f"reST: FAILED in {len(bad)} of {len(sys.argv) - 1} files")
        return 1
    print(f"reST: clean ({len(sys.argv) - 1} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
