#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The soak of pvbus (make soak; its smoke in make check): boots the QEMU
# guest of guest.sh with the soak suite (soak/guest/soak.sh, see soak/README),
# prints its KTAP and guest.sh's "guest-test: N passed, M failed", then
# the wall time and, last, the soak's count line
#
#	soak: N cycles, M hot add/eject, K failures
#
# where K also counts a failed kernel-log check (an oops, BUG, WARNING,
# KASAN line in the guest's log), a crash, a timeout and a missing count
# line.  Exits non-zero if K is not 0.

set -uo pipefail

PVBUS_TESTING=$(cd "$(dirname "$0")/.." && pwd)
PVBUS_ME=soak
# shellcheck source=SCRIPTDIR/../lib/common.sh
. "$PVBUS_TESTING/lib/common.sh"
# shellcheck source=SCRIPTDIR/../lib/ktap.sh
. "$PVBUS_TESTING/lib/ktap.sh"

# Full: 100 load/unload cycles, 1000 hot cycles, a checkpoint every 100,
# 10 pass-through cycles.  The smoke: soak.sh's defaults.
FULL=100,1000,100,10

usage() {
	cat <<EOF
usage: ${0##*/} [--smoke | --counts LOADS,HOT,EVERY,PASSTHROUGH] [--timeout S]

Run the pvbus soak in a QEMU guest (soak/README).  By default the full
soak ($FULL); --smoke runs the short one of make check.
EOF
}

counts=$FULL
name=soak
timeout=
while [ $# -gt 0 ]; do
	case "$1" in
	--smoke)	counts=; name=soak-smoke ;;
	--counts)	[ $# -ge 2 ] || { usage >&2; exit 2; }; counts=$2; shift ;;
	--timeout)	[ $# -ge 2 ] || { usage >&2; exit 2; }; timeout=$2; shift ;;
	-h|--help)	usage; exit 0 ;;
	*)		usage >&2; exit 2 ;;
	esac
	shift
done
if [ -n "$counts" ] && ! [[ "$counts" =~ ^[0-9]+,[0-9]+,[1-9][0-9]*,[0-9]+$ ]]; then
	echo "soak: bad counts '$counts' (LOADS,HOT,EVERY,PASSTHROUGH)" >&2
	exit 2
fi
# A bound, not a measurement: about 20 s per load/unload cycle and 8 s
# per hot cycle at the worst seen on 2 busy cores, and 10 minutes more.
if [ -z "$timeout" ]; then
	IFS=, read -r l h _ p <<< "${counts:-8,60,30,2}"
	timeout=$((600 + 20 * l + 8 * h + 60 * p))
fi

args=(--suite soak -n "$name" --timeout "$timeout")
[ -z "$counts" ] || args+=(-a "pvbus_soak=$counts")

start=$(date +%s)
"$PVBUS_TESTING/guest.sh" "${args[@]}"
rc=$?
secs=$(($(date +%s) - start))

# The guest's count line, and what failed outside the soak script.
tap=$GUEST/$name-soak.tap
line=$(ktap_diag "$tap" 'soak: ' |
	grep -E '^[0-9]+ cycles, [0-9]+ hot add/eject, [0-9]+ failures$' | tail -n 1)
extra=0
ktap_failed "$tap" kernel-log && extra=$((extra + 1))
if [ -z "$line" ]; then
	echo "soak: the guest printed no count line (see $GUEST/$name-soak.log)"
	line="0 cycles, 0 hot add/eject, 0 failures"
	extra=$((extra + 1))
elif [ "$rc" -ne 0 ] && [ "${line##*, }" = "0 failures" ] && [ "$extra" -eq 0 ]; then
	# guest.sh failed for a reason of its own (a timeout, a panic).
	extra=1
fi
k=${line##*, }
k=$((${k%% *} + extra))
echo "soak: wall time ${secs}s (guest.sh exit status $rc)"
echo "soak: ${line%, *}, $k failures"
[ "$k" -eq 0 ] && [ "$rc" -eq 0 ]
