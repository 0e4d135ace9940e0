#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot two test VMs (tests/vm/run-in-vm.sh, which does everything else)
# joined by one Ethernet segment: each has a virtio NIC on a QEMU dgram
# netdev, and the two send each other's frames over UDP on 127.0.0.1. Run
# <script> in both, return both results.
#
# Usage: tests/vm/run-two-vms.sh <script> [args...]
#   e.g. tests/vm/run-two-vms.sh tests/run-tests.sh zplane_two_vms
#
# In each guest the script sees
#   DOJO_ZP_ROLE  A or B
#   DOJO_ZP_MAC   the MAC of its NIC on the segment; the NIC is its only
#                 one, driven by virtio_net (a module: modprobe it)
# The guests share no writable files: they meet over the segment itself
# (tests/kernel/zp_rendezvous).
#
# Output: both consoles, each line prefixed "A: " or "B: ". Results in
# $DOJO_VM_RESULTS (default: a new directory under .cache/vm/runs): A/ and
# B/ as run-in-vm.sh leaves them, and, when both guests ran
# tests/run-tests.sh, summary with the sum of their counts. Exit 0 only if
# both guests' scripts exited 0.
#
# Environment: everything run-in-vm.sh takes (DOJO_VM_TIMEOUT defaults to
# 900 here, DOJO_VM_MEM to 1G and DOJO_VM_SMP to 1: two guests share the
# host); DOJO_ZP_PORT, the first of the two UDP ports (random otherwise).

set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${DOJO_CACHE:-$TOP/.cache}

[ $# -ge 1 ] || { echo "usage: $0 <script> [args...]" >&2; exit 2; }

RES=${DOJO_VM_RESULTS:-$CACHE/vm/runs/$(date +%Y%m%d-%H%M%S)-$$-two}
mkdir -p "$RES/A" "$RES/B" || exit 2
RES=$(realpath "$RES")
rm -f "$RES/summary"
port=${DOJO_ZP_PORT:-$((20000 + RANDOM % 20000))}

export DOJO_VM_TIMEOUT=${DOJO_VM_TIMEOUT:-900}
export DOJO_VM_MEM=${DOJO_VM_MEM:-1G}
export DOJO_VM_SMP=${DOJO_VM_SMP:-1}

# guest ROLE MAC LOCAL_PORT REMOTE_PORT SCRIPT [ARGS...]
guest()
{
	local role=$1 mac=$2 lport=$3 rport=$4 rc

	shift 4
	DOJO_ZP_ROLE=$role DOJO_ZP_MAC=$mac DOJO_VM_RESULTS=$RES/$role \
	DOJO_VM_QEMU_ARGS="${DOJO_VM_QEMU_ARGS:-} -netdev dgram,id=zp,local.type=inet,local.host=127.0.0.1,local.port=$lport,remote.type=inet,remote.host=127.0.0.1,remote.port=$rport -device virtio-net-pci,netdev=zp,mac=$mac" \
		"$TOP/tests/vm/run-in-vm.sh" "$@" 2>&1 | sed -u "s/^/$role: /"
	rc=${PIPESTATUS[0]}
	return "$rc"
}

# Build the initramfs once, before two VMs would race to.
KVER=$(cat "$CACHE/kernel/KVER" 2>/dev/null)
if [ -z "${DOJO_VM_KERNEL:-}" ] && [ -n "$KVER" ]; then
	DOJO_CACHE=$CACHE "$TOP/tests/vm/mkinitramfs.sh" "$KVER" "$CACHE/kernel/root" || exit 2
fi

guest A 52:54:00:5a:00:0a "$port" "$((port + 1))" "$@" &
pid_a=$!
guest B 52:54:00:5a:00:0b "$((port + 1))" "$port" "$@" &
pid_b=$!
wait "$pid_a"
rc_a=$?
wait "$pid_b"
rc_b=$?

if [ -f "$RES/A/summary" ] && [ -f "$RES/B/summary" ]; then
	read -r pa fa sa <"$RES/A/summary"
	read -r pb fb sb <"$RES/B/summary"
	echo "$((pa + pb)) $((fa + fb)) $((sa + sb))" >"$RES/summary"
fi
echo "run-two-vms: A exit $rc_a, B exit $rc_b (results in $RES)" >&2
[ "$rc_a" -eq 0 ] && [ "$rc_b" -eq 0 ]
