#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make distro-test, inside the Debian 12 VM (/usr/local/sbin/pvbus-distro-test,
# run by pvbus-distro-test.service once systemd reached its default target,
# and by pvbus-distro-facts.service in the kdump kernel before
# kdump-tools-dump.service).  Facts go to ttyS1, one per line,
#
#	PVBUS-DISTRO stage=first key=value ...
#	PVBUS-DISTRO-LOG text
#
# for distro/run.sh.  The stage comes from the kernel command line
# (pvbus_distro=first) and /proc/vmcore:
#
#   first   the package's initramfs hook in auto mode on the real root
#           device (hook_auto); what its kdump-tools drop-in wrote at
#           boot (boot_write); its udev rule on a bind (refresh);
#           bochs-drm drives the framebuffer; kdump-tools restarted (its
#           drop-in writes the pvbus parameters), kdump-config status;
#           then sysrq c
#   kdump   (the kdump kernel, before kdump-tools saves the dump) what it
#           got: lfb_base, the bus's reservations, the config window
#   verify  the dump kdump-tools saved, read back with makedumpfile

OUT=/dev/ttyS1
fact() {
	echo "PVBUS-DISTRO stage=$stage $*" > "$OUT"
}
log() {
	sed 's/^/PVBUS-DISTRO-LOG /' > "$OUT"
}

arg() {
	local w cl

	read -r cl < /proc/cmdline
	for w in $cl; do
		case "$w" in "$1"=*) echo "${w#*=}"; return 0 ;; esac
	done
	return 1
}

# lfb_base: screen_info.lfb_base as this kernel got it (boot_params 0x18,
# ext_lfb_base at 0x3a above it).
lfb_base() {
	local bp=/sys/kernel/boot_params/data lo hi

	lo=$(od -An -tu4 -j24 -N4 "$bp" | tr -d ' ')
	hi=$(od -An -tu4 -j58 -N4 "$bp" | tr -d ' ')
	printf '0x%x\n' $(((hi << 32) + lo))
}

fbs() {
	local f

	f=$(sed 's/^[0-9]* //; s/ /_/g' /proc/fb | paste -sd, -)
	echo "${f:--}"
}

cfg_window() {
	local w

	w=$(dmesg | grep -oE 'pci-pvbus .*config window \[mem 0x[0-9a-f]+' | tail -n 1 |
		sed 's/.*\[mem //')
	echo "${w:--}"
}

root_path() {
	local mm

	mm=$(findmnt -n -o MAJ:MIN / | tr -d " ")
	readlink -f "/sys/dev/block/$mm"
}

# on_pvbus PATH: a device above PATH in sysfs is on the pvbus bus.
on_pvbus() {
	local p=$1

	while [ "$p" != /sys ] && [ "$p" != / ]; do
		if [ "$(basename "$(readlink -f "$p/subsystem")")" = pvbus ]; then
			echo yes
			return
		fi
		p=$(dirname "$p")
	done
	echo no
}

bus_facts() {
	local dev path

	dev=$(findmnt -n -o SOURCE /)
	path=$(root_path)
	fact "lfb_base=$(lfb_base) fb=$(fbs) cfg_window=$(cfg_window) root=$dev" \
		"root_on_pvbus=$(on_pvbus "$path")" \
		"request_timeout_ms=$(cat /sys/module/pvbus/parameters/request_timeout_ms 2> /dev/null)" \
		"cmdline_reserve=$(arg pvbus.reserve || echo -)"
	echo "root: $path" | log
	grep '^reserved' /sys/kernel/debug/pvbus/mmio 2> /dev/null | log
	dmesg | grep -E 'pci-pvbus|pvbus_sim|pvbus-sim-host' | tail -n 12 | log
}

