#!/bin/bash
# SPDX-License-Identifier: MIT
#
# dojo-bench on one emulated DIP: the verified host->HBM->host transfer,
# then every benchmark briefly (small sizes, short times), checking that
# each row ran and that the JSON keeps its shape.

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=${TOP:-$(cd "$HERE/../.." && pwd)}
BENCH=$TOP/tools/dojo-bench
# shellcheck source=../lib.sh
. "$TOP/tests/lib.sh"

[ -x "$BENCH" ] || { echo "Bail out! $BENCH not built (make -C $TOP/tools)"; exit 1; }
dojo_load 1 || { echo "Bail out! dojo_load 1 failed"; exit 1; }
wait_for_accel 1 || { echo "Bail out! no accel node"; exit 1; }

n=0
rc=0
check()
{
	local name=$1

	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		rc=1
	fi
}

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

check "verify 1 MiB" sh -c "'$BENCH' --verify=1M | grep -q '^transfer verified: 1 MiB host->HBM->host, crc32 0x[0-9a-f]* matches'"
check "usage error exits 1" sh -c "'$BENCH' --sizes 1M:4K >/dev/null 2>&1; [ \$? -eq 1 ]"
check "no such DIP exits 2" sh -c "'$BENCH' -d accel9 >/dev/null 2>&1; [ \$? -eq 2 ]"
# shellcheck disable=SC2317 # called through check
short_run()
{
	"$BENCH" -t 0.02 -i 2 -P 2 -s 4K:64K -n 1,4 -q 0 -j -o "$out/b.json" \
		>"$out/stdout"
}
check "short run of every benchmark" short_run
check "JSON shape" python3 - "$out/b.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "dojo-bench/1"
keys = {"bench", "name", "size_bytes", "inflight", "iterations", "elapsed_s",
        "time_per_op_s", "min_s", "median_s", "p99_s", "rate", "rate_median",
        "rate_unit", "baseline", "ratio", "cpu_process_s", "cpu_all_s", "error",
        "frames_sent"}
rows = d["results"]
assert len(rows) == 3 * 4 + 3 + 2, len(rows)
for r in rows:
    assert set(r) == keys, set(r) ^ keys
    assert r["error"] is None, r
    assert r["iterations"] >= 2, r
    assert r["cpu_process_s"] is not None and r["cpu_process_s"] >= 0
for r in rows:
    if r["bench"] == "copy" and r["name"] != "memcpy":
        assert r["baseline"] == "memcpy" and r["ratio"] > 0
for t in d["targets"]:
    assert set(t) == {"name", "rule", "comparison", "threshold", "value", "met"}
PY
check "stdout is the same JSON" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$out/stdout"

# With the DIP cabled to a tile, the TTP rows run by default.
echo 1 >"$EMU_SYSFS/new_tile" && echo "0 1 0 0" >"$EMU_SYSFS/link_tile"
# shellcheck disable=SC2317 # called through check
ttp_run()
{
	"$BENCH" -t 0.02 -i 2 -P 2 -s 4K:64K -n 1 -j -o "$out/t.json" >/dev/null
}
check "short run with a tile" ttp_run
check "TTP rows beside memcpy" python3 - "$out/t.json" <<'PY'
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["results"] if r["bench"] == "ttp"]
names = {"memcpy", "host->tile", "tile->host", "HBM->tile", "tile->HBM"}
assert len(rows) == 3 * len(names), len(rows)
assert {r["name"] for r in rows} == names
for r in rows:
    assert r["error"] is None, r
    if r["name"] != "memcpy":
        assert r["baseline"] == "memcpy" and r["ratio"] > 0, r
PY
echo 0 >"$EMU_SYSFS/unlink_tile"
echo 1 >"$EMU_SYSFS/del_tile"

# The Z-plane rows beside the link rows: two cards on a veth pair.
_dojo_modprobe veth
ip link add zpb0 type veth peer name zpb1 && ip link set zpb0 up &&
	ip link set zpb1 up && emu_new_device 1 && wait_for_accel 2 &&
	echo "0 zpb0" >"$EMU_SYSFS/link_eth" && echo "1 zpb1" >"$EMU_SYSFS/link_eth"
# shellcheck disable=SC2317 # called through check
zp_run()
{
	"$BENCH" -d dojo_emu0 -t 0.02 -i 2 -P 1 -s 64K:64K -b link,zplane \
		--link zpb0,zpb1 --zplane dojo_emu1 -j -o "$out/z.json" >/dev/null
}
check "short run of link and zplane" zp_run
check "Z-plane rows beside the link rows" python3 - "$out/z.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))["results"]
byname = {(r["bench"], r["name"]): r for r in rows}
assert ("link", "af_packet-1116B") in byname and ("link", "af_packet-pingpong-64B") in byname
zp = [r for r in rows if r["bench"].startswith("zplane")]
assert {r["name"] for r in zp} == {"HBM->remote", "remote->HBM", "remote-64B"}, zp
for r in zp:
    assert r["error"] is None, r
    assert r["baseline"] in ("af_packet-1116B", "af_packet-pingpong-64B") and r["ratio"] > 0, r
PY
echo 0 >"$EMU_SYSFS/unlink_eth"
echo 1 >"$EMU_SYSFS/unlink_eth"
ip link del zpb0
echo "1..$n"
exit $rc
