#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the test VM (make bench): one emulated DIP with enough HBM
# backing for the largest HBM->HBM copy, a verified transfer, then
# tools/dojo-bench with the arguments given (BENCH_ARGS of make bench) and
# a veth pair for its link baseline (--link, the Z-plane's reference).
# The table goes to the console and to $DOJO_RESULTS/bench.txt, the JSON
# to $DOJO_RESULTS/bench.json.
#
# Environment: DOJO_BENCH_HBM_MB, HBM backing of the card in MiB (1024).
# The emulator also caps the backing of all cards at a quarter of the
# guest's RAM, hence make bench's 3G guest.

set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib.sh"
cd "$TOP" || exit 1

out=${DOJO_RESULTS:-/tmp}
hbm_mb=${DOJO_BENCH_HBM_MB:-1024}

dojo_load 0 || fail "could not load the modules"
# Read when a card is created: set it before creating the card.
echo "$hbm_mb" >/sys/module/dojo_emu/parameters/hbm_backing_mb ||
	fail "cannot set hbm_backing_mb"
emu_new_device 0 || fail "cannot create an emulated DIP"
wait_for_accel 1 || fail "no accel node"
# A training tile on the card's TTP port, for the ttp benchmark, with
# backing for its largest tile buffer (read when the tile is created).
echo 320 >/sys/module/dojo_emu/parameters/tile_backing_mb &&
	echo 1 >"$EMU_SYSFS/new_tile" && echo "0 1 0 0" >"$EMU_SYSFS/link_tile" ||
	fail "cannot cable the card to a tile"

echo "guest: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%d MiB", $2 / 1024 }' /proc/meminfo) RAM, HBM backing $hbm_mb MiB per card"
echo

# The link benchmark's segment: a veth pair, as the Z-plane tests cable
# cards. (veth is a module in the VM's kernel.)
link=()
# shellcheck disable=SC2054 # one argument, A,B
{ ip link add bench0 type veth peer name bench1 2>/dev/null ||
	{ _dojo_modprobe veth && ip link add bench0 type veth peer name bench1; }; } &&
	ip link set bench0 up && ip link set bench1 up && link=(--link bench0,bench1)
[ ${#link[@]} -gt 0 ] || echo "no veth pair: the link baseline is not measured"

# The Z-plane's peer: a second card, cabled with the first to that pair.
zplane=()
if [ ${#link[@]} -gt 0 ]; then
	echo 64 >/sys/module/dojo_emu/parameters/hbm_backing_mb &&
	emu_new_device 1 && wait_for_accel 2 &&
	echo "0 bench0" >"$EMU_SYSFS/link_eth" &&
	echo "1 bench1" >"$EMU_SYSFS/link_eth" && sleep 1 &&
	zplane=(--zplane dojo_emu1)
	[ ${#zplane[@]} -gt 0 ] || echo "no second card: the Z-plane is not measured"
fi

status=0
tools/dojo-bench -d dojo_emu0 --verify || status=1
echo
start=$(date +%s)
tools/dojo-bench -d dojo_emu0 -o "$out/bench.json" "${link[@]}" "${zplane[@]}" "$@" |
	tee "$out/bench.txt"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
echo "dojo-bench ran for $(($(date +%s) - start)) s"

dojo_unload || status=1
if dmesg | grep -E 'WARNING:|BUG|Oops|KFENCE|Call Trace|leak'; then
	status=1
fi
exit $status