# hook_auto: the package's initramfs hook as an operator's system runs it
# (PVBUS_INITRAMFS=auto, the host backends from the loaded modules), on a
# scratch initrd tree: what it finds on the real root device.  (The image's
# initrds were built in a chroot, with PVBUS_INITRAMFS=yes.)
hook_auto() {
	local d

	d=$(mktemp -d)
	mkdir -p "$d/etc/pvbus" "$d/tree/conf"
	printf 'PVBUS_INITRAMFS=auto\nPVBUS_HOST_MODULES=\n' > "$d/etc/pvbus/pvbus.conf"
	# The hook reads /etc/pvbus/pvbus.conf: a private mount namespace
	# shows it the scratch one.
	unshare -m sh -c "mount --bind '$d/etc/pvbus' /etc/pvbus &&
		DESTDIR='$d/tree' verbose=y version=$abi MODULESDIR=/lib/modules/$abi \
		/usr/share/initramfs-tools/hooks/pvbus" 2>&1 | log
	fact "hook_auto=$(paste -sd, "$d/tree/conf/modules" 2> /dev/null | tr -d ' ')" \
		"hook_auto_ko=$(find "$d/tree" -name '*pvbus*.ko' -printf '%f\n' | sort | paste -sd, -)"
	rm -rf "$d"
}

# boot_write: what the drop-in's pvbus-kdump-params said as kdump-tools
# started at boot: the parameters written (or as they were), nothing lost.
boot_write() {
	local j

	j=$(journalctl -b -o cat --no-pager -t pvbus-kdump-params | head -n 20)
	echo "$j" | log
	if echo "$j" | grep -q '^pvbus-kdump-params: /etc/pvbus/kdump-tools.conf: pvbus.reserve=' &&
	   ! echo "$j" | grep -qiE 'cannot|no such|kept as it was'; then
		fact "boot_write=ok"
	else
		fact "boot_write=bad"
	fi
}

# finished UNIT: how many runs of UNIT, a oneshot, finished this boot (its
# journal: systemd unloads it once it is done, InvocationID and all).
finished() {
	journalctl -b -o cat --no-pager -u "$1" | grep -c '^Finished '
}

# wait_finished UNIT N: until more than N runs of UNIT finished; 300
# tries at the most.
wait_finished() {
	for _ in $(seq 300); do
		[ "$(finished "$1")" -le "$2" ] || return 0
		sleep 0.2
	done
	return 1
}

# refresh: the package's udev rule, as when pci-pvbus binds a bus after
# kdump-tools loaded the kdump kernel: a bind replayed on the buses, over
# a stale snippet, has pvbus-kdump-refresh.service write the parameters
# again and restart kdump-tools; replayed once more, with nothing to
# change, it leaves kdump-tools alone.
refresh() {
	local conf=/etc/pvbus/kdump-tools.conf good kt n r ran=no back=no said=no quiet=no

	good=$(grep '^PVBUS_KDUMP_PARAMS=' "$conf")
	sed -i 's/^PVBUS_KDUMP_PARAMS=.*/PVBUS_KDUMP_PARAMS="pvbus.reserve=1M@0x1000"/' "$conf"
	kt=$(systemctl show -p InvocationID --value kdump-tools.service)
	n=$(finished pvbus-kdump-refresh.service)
	udevadm trigger --action=bind --subsystem-match=pvbus
	udevadm settle
	if wait_finished pvbus-kdump-refresh.service "$n"; then
		for _ in $(seq 300); do
			if [ "$(systemctl show -p InvocationID --value kdump-tools.service)" != "$kt" ] &&
			   systemctl -q is-active kdump-tools.service; then
				ran=yes
				break
			fi
			sleep 0.2
		done
	fi
	[ "$(grep '^PVBUS_KDUMP_PARAMS=' "$conf")" != "$good" ] || back=yes
	journalctl -b -o cat --no-pager -u pvbus-kdump-refresh.service > /run/refresh.j
	log < /run/refresh.j
	grep -q "$conf: .* (written)" /run/refresh.j &&
		grep -q 'restarting kdump-tools.service' /run/refresh.j && said=yes
	kt=$(systemctl show -p InvocationID --value kdump-tools.service)
	n=$(finished pvbus-kdump-refresh.service)
	r=$(grep -c 'restarting kdump-tools.service' /run/refresh.j)
	udevadm trigger --action=bind --subsystem-match=pvbus
	udevadm settle
	# The tool says so before it asks for a restart, which may come after.
	wait_finished pvbus-kdump-refresh.service "$n" &&
		[ "$(journalctl -b -o cat --no-pager -u pvbus-kdump-refresh.service |
		     grep -c 'restarting kdump-tools.service')" = "$r" ] &&
		[ "$(systemctl show -p InvocationID --value kdump-tools.service)" = "$kt" ] &&
		quiet=yes
	fact "refresh=$ran,$back,$said,$quiet"
}

