#!/bin/bash
# SPDX-License-Identifier: MIT
#
# list and info work for an unprivileged user (nobody, no groups): the
# facts come from world-readable sysfs, and info says why it could not ask
# the driver directly instead of failing.

. "$(dirname "$0")/tap.inc"
need_dojoctl
lib_sh

[ "$(id -u)" -eq 0 ] || skip_all "needs root to switch to nobody"
as_nobody true 2> /dev/null || skip_all "cannot switch to uid 65534"

load_dips 2
chmod 0755 "$WORK"

check_rc 0 "list -j as root" "$DOJOCTL" -j list
ROOT_LIST=$OUT

check_rc 0 "list as nobody exits 0" as_nobody "$DOJOCTL" list
check "  2 DIPs of 32 GiB" test "$(grep -c ' 32 GiB$' "$WORK/out")" -eq 2
check_rc 0 "list -j as nobody exits 0" as_nobody "$DOJOCTL" -j list
check "  same document as root's" test "$OUT" = "$ROOT_LIST"
json_check "  no field unavailable" list --count 2 --hbm 34359738368

for spec in 0 "$(dip_field 1 name)"; do
	check_rc 0 "info $spec as nobody exits 0" as_nobody "$DOJOCTL" -j info "$spec"
	json_check "  one DIP of 32 GiB" info --count 1 \
		--hbm 34359738368
done

node=/dev/accel/$(dip_field 0 name)
if as_nobody sh -c "exec 3<'$node'" 2> /dev/null; then
	check_rc 0 "info as nobody with an openable node" as_nobody \
		"$DOJOCTL" -j info 0
	json_check "  query matches" info --query match
else
	check_rc 0 "info as nobody without access to $node exits 0" \
		as_nobody "$DOJOCTL" -j info 0
	json_assert "  query_status null with a reason" 'import json, sys
d = json.load(sys.stdin)["devices"][0]
assert d["query_status"] is None, d
r = d["unavailable"]["query_status"]
assert r.startswith("cannot open /dev/accel/") and "permission denied" in r, r
assert all(k == "query_status" or k.startswith("pci") and
           v == "not a PCI device" for k, v in d["unavailable"].items()), d'
	check_rc 0 "info table as nobody" as_nobody "$DOJOCTL" info 0
	check "  says why the query was not made" grep -q \
		'query_status  *unknown (cannot open .*: permission denied)' \
		"$WORK/out"
fi
check_rc 2 "info of a missing DIP as nobody exits 2" as_nobody \
	"$DOJOCTL" info nosuch

finish
