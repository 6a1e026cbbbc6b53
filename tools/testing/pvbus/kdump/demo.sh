# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # run.sh's globals
#
# The end of make kdump-demo (sourced by kdump/run.sh): the dump a cell's
# kdump kernel saved, read back from the cell's disk image on the host
# (debugfs, no mount) and restored with makedumpfile.
#
#	demo_dump NAME		prints the dump of cell NAME and the crashed
#				kernel's log in it

demo_dump() {
	local n=$1 dump f

	echo
	echo "kdump-demo: the disk image of cell $n, read on the host (debugfs, no mount):"
	dump=$(debugfs -R 'ls -p /var/crash' "$W/$n.img" 2> /dev/null |
		awk -F/ '$6 ~ /^[0-9]+$/ { print $6 }' | head -n 1)
	if [ -n "$dump" ]; then
		debugfs -R "ls -l /var/crash/$dump" "$W/$n.img" 2> /dev/null | sed '/^ *$/d; s/^/  /'
		f=$(debugfs -R "ls -p /var/crash/$dump" "$W/$n.img" 2> /dev/null |
			awk -F/ '$6 ~ /^dump\./ { print $6 }')
		debugfs -R "dump /var/crash/$dump/$f $W/$n.dump" "$W/$n.img" 2> /dev/null
		rm -f "$W/$n.vmcore"
		makedumpfile -R "$W/$n.vmcore" < "$W/$n.dump" > /dev/null 2>&1
		echo "  $f: $(head -c 12 "$W/$n.dump" | tr -cd '[:alnum:]') (flattened), restored with" \
			"makedumpfile -R: $(head -c 8 "$W/$n.vmcore" | tr -cd '[:upper:]') ($(stat -c %s "$W/$n.vmcore") bytes)"
		echo "  the crashed kernel's log in it (makedumpfile --dump-dmesg), about pvbus and the crash:"
		makedumpfile --dump-dmesg "$W/$n.vmcore" "$W/$n.vmcore.dmesg" > /dev/null 2>&1
		grep -E 'pci-pvbus|nvme0|crash token|sysrq|Kernel panic' "$W/$n.vmcore.dmesg" |
			tail -n 14 | sed 's/^/    /'
		rm -f "$W/$n.dump" "$W/$n.vmcore" "$W/$n.vmcore.dmesg"
	else
		echo "  no dump in /var/crash"
	fi
}
