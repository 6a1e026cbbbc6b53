#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The pvbus fuzzers: pci_pvbus_fuzz (pci-pvbus against a hostile host, in
# the pci-pvbus UML kernel) and pvbus_fuzz_fw (hostile firmware ranges, in
# the main one), through run_kunit.sh with the same debug config as
# make kunit.  The size of the run is the first argument:
#
#   run_fuzz.sh MESSAGES [FW_SEQUENCES] [kunit.py arguments...]
#
# MESSAGES host messages for pci_pvbus_fuzz (make fuzz: 1000000, make
# check: 50000), FW_SEQUENCES sequences for pvbus_fuzz_fw (default
# MESSAGES / 50).  FUZZ_ARGS adds kernel arguments, for instance to replay a
# failing seed: FUZZ_ARGS='pci_pvbus.fuzz_replay=0x5eed0042'.
#
# Prints the lines of both suites (among them, per message type of the
# PCI protocol, what the host sent: "fuzz-pci: tally TYPE: ..."; and the
# firmware segment tables pci_pvbus_fuzz tried: "fuzz-domain: ..."), then
# the total as its last line:
#   fuzz: N sequences, M messages, K failures
# N counts the sequences of both suites, K their failures and those of
# the segment tables, M the host messages pci_pvbus_fuzz delivered.
# Exits non-zero on any failure, and whenever it cannot tell: a suite
# whose summary line is missing from this run's raw log (a crash, a lost
# console line, a kernel that was not rebuilt and left an old log), or
# that ran less than was asked; each of those counts as one more failure
# in K, so that the last line never says 0 failures of a run that failed.  The fuzzers log only their failures
# (with seeds) and their summaries.

set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
export ROOT BUILD
# shellcheck source=tools/testing/kunit/lib.sh
. "$ROOT/tools/testing/kunit/lib.sh"

messages=${1:?usage: run_fuzz.sh MESSAGES [FW_SEQUENCES] [kunit.py args]}
shift
fw=$((messages / 50))
if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then
	fw=$1
	shift
fi

# kunit.py's --timeout covers the whole run: about 1 ms per message on
# 2 cores, with room.
timeout=$((600 + messages / 200))
args=(--timeout="$timeout"
	--kernel_args="pci_pvbus.fuzz_messages=$messages"
	--kernel_args="pvbus_fuzz.sequences=$fw")
for a in ${FUZZ_ARGS:-}; do
	args+=(--kernel_args="$a")
done

# The raw logs, where run_kunit.sh puts them: only this run's count.
kunit_build_dirs "$@"
pci=$KUNIT_PCI_DIR/test.log
main=$KUNIT_MAIN_DIR/test.log
replay=0
case ${FUZZ_ARGS:-} in
*replay=*) replay=1 ;;
esac
kunit_stamp

rc=0
bad=0
"$ROOT/tools/testing/kunit/run_kunit.sh" '*fuzz*' "${args[@]}" "$@" || rc=$?

for log in "$pci" "$main"; do
	if ! kunit_fresh "$log"; then
		echo "fuzz: $log was not written by this run"
		rc=1
	fi
done
# last LOG REGEX [N]: the last N (1) lines of LOG that match REGEX after
# kunit.py's time stamp, without the stamp, and with pci_pvbus_fuzz's
# "fuzz:" said as "fuzz-pci:".
last() {
	grep -hE "^(\[[^]]*\] )?$2" "$1" 2>/dev/null | tail -n "${3:-1}" |
		sed -E 's/^(\[[^]]*\] )?//; s/^fuzz:/fuzz-pci:/' || true
}
sum() {
	# sum LOG REGEX: the fields of the suite's last summary line, if
	# this run wrote LOG
	kunit_fresh "$1" || return 0
	last "$1" "$2" |
		sed -E 's/.*: ([0-9]+) sequences, ([0-9]+) [a-z]+, ([0-9]+) failures.*/\1 \2 \3/'
}
sum2() {
	# sum2 LOG REGEX: the two counts of a "N tables, K failures" line
	kunit_fresh "$1" || return 0
	last "$1" "$2" | sed -E 's/.*: ([0-9]+) [a-z]+, ([0-9]+) failures.*/\1 \2/'
}
# The message types of the wire format (the PCI protocol's and the bus's
# PING), and "other".
ntypes=12
# Only the summary lines: the suites also print a header line that begins
# the same way ("fuzz-fw: N sequences, seed ..."), which must not pass for
# a summary when the summary itself was lost.
read -r ps pm pf < <(sum "$pci" 'fuzz: [0-9]+ sequences, [0-9]+ messages, [0-9]+ failures') || true
read -r fs fr ff < <(sum "$main" 'fuzz-fw: [0-9]+ sequences, [0-9]+ ranges, [0-9]+ failures') || true
if [ -z "${ps:-}" ]; then
	echo "fuzz: pci_pvbus_fuzz printed no summary (crashed, or its line was lost): see $pci"
	bad=$((bad + 1))
