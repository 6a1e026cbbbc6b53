# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by kdump-params-test.sh, whose $T, $TOOL, expect() and copies
# of the bus's map ($T/qemu) it uses: debian/pvbus-kdump-params' snippet
# as --write, --refresh and --enable leave it, and the package's purge
# (debian/pvbus-dkms.postrm).

# --write FILE writes the snippet there (twice: the second finds it unchanged).
for _ in 1 2; do
	PVBUS_DEBUGFS=$T/qemu PVBUS_KDUMP_DEFAULTS=$T/no-defaults \
		"$TOOL" --write "$T/out.conf" > /dev/null
done
expect "--write FILE" 1 "$(grep -c '^PVBUS_KDUMP_PARAMS="pvbus.reserve=16M@0xfd000000"$' "$T/out.conf")"
# The defaults source the snippet, not FILE: they are not checked against
# it (the snippet itself may be stale, or not enabled).
printf 'KDUMP_COREDIR="/var/crash"\n' > "$T/file-defaults"
PVBUS_DEBUGFS=$T/qemu PVBUS_KDUMP_DEFAULTS=$T/file-defaults \
	"$TOOL" --write "$T/preview.conf" > /dev/null 2> "$T/err"
expect "--write FILE, defaults that source no snippet: status" 0 "$?"
expect "--write FILE, defaults that source no snippet: nothing said" 0 \
	"$(grep -c 'does not pass' "$T/err")"
# The default file named as FILE is checked as --write checks it.
PVBUS_DEBUGFS=$T/qemu PVBUS_KDUMP_DEFAULTS=$T/file-defaults \
	PVBUS_KDUMP_SNIPPET=$T/preview.conf \
	"$TOOL" --write "$T/preview.conf" > /dev/null 2> "$T/err"
expect "--write FILE, the default file: status" 1 "$?"
expect "--write FILE, the default file: said" 1 \
	"$(grep -c 'does not pass' "$T/err")"

# No temporary file: kdump-tools.service starts as systemd-tmpfiles-setup
# empties /tmp (a distro-test boot saw the tool's files vanish there).
TMPDIR=$T/no-such-dir PVBUS_DEBUGFS=$T/qemu PVBUS_KDUMP_DEFAULTS=$T/no-defaults \
	"$TOOL" --write "$T/notmp.conf" > /dev/null 2>&1
expect "--write with no usable TMPDIR" 1 \
	"$(grep -c '^PVBUS_KDUMP_PARAMS="pvbus.reserve=16M@0xfd000000"$' "$T/notmp.conf" 2> /dev/null)"

# --write before the bus probed (kdump-tools.service may start first): no
# window, so a snippet already written is kept, and the status says so;
# with none written yet, one that adds nothing is.
printf '00000000-00000fff : Reserved\n' > "$T/iomem-early"
while IFS='|' read -r what had want_rc want; do
	rm -f "$T/early.conf"
	[ -z "$had" ] || echo "PVBUS_KDUMP_PARAMS=\"$had\"" > "$T/early.conf"
	PVBUS_DEBUGFS=$T/absent PVBUS_IOMEM=$T/iomem-early \
		PVBUS_KDUMP_DEFAULTS=$T/no-defaults \
		"$TOOL" --write "$T/early.conf" > /dev/null 2>&1
	expect "--write before the bus, $what: status" "$want_rc" "$?"
	expect "--write before the bus, $what: the snippet" \
		"PVBUS_KDUMP_PARAMS=\"$want\"" \
		"$(grep '^PVBUS_KDUMP_PARAMS=' "$T/early.conf")"
done <<'TABLE'
a snippet of an earlier boot|pvbus.reserve=16M@0xfd000000|1|pvbus.reserve=16M@0xfd000000
none yet||1|
TABLE