stage=$(arg pvbus_distro || echo first)
[ ! -e /proc/vmcore ] || stage=kdump
if [ "$stage" = first ] && ls /var/crash/2*/dump.* > /dev/null 2>&1; then
	stage=verify
fi
abi=$(uname -r)
# The service is a simple one: the default target does not wait for it.
[ "$stage" = kdump ] || systemctl is-system-running --wait > /dev/null

case "$stage" in
first)
	fact "booted=yes target=$(systemctl is-system-running)"
	bus_facts
	hook_auto
	boot_write
	refresh
	# bochs-drm, as udev loads it for QEMU's std VGA.
	modprobe bochs
	for _ in $(seq 100); do grep -q bochs /proc/fb && break; sleep 0.2; done
	fact "fb_now=$(fbs)"
	mode=$(arg pvbus_distro_kexec || echo p)
	if [ "$mode" = s ]; then
		sed -i 's/^#\?KDUMP_KEXEC_ARGS=.*/KDUMP_KEXEC_ARGS="-s"/' /etc/default/kdump-tools
		grep -q '^KDUMP_KEXEC_ARGS="-s"' /etc/default/kdump-tools ||
			echo 'KDUMP_KEXEC_ARGS="-s"' >> /etc/default/kdump-tools
	fi
	# Both initrds rebuilt as pvbus-dkms.rst says, with the kdump kernel
	# loaded (kdump-tools loaded it at boot): kdump-tools.service again
	# builds the one deleted, its pvbus drop-in writes the parameters for
	# this framebuffer, kdump-config loads the kdump kernel, which boots
	# from that initrd below.
	update-initramfs -u 2>&1 | tail -n 2 | log
	rm -f "/var/lib/kdump/initrd.img-$abi"
	systemctl restart kdump-tools.service
	fact "kdump_initrd_pvbus=$(lsinitramfs "/var/lib/kdump/initrd.img-$abi" 2> /dev/null |
		grep -c '/pci-pvbus\.ko')"
	systemctl status --no-pager -l kdump-tools.service 2>&1 | tail -n 6 | log
	log < /etc/pvbus/kdump-tools.conf
	kdump-config show 2>&1 | log
	st=$(kdump-config status 2>&1 | sed -n 's/.*current state *: *//p')
	fact "kdump_status=$(echo "${st:--}" | tr ' ' _) kexec_cmd=$(tr ' ' '#' < /var/crash/kexec_cmd)"
	token=$(cat /proc/sys/kernel/random/uuid)
	echo "pvbus-distro: crash token $token" > /dev/kmsg
	fact "token=$token"
	sync
	echo c > /proc/sysrq-trigger
	;;
kdump)
	bus_facts
	;;
verify)
	fact "booted=yes target=$(systemctl is-system-running)"
	for d in /var/crash/2*/dump.*; do
		sz=$(stat -c %s "$d")
		fact "dump=$d bytes=$sz"
		rm -f /var/tmp/vmcore /var/tmp/vmcore.dmesg
		makedumpfile -R /var/tmp/vmcore < "$d" 2>&1 | tail -n 2 | log
		makedumpfile --dump-dmesg /var/tmp/vmcore /var/tmp/vmcore.dmesg 2>&1 | tail -n 2 | log
		tok=$(grep -oE 'pvbus-distro: crash token [0-9a-f-]+' /var/tmp/vmcore.dmesg | tail -n 1 |
			sed 's/.* //')
		grep -E 'sysrq|Kernel panic|crash token' /var/tmp/vmcore.dmesg | tail -n 4 | log
		fact "dump_token=${tok:--} vmcore_bytes=$(stat -c %s /var/tmp/vmcore 2> /dev/null || echo 0)"
		rm -f /var/tmp/vmcore /var/tmp/vmcore.dmesg
	done
	# Purged: nothing of pvbus-kdump-params --enable is left, and
	# kdump-tools' debconf script, which sources its defaults, still runs.
	apt-get purge -y pvbus-dkms 2>&1 | tail -n 2 | log
	r=0
	dpkg-reconfigure -f noninteractive kdump-tools > /dev/null 2>&1 || r=$?
	fact "purge_left=$(grep -c pvbus /etc/default/kdump-tools) etc_pvbus=$([ -e /etc/pvbus ] && echo yes || echo no) reconfigure=$r"
	fact "finished=yes"
	systemctl poweroff
	;;
esac
