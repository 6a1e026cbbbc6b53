#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kdump fallback table of Documentation/admin-guide/pvbus-kdump.rst:
# upstream's rule against pvbus's on every field layout, each cell as the
# KUnit case pci_pvbus_plan.place_field_fallback measured it.  Runs that
# case (unless a raw KUnit log is given) and prints the table as RST.
#
#	fallback_table.sh [TEST.LOG]

set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}

log=${1:-}
if [ -z "$log" ]; then
	"$ROOT/tools/testing/kunit/run_kunit.sh" 'pci_pvbus_plan.place_field_fallback' >&2
	log=$BUILD/kunit-uml-pci/test.log
fi

grep -o 'fallback-table: .*' "$log" | sed 's/^fallback-table: //' | tr -d '\r' |
awk -F';' '
BEGIN {
	n = 0
	h[1] = "layout"; h[2] = "low window"; h[3] = "fb"
	h[4] = "upstream: size, fb covered"; h[5] = "16 MiB BAR"; h[6] = "low free"
	h[7] = "pvbus: size, fb covered"; h[8] = "16 MiB BAR"; h[9] = "low free"
	for (i = 1; i <= 9; i++)
		w[i] = length(h[i])
}
NF == 9 {
	n++
	for (i = 1; i <= 9; i++) {
		c[n, i] = $i
		if (length($i) > w[i])
			w[i] = length($i)
	}
}
function rule(   i, s, t) {
	s = ""
	for (i = 1; i <= 9; i++) {
		t = sprintf("%" w[i] "s", "")
		gsub(/ /, "=", t)
		s = s (i > 1 ? " " : "") t
	}
	print s
}
function row(a,   i, s) {
	s = ""
	for (i = 1; i <= 9; i++)
		s = s (i > 1 ? " " : "") sprintf("%-" w[i] "s", a[i])
	sub(/ +$/, "", s)
	print s
}
END {
	if (!n) {
		print "fallback_table: no fallback-table rows in the log" > "/dev/stderr"
		exit 1
	}
	rule()
	row(h)
	rule()
	for (r = 1; r <= n; r++) {
		for (i = 1; i <= 9; i++)
			a[i] = c[r, i]
		row(a)
	}
	rule()
}'
