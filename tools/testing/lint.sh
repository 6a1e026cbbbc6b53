#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The static checks of 'make check', one per argument:
#   w1          build the modules from scratch with W=1: no warning allowed
#   sparse      run sparse (C=2) over every source: no warning allowed
#   arm64       the arm64 cross build (tools/testing/arm64.sh) from scratch
#               with W=1 and sparse at once: no warning allowed
#   checkpatch  checkpatch.pl --strict on every source: no error or warning
#   kerneldoc   scripts/kernel-doc on every source, docutils on every
#               reST document: no warning
#   [shellcheck] every shell script, followed into what it sources:
#               no finding
#   dtbinding   the DT bindings (Documentation/devicetree/bindings): each
#               against dt-schema's meta-schema, its example against the
#               binding, as the kernel's dt_binding_check does: no finding
#   consts      the harness's constants (tools/testing/pvbus/lib/consts.sh)
#               that the C headers define too are the headers' values, and
#               pvbus-kdump-params' are drivers/pvbus/fwfb.h's
#   layout      the tree's shape: no C source outside the tests over 800
#               lines and no script over about 300 (320); no test file
#               included by another file; pci-pvbus never reaches into a
#               host backend (host->ops); no test-only message in the wire
#               formats (NOTIFY_TEST)

set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
KDIR=${KDIR:-$(find /usr/src -maxdepth 1 -name 'linux-headers-*-amd64' | sort -V | tail -n 1)}
MODCONFIG=(CONFIG_PVBUS=m CONFIG_PVBUS_SIM=m CONFIG_PCI_PVBUS=m)
# shellcheck source=tools/testing/kunit/lib.sh
. "$ROOT/tools/testing/kunit/lib.sh"	# PYTHON
LOG=$BUILD/lint
mkdir -p "$LOG"

sources() {
	cd "$ROOT" && git ls-files -co --exclude-standard \
		'*.c' '*.h' '*Kconfig' '*Kconfig.*' | grep -v '^build/' | sort -u
}

# Print the warnings of a build log; fail if there is any.
no_warnings() {
	local what=$1 log=$2 n

	n=$(grep -cE '(warning|error):' "$log" || true)
	if [ "$n" -ne 0 ]; then
		grep -E '(warning|error):' "$log"
		echo "$what: FAILED, $n warnings (log: $log)"
		return 1
	fi
	echo "$what: clean"
}

# build_clean WHAT LOG MAKE-ARG...: build the modules with MAKE-ARG, the
# output to LOG; fail if the build does or warns.
build_clean() {
	local what=$1 log=$2

	shift 2
	if ! make -C "$KDIR" M="$ROOT" "${MODCONFIG[@]}" "$@" modules > "$log" 2>&1; then
		cat "$log"
		echo "$what: FAILED"
		return 1
	fi
	no_warnings "$what" "$log"
}

step_w1() {
	# Not 'make clean': for an external module it deletes every object
	# below $ROOT, the kunit.py build trees in build/ among them.
	"$ROOT/tools/testing/clean.sh"
	build_clean "W=1 build" "$LOG/w1.log" W=1
}

step_sparse() {
	command -v sparse >/dev/null || { echo "sparse missing: run 'make deps'"; return 1; }
	# W=1 as in step_w1: kbuild keeps its objects; C=2 checks every source.
	build_clean "sparse (C=2)" "$LOG/sparse.log" W=1 C=2
}

step_arm64() {
	local log=$LOG/arm64.log before after

	command -v sparse >/dev/null || { echo "sparse missing: run 'make deps'"; return 1; }
	# From scratch: the mirror's objects only, never its links.
	[ ! -d "$BUILD/arm64/src" ] || find "$BUILD/arm64/src" -type f -delete
	# The amd64 build's files, which the arm64 build must not touch (it
	# once wrote the *.mod.c through the mirror's links).
	before=$(cd "$ROOT" && find drivers -type f \( -name '*.mod.c' -o -name '*.o' \
		-o -name '*.ko' \) -exec sha256sum {} + | sort)
	if ! "$ROOT/tools/testing/arm64.sh" modules W=1 C=2 > "$log" 2>&1; then
		cat "$log"
		echo "arm64 W=1 + sparse: FAILED"
		return 1
	fi
	after=$(cd "$ROOT" && find drivers -type f \( -name '*.mod.c' -o -name '*.o' \
		-o -name '*.ko' \) -exec sha256sum {} + | sort)
	if [ "$before" != "$after" ]; then
		{ diff <(echo "$before") <(echo "$after") || true; } | head -n 20
		echo "arm64 W=1 + sparse: FAILED, the arm64 build changed the amd64 build's files"
		return 1
	fi
	no_warnings "arm64 W=1 + sparse" "$log"
}

