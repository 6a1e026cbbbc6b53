# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# How a script of the harness dies: its name (PVBUS_ME, set before this is
# sourced), the message, exit status 2.  Nothing else, so that any script
# can source it, those that run without lib/common.sh's environment too
# (arm64.sh, which common.sh runs; distro/, run as root):
#
#	PVBUS_ME=deb
#	. "$PVBUS_TESTING/lib/die.sh"

die() {
	echo "${PVBUS_ME:-guest}: $*" >&2
	exit 2
}
