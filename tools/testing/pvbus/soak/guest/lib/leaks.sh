# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2154 # soak.sh's settings
#
# The soak's leak signals (busybox sh; /soak/lib/leaks.sh in the guest,
# sourced by soak.sh): /proc/iomem, the slab objects allocated from the
# modules' code, the modules' reference counts, each taken at a baseline
# and compared with it at every checkpoint.

# Leak signals

# slab_snap FILE: the live slab objects whose allocation stack passes
# through the project's modules (or a module that is gone), as lines
# "COUNT CACHE FUNCTION" (the first such frame), to FILE, and their
# allocation stacks to FILE.rec, a line "CACHE FUNCTION COUNT frame < ..."
# each; their sum is printed.  Unused dentries and inodes are dropped
# first, three times (a pass frees a dentry, the next its parent): a
# cached dentry of a removed sysfs file keeps its kernfs node.  The
# caches read are those the modules, and the driver core on their behalf,
# allocate from: kmalloc's, kernfs's and ACPICA's (reading all of them
# takes long under TCG).  Not radix_tree_node, the nodes of the kernel's
# IDRs and xarrays (kernfs inode numbers, allocated cyclically), charged
# to whoever made a tree grow and kept when it shrinks, nor vmap_area,
# whose areas an iounmap() leaves for a lazy purge.
slab_snap() {
	sync
	for _p in 1 2 3; do
		echo 2 > /proc/sys/vm/drop_caches
	done
	awk -v rec="$1.rec" '
		BEGIN { re = ENVIRON["MODS_RE"] }
		function flush() {
			if (n && site != "") {
				tot[cache " " site] += n
				print cache, site, buf > rec
			}
			n = 0
			site = ""
		}
		FNR == 1 {
			flush()
			cache = FILENAME
			sub(/\/alloc_traces$/, "", cache)
			sub(/.*\//, "", cache)
		}
		/^ *[0-9]+ / { flush(); n = $1; buf = $1; next }
		/^ *$/ { flush(); next }
		n { l = $0; sub(/^ */, "", l); buf = buf " < " l }
		n && site == "" && $0 ~ re { site = $1; sub(/\+.*/, "", site) }
		END {
			flush()
			for (k in tot)
				print tot[k], k
		}' "$SLAB"/kmalloc-*/alloc_traces "$SLAB"/kernfs_*/alloc_traces \
		"$SLAB"/Acpi-*/alloc_traces | sort -k2 > "$1"
	awk '{ s += $1 } END { print s + 0 }' "$1"
}

# refcnts FILE: the reference counts of the modules the soak uses.
refcnts() {
	for _m in configfs pci_stub pvbus pvbus_sim pci_pvbus; do
		[ -e "/sys/module/$_m/refcnt" ] && echo "$_m $(cat "/sys/module/$_m/refcnt")"
	done > "$1"
}

# baseline NAME: /proc/iomem, the slab objects and the reference counts
# of this state, to compare with at the checkpoints of a phase.
baseline() {
	cat /proc/iomem > "$S/$1.iomem"
	_t=$(slab_snap "$S/$1.slab")
	refcnts "$S/$1.ref"
	tap_diag "$1 baseline: $_t slab objects from the modules' code, refcnt $(tr '\n' ' ' < "$S/$1.ref")"
}

# checkpoint NAME WHERE [SLAB]: compare this state with the baseline NAME;
# a failure for each signal that differs, but slab objects only reported
# when SLAB is 'report'.  Also looks for a kernel log line that would fail
# the kernel-log check.
checkpoint() {
	checkpoints=$((checkpoints + 1))
	_bad=0
	# The windows of a function given back go once the host's answer is
	# in, which may be after the function left sysfs: up to five seconds
	# for that.  A BAR held, or a window leaked, stays.
	if ! wait_for 50 cmp -s "$S/$1.iomem" /proc/iomem; then
		fail "$2: /proc/iomem differs from its baseline"
		diff "$S/$1.iomem" /proc/iomem | tap_diag
		_bad=1
	fi
	_r=$(awk '{ s += $1 } END { print s + 0 }' "$S/$1.slab")
	# A count above the baseline is taken again, up to three times: the
	# kernfs nodes of a removed device were seen to outlive the dentry
	# drop of a count now and then, and to be gone at the next one.  A
	# leak stays.
	_n=0
	while _t=$(slab_snap "$S/now.slab") && [ "$_t" -gt "$_r" ] && [ "$_n" -lt 3 ]; do
		_n=$((_n + 1))
		tap_diag "$2: $_t slab objects from the modules' code, baseline $_r: counting again"
		sleep 1
	done
	if [ "$_t" -gt "$_r" ]; then
		if [ "${3:-}" = report ]; then
			tap_diag "$2: $((_t - _r)) more slab objects from the modules' code than at the baseline ($_r), reported only"
		else
			fail "$2: $((_t - _r)) more slab objects from the modules' code than at the baseline ($_r)"
			_bad=1
		fi
		# The sites whose count grew.
		awk 'NR == FNR { ref[$2 " " $3] = $1; next }
			$1 > ref[$2 " " $3] + 0 { print $2, $3, ref[$2 " " $3] + 0, "->", $1 }' \
			"$S/$1.slab" "$S/now.slab" > "$S/grown"
		tap_diag < "$S/grown"
		# The allocation stack of the first few.
		head -n 3 "$S/grown" | while read -r _c _f _; do
			grep -F -m 1 "$_c $_f " "$S/now.slab.rec" | tap_diag
		done
		find /sys -name "$DOM:*" 2> /dev/null | head -n 20 | tap_diag
	fi
	refcnts "$S/now.ref"
	if ! cmp -s "$S/$1.ref" "$S/now.ref"; then
		fail "$2: module reference counts differ from the baseline"
		diff "$S/$1.ref" "$S/now.ref" | tap_diag
		_bad=1
	fi
	_lines=$(dmesg | wc -l)
	if dmesg | tail -n +"$((${_klog:-0} + 1))" | grep -E "$PVBUS_KLOG_BAD" > "$S/bad"; then
		fail "$2: the kernel complained"
		head -n 20 "$S/bad" | tap_diag
		_bad=1
	fi
	_klog=$_lines
	read -r _up _ < /proc/uptime
	tap_diag "checkpoint $2 at ${_up}s: $_t slab objects from the modules' code (baseline $_r)$([ "$_bad" -eq 0 ] && echo ', iomem, refcnt: ok')"
	return "$_bad"
}
