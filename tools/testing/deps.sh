#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages listed in tools/testing/packages.txt and
# tools/testing/*/packages.txt that are not installed yet.  Idempotent; prints nothing when all are present.

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
missing=()

# tools/testing/packages.txt, then one packages.txt per test harness.
for list in "$here/packages.txt" "$here"/*/packages.txt; do
	[ -f "$list" ] || continue
	while read -r pkg _; do
		case "$pkg" in ''|'#'*) continue ;; esac
		status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
		[ "$status" = "install ok installed" ] || missing+=("$pkg")
	done < "$list"
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
# As root (make check runs so), apt-get directly; otherwise through sudo,
# which a minimal system may not have.
sudo=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo > /dev/null ||
		{ echo "deps: not root, and no sudo: run 'make deps' as root"; exit 1; }
	sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
