# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # run.sh's globals
#
# The table of the kdump matrix (sourced by kdump/run.sh): the rows judge.sh
# wrote for the cells run, and each cell's verdict.
#
#	report			prints the table and the notes of the cells;
#				sets passed, failed and reruns (cells that
#				passed on a rerun)

report() {
	local c n note

	passed=0
	failed=0
	reruns=0
	echo
	echo "kdump matrix$([ "$PVBUS_ARCH" = x86_64 ] || echo " ($PVBUS_ARCH)"): what the kdump kernel saw and did, and whether the next boot found its dump"
	{
		printf 'cell\tmode\tfb\tpolicy/sources\tlfb_base\tfb sources found\tfb reserved by\tconfig window\tD0\troot\tdump saved\tresult\troot disk, first kernel\troot disk, kdump kernel\n'
		for c in "${cells[@]}"; do
			read -r n _ <<< "$c"
			if [ -f "$W/$n.row" ]; then
				awk -F '\t' -v OFS='\t' \
					'{ print $1, $2, $3, $4, $5, $15, $6, $7, $8, $9, $10, $11, $13, $14 }' \
					"$W/$n.row"
			else
				printf '%s\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\tFAIL\t-\t-\n' "$n"
			fi
		done
	} | column -t -s $'\t' | sed 's/^/  /'
	for c in "${cells[@]}"; do
		read -r n _ <<< "$c"
		case $(cut -f11 "$W/$n.row" 2> /dev/null) in
		pass)
			passed=$((passed + 1))
			note=$(cut -f12 "$W/$n.row")
			[ -z "$note" ] || echo "  $n: $note" ;;
		"pass (rerun)")
			passed=$((passed + 1))
			reruns=$((reruns + 1))
			echo "  $n: passed$(cut -f12 "$W/$n.row")" ;;
		*)
			failed=$((failed + 1))
			echo "  $n: $(cut -f12 "$W/$n.row" 2> /dev/null || echo 'not run')" ;;
		esac
	done
}
