# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# TAP helpers for pvbus guest tests (busybox sh).  guest.sh installs this
# file as /usr/share/pvbus/tap.sh; a test sources it:
#
#	. /usr/share/pvbus/tap.sh
#	tap_plan 2
#	tap_check "pvbus.ko loads" insmod "$(pvbus_ko pvbus)"
#	tap_ok "$?" "something computed"	# 0 is a pass
#	tap_done
#
# Results go to stdout; diagnostics are "# " comments.

TAP_N=0
TAP_FAILED=0

# tap_plan COUNT
tap_plan() {
	TAP_PLAN=$1
	echo "1..$1"
}

# bail WHY...: skip what is left of the plan, and finish.
bail() {
	tap_diag "$*"
	tap_skip_rest "later steps" "$*"
}

# missing WHAT...: what the harness always sets up for this test (its
# guest-args line) is not there: a failure, since the set-up broke, then
# the rest of the plan skipped.
missing() {
	tap_ok 1 "its set-up: $*"
	tap_skip_rest "later steps" "no set-up"
}

# wait_for [-s MS] TENTHS COMMAND...: true once COMMAND succeeds, within
# TENTHS tenths of a second, tried every MS milliseconds (1 to 100;
# default 100).
wait_for() {
	_wf_ms=100
	if [ "$1" = -s ]; then
		_wf_ms=$2
		shift 2
	fi
	_wf_n=$(($1 * 100 / _wf_ms))
	_wf_sleep=$(printf '0.%03d' "$_wf_ms")
	shift
	until "$@"; do
		_wf_n=$((_wf_n - 1))
		[ "$_wf_n" -gt 0 ] || return 1
		sleep "$_wf_sleep"
	done
}

# tap_ok STATUS NAME: a pass when STATUS is 0.
tap_ok() {
	TAP_N=$((TAP_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $TAP_N - $2"
	else
		echo "not ok $TAP_N - $2"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
	return "$1"
}

# tap_check NAME COMMAND...: run COMMAND, a pass when it succeeds.  Its
# output becomes comments.
tap_check() {
	_tap_name=$1
	shift
	"$@" > /tmp/tap_check.out 2>&1
	_tap_rc=$?
	# shellcheck disable=SC2119 # stdin
	tap_diag < /tmp/tap_check.out
	[ "$_tap_rc" -eq 0 ] || echo "# '$*' exited with status $_tap_rc"
	tap_ok "$_tap_rc" "$_tap_name"
}

# tap_skip NAME REASON
tap_skip() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}

# tap_skip_rest NAME REASON: skip every result left of the plan, and end
# the script.
tap_skip_rest() {
	while [ "$TAP_N" -lt "$TAP_PLAN" ]; do
		tap_skip "$1" "$2"
	done
	tap_done
}

# tap_diag [TEXT...]: TEXT as comments, or stdin when there is none.
# shellcheck disable=SC2120 # both ways are used
tap_diag() {
	if [ $# -gt 0 ]; then
		printf '%s\n' "$@" | sed 's/^/# /'
	else
		sed 's/^/# /'
	fi
}

# tap_done: the exit status of a test script.
tap_done() {
	[ "$TAP_FAILED" -eq 0 ] && exit 0
	exit 1
}

# pvbus_ko NAME: path of the project module NAME in the guest.
pvbus_ko() {
	find "/lib/modules/$(uname -r)/extra" -name "$1.ko" | head -n 1
}

# pvbus_kos: one result, that the guest has the three modules of a
# simulated PCI bus; their paths become $pvbus, $sim and $pcipv.  Bails out
# if one is missing.
pvbus_kos() {
	pvbus=$(pvbus_ko pvbus)
	sim=$(pvbus_ko pvbus_sim)
	pcipv=$(pvbus_ko pci-pvbus)
	[ -n "$pvbus" ] && [ -n "$sim" ] && [ -n "$pcipv" ]
	tap_ok $? "pvbus.ko, pvbus_sim.ko and pci-pvbus.ko are in the initramfs" ||
		bail "no modules"
}

# pvbus_ssdt: which SSDT the harness gave the guest (prp, hid, none or a
# file name).
pvbus_ssdt() {
	read -r _cmdline < /proc/cmdline
	for _w in $_cmdline; do
		case "$_w" in pvbus_guest_ssdt=*) echo "${_w#*=}"; return ;; esac
	done
	echo none
}

# pvbus_kdump_kernel: true in the kdump kernel of a kdump cycle (guest.sh
# --kdump), which runs every test of the boot a second time.
pvbus_kdump_kernel() {
	[ -e /proc/vmcore ]
}

# pvbus_kdump_cycle: true in the first kernel of a kdump cycle, which
# crashes into the kdump kernel after the tests.
pvbus_kdump_cycle() {
	[ ! -e /proc/vmcore ] && [ -f /etc/pvbus-kdump.conf ]
}

# iomem_path START-END: the chain of /proc/iomem entries down to the
# entries of exactly that range (as /proc/iomem prints it, e.g.
# fd000000-fdffffff), one line each, outermost first, joined by " > ":
#	PCI Bus 0000:00 > pvbus low window > 0000:00:02.0
# A range shown more than once (nested in itself) gives its deepest path.
iomem_path() {
	awk -v want="$1" '
		{
			match($0, /^ */)
			depth = RLENGTH / 2
			line = $0
			sub(/^ */, "", line)
			range = line
			sub(/ : .*/, "", range)
			name = line
			sub(/^[^:]* : /, "", name)
			path[depth] = name
			if (range == want) {
				out = path[0]
				for (d = 1; d <= depth; d++)
					out = out " > " path[d]
				found = out
			}
		}
		END { if (found != "") print found; else exit 1 }
	' /proc/iomem
}

# iomem_has START-END NAME: /proc/iomem has an entry NAME of that range.
iomem_has() {
	# A framebuffer part that several sources name is shown once, its
	# name their names joined by " + ".
	sed -n 's/^ *//; s/^'"$1"' : //p' /proc/iomem | sed 's/ + /|/g' | tr '|' '\n' |
		grep -qxF "$2"
}
