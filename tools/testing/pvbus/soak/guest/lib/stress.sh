# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2154 # soak.sh's settings
#
# The soak's stressors (busybox sh; /soak/lib/stress.sh in the guest,
# sourced by soak.sh): background loops that read /proc/iomem, debugfs and
# the functions' sysfs files and bind pci-stub, pausing at checkpoints.

# Stressors: background loops that pause at checkpoints.

# stress NAME FUNCTION: run FUNCTION until $S/stop; while $S/pause
# exists, wait with $S/paused.NAME there.  Writes its count at the end.
stress() {
	_n=0
	while [ ! -e "$S/stop" ]; do
		if [ -e "$S/pause" ]; then
			touch "$S/paused.$1"
			while [ -e "$S/pause" ] && [ ! -e "$S/stop" ]; do
				sleep 0.1
			done
			rm -f "$S/paused.$1"
			continue
		fi
		"$2"
		_n=$((_n + 1))
	done
	echo "$_n ${extra:-}" > "$S/count.$1"
}

STRESSORS='iomem sysfs bind'

# shellcheck disable=SC2317 # run by stress
s_iomem() {
	cat /proc/iomem "$PVBUS_DBG" > /dev/null 2>&1
}

# shellcheck disable=SC2317
s_sysfs() {
	for _d in /sys/bus/pci/devices/"$DOM":*; do
		cat "$_d/resource" "$_d/config" > /dev/null 2>&1
		if [ -e "$_d/rom" ] && echo 1 > "$_d/rom" 2> /dev/null; then
			cat "$_d/rom" > /dev/null 2>&1 && extra=$((${extra:-0} + 1))
			echo 0 > "$_d/rom" 2> /dev/null
		fi
	done
}

# shellcheck disable=SC2317
s_bind() {
	for _d in /sys/bus/pci/devices/"$DOM":*; do
		_b=${_d##*/}
		{
			echo pci-stub > "$_d/driver_override" &&
				echo "$_b" > "$STUB/bind" && extra=$((${extra:-0} + 1))
			echo "$_b" > "$STUB/unbind"
		} 2> /dev/null
	done
}

stress_start() {
	rm -f "$S"/stop "$S"/pause "$S"/paused.* "$S"/count.*
	for _s in $STRESSORS; do
		stress "$_s" "s_$_s" &
	done
}

stress_pause() {
	touch "$S/pause"
	for _s in $STRESSORS; do
		wait_for 600 test -e "$S/paused.$_s" || fail "stressor $_s did not pause"
	done
}

stress_resume() {
	rm -f "$S/pause"
	for _s in $STRESSORS; do
		wait_for 600 test ! -e "$S/paused.$_s" || fail "stressor $_s did not resume"
	done
}

stress_stop() {
	touch "$S/stop"
	wait
}
