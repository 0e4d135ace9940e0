#!/bin/bash
# SPDX-License-Identifier: MIT
# test-timeout: 600
#
# Every dojoctl command against two emulated DIPs: health (JSON checked
# against its JSON Schema), --query CSV parsed by python's csv module,
# prometheus by promtool, ps and HBM use while a process holds a DIP,
# reset refused (naming the holder) and done, events of a reset, dump of
# its devcoredump, diag, monitor, fw, cdi (against the CDI schema),
# unprivileged use, and the exit codes of docs/dojoctl.md.

. "$(dirname "$0")/tap.inc"
need_dojoctl
lib_sh

D=$DOJOCTL
HOLD=$DOJOCTL_TEST_DIR/dip_hold
SCHEMAS=$DOJOCTL_TEST_DIR/schemas
[ -x "$HOLD" ] || { echo "Bail out! $HOLD not built (make -C tests)"; exit 1; }

load_dips 2
chmod 0755 "$WORK"
name0=$(dip_field 0 name)
serial0=$(dip_field 0 serial)
addr0=$(dip_field 0 bus_addr)
sys0=/sys/class/accel/$name0/device/dojo

schema_check() { # DESC SCHEMA: $OUT follows tests/dojoctl/schemas/SCHEMA.json
	json_assert "$1" 'import json, sys, jsonschema
doc = json.load(sys.stdin)
jsonschema.validate(doc, json.load(open(sys.argv[1])))' "$SCHEMAS/$2.json"
}

# --- usage and lookup errors -------------------------------------------
check_rc 1 "unknown command exits 1" "$D" frobnicate
check_rc 1 "unknown --query field exits 1" "$D" --query=index,nosuch
check "  names the field" grep -q "unknown field 'nosuch'" "$WORK/err"
check_rc 1 "--format without --query exits 1" "$D" --format=csv list
check_rc 1 "an option of another command exits 1" "$D" health -r 2
check_rc 2 "health of a missing DIP exits 2" "$D" health -i nosuch
check_rc 1 "reset without a DEVICE exits 1" "$D" reset
check_rc 0 "--help-query lists the fields" "$D" --help-query
check "  hbm.used in MiB" grep -q '^  hbm.used \[MiB\] *hbm_used_mib ' "$WORK/out"

# --- health --------------------------------------------------------------
check_rc 0 "health -j of new DIPs exits 0" "$D" -j health
schema_check "  follows schemas/health.json" health
json_assert "  state online, OK; null values have reasons" 'import json, sys
doc = json.load(sys.stdin)
assert doc["status"] == "OK", doc["status"]
assert len(doc["devices"]) == 2
for d in doc["devices"]:
    comps = {c["component"]: c for c in d["components"]}
    assert comps["state"]["value"] == "online" and comps["state"]["status"] == "OK"
    for c in d["components"]:
        assert (c["value"] is None) == ("value" in c["unavailable"]), c
        assert (c["value"] is None) == (c["status"] == "UNKNOWN"), c'
check_rc 0 "health table" "$D" health -i 0
check "  state online OK" grep -q "^$name0 *state *OK *online" "$WORK/out"
check "  overall line" grep -q "^$name0 *overall *OK" "$WORK/out"

# --- fw ------------------------------------------------------------------
check_rc 0 "fw" "$D" fw 1
check "  shows DIP 1's firmware version" grep -q \
	"^$(dip_field 1 name) *$(dip_field 1 serial) *$(dip_field 1 fw_version) *[0-9]*\.[0-9]*$" \
	"$WORK/out"

# --- --query CSV ---------------------------------------------------------
Q=index,name,serial,hbm.total,hbm.used,state,resets
check_rc 0 "--query=$Q --format=csv" "$D" --query=$Q --format=csv
json_assert "  parses as CSV with units in the header" 'import csv, io, sys
rows = list(csv.reader(io.StringIO(sys.stdin.read())))
assert rows[0] == ["index", "name", "serial", "hbm.total [MiB]",
                   "hbm.used [MiB]", "state", "resets"], rows[0]
assert len(rows) == 3, rows
assert rows[1][:2] == ["0", sys.argv[1]] and rows[1][2] == sys.argv[2], rows[1]
for r in rows[1:]:
    assert r[3] == "32768 MiB" and r[4] == "0 MiB" and r[5] == "online", r
    assert r[6] == "0", r' "$name0" "$serial0"
check_rc 0 "--format=csv,noheader,nounits -i 1" "$D" -i 1 --query=$Q \
	--format=csv,noheader,nounits
check "  one line of bare numbers" test "$(cut -d, -f1,4,5,6 "$WORK/out")" = \
	"1,32768,0,online"
check_rc 0 "--query -j" "$D" -j --query=index,hbm.used,temperature.board,ecc.corrected
schema_check "  follows schemas/query.json" query

