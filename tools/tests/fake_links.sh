#!/bin/bash
# SPDX-License-Identifier: MIT
#
# dojoctl link show and topo against a fake sysfs tree (dojoctl --sysroot):
# the TTP tile links and Z-plane ports as the driver's attributes give
# them, a card without a TTPoE port, node ids in decimal or hex, missing
# attributes, the JSON against its schemas. The fake tree has no device
# nodes, so the connection tables are unknown here (the matrix says "?");
# tests/dojoctl/zplane.sh checks them in the test VM.

. "$(dirname "$0")/../../tests/dojoctl/tap.inc"
# shellcheck source=../../tests/dojoctl/fakesys.inc
. "$DOJOCTL_TEST_DIR/fakesys.inc"
need_dojoctl

R=$WORK/root
S=$R/sys
SCHEMAS=$DOJOCTL_TEST_DIR/schemas
printf '#!/bin/sh\nexec %q --sysroot=%q "$@"\n' "$DOJOCTL" "$R" >"$WORK/dojoctl"
chmod 0755 "$WORK/dojoctl"
D=$WORK/dojoctl

schema_check() { # DESC SCHEMA: $OUT follows tests/dojoctl/schemas/SCHEMA.json
	if python3 -c 'import jsonschema' 2>/dev/null; then
		json_assert "$1" 'import json, sys, jsonschema
jsonschema.validate(json.load(sys.stdin), json.load(open(sys.argv[1])))' \
			"$SCHEMAS/$2.json"
	else
		echo "ok $((t_n += 1)) - $1 # SKIP python3 jsonschema missing"
	fi
}

check_rc 0 "link show without DIPs exits 0" "$D" link show
check_rc 0 "topo -j without DIPs exits 0" "$D" -j topo
check "  and has no devices" test "$OUT" = '{"schema":"dojoctl.topo/1","devices":[]}'

# accel0 and accel1 on tile 1, accel2 on tile 2, accel3 off any tile and
# without a TTPoE port; node ids as decimal and as hex
fake_dip "$S" 0 DJ0 dojo_emu0 dojo.emu
fake_dip "$S" 1 DJ1 dojo_emu1 dojo.emu
fake_dip "$S" 2 DJ2 dojo_emu2 dojo.emu
fake_dip "$S" 3 DJ3 0000:03:00.0
fake_ttp "$S" 0 up 1 0 1
fake_ttp "$S" 1 up 1 0 0
fake_ttp "$S" 2 up 2 3 4
fake_ttp "$S" 3 down
fake_zplane "$S" 0 up 1 1048576
fake_zplane "$S" 1 up 0x000002
fake_zplane "$S" 2 down 010
fake_attr "$S" 3 num_ttpoe_ports 0

check_rc 0 "link show exits 0" "$D" link show
check "  accel0: TTP up on tile 1 edge 0 slot 1, Z-plane up, node 1" grep -q \
	'^accel0 *up *1 *0 *1 *up *0x000001 *98:ed:5c:00:00:01 *- *$' "$WORK/out"
check "  accel1: node id 0x000002 read as hex" grep -q \
	'^accel1 .* 0x000002 *98:ed:5c:00:00:02 ' "$WORK/out"
check "  accel2: node id 010 read as decimal, link down" grep -q \
	'^accel2 *up *2 *3 *4 *down *0x00000a ' "$WORK/out"
check "  accel3: TTP down, no Z-plane port" grep -q \
	'^accel3 *down *- *- *- *- *- *- *- *$' "$WORK/out"
check "  the counters" grep -q '^accel0 *0 *1048576 *1048576 *0 ' "$WORK/out"
check "  the connection tables are unknown, and why" grep -q \
	"accel0: no connection table: cannot open $R/dev/accel/accel0\|accel0: no connection table: cannot open /dev/accel/accel0" \
	"$WORK/err"
check_rc 0 "link (show is the default)" "$D" link -i 1
check "  one DIP" test "$(grep -c '^accel1 ' "$WORK/out")" -eq 2
check_rc 0 "link show -j" "$D" -j link show
schema_check "  follows schemas/link.json" link
json_assert "  values and reasons" 'import json, sys
d = json.load(sys.stdin)["devices"]
assert [x["name"] for x in d] == ["accel0", "accel1", "accel2", "accel3"], d
a0, a3 = d[0], d[3]
assert a0["ttp"] == {"link_state": "up", "tile_id": 1, "tile_edge": 0,
                     "tile_slot": 1, "unavailable": {}}, a0
z = a0["zplane"]
assert (z["link_state"], z["node_id"], z["mac"]) == ("up", 1,
                                                     "98:ed:5c:00:00:01"), z
assert z["tx_bytes"] == z["rx_bytes"] == 1048576 and z["errors"] == 0, z
assert a0["connections"] is None and "cannot open" in a0["unavailable"]["connections"], a0
assert d[1]["zplane"]["node_id"] == 2 and d[2]["zplane"]["node_id"] == 10, d
assert a3["ttp"]["tile_id"] is None and \
    a3["ttp"]["unavailable"]["tile_id"] == "TTP link down", a3
