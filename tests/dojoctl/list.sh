#!/bin/bash
# SPDX-License-Identifier: MIT
#
# dojoctl list with emulated DIPs: one line per DIP, 32 GiB of HBM each,
# in the table and in JSON.

. "$(dirname "$0")/tap.inc"
need_dojoctl
lib_sh

N=3
G=34359738368

load_dips $N

check_rc 0 "list exits 0" "$DOJOCTL" list
check "  header and $N lines" test "$(wc -l < "$WORK/out")" -eq $((N + 1))
check "  header first" grep -q '^INDEX  *NAME  *SERIAL  *BUS  *BUS_ADDR' \
	"$WORK/out"
check "  $N DIPs of 32 GiB" test "$(grep -c ' 32 GiB$' "$WORK/out")" -eq $N
check "  all emulated" test "$(grep -c ' emulated  *dojo_emu[0-9]*  *emulated ' \
	"$WORK/out")" -eq $N
check_rc 0 "list -j exits 0" "$DOJOCTL" -j list
json_check "  $N DIPs of $G bytes" list --count $N --hbm $G \
	--field bus_type=emulated --field platform=emulated
json_assert "  names and devnodes exist" 'import json, os, sys
for d in json.load(sys.stdin)["devices"]:
    assert os.path.exists("/sys/class/accel/" + d["name"]), d
    assert d["devnode"] == "/dev/accel/" + d["name"], d
    assert os.path.exists(d["devnode"]), d
    assert d["unavailable"] == {}, d'
json_assert "  serials and bus addresses are distinct" 'import json, sys
devs = json.load(sys.stdin)["devices"]
assert len({d["serial"] for d in devs}) == len(devs), devs
assert len({d["bus_addr"] for d in devs}) == len(devs), devs'
json_assert "  agrees with sysfs" 'import json, sys
for d in json.load(sys.stdin)["devices"]:
    base = "/sys/class/accel/%s/device/dojo/" % d["name"]
    rd = lambda a: open(base + a).read().strip()
    assert d["serial"] == rd("serial_number"), d
    assert d["bus_addr"] == rd("bus_addr"), d
    assert d["hbm_size_bytes"] == int(rd("hbm_size_bytes")), d
    assert d["fw_version"] == rd("fw_version"), d'
check_rc 0 "list -j -p exits 0" "$DOJOCTL" -j -p list
json_check "  is indented JSON of the same schema" list --count $N
check "  over several lines" test "$(wc -l < "$WORK/out")" -gt $N

json_flush
dojo_unload
check_rc 0 "list after unloading exits 0" "$DOJOCTL" -j list
json_check "  with no DIP" list --count 0

finish