# --- a process holds DIP 0: HBM use, ps, monitor, prometheus, reset -----
mkfifo "$WORK/hold.in"
"$HOLD" "$name0" 64 < "$WORK/hold.in" > "$WORK/hold.out" 2>&1 &
holder=$!
exec 9> "$WORK/hold.in"
for _ in $(seq 100); do
	grep -q ready "$WORK/hold.out" && break
	sleep 0.1
done
check "holder ready (64 MiB of HBM, one job done)" grep -q ready "$WORK/hold.out"

check_rc 0 "--query hbm.used while held" "$D" -i 0 --query=hbm.used \
	--format=csv,noheader,nounits
check "  64 MiB" test "$OUT" = 64
check_rc 0 "ps" "$D" ps
check "  lists the holder by pid and command" grep -q \
	"^$name0 *$holder *root *dip_hold " "$WORK/out"
check "  with its 64 MiB of HBM" grep -q "^$name0 *$holder .* 64 MiB " "$WORK/out"
check_rc 0 "ps -j" "$D" -j ps
schema_check "  follows schemas/ps.json" ps
json_assert "  the holder with its HBM and engine time" 'import json, sys
doc = json.load(sys.stdin)
pid = int(sys.argv[1])
d0 = doc["devices"][0]
procs = [p for p in d0["processes"] if p["pid"] == pid]
assert len(procs) == 1, d0
p = procs[0]
assert p["command"] == "dip_hold", p
assert p["hbm_bytes"] == 64 << 20, p
assert p["host_bytes"] == 1 << 20, p
assert p["engine_ns"] > 0, p
assert doc["devices"][1]["processes"] == [], doc' "$holder"
check_rc 0 "monitor -c 2 -d 0.2 -i 0" "$D" monitor -c 2 -d 0.2 -i 0
check "  two samples showing 64 MiB" test "$(awk '!/^#/ && $7 == 64' "$WORK/out" | wc -l)" -eq 2
check_rc 0 "monitor -j -c 1" "$D" -j monitor -c 1
json_assert "  one sample of both DIPs" 'import json, sys
doc = json.load(sys.stdin)
assert doc["schema"] == "dojoctl.monitor/1" and len(doc["devices"]) == 2
assert doc["devices"][0]["hbm_used_mib"] == 64, doc'

check_rc 0 "prometheus" "$D" prometheus
cp "$WORK/out" "$WORK/metrics.prom"
check "  promtool check metrics" sh -c "promtool check metrics < '$WORK/metrics.prom'"
check "  HBM in use" grep -qx "dojo_hbm_used_bytes{device=\"$name0\"} 67108864" \
	"$WORK/metrics.prom"
check "  up" grep -qx "dojo_up{device=\"$name0\"} 1" "$WORK/metrics.prom"
check_rc 0 "prometheus -o FILE" "$D" prometheus -o "$WORK/dojo.prom"
check "  same metrics" cmp -s "$WORK/dojo.prom" "$WORK/metrics.prom"

check_rc 7 "reset while held exits 7" "$D" reset 0
check "  names the holder" grep -q "pid $holder (dip_hold)" "$WORK/err"
check "  and did not reset" test "$(cat "$sys0/device_resets")" = 0

exec 9>&-
wait "$holder"
check "holder exits 0" test $? -eq 0
for _ in $(seq 100); do
	[ "$(cat "$sys0/hbm_used_bytes")" = 0 ] && break
	sleep 0.1
done
check_rc 0 "--query hbm.used after the holder left" "$D" -i 0 \
	--query=hbm.used --format=csv,noheader,nounits
check "  0 MiB" test "$OUT" = 0

# --- events of a reset, and its devcoredump -----------------------------
"$D" events -i 0 -c 3 --timeout 60 > "$WORK/ev.out" 2> "$WORK/ev.err" &
evpid=$!
for _ in $(seq 100); do
	grep -q "following uevents" "$WORK/ev.err" && break
	sleep 0.1