assert a3["zplane"]["node_id"] is None and \
    a3["zplane"]["unavailable"]["node_id"] == "no TTPoE port", a3
assert a3["unavailable"]["connections"] == "no TTPoE port", a3'

check_rc 0 "--query of the ports, CSV" "$D" \
	--query=name,ttp.link,ttp.tile,ttp.edge,ttp.slot,zplane.link,zplane.node_id,zplane.mac,zplane.tx_bytes \
	--format=csv,noheader
check "  one line per DIP, tile fields empty while down" test "$OUT" = \
"accel0,up,1,0,1,up,1,98:ed:5c:00:00:01,1048576 B
accel1,up,1,0,0,up,2,98:ed:5c:00:00:02,0 B
accel2,up,2,3,4,down,10,98:ed:5c:00:00:0a,0 B
accel3,down,,,,,,,"
check_rc 0 "--query -j of the ports" "$D" -j -i 3 --query=ttp.tile,zplane.node_id
json_assert "  null with reasons" 'import json, sys
d = json.load(sys.stdin)["devices"][0]
assert d["tile_id"] is None and d["unavailable"]["tile_id"] == "TTP link down", d
assert d["zplane_node_id"] is None and d["unavailable"]["zplane_node_id"], d'

check_rc 0 "topo exits 0" "$D" topo
check "  TTP between the DIPs of tile 1" grep -q \
	'^accel0 *X *TTP *? *PCI *1 *0x000001$' "$WORK/out"
check "  PCI to a DIP without a TTPoE port" grep -q \
	'^accel3 *PCI *PCI *PCI *X *- *-$' "$WORK/out"
check "  a legend, with ? explained" sh -c "grep -q '^  TTP = ' '$WORK/out' &&
	grep -q '^  ? *= unknown' '$WORK/out'"
check_rc 0 "topo -j" "$D" -j topo
schema_check "  follows schemas/topo.json" topo
json_assert "  the matrix" 'import json, sys
d = json.load(sys.stdin)["devices"]
m = [[l["link"] for l in x["links"]] for x in d]
assert m == [["X", "TTP", None, "PCI"], ["TTP", "X", None, "PCI"],
             [None, None, "X", "PCI"], ["PCI", "PCI", "PCI", "X"]], m
assert d[0]["links"][2]["unavailable"]["link"], d[0]
assert (d[2]["tile_id"], d[2]["node_id"]) == (2, 10), d[2]'
check_rc 0 "topo -i 0,1: only those two" "$D" topo -i 0,1
check "  two rows, no ?" sh -c "test \$(grep -c '^accel' '$WORK/out') -eq 2 &&
	! grep -q '^  ?' '$WORK/out'"

check_rc 0 "topo --tree" "$D" topo --tree
check "  tile 1 with its DIPs by edge and slot" sh -c \
	"grep -A2 '^tile 1' '$WORK/out' | tr -s ' ' | tr '\n' '|' |
	grep -q 'accel1 edge 0 slot 0 0x000002 up|.*accel0 edge 0 slot 1 0x000001 up'"
check "  accel3 on no tile" grep -A1 -q '^no tile' "$WORK/out"
check "  connections unknown" grep -q '^Z-plane: connections unknown' "$WORK/out"
check_rc 0 "topo --tree -j" "$D" -j topo --tree
schema_check "  follows schemas/topo-tree.json" topo-tree
json_assert "  tiles, no segment" 'import json, sys
t = json.load(sys.stdin)
assert [x["tile_id"] for x in t["tiles"]] == [1, 2], t
assert [x["name"] for x in t["tiles"][0]["devices"]] == ["accel1", "accel0"], t
assert [x["name"] for x in t["no_tile"]] == ["accel3"], t
assert t["segments"] == [] and t["no_connection"] == [], t
assert [x["name"] for x in t["connections_unknown"]] == \
    ["accel0", "accel1", "accel2"], t'
check_rc 1 "--tree is refused by other commands" "$D" link --tree
check_rc 1 "link with an unknown verb exits 1" "$D" link frob
check_rc 1 "topo with an argument exits 1" "$D" topo 0
check_rc 2 "link -i of a missing DIP exits 2" "$D" link -i nosuch

# A driver without the Z-plane attributes: null, not provided.
for a in link_state node_id mac link_changes tx_bytes rx_bytes tx_frames \
	rx_frames replays nacks drops errors; do
	fake_attr "$S" 1 "zplane_$a" --delete
done
fake_attr "$S" 1 ttp_link_state --delete
check_rc 0 "link show -j of a driver without the attributes" "$D" -j link -i 1
schema_check "  follows schemas/link.json" link
json_assert "  null, not provided by the driver" 'import json, sys
d = json.load(sys.stdin)["devices"][0]
assert d["zplane"]["node_id"] is None, d
assert d["zplane"]["unavailable"]["node_id"] == "not provided by the driver", d
assert d["ttp"]["unavailable"]["link_state"] == "not provided by the driver", d'
check_rc 0 "topo of it" "$D" topo
check "  is not TTP with accel0 (and the Z-plane unknown)" grep -q '^accel1 *? *X ' "$WORK/out"

finish
