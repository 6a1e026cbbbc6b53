#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The boot after a kdump matrix cell's crash, on its root file system (the
# NVMe behind pci-pvbus again): is the dump there, and is it this crash's?
# A dump is valid when it is makedumpfile's flattened format (as kdump-tools
# writes it) that makedumpfile -R turns back into a kdump-compressed file
# ("KDUMP   "), when makedumpfile reads the crashed kernel's log back out of
# that, and the log ends in the sysrq crash and carries the token the first
# kernel wrote (/var/lib/pvbus-kdump/token).  No dump at all is a fact for run.sh (the
# cell that is expected to lose it); a dump that is not valid never is.

# shellcheck source=SCRIPTDIR/../../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/lib.sh
. /kdump/lib.sh

tap_plan 3

dev=$(kd_mounted_dev /)
pci=$(kd_blk_pci "${dev#/dev/}")
case "$(kd_arg pvbus_kd_nvme || echo pvbus):$pci" in
pvbus:"$KD_DOMAIN":*|native:"$KD_NVME_ADDR") r=0 ;;
*) r=1 ;;
esac
tap_ok $r "/ is $dev on $pci"

token=$(cat /var/lib/pvbus-kdump/token 2> /dev/null)
find /var/crash -type f -exec ls -l {} + 2> /dev/null | tap_diag
dump=$(find /var/crash -type f -name 'dump.*' | head -n 1)
if [ -z "$dump" ]; then
	kd_fact "stage=verify dump=no valid=- token=${token:--}"
	tap_ok 0 "no dump in /var/crash (a fact for run.sh)"
	tap_skip "the dump is valid" "no dump"
	tap_done
fi
tap_ok 0 "a dump: $dump ($(stat -c %s "$dump") bytes)"

why=
core=$dump
if [ "$(head -c 12 "$dump")" = makedumpfile ]; then
	core=/tmp/dump.restored
	makedumpfile -R "$core" < "$dump" > /tmp/mdf.out 2>&1 ||
		why="makedumpfile -R cannot restore it"
	tap_diag "flattened; makedumpfile -R: $(tail -n 1 /tmp/mdf.out)"
fi
[ -n "$why" ] || [ "$(head -c 8 "$core")" = "KDUMP   " ] || why="no KDUMP signature"
if [ -z "$why" ] && ! makedumpfile --dump-dmesg "$core" /tmp/dump.dmesg > /tmp/mdf.out 2>&1; then
	tap_diag < /tmp/mdf.out
	why="makedumpfile cannot read the log out of it"
fi
if [ -z "$why" ]; then
	grep -q 'sysrq: Trigger a crash' /tmp/dump.dmesg || why="its log has no sysrq crash"
	[ -n "$token" ] && grep -q "pvbus-kdump: crash token $token" /tmp/dump.dmesg ||
		why="${why:+$why; }its log has not the token '$token'"
	tail -n 3 /tmp/dump.dmesg | tap_diag
fi
saved=$(dirname "$dump")/dmesg.${dump##*/dump.}
grep -q "pvbus-kdump: crash token $token" "$saved" 2> /dev/null ||
	why="${why:+$why; }$saved lacks the token"
valid=yes
[ -z "$why" ] || valid=no
kd_fact "stage=verify dump=yes valid=$valid token=${token:--} bytes=$(stat -c %s "$dump")${why:+ why=$(echo "$why" | tr ' =' '_:')}"
[ "$valid" = yes ]
tap_ok $? "the dump is this crash's: restored, KDUMP signature, its log ends in the sysrq crash with token $token${why:+: $why}"
tap_done
