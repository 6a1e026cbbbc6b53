# SPDX-License-Identifier: GPL-2.0
#
# The KTAP parser of the pvbus harness: counts of a KTAP stream, for the
# host (lib/ktap.sh, a guest's whole stream) and for the guest's /init
# (/usr/share/pvbus/ktap.awk, one test script's output; busybox awk).
# Prints one line,
#
#	PASSED FAILED SKIPPED PLAN RAN BROKEN FINISHED NOTOK PLANSKIP
#
# PASSED, FAILED, SKIPPED  the leaves: the subtests' results, and the
#                          top-level results without a subtest
# PLAN                     the first plan's count, '-' without a plan
# RAN                      top-level results
# BROKEN                   failed subtests without a failed leaf (no plan,
#                          a crash): one failure each
# FINISHED                 1 if the guest's "# pvbus-guest: done" is there
# NOTOK                    top-level "not ok" results
# PLANSKIP                 1 if the first plan is a skip ("1..0 # SKIP")

function is_skip(line) {
	return line ~ /# *[Ss][Kk][Ii][Pp]/
}

function leaf(line) {
	if (is_skip(line))
		skip++
	else if (line ~ /^ *not ok/)
		fail++
	else
		pass++
}

/^1\.\.[0-9]+/ && plan == "" {
	plan = substr($1, 4) + 0
	planskip = is_skip($0)
	next
}
/^    # Subtest: / { insub = 1; subfail = 0; leaves = 0; next }
/^    (not )?ok [0-9]+/ { leaf($0); leaves++; if ($1 == "not") subfail++; next }
/^(not )?ok [0-9]+/ {
	ran++
	if ($1 == "not")
		notok++
	if (!insub)
		leaf($0)
	else if ($1 == "not" && subfail == 0)
		broken++
	else if (leaves == 0 && is_skip($0))
		skip++
	insub = 0
	next
}
/^# pvbus-guest: done/ { done = 1 }
END {
	print pass + 0, fail + 0, skip + 0, (plan == "" ? "-" : plan), ran + 0,
		broken + 0, done + 0, notok + 0, planskip + 0
}