step_checkpatch() {
	local cp=$BUILD/linux-source-6.1/scripts/checkpatch.pl bad n out

	[ -x "$cp" ] || { echo "no checkpatch.pl: run 'make source'"; return 1; }
	# One perl per file, one per CPU at a time; "BAD FILE" after findings.
	n=$(sources | wc -l)
	# shellcheck disable=SC2016 # sh -c's own $0 and $1
	out=$(cd "$ROOT" && sources | xargs -d '\n' -n 1 -P "$(nproc)" \
		sh -c 'perl "$0" --no-tree --strict --terse --show-types -f "$1" || echo "BAD $1"' "$cp" 2>&1)
	bad=$(grep -c '^BAD ' <<< "$out" || true)
	# No file at all: the list of sources failed.
	if [ "$bad" -ne 0 ] || [ "$n" -eq 0 ]; then
		echo "$out"
		echo "checkpatch --strict: FAILED in $bad of $n files"
		return 1
	fi
	echo "checkpatch --strict: clean ($n files)"
}

step_kerneldoc() {
	local kd=$BUILD/linux-source-6.1/scripts/kernel-doc

	[ -f "$kd" ] || { echo "no kernel-doc: run 'make source'"; return 1; }
	# shellcheck disable=SC2046
	if ! (cd "$ROOT" && KBUILD_EXTRA_WARN=2 perl "$kd" -none -Werror \
			$(sources | grep -E '\.[ch]$')); then
		echo "kernel-doc: FAILED"
		return 1
	fi
	echo "kernel-doc: clean"
	# shellcheck disable=SC2046
	(cd "$ROOT" && "$PYTHON" tools/testing/rstcheck.py \
		$(git ls-files -co --exclude-standard '*.rst' | grep -v '^build/'))
}

# Every shell script: *.sh, and the files that start with a shell's #!.
scripts() {
	local f

	cd "$ROOT" && git ls-files -co --exclude-standard | grep -v '^build/' | sort -u |
		while read -r f; do
			case "$f" in
			*.sh) echo "$f" ;;
			*) [ -f "$f" ] && head -n 1 "$f" | grep -qE '^#!.*/(env )?(ba)?sh' &&
				echo "$f" ;;
			esac
		done
}

