#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kdump kernel of a kdump matrix cell saves the dump as Debian's
# kdump-tools (1.8, kdump-config savecore) does, to the root file system the
# hook mounted at /newroot:
#
#	makedumpfile -F $MAKEDUMP_ARGS /proc/vmcore > $KDUMP_COREDIR/<stamp>/dump-incomplete
#	mv .../dump-incomplete .../dump.<stamp>
#	makedumpfile --dump-dmesg /proc/vmcore $KDUMP_COREDIR/<stamp>/dmesg.<stamp>
#
# with /etc/default/kdump-tools of the root file system (MAKEDUMP_ARGS
# "-c -d 31" by default; -F, the flattened format, is always added).  Only
# --message-level 6 is the harness's: no progress bars in the log.  Without
# a root file system there is nowhere to save it: a fact for run.sh.

# shellcheck source=SCRIPTDIR/../../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/lib.sh
. /kdump/lib.sh

tap_plan 3
R=$KD_NEWROOT

if ! grep -q " $R " /proc/mounts; then
	kd_fact "stage=save dump=no why=no_root_file_system"
	tap_skip "makedumpfile" "no root file system: the dump is lost"
	tap_skip "dmesg" "no root file system"
	tap_skip "unmounted" "no root file system"
	tap_done
fi

KDUMP_COREDIR=/var/crash
MAKEDUMP_ARGS="-c -d 31"
# shellcheck source=/dev/null # the cell's, written by run.sh
. "$R/etc/default/kdump-tools"

case " $MAKEDUMP_ARGS " in
*" -F "*) ;;
*) MAKEDUMP_ARGS="$MAKEDUMP_ARGS -F" ;;
esac
stamp=$(date +%Y%m%d%H%M)
dir=$R$KDUMP_COREDIR/$stamp
mkdir -p "$dir"
start=$(date +%s)
# shellcheck disable=SC2086 # the options split on purpose
makedumpfile $MAKEDUMP_ARGS --message-level 6 /proc/vmcore \
	> "$dir/dump-incomplete" 2> /tmp/makedumpfile.err
r=$?
secs=$(($(date +%s) - start))
tap_diag < /tmp/makedumpfile.err
tap_ok $r "makedumpfile $MAKEDUMP_ARGS /proc/vmcore > $KDUMP_COREDIR/$stamp/dump-incomplete (${secs}s)"
[ "$r" -ne 0 ] || mv "$dir/dump-incomplete" "$dir/dump.$stamp"
bytes=$(stat -c %s "$dir/dump.$stamp" 2> /dev/null || echo 0)

tap_check "makedumpfile --dump-dmesg /proc/vmcore $KDUMP_COREDIR/$stamp/dmesg.$stamp" \
	makedumpfile --dump-dmesg /proc/vmcore "$dir/dmesg.$stamp"
sync
tap_check "umount the root file system" umount "$R"

dump=no
[ "$r" -ne 0 ] || dump=yes
kd_fact "stage=save dump=$dump file=$KDUMP_COREDIR/$stamp/dump.$stamp bytes=$bytes secs=$secs"
tap_done
