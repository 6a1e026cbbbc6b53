#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The simulated host, pvbus_sim.ko: a host and a device made in configfs
# go live, the device shows on the bus, answers pings, misbehaves as its
# fault says, is revoked and offered again under load, and
# everything goes away leaving /proc/iomem as it was.

# shellcheck source=SCRIPTDIR/../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh
# shellcheck source=SCRIPTDIR/../lib/consts.sh
. /usr/share/pvbus/consts.sh

CFS=/sys/kernel/config/pvbus_sim
HOST=$CFS/sim0
DEV=$HOST/dev0
CLASS=$PVBUS_TEST_CLASS
INST=9e1d7c3a-44b2-4f0e-8a6d-3b5c7e9f1a20
BUSDEV=/sys/bus/pvbus/devices/$INST
DBG=/sys/kernel/debug/pvbus/devices/$INST
# The host's reserved ranges, in the high window (consts.sh).
R1=$(printf '0x%x' "$((PVBUS_HIGH_START + 0x10000000))")
R2=$(printf '0x%x' "$((PVBUS_HIGH_START + 0x20000000))")
R3=$(printf '0x%x' "$((PVBUS_HIGH_START + 0x30000000))")

PLAN=39
tap_plan "$PLAN"

# cmd_fails REGEX COMMAND...: COMMAND fails with a message matching REGEX
# (the strerror of the errno wanted).
cmd_fails() {
	_want=$1
	shift
	if "$@" 2> /tmp/sim.err; then
		tap_diag "'$*' succeeded"
		return 1
	fi
	grep -qiE "$_want" /tmp/sim.err && return 0
	tap_diag "'$*' failed otherwise:" < /dev/null
	tap_diag < /tmp/sim.err
	return 1
}

# ping COOKIE: ping the device through debugfs; prints what ping reads back.
ping_dev() {
	echo "$1" > "$DBG/ping" 2> /dev/null
	cat "$DBG/ping"
}

# hstat NAME: a counter of the host.
hstat() {
	pvbus_sim_stat "$HOST" "$1"
}

pvbus=$(pvbus_ko pvbus)
sim=$(pvbus_ko pvbus_sim)
[ -n "$pvbus" ] && [ -n "$sim" ]
tap_ok $? "pvbus.ko and pvbus_sim.ko are in the initramfs" ||
	bail "no modules"

cat /proc/iomem > /tmp/iomem.base
tap_check "insmod pvbus.ko pvbus_sim.ko" sh -c "insmod '$pvbus' && insmod '$sim'" ||
	bail "cannot load the modules"

[ -d "$CFS" ]
tap_ok $? "$CFS exists" || bail "no configfs directory"

mkdir "$HOST" && mkdir "$DEV"
tap_ok $? "mkdir a host and a device"

# --- configuration, not live yet --------------------------------------
cmd_fails "invalid" sh -c "echo '0@0x1000' > $HOST/reserved" &&
	cmd_fails "invalid" sh -c "echo '0x2000@0xfffffffffffff000' > $HOST/reserved" &&
	cmd_fails "invalid" sh -c "echo 'junk' > $HOST/reserved" &&
	cmd_fails "argument list too long" sh -c \
		"echo '$(for i in $(seq 0 16); do printf '1M@0x%x,' $((R1 + i)); done |
			sed 's/,$//')' > $HOST/reserved"
tap_ok $? "bad reserved lists are refused (empty, wrapping, junk, 17 ranges)"

echo "1M@$R1, 0x2000@$R2" > "$HOST/reserved"
[ "$(cat "$HOST/reserved")" = "0x100000@$R1,0x2000@$R2" ]
tap_ok $? "reserved reads back normalised: $(cat "$HOST/reserved")"

inst=$(cat "$DEV/instance")
echo "$inst" | grep -qE '^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$'
tap_ok $? "instance defaults to a random UUID ($inst)"

cmd_fails "invalid" sh -c "echo 1 > $DEV/live"
tap_ok $? "a device without a class cannot be live"

echo "$CLASS" > "$DEV/class" && echo "$INST" > "$DEV/instance" &&
	[ "$(cat "$DEV/class")" = "$CLASS" ] &&
	[ "$(cat "$DEV/instance")" = "$INST" ] &&
	cmd_fails "invalid" sh -c "echo 00000000-0000-0000-0000-000000000000 > $DEV/class" &&
	cmd_fails "invalid" sh -c "echo not-a-uuid > $DEV/instance"
tap_ok $? "class and instance take UUIDs, not null or junk"

echo 1 > "$DEV/live" && [ ! -e "$BUSDEV" ]
tap_ok $? "device live=1 while the host is not live offers nothing yet"

# --- live -------------------------------------------------------------
if ! tap_check "host live=1" sh -c "echo 1 > $HOST/live"; then
	dmesg | tail -n 20 | tap_diag
	bail "the host did not go live"
fi

[ -d "$BUSDEV" ] &&
	[ "$(cat "$BUSDEV/class_id")" = "$CLASS" ] &&
	[ "$(cat "$BUSDEV/device_id")" = "$INST" ] &&
	[ "$(cat "$BUSDEV/host")" = "sim0" ]
tap_ok $? "the device is on the bus with its class, instance and host"

[ "$(cat "$BUSDEV/modalias")" = "pvbus:$CLASS" ] &&
	grep -qx "MODALIAS=pvbus:$CLASS" "$BUSDEV/uevent"
tap_ok $? "its modalias and uevent MODALIAS are pvbus:<class>: $(cat "$BUSDEV/modalias")"

grep -q "$(printf '%x-%x' "$R1" "$((R1 + 0xfffff))") : reserved (host)" /proc/iomem &&
	grep -q "$(printf '%x-%x' "$R2" "$((R2 + 0x1fff))") : reserved (host)" /proc/iomem