step_shellcheck() {
	local files n

	command -v shellcheck > /dev/null || { echo "shellcheck missing: run 'make deps'"; return 1; }
	mapfile -t files < <(scripts)
	n=${#files[@]}
	# -x: follow the files a script sources, as their directives name them.
	if ! (cd "$ROOT" && shellcheck -x "${files[@]}"); then
		echo "shellcheck: FAILED"
		return 1
	fi
	echo "shellcheck: clean ($n scripts)"
}

step_dtbinding() {
	local b=$ROOT/Documentation/devicetree/bindings tmp f out n=0

	for f in dt-doc-validate dt-mk-schema dt-validate dtc; do
		command -v "$f" > /dev/null || { echo "$f missing: run 'make deps'"; return 1; }
	done
	tmp=$(mktemp -d)
	# shellcheck disable=SC2064 # $tmp is fixed now
	trap "rm -rf '$tmp'" RETURN
	# dt-doc-validate may exit 0 on findings: what it prints counts too.
	if ! out=$(cd "$b" && find . -name '*.yaml' -exec dt-doc-validate -u "$b" {} + 2>&1) ||
		[ -n "$out" ]; then
		echo "$out"
		echo "dt bindings: FAILED"
		return 1
	fi
	if ! dt-mk-schema -j "$b" > "$tmp/schema.json"; then
		echo "dt bindings: FAILED (dt-mk-schema)"
		return 1
	fi
	while read -r f; do
		n=$((n + 1))
		# The example's node, in a root node, as dt_binding_check builds it.
		{
			echo '/dts-v1/;'
			echo '/ { #address-cells = <2>; #size-cells = <2>;'
			echo 'compatible = "pvbus,example"; model = "example";'
			python3 -c 'import sys, yaml
for e in yaml.safe_load(open(sys.argv[1]))["examples"]:
    print(e)' "$f"
			echo '};'
		} > "$tmp/ex.dts"
		out=$({ dtc -q -I dts -O dtb -o "$tmp/ex.dtb" "$tmp/ex.dts" &&
			dt-validate -s "$tmp/schema.json" "$tmp/ex.dtb"; } 2>&1) || out="$out (failed)"
		if [ -n "$out" ]; then
			echo "$f: $out"
			echo "dt bindings: FAILED"
			return 1
		fi
	done < <(find "$b" -name '*.yaml')
	echo "dt bindings: clean ($n)"
}

# header_str MACRO: the string value of MACRO in include/ (any header).
header_str() {
	grep -rhE "^#define[[:space:]]+$1[[:space:]]+\"" "$ROOT/include" |
		sed -E 's/^[^"]*"([^"]*)".*/\1/' | head -n 1
}

# header_num MACRO FILE: the value of MACRO in FILE, as a decimal number:
# a number (decimal or hex, a U or L suffix dropped) or SZ_<n>K, M or G,
# alone on its #define line but for a comment; nothing for anything else.
header_num() {
	local v

	v=$(sed -nE "s@^#define[[:space:]]+$1[[:space:]]+([A-Za-z0-9_]+)[[:space:]]*(/\*.*)?\$@\1@p" "$2" |
		head -n 1)
	case "$v" in
	SZ_[0-9]*K) echo $((${v//[!0-9]/} * 1024)) ;;
	SZ_[0-9]*M) echo $((${v//[!0-9]/} * 1024 * 1024)) ;;
	SZ_[0-9]*G) echo $((${v//[!0-9]/} * 1024 * 1024 * 1024)) ;;
	0[xX]*) v=${v%%[uUlL]*}; [[ $v =~ ^0[xX][0-9a-fA-F]+$ ]] && echo $((v)) ;;
	[1-9]*|0) v=${v%%[uUlL]*}; [[ $v =~ ^[0-9]+$ ]] && echo $((10#$v)) ;;
	esac
}

# consts_diff FILE VAR HAVE MACRO WANT: VAR of FILE is HAVE, and its
# MACRO is WANT (nothing if no #define of it reads as a value).
consts_diff() {
	if [ -z "$5" ]; then
		echo "consts: $2 of ${1#"$ROOT"/}: no #define $4 that reads as a value"
		return 1
	fi
	[ "$3" != "$5" ] || return 0
	echo "consts: $2=$3 in ${1#"$ROOT"/}, but $4 is $5"
	return 1
}

step_consts() {
	local c=$ROOT/tools/testing/pvbus/lib/consts.sh bad=0 var macro have n

	# VARIABLE of consts.sh, MACRO of the headers.
	while read -r var macro; do
		consts_diff "$c" "$var" "$(sed -n "s/^$var=//p" "$c")" "$macro" \
			"$(header_str "$macro")" || bad=1
	done <<-EOF
	PVBUS_PCI_CLASS PVBUS_PCI_CLASS_STR
	EOF
	# The package's pvbus-kdump-params follows the kernel's kdump
	# fallback: "VAR=VALUE	# MACRO" lines, MACRO in drivers/pvbus/fwfb.h.
	c=$ROOT/debian/pvbus-kdump-params
	n=0
	while read -r var have macro; do
		n=$((n + 1))
		consts_diff "$c" "$var" "$have" "$macro" \
			"$(header_num "$macro" "$ROOT/drivers/pvbus/fwfb.h")" || bad=1
	done < <(sed -nE 's/^([A-Z0-9_]+)=([0-9]+)[[:space:]]+# (PVBUS_[A-Z0-9_]+)$/\1 \2 \3/p' "$c")
	# Every line that names a macro was read: none is left unchecked.
	if [ "$n" -eq 0 ] || [ "$n" -ne "$(grep -c '# PVBUS_' "$c")" ]; then
		echo "consts: $n of the $(grep -c '# PVBUS_' "$c") lines of ${c#"$ROOT"/} that name a macro read as VAR=NUMBER	# MACRO"
		bad=1
	fi
	[ "$bad" -eq 0 ] || { echo "consts: FAILED"; return 1; }
	echo "consts: the harness's and the package's constants match the kernel's"
}

# layout_over WHAT MAX FILE...: print the files over MAX lines; fail if any.
layout_over() {
	local what=$1 max=$2 f n bad=0

	shift 2
	for f in "$@"; do
		n=$(wc -l < "$ROOT/$f")
		if [ "$n" -gt "$max" ]; then
			echo "layout: $f: $n lines, more than $max for $what"
			bad=1
		fi
	done
	return "$bad"
}

step_layout() {
	local bad=0 c sh

	mapfile -t c < <(sources | grep -E '\.[ch]$' | grep -vE '_test\.[ch]$')
	mapfile -t sh < <(scripts | grep '^tools/testing/')
	if [ "${#c[@]}" -eq 0 ] || [ "${#sh[@]}" -eq 0 ]; then
		echo "layout: no sources or no scripts found (not a git checkout?): FAILED"
		return 1
	fi
	layout_over "a source outside the tests" 800 "${c[@]}" || bad=1
	layout_over "a script" 320 "${sh[@]}" || bad=1
	if (cd "$ROOT" && grep -rnE '#include[[:space:]]+"[^"]*_test\.c"' drivers include); then
		echo "layout: a test file included by another file"
		bad=1
	fi
	if (cd "$ROOT" && grep -rn 'host->ops' drivers/pci); then
		echo "layout: pci-pvbus reaches into a host backend"
		bad=1
	fi
	if (cd "$ROOT" && grep -rn NOTIFY_TEST include); then
		echo "layout: a test-only message in the wire formats"
		bad=1
	fi
	[ "$bad" -eq 0 ] || { echo "layout: FAILED"; return 1; }
	echo "layout: ${#c[@]} sources, ${#sh[@]} scripts within their sizes; no reach across layers"
}

for step in "$@"; do
	"step_$step"
done
