# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Jobs that run side by side, each in a process group of its own, which
# the script that started them stops when it ends early.  A Ctrl-C
# reaches only the terminal's foreground group, and a background job
# without job control ignores it: without this, the jobs of an interrupted
# script go on booting guests alone.  A job's guest stops on SIGTERM as on
# a Ctrl-C (lib/qemu.sh), once the pipeline it waits on, in the same
# group, is gone.  Nothing here needs lib/common.sh's environment, so
# that tools/testing/check.sh can source it too:
#
#	. "$PVBUS_TESTING/lib/group.sh"
#	trap group_stop_all EXIT
#	group_start job ARG... > job.out 2>&1
#	group_wait_all
#
# group_start COMMAND...: run COMMAND (a function too) in the background,
# in a process group of its own, its standard input /dev/null (as bash
# gives a background job without job control), and note the group ($! is
# its id).  A job may write to a terminal, which with "stty tostop" would
# stop a background group (SIGTTOU): it ignores that.  group_wait,
# group_wait_one and group_wait_all wait for jobs and forget the groups of
# those that ended, whose ids may be given to others; group_stop_all sends
# SIGTERM to every group still noted, as an EXIT trap.

PVBUS_GROUPS=()

group_start() {
	set -m
	(set +m; trap '' TTOU; "$@") < /dev/null &
	PVBUS_GROUPS+=("$!")
	set +m
}

# group_forget PID: the job PID ended.
group_forget() {
	local g left=()

	for g in "${PVBUS_GROUPS[@]}"; do
		[ "$g" = "$1" ] || left+=("$g")
	done
	PVBUS_GROUPS=("${left[@]}")
}

# group_wait PID: wait for the job PID; its exit status.
group_wait() {
	local rc=0

	wait "$1" || rc=$?
	group_forget "$1"
	return "$rc"
}

# group_wait_one: wait for any one job.
group_wait_one() {
	local pid=''

	wait -n -p pid || true
	group_forget "$pid"
}

# group_wait_all: wait for every job (wait's status is then 0).
group_wait_all() {
	wait
	PVBUS_GROUPS=()
}

group_stop_all() {
	local g

	for g in "${PVBUS_GROUPS[@]}"; do
		kill -- -"$g" 2> /dev/null || true
	done
}