# --write and --enable say (status 1, "does not pass") when
# kdump-tools' defaults do not pass the parameters on: not enabled, or
# KDUMP_CMDLINE_APPEND set after the line (--enable adds none then), or
# replaced by kdump-tools' version (ucf), the old one, .ucf-old, sourcing
# the snippet: that is said ("replaced").
sn=$T/etc/kdump-tools.conf
put() {	# TEXT FILE: @SOURCE@ and @OLD@ the line --enable adds, and of before
	local v=${1//@SOURCE@/if [ -r @SNIPPET@ ]; then . @SNIPPET@; fi}
	v=${v//@OLD@/[ -r @SNIPPET@ ] \&\& . @SNIPPET@}
	printf '%b' "${v//@SNIPPET@/$sn}" > "$2"
}
while IFS='|' read -r mode what defaults ucf_old want_rc replaced; do
	rm -f "$T/defaults.ucf-old"
	put "$defaults" "$T/defaults"
	[ -z "$ucf_old" ] || put "$ucf_old" "$T/defaults.ucf-old"
	PVBUS_DEBUGFS=$T/qemu PVBUS_KDUMP_DEFAULTS=$T/defaults \
		PVBUS_KDUMP_SNIPPET=$sn "$TOOL" "$mode" > /dev/null 2> "$T/err"
	expect "$mode, defaults $what: status" "$want_rc" "$?"
	expect "$mode, defaults $what: said" "$([ "$want_rc" = 0 ] && echo 0 || echo 1)" \
		"$(grep -c 'does not pass' "$T/err")"
	expect "$mode, defaults $what: said replaced" "${replaced:-0}" \
		"$(grep -c "was replaced by kdump-tools' version (the old one is $T/defaults.ucf-old) and no longer sources $sn: run 'pvbus-kdump-params --enable' again" "$T/err")"
done <<'TABLE'
--write|that source the snippet|KDUMP_COREDIR="/var/crash"\n@SOURCE@\n||0
--write|that do not|KDUMP_COREDIR="/var/crash"\n||1
--write|that do not, .ucf-old neither|KDUMP_COREDIR="/var/crash"\n|KDUMP_COREDIR="/var/crash"\n|1
--write|replaced, .ucf-old sourcing it|KDUMP_COREDIR="/var/crash"\n|KDUMP_COREDIR="/var/crash"\n@SOURCE@\n|1|1
--write|replaced, .ucf-old with the old line|KDUMP_COREDIR="/var/crash"\n|@OLD@\n|1|1
--write|that set the append after it|@SOURCE@\nKDUMP_CMDLINE_APPEND="irqpoll"\n|@SOURCE@\n|1
--write|that set the append before it|KDUMP_CMDLINE_APPEND="irqpoll"\n@SOURCE@\n||0
--write|with a pvbus.reserve= of their own|KDUMP_CMDLINE_APPEND="pvbus.reserve=8M@0xc0000000"\n@SOURCE@\n||0
--enable|that do not source it yet|KDUMP_CMDLINE_APPEND="irqpoll"\n||0
--enable|that set the append after it|@SOURCE@\nKDUMP_CMDLINE_APPEND="irqpoll"\n||1
--enable|that set the append after the old line|@OLD@\nKDUMP_CMDLINE_APPEND="irqpoll"\n||1
--enable|that set the append before it|KDUMP_CMDLINE_APPEND="irqpoll"\n@SOURCE@\n||0
TABLE
rm -f "$sn"

# --refresh restarts kdump-tools (if it runs: is-active) when kdump-config
# last loaded the kdump kernel (kexec_cmd in KDUMP_COREDIR) before the
# snippet was written, or never: by this run, or by one cut short; not
# when the defaults do not source the snippet (--enable not run); with
# no window of the bus it keeps the snippet, status 1, and restarts
# nothing, nor when there was none (before = none); --enable before the
# bus probed keeps the snippet too.
cat > "$T/systemctl" <<'SH'
#!/bin/sh
echo "$*" >> "${0%/*}/systemctl.log"
[ "$2" != is-active ] || [ "${0##*/}" = systemctl ]
SH
chmod +x "$T/systemctl"
cp "$T/systemctl" "$T/systemctl-inactive"
mkdir -p "$T/crash"
printf 'KDUMP_COREDIR="%s"\nif [ -r %s ]; then . %s; fi\n' \
	"$T/crash" "$T/refresh.conf" "$T/refresh.conf" > "$T/refresh-defaults"
printf 'KDUMP_COREDIR="%s"\n' "$T/crash" > "$T/refresh-nosource"
active='-q is-active kdump-tools.service'
restart="$active,--no-block try-restart kdump-tools.service"
while IFS='|' read -r what before loaded map ctl defaults want_rc want; do
	if [ "$before" = written ]; then
		PVBUS_DEBUGFS=$T/qemu PVBUS_KDUMP_SNIPPET=$T/refresh.conf \
			PVBUS_KDUMP_DEFAULTS=$T/no-defaults "$TOOL" --write > /dev/null 2>&1
	elif [ "$before" = none ]; then
		rm -f "$T/refresh.conf"
	else
		printf 'PVBUS_KDUMP_PARAMS="%s"\n' "$before" > "$T/refresh.conf"
	fi
	rm -f "$T/crash/kexec_cmd" "$T/systemctl.log"
	[ "$loaded" = never ] || touch -d "$loaded" "$T/crash/kexec_cmd"
	PVBUS_DEBUGFS=$T/$map PVBUS_IOMEM=$T/iomem-early \
		PVBUS_KDUMP_DEFAULTS=$T/$defaults \
		PVBUS_SYSTEMCTL=$T/$ctl PVBUS_KDUMP_SNIPPET=$T/refresh.conf \
		"$TOOL" --refresh > /dev/null 2>&1
	expect "--refresh, $what: status" "$want_rc" "$?"
	want=${want/#restart/$restart}
	expect "--refresh, $what" "${want/#active/$active}" \
		"$(paste -sd, "$T/systemctl.log" 2> /dev/null)"
	if [ "$before" = none ]; then
		expect "--refresh, $what: a snippet that adds nothing" \
			'PVBUS_KDUMP_PARAMS=""' \
			"$(grep '^PVBUS_KDUMP_PARAMS=' "$T/refresh.conf")"
	elif [ "$map" != qemu ]; then
		expect "--refresh, $what: the snippet kept" \
			"PVBUS_KDUMP_PARAMS=\"$before\"" \
			"$(grep '^PVBUS_KDUMP_PARAMS=' "$T/refresh.conf")"
	fi
done <<'TABLE'
a stale snippet|pvbus.reserve=1M@0x1000|1 hour ago|qemu|systemctl|refresh-defaults|0|restart
the snippet as --write leaves it, loaded since|written|1 hour|qemu|systemctl|refresh-defaults|0|
the snippet as --write leaves it, loaded before|written|1 hour ago|qemu|systemctl|refresh-defaults|0|restart
kdump-tools not active|written|1 hour ago|qemu|systemctl-inactive|refresh-defaults|0|active
no kexec_cmd: never loaded|written|never|qemu|systemctl|refresh-defaults|0|restart
defaults that do not source the snippet|pvbus.reserve=1M@0x1000|1 hour ago|qemu|systemctl|refresh-nosource|1|
no window of the bus|pvbus.reserve=16M@0xfd000000|1 hour ago|absent|systemctl|refresh-defaults|1|
no window of the bus, no snippet yet|none|1 hour ago|absent|systemctl|refresh-defaults|1|
TABLE
printf 'KDUMP_COREDIR="/var/crash"\n' > "$T/early-defaults"
echo 'PVBUS_KDUMP_PARAMS="pvbus.reserve=16M@0xfd000000"' > "$T/early.conf"
PVBUS_DEBUGFS=$T/absent PVBUS_IOMEM=$T/iomem-early \
	PVBUS_KDUMP_DEFAULTS=$T/early-defaults PVBUS_KDUMP_SNIPPET=$T/early.conf \
	"$TOOL" --enable > /dev/null 2>&1
expect "--enable before the bus: the snippet kept" \
	'PVBUS_KDUMP_PARAMS="pvbus.reserve=16M@0xfd000000"' "$(cat "$T/early.conf")"
expect "--enable before the bus: the line added" 1 \
	"$(grep -cxF "if [ -r $T/early.conf ]; then . $T/early.conf; fi" "$T/early-defaults")"

# A map that cannot be read (its root went meanwhile) is passed over.
mkdir -p "$T/gone-PVBS0001:07"
cp "$T/qemu" "$T/gone"
expect "a map not read" "pvbus.reserve=16M@0xfd000000" \
	"$(PVBUS_DEBUGFS=$T/gone "$TOOL" 2> /dev/null)"

# --enable adds one sourcing line, once, that is true also without the
# snippet (kdump-tools' debconf script sources the defaults under sh -e),
# and rewrites the line of older versions, which was false then.
new="if [ -r $sn ]; then . $sn; fi"
old="[ -r $sn ] && . $sn"
# The package's purge then leaves the defaults as they were before
# --enable, the blank line it added too (older versions' line aside).
while IFS='|' read -r what before after; do
	printf '%b' "${before//@SNIPPET@/$sn}" > "$T/defaults"
	printf '%b' "$after" > "$T/purged"
	for _ in 1 2; do
		PVBUS_DEBUGFS=$T/qemu PVBUS_KDUMP_DEFAULTS=$T/defaults \
			PVBUS_KDUMP_SNIPPET=$sn "$TOOL" --enable > /dev/null 2>&1 || true
	done
	expect "--enable $what: the line" 1 "$(grep -cxF "$new" "$T/defaults")"
	expect "--enable $what: no old line" 0 "$(grep -cxF "$old" "$T/defaults")"
	PVBUS_KDUMP_DEFAULTS=$T/defaults PVBUS_KDUMP_SNIPPET=$sn \
		sh "$ROOT/debian/pvbus-dkms.postrm" purge > /dev/null 2>&1
	if cmp -s "$T/defaults" "$T/purged"; then
		got=same
	else
		got=$(diff "$T/purged" "$T/defaults" | tr '\n' ' ')
	fi
	expect "--enable $what, then purge: the defaults as before" same "$got"
	expect "--enable $what, then purge: no snippet" no \
		"$([ -e "$sn" ] && echo yes || echo no)"
done <<'TABLE'
on kdump-tools' defaults|KDUMP_COREDIR="/var/crash"\n|KDUMP_COREDIR="/var/crash"\n
after a blank line|KDUMP_COREDIR="/var/crash"\n\n|KDUMP_COREDIR="/var/crash"\n\n
on a line of before|KDUMP_COREDIR="/var/crash"\n[ -r @SNIPPET@ ] && . @SNIPPET@\n|KDUMP_COREDIR="/var/crash"\n
TABLE
# Defaults with nothing of --enable in them are not written at all.
printf 'KDUMP_COREDIR="/var/crash"\n\n' > "$T/untouched"
touch -d '2001-01-01 00:00:00' "$T/untouched"
was=$(stat -c '%i %y' "$T/untouched")
PVBUS_KDUMP_DEFAULTS=$T/untouched PVBUS_KDUMP_SNIPPET=$sn \
	sh "$ROOT/debian/pvbus-dkms.postrm" purge > /dev/null 2>&1
expect "purge without --enable: the defaults not written" "$was" \
	"$(stat -c '%i %y' "$T/untouched")"
PVBUS_DEBUGFS=$T/qemu PVBUS_KDUMP_DEFAULTS=$T/defaults \
	PVBUS_KDUMP_SNIPPET=$sn "$TOOL" --enable > /dev/null 2>&1 || true
# A chrootless purge (dpkg --root: DPKG_ROOT) undoes --enable in that
# root, where the line names the snippet as the root sees it; the same
# files outside it are left alone.
tr=$T/target
mkdir -p "$tr$T/etc"
for d in "" "$tr"; do
	printf 'KDUMP_COREDIR="/var/crash"\n' > "$d$T/root-defaults"
	PVBUS_DEBUGFS=$T/qemu PVBUS_KDUMP_DEFAULTS=$d$T/root-defaults \
		PVBUS_KDUMP_SNIPPET=$d$sn "$TOOL" --enable > /dev/null 2>&1 || true
done
sed -i "s|$tr||g" "$tr$T/root-defaults"
cp "$T/root-defaults" "$T/root-defaults.here"
DPKG_ROOT=$tr PVBUS_KDUMP_DEFAULTS=$T/root-defaults PVBUS_KDUMP_SNIPPET=$sn \
	sh "$ROOT/debian/pvbus-dkms.postrm" purge > /dev/null 2>&1
expect "purge in DPKG_ROOT: its defaults as before" 'KDUMP_COREDIR="/var/crash"' \
	"$(cat "$tr$T/root-defaults")"
expect "purge in DPKG_ROOT: its snippet gone" no \
	"$([ -e "$tr$sn" ] && echo yes || echo no)"
expect "purge in DPKG_ROOT: the defaults here kept" same \
	"$(cmp -s "$T/root-defaults" "$T/root-defaults.here" && echo same)"
expect "purge in DPKG_ROOT: the snippet here kept" yes \
	"$([ -e "$sn" ] && echo yes || echo no)"
rm "$sn"
expect "--enable: sourced under sh -e without the snippet" reached \
	"$(sh -ec '. "$1"; echo reached' - "$T/defaults" 2> /dev/null)"

# --enable without kdump-tools' defaults: the snippet written, no defaults
# made up, status 1.
rm -f "$sn"
PVBUS_DEBUGFS=$T/qemu PVBUS_KDUMP_DEFAULTS=$T/no-such-defaults \
	PVBUS_KDUMP_SNIPPET=$sn "$TOOL" --enable > /dev/null 2>&1
expect "--enable without defaults: status" 1 "$?"
expect "--enable without defaults: none made" no \
	"$([ -e "$T/no-such-defaults" ] && echo yes || echo no)"
expect "--enable without defaults: the snippet" 1 \
	"$(grep -c '^PVBUS_KDUMP_PARAMS="pvbus.reserve=16M@0xfd000000"$' "$sn")"

# The defaults sourced twice (kdump-tools' init script, then kdump-config)
# add pvbus.reserve= once: not again when it is there.
while IFS='|' read -r what before; do
	printf '%b' "$before" > "$T/twice"
	PVBUS_DEBUGFS=$T/qemu PVBUS_KDUMP_DEFAULTS=$T/twice \
		PVBUS_KDUMP_SNIPPET=$sn "$TOOL" --enable > /dev/null 2>&1
	# shellcheck disable=SC2016 # the defaults under test
	expect "the defaults $what, sourced twice" 1 \
		"$(sh -c '. "$1"; . "$1"; echo "$KDUMP_CMDLINE_APPEND"' - "$T/twice" |
			grep -o 'pvbus\.reserve=' | wc -l)"
done <<'TABLE'
with no append|KDUMP_COREDIR="/var/crash"\n
with an append|KDUMP_CMDLINE_APPEND="irqpoll"\n
TABLE
