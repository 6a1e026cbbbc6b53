# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Reading a guest's KTAP stream ($GUEST/NAME.tap) on the host.  The one
# parser is lib/ktap.awk, which the guest's /init uses too.
#
#	ktap_count FILE		"PASSED FAILED SKIPPED PLAN RAN BROKEN
#				FINISHED NOTOK PLANSKIP" (see lib/ktap.awk)
#	ktap_diag FILE PREFIX	the diagnostics "# PREFIX..." of any level,
#				without "# PREFIX"
#	ktap_failed FILE NAME	true if the top-level test NAME failed

ktap_count() {
	awk -f "$PVBUS_TESTING/lib/ktap.awk" "$1"
}

ktap_diag() {
	local line

	[ -f "$1" ] || return 0
	while IFS= read -r line; do
		line=${line#"${line%%[! ]*}"}
		[[ "$line" == "# $2"* ]] && printf '%s\n' "${line#"# $2"}"
	done < "$1"
	return 0
}

ktap_failed() {
	grep -q "^not ok [0-9]* - $2\$" "$1" 2> /dev/null
}
