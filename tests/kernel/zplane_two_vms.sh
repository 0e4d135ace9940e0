#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Remote DMA between two machines: one emulated DIP in each of two VMs
# (tests/vm/run-two-vms.sh), their TTPoE ports cabled to the VMs' virtio
# NICs on one Ethernet segment. First ttpoe_peer on both ends checks the
# segment with no DIP involved. Then B (node 101) exports an HBM buffer holding
# a pattern as a writable grant; A (node 1) reads it over the Z-plane and
# checks the pattern, writes the next pattern over it, and has a wrong key
# refused; B then checks what A wrote. The grant's id and key travel over
# the segment (zp_rendezvous), as the VMs share no writable files.
#
# Run: tests/vm/run-two-vms.sh tests/run-tests.sh zplane_two_vms
# In the single test VM (no DOJO_ZP_ROLE) it skips.
# test-timeout: 600

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"

ROLE=${DOJO_ZP_ROLE:-}
[ -n "$ROLE" ] || skip "needs two VMs: tests/vm/run-two-vms.sh tests/run-tests.sh zplane_two_vms"

MEET=$KTEST_DIR/zp_rendezvous
PEER=$KTEST_DIR/ttpoe_peer
GRANT=$KTEST_DIR/zp_grant
SIZE=$((256 * 1024))
SEED=42
WAIT=300	# seconds a guest waits for the other (boots differ)

export_pid=
cleanup()
{
	[ -n "$export_pid" ] && kill "$export_pid" 2>/dev/null
	[ -n "${cabled:-}" ] && { echo 0 >"$EMU_SYSFS/unlink_eth"; } 2>/dev/null
}
trap cleanup EXIT

# The NIC with the MAC run-two-vms.sh gave this guest.
find_nic()
{
	local d

	for _ in $(seq 100); do
		for d in /sys/class/net/*; do
			if [ "$(cat "$d/address" 2>/dev/null)" = "$DOJO_ZP_MAC" ]; then
				echo "${d##*/}"
				return 0
			fi
		done
		sleep 0.1
	done
	return 1
}

ktap_plan 4

_dojo_modprobe virtio_net || { echo "Bail out! no virtio_net"; exit 1; }
nic=$(find_nic) || { echo "Bail out! no NIC with MAC $DOJO_ZP_MAC"; exit 1; }
ip link set "$nic" up || { echo "Bail out! $nic down"; exit 1; }

# The segment itself first, with the project's own TTPoE endpoint on both
# ends (no DIP): a failure further on is then the cards'. A's OPEN is
# repeated until B's endpoint is up.
case_begin "guest $ROLE: the segment carries TTPoE frames (ttpoe_peer)"
if [ "$ROLE" = B ]; then
	expect "served a write and a read" "$PEER" -i "$nic" -n 0x50b \
		--timeout 180 serve --grant 1 --key 0x5eed --size 65536 \
		--transfers 2
else
	expect "write to B" "$PEER" -i "$nic" -n 0x50a --timeout "$WAIT" \
		write --peer 0x50b --grant 1 --key 0x5eed --seed 7 --len 65536 &&
		expect "read it back" "$PEER" -i "$nic" -n 0x50a --timeout 60 \
			read --peer 0x50b --grant 1 --key 0x5eed --seed 7 \
			--len 65536
fi
case_end

case_begin "guest $ROLE: a DIP cabled to the segment"
[ "$ROLE" = A ] && node=1 || node=101
expect "dojo loaded, node_base $node" dojo_load 1 "node_base=$node" &&
	expect "one accel node" wait_for_accel 1 &&
	expect "card 0 cabled to $nic" sysfs_write "$EMU_SYSFS/link_eth" "0 $nic" &&
	cabled=1
# shellcheck disable=SC2154 # ktap.inc's
ready=$((!case_failed))
case_end

# Each side says in the first meeting whether it is ready, so that a
# side that failed to set up does not keep the other waiting.
if [ "$ROLE" = B ]; then
	case_begin "B: grant exported and announced"
	msg=fail
	if [ "$ready" -eq 1 ]; then
		"$GRANT" export 0 "$SIZE" "$SEED" >/tmp/zp_grant.out &
		export_pid=$!
		for _ in $(seq 100); do
			grep -q '^grant ' /tmp/zp_grant.out && break
			kill -0 "$export_pid" 2>/dev/null || break
			sleep 0.1
		done
		read -r _ gnode gid gkey gsize </tmp/zp_grant.out
		expect "grant made" test -n "${gkey:-}" &&
			expect "  on node 101" test "$gnode" = 101 &&
			msg="$gnode $gid $gkey $gsize"
		diag "grant: $msg"
	fi
	said=$("$MEET" "$nic" grant "$msg" "$WAIT")
	expect "A ready" matches "$said" '^ready$'
	[ "$msg" != fail ] && [ "$said" = ready ] || ready=0
	case_end

	case_begin "B: A's reads and writes went right"
	if [ "$ready" -eq 1 ]; then
		said=$("$MEET" "$nic" result waiting 120)
		diag "A says: $said"
		expect "A's remote DMA held" matches "$said" '^ok$'
		kill -USR1 "$export_pid"
		expect "the grant holds what A wrote" wait "$export_pid"
		export_pid=
		sed 's/^/# zp_grant: /' /tmp/zp_grant.out
	else
		expect "both sides set up" false
	fi
	case_end
else
	case_begin "A: B's grant announced"
	msg=ready
	[ "$ready" -eq 1 ] || msg=fail
	said=$("$MEET" "$nic" grant "$msg" "$WAIT")
	diag "B says: $said"
	read -r gnode gid gkey gsize <<<"$said"
	expect "grant of node 101" test "${gnode:-}" = 101 || ready=0
	case_end

	case_begin "A: read, write and a refused key over the Z-plane"
	if [ "$ready" -eq 1 ]; then
		result=fail
		expect "remote DMA" "$GRANT" fetch 0 "$gnode" "$gid" "$gkey" \
			"$gsize" "$SEED" && result=ok
		expect "B heard the result" quiet "$MEET" "$nic" result "$result" 120
	else
		expect "both sides set up" false
	fi
	case_end
fi

ktap_finish