tap_ok $? "the host's reserved ranges are in /proc/iomem"
grep 'reserved (host)' /proc/iomem | tap_diag

cmd_fails "busy" sh -c "echo 4K@$R3 > $HOST/reserved" &&
	cmd_fails "busy" sh -c "echo $CLASS > $DEV/class" &&
	cmd_fails "busy" sh -c "echo $INST > $DEV/instance"
tap_ok $? "reserved, class and instance are -EBUSY while live"

out=$(cat "$DBG/ping")
[ "$out" = "cookie 0x0 ok" ]
tap_ok $? "ping reads as in the ABI before any ping: $out"

out=$(ping_dev 12345)
[ "$out" = "cookie 0x3039 ok" ]
tap_ok $? "ping is answered: $out"

[ "$(hstat requests)" = 1 ] && [ "$(hstat answered)" = 1 ]
tap_ok $? "stats count the request and the answer"
tap_diag < "$HOST/stats"

# --- faults -----------------------------------------------------------
echo status > "$DEV/fault" && [ "$(cat "$DEV/fault")" = status ]
out=$(ping_dev 1)
[ "$out" = "cookie 0x1 error -121" ] && [ "$(hstat refused_refused)" = 1 ]
tap_ok $? "fault status: refused with a status, -EREMOTEIO: $out"

for f in short badlen badver; do
	echo "$f" > "$DEV/fault"
	out=$(ping_dev 2)
	[ "$out" = "cookie 0x2 error -74" ]
	tap_ok $? "fault $f: the guest rejects the response, -EBADMSG: $out"
done
[ "$(hstat faulty)" = 3 ]
tap_ok $? "stats count 3 faulty responses"

echo drop > "$DEV/fault"
out=$(ping_dev 3)
[ "$out" = "cookie 0x3 error -110" ] && [ "$(hstat dropped)" = 1 ]
tap_ok $? "fault drop: the request times out, -ETIMEDOUT: $out"

cmd_fails "invalid" sh -c "echo bogus > $DEV/fault"
tap_ok $? "an unknown fault is refused"

echo none > "$DEV/fault"
out=$(ping_dev 0xffffffffffffffff)
[ "$out" = "cookie 0xffffffffffffffff ok" ]
tap_ok $? "fault none: answered again: $out"

# --- notifications ----------------------------------------------------
# Notifications belong to a class's protocol: the host sends a device of a
# class it has none for nothing of its own (no test-only message type).
[ ! -e "$DEV/notify" ] && [ "$(hstat notifications)" = 0 ] &&
	grep -q '^notifications 0$' "$DBG/stats"
tap_ok $? "no notification without a class protocol"
tap_diag < "$DBG/stats"

# --- revoke and offer -------------------------------------------------
echo 0 > "$DEV/live" && [ ! -e "$BUSDEV" ] && [ ! -e "$DBG" ]
tap_ok $? "device live=0 revokes it"

echo "$CLASS" > "$DEV/class" && [ "$(cat "$DEV/class")" = "$CLASS" ]
tap_ok $? "a revoked device's class can be set again"

echo 1 > "$DEV/live" && [ -d "$BUSDEV" ] && [ "$(ping_dev 7)" = "cookie 0x7 ok" ]
tap_ok $? "offered again, it answers"

# Revoke and offer while pings run; 'drop' leaves
# requests pending at every revoke.
(
	i=0
	while [ ! -e /tmp/sim.stop ]; do
		i=$((i + 1))
		{ echo "$i" > "$DBG/ping"; } 2> /dev/null
	done
) &
loader=$!
ok=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ $((i % 3)) -eq 0 ] && echo drop > "$DEV/fault"
	[ $((i % 3)) -eq 1 ] && echo none > "$DEV/fault"
	echo 0 > "$DEV/live" || ok=1
	echo 1 > "$DEV/live" || ok=1
	sleep 0.2
done
echo 0 > "$HOST/live" || ok=1
echo 1 > "$HOST/live" || ok=1
touch /tmp/sim.stop
wait "$loader"
echo none > "$DEV/fault"
[ "$ok" -eq 0 ] && [ "$(ping_dev 8)" = "cookie 0x8 ok" ]
tap_ok $? "10 revoke/offer cycles and a host restart under load; still answers"
tap_diag < "$HOST/stats"

# --- teardown ---------------------------------------------------------
cmd_fails "unavailable|busy" rmmod pvbus_sim
tap_ok $? "rmmod pvbus_sim is refused while configured"

rmdir "$DEV" && [ ! -e "$BUSDEV" ]
tap_ok $? "rmdir of a live device revokes it"

mkdir "$DEV" && echo "$CLASS" > "$DEV/class" && echo 1 > "$DEV/live" &&
	[ -d "/sys/bus/pvbus/devices/$(cat "$DEV/instance")" ]
tap_ok $? "a device made while the host is live is offered at once"

echo 0 > "$HOST/live" && [ -z "$(ls /sys/bus/pvbus/devices)" ] &&
	[ "$(cat "$HOST/live")" = 0 ] && [ "$(cat "$DEV/live")" = 1 ]
tap_ok $? "host live=0 revokes everything; the device stays configured"

echo 1 > "$HOST/live" && [ -n "$(ls /sys/bus/pvbus/devices)" ] &&
	echo 0 > "$HOST/live"
tap_ok $? "and offers it again when the host goes live"

rmdir "$DEV" && rmdir "$HOST" && [ -z "$(ls "$CFS")" ]
tap_ok $? "rmdir the device and the host"

tap_check "rmmod pvbus_sim pvbus" sh -c "rmmod pvbus_sim && rmmod pvbus"

pvbus_iomem_baseline /tmp/iomem.base

tap_done