done
dbg=/sys/kernel/debug/accel/dojo_emu.dip.${addr0#dojo_emu}
[ -d "$dbg" ] || dbg=/sys/kernel/debug/accel/${name0#accel}
check "reset DIP 0 through debugfs" sh -c "echo 1 > $dbg/reset"
wait "$evpid"
check "events -c 3 exits 0 (offline, devcoredump, online)" test $? -eq 0
R_OUT=$(cat "$WORK/ev.out") R_ERR=$(cat "$WORK/ev.err")
check "  offline with the reason" grep -q \
	"\] $name0 offline .*DOJO_RESET_REASON=requested through debugfs" "$WORK/ev.out"
check "  then online" grep -q "\] $name0 online DOJO_RESET_REASON=" "$WORK/ev.out"
check "  and the devcoredump" grep -q "\] devcd[0-9]* add" "$WORK/ev.out"

check_rc 0 "dump 0 -o FILE" "$D" dump 0 -o "$WORK/dump"
check "  is the card's devcoredump" grep -q "^dojo device coredump" "$WORK/dump"
check "  of DIP 0" grep -qx "serial: $serial0" "$WORK/dump"
check_rc 4 "dump again: none pending, exits 4" "$D" dump 0 -o "$WORK/dump2"

# --- reset through dojoctl ----------------------------------------------
if [ -e "$sys0/reset" ]; then
	check_rc 0 "reset 0 exits 0" "$D" reset --reason "dojoctl test" 0
	check "  counted" test "$(cat "$sys0/device_resets")" = 2
	check "  online" test "$(cat "$sys0/state")" = online
	check "  reason recorded" grep -q "dojoctl test" "$sys0/last_reset_reason"
	check_rc 0 "reset -j 1" "$D" -j reset 1
	json_assert "  result reset, state online" 'import json, sys
d = json.load(sys.stdin)["devices"][0]
assert d["result"] == "reset" and d["state"] == "online", d
assert d["clients"] == [], d'
else
	check_rc 11 "reset without the driver's reset node exits 11" "$D" reset 0
	check "  says so" grep -q "no reset interface" "$WORK/err"
fi

# --- diag ----------------------------------------------------------------
check_rc 0 "diag -r 3 -i 1 -j" "$D" -j diag -r 3 -i 1
json_assert "  every test passed, link loopback skipped" 'import json, sys
d = json.load(sys.stdin)["devices"][0]
assert d["result"] == "pass" and d["level"] == 3, d
res = {t["test"]: t["result"] for t in d["tests"]}
assert res.pop("link_loopback") == "skip", res
assert set(res) >= {"queue0", "dma_bandwidth", "hbm_patterns"}, res
assert set(res.values()) == {"pass"}, res
bw = [t for t in d["tests"] if t["test"] == "dma_bandwidth"][0]
assert bw["value"] > 0 and bw["unit"] == "MB/s", bw'
check_rc 0 "diag (level 1) table" "$D" diag 0
check "  queue0 pass" grep -q "^  queue0 *pass" "$WORK/out"

# --- CDI -----------------------------------------------------------------
check_rc 0 "cdi generate -o FILE" "$D" cdi generate -o "$WORK/cdi.json"
OUT=$(cat "$WORK/cdi.json")
schema_check "  follows the CDI schema" cdi
json_assert "  devices 0, 1, serials and all, with their nodes" 'import json, sys
spec = json.load(sys.stdin)
assert spec["cdiVersion"] == "0.6.0" and spec["kind"] == "tesla.com/dip"
devs = {d["name"]: d["containerEdits"] for d in spec["devices"]}
assert devs["0"]["deviceNodes"][0]["path"] == "/dev/accel/" + sys.argv[1]
assert devs["0"]["deviceNodes"][0]["type"] == "c"
assert devs[sys.argv[2]] == devs["0"], devs
assert len(devs["all"]["deviceNodes"]) == 2, devs["all"]
assert "DOJO_VISIBLE_DEVICES=0,1" in devs["all"]["env"], devs["all"]' \
	"$name0" "$serial0"

# --- unprivileged --------------------------------------------------------
if as_nobody true 2> /dev/null; then
	check_rc 0 "health -j as nobody exits 0" as_nobody "$D" -j health
	schema_check "  follows schemas/health.json" health
	check_rc 0 "--query as nobody" as_nobody "$D" --query=index,hbm.used,state \
		--format=csv,noheader
	check "  same values" test "$OUT" = "$("$D" --query=index,hbm.used,state \
		--format=csv,noheader)"
	check_rc 0 "prometheus as nobody" as_nobody "$D" prometheus
	check "  promtool check metrics" sh -c "promtool check metrics < '$WORK/out'"
	check_rc 0 "ps as nobody" as_nobody "$D" -j ps
	check_rc 3 "reset as nobody exits 3" as_nobody "$D" reset 0
	check "  says it needs root" grep -q "reset needs root" "$WORK/err"
	check_rc 3 "dump as nobody exits 3" as_nobody "$D" dump 0
	check_rc 0 "cdi generate as nobody" as_nobody "$D" cdi generate
fi

json_flush

# --- no driver -----------------------------------------------------------
dojo_unload
check_rc 5 "health without the driver exits 5" "$D" health
check "  says the driver is not loaded" grep -q "driver is not loaded" "$WORK/err"
check_rc 0 "list without the driver exits 0" "$D" list
check_rc 0 "prometheus without the driver exits 0" "$D" prometheus
check "  dojo_driver_loaded 0" grep -qx "dojo_driver_loaded 0" "$WORK/out"

finish