fi
if [ -z "${fs:-}" ]; then
	echo "fuzz: pvbus_fuzz_fw printed no summary (crashed, or its line was lost): see $main"
	bad=$((bad + 1))
fi
ps=${ps:-0} pm=${pm:-0} pf=${pf:-0} fs=${fs:-0} fr=${fr:-0} ff=${ff:-0}
echo "fuzz-pci: $ps sequences, $pm messages, $pf failures"
if kunit_fresh "$pci"; then
	# Of the messages; what the guest did besides (removals and
	# rescans, unbinds, offers); floods while the bus was busy
	# (notifications handled as lost); the hosts' reserved ranges as
	# they attached, and attaches refused; the config window answered
	# falsely, and reads checked; capabilities made up.
	for re in 'fuzz: of the messages' 'fuzz: [0-9]+ functions removed' \
		'fuzz: [0-9]+ floods while' 'fuzz: [0-9]+ ranges given by hosts' \
		'fuzz: [0-9]+ config window accesses' \
		'fuzz: [0-9]+ config reads past'; do
		last "$pci" "$re"
	done
	# What the host sent, per message type: one line each.
	last "$pci" 'fuzz: tally ' "$ntypes"
fi
read -r dt df < <(sum2 "$pci" 'fuzz-domain: [0-9]+ tables, [0-9]+ failures') || true
if [ -z "${dt:-}" ]; then
	echo "fuzz: pci_pvbus_fuzz printed no firmware segment summary: see $pci"
	bad=$((bad + 1))
fi
dt=${dt:-0} df=${df:-0}
echo "fuzz-domain: $dt firmware segment tables, $df failures"
! kunit_fresh "$pci" || last "$pci" 'fuzz-domain: of the tables'
echo "fuzz-fw: $fs sequences, $fr ranges, $ff failures"
if kunit_fresh "$main"; then
	for re in 'of the sequences' '_CRS: ' 'pvbus.mmio=: ' 'properties: ' \
		'screen_info: ' 'host bridge windows: '; do
		last "$main" "fuzz-fw: $re"
	done
fi
if [ "$replay" = 0 ] && [ "$pm" -lt "$messages" ]; then
	echo "fuzz: $pm messages, fewer than the $messages asked for"
	bad=$((bad + 1))
fi
# pci_pvbus_fuzz's default: MESSAGES / 10 tables, at least one; its
# fuzz_domain_tables=0 means that default too.
tables=$((messages / 10 > 0 ? messages / 10 : 1))
if [[ ${FUZZ_ARGS:-} =~ fuzz_domain_tables=([0-9]+) ]] &&
	[ "${BASH_REMATCH[1]}" -gt 0 ]; then
	tables=${BASH_REMATCH[1]}
fi
if [ "$replay" = 0 ] && [ "$dt" -lt "$tables" ]; then
	echo "fuzz: $dt firmware segment tables, fewer than the $tables asked for"
	bad=$((bad + 1))
fi
if [ "$replay" = 0 ] && [ "$fs" -lt "$fw" ]; then
	echo "fuzz: $fs firmware sequences, fewer than the $fw asked for"
	bad=$((bad + 1))
fi
if [ "$rc" != 0 ] && [ $((pf + ff + df + bad)) -eq 0 ]; then
	echo "fuzz: no sequence or table failed, but the run did (a coverage check, a kernel report, the build): see $pci and $main"
	bad=1
fi
[ $((pf + ff + df + bad)) -eq 0 ] || rc=1
echo "fuzz: $((ps + fs)) sequences, $pm messages, $((pf + ff + df + bad)) failures"
exit "$rc"
