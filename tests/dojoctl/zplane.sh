#!/bin/bash
# SPDX-License-Identifier: MIT
# test-timeout: 600
#
# The Z-plane from userspace: four emulated DIPs cabled to one bridge run
# examples/allreduce (a ring all-reduce by remote DMA, checked on the
# CPU); then dojoctl link show finds their ports up and the ring's OPEN
# connections naming the neighbouring DIPs, and dojoctl topo draws ZP
# between ring neighbours, one Z-plane segment in --tree, and "?" for a
# caller who cannot open the device nodes.

. "$(dirname "$0")/tap.inc"
need_dojoctl
lib_sh

D=$DOJOCTL
AR=$TOP/examples/allreduce
SCHEMAS=$DOJOCTL_TEST_DIR/schemas
N=4
[ -x "$AR" ] || { echo "Bail out! $AR not built (make userspace)"; exit 1; }
command -v ip >/dev/null || skip_all "ip (iproute2) not installed"
for m in veth bridge; do
	_dojo_modprobe "$m" 2>/dev/null || [ -d "/sys/module/$m" ] ||
		skip_all "no $m module"
done

load_dips $N
[ -e "$EMU_SYSFS/link_eth" ] || skip_all "the emulator has no Z-plane port"
chmod 0755 "$WORK"

schema_check() { # DESC SCHEMA: $OUT follows tests/dojoctl/schemas/SCHEMA.json
	json_assert "$1" 'import json, sys, jsonschema
jsonschema.validate(json.load(sys.stdin), json.load(open(sys.argv[1])))' \
		"$SCHEMAS/$2.json"
}

cable() {
	ip link add dojobr0 type bridge || return 1
	ip link set dojobr0 up || return 1
	for i in $(seq 0 $((N - 1))); do
		ip link add "dojozp$i" type veth peer name "dojozp${i}br" &&
			ip link set "dojozp${i}br" master dojobr0 &&
			ip link set "dojozp${i}br" up &&
			ip link set "dojozp$i" up &&
			echo "$i dojozp$i" >"$EMU_SYSFS/link_eth" || return 1
	done
}

uncable() {
	for i in $(seq 0 $((N - 1))); do
		echo "$i" >"$EMU_SYSFS/unlink_eth" 2>/dev/null
		ip link del "dojozp$i" 2>/dev/null
	done
	ip link del dojobr0 2>/dev/null
}
trap 'uncable; rm -rf "$WORK"' EXIT

check_rc 0 "link show before cabling" "$D" -j link show
json_assert "  every port uncabled, no connection" 'import json, sys
for d in json.load(sys.stdin)["devices"]:
    assert d["zplane"]["link_state"] == "uncabled", d
    assert d["connections"] == [], d'
check "cable the $N DIPs to one bridge" cable
up=0
for _ in $(seq 200); do
	up=$(grep -l '^up$' /sys/class/accel/accel*/device/dojo/zplane_link_state |
		wc -l)
	[ "$up" -eq $N ] && break
	sleep 0.05
done
check "  all $N Z-plane links up" test "$up" -eq $N

check_rc 0 "allreduce -n $N -c 65536" "$AR" -n $N -c 65536
check "  verified" test "$OUT" = "allreduce: $N DIPs, 65536 floats, verified"
check_rc 0 "allreduce -n $N -c 5 (chunks of 1 and 2 floats)" "$AR" -n $N -c 5
check_rc 0 "allreduce -n 2 -c 3 -v" "$AR" -n 2 -c 3 -v
check "  says each step" grep -q '^all-gather step 1 done' "$WORK/out"

check_rc 0 "link show" "$D" link show
check "  accel0's port up with node id and MAC" grep -q \
	'^accel0 .* up *0x[0-9a-f]\{6\} *98:ed:5c:' "$WORK/out"
check "  an OPEN connection of accel0 to accel1 on VC 2" grep -q \
	'^accel0 *0x[0-9a-f]\{6\} *2 *OPEN .* accel1$' "$WORK/out"
check_rc 0 "link show -j" "$D" -j link show
schema_check "  follows schemas/link.json" link
json_assert "  the ring: each DIP OPEN to its successor, counters moved" 'import json, sys
d = json.load(sys.stdin)["devices"]
n = len(d)
for i, x in enumerate(d):
    z = x["zplane"]
    assert z["link_state"] == "up" and z["tx_bytes"] > 0 and z["rx_bytes"] > 0, x
    assert z["mac"].endswith("%02x" % (z["node_id"] & 255)), z
    peers = {c["peer_device"] for c in x["connections"] if c["state"] == "OPEN"}
    assert d[(i + 1) % n]["name"] in peers, (x["name"], peers)
    assert d[(i - 1) % n]["name"] in peers, (x["name"], peers)'

check_rc 0 "topo" "$D" topo
check "  ZP between ring neighbours" grep -q '^accel0 *X *ZP ' "$WORK/out"
check_rc 0 "topo -j" "$D" -j topo
schema_check "  follows schemas/topo.json" topo
json_assert "  ZP exactly between ring neighbours" 'import json, sys
d = json.load(sys.stdin)["devices"]
n = len(d)
for i, x in enumerate(d):
    for j, l in enumerate(x["links"]):
        want = "X" if i == j else "ZP" if (i - j) % n in (1, n - 1) else "PCI"
        assert l["link"] == want, (i, j, l)'
check_rc 0 "topo --tree -j" "$D" -j topo --tree
schema_check "  follows schemas/topo-tree.json" topo-tree
json_assert "  one segment of the $N DIPs" 'import json, sys
t = json.load(sys.stdin)
assert len(t["segments"]) == 1, t
assert sorted(m["name"] for m in t["segments"][0]["members"]) == \
    ["accel%d" % i for i in range(int(sys.argv[1]))], t
assert t["no_connection"] == [] and t["connections_unknown"] == [], t' "$N"
check_rc 0 "topo --tree" "$D" topo --tree
check "  Z-plane segment 1" grep -q '^Z-plane segment 1' "$WORK/out"

if command -v setpriv >/dev/null || [ "$(id -u)" -eq 0 ]; then
	check_rc 0 "topo as nobody" as_nobody "$D" topo
	check "  the Z-plane unknown: ?" grep -q '^accel0 *X *? ' "$WORK/out"
	check "  and why" grep -q "no connection table: cannot open" "$WORK/err"
	check_rc 0 "link show -j as nobody" as_nobody "$D" -j link show
	json_assert "  ports from sysfs, connections null" 'import json, sys
for d in json.load(sys.stdin)["devices"]:
    assert d["zplane"]["link_state"] == "up", d
    assert d["connections"] is None and d["unavailable"]["connections"], d'
fi

finish
