#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Interoperability: an emulated DIP and ttpoe_peer, the TTPoE endpoint
# written from docs/ttpoe.md alone, on the two ends of a veth pair.
#   - the card opens to the peer: it reads the peer's grant (the pattern
#     of a seed), writes the next pattern over it (checked in the peer's
#     dump) and is refused with a wrong key (REMOTE_REFUSED);
#   - the peer opens to the card: it reads a grant of the card's HBM and
#     writes into it, with and without the CRC trailer, and is refused
#     with a wrong key;
#   - nothing either side received was malformed (the peer fails on any
#     such frame).
# test-timeout: 300

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"

PEER=$KTEST_DIR/ttpoe_peer
GRANT=$KTEST_DIR/zp_grant
CARD_IF=zpc0	# the card's end
PEER_IF=zpp0	# the peer's end
CARD_NODE=1	# node_base 1, card 0
PEER_NODE=0x200
PEER_GRANT=7
PEER_KEY=0x0123456789abcdef
SIZE=$((64 * 1024))
SEED=11
WORK=$(mktemp -d)
export_pid=

cleanup()
{
	[ -n "$export_pid" ] && kill "$export_pid" 2>/dev/null
	{ echo 0 >"$EMU_SYSFS/unlink_eth"; } 2>/dev/null
	ip link del "$CARD_IF" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

# peer MODE ARGS...: ttpoe_peer on the peer's end, output kept in $WORK/peer.
peer()
{
	local rc

	"$PEER" -i "$PEER_IF" -n "$PEER_NODE" --timeout 60 "$@" >"$WORK/peer" 2>&1
	rc=$?
	sed 's/^/# peer: /' "$WORK/peer"
	return "$rc"
}

ktap_plan 4

case_begin "a card cabled to a veth pair"
if ! ip link add "$CARD_IF" type veth peer name "$PEER_IF" 2>/dev/null; then
	_dojo_modprobe veth
	expect "veth pair" ip link add "$CARD_IF" type veth peer name "$PEER_IF"
fi
expect "$CARD_IF up" ip link set "$CARD_IF" up
expect "$PEER_IF up" ip link set "$PEER_IF" up
expect "dojo loaded" dojo_load 1 "node_base=$CARD_NODE" &&
	expect "one accel node" wait_for_accel 1 &&
	expect "card 0 cabled to $CARD_IF" \
		sysfs_write "$EMU_SYSFS/link_eth" "0 $CARD_IF"
# shellcheck disable=SC2154 # ktap.inc's
cabled=$((!case_failed))
case_end
[ "$cabled" -eq 1 ] || { echo "Bail out! no cabled card"; exit 1; }

case_begin "the card reads, writes and is refused by the peer's grant"
"$PEER" -i "$PEER_IF" -n "$PEER_NODE" --timeout 120 serve \
	--grant "$PEER_GRANT" --key "$PEER_KEY" --size "$SIZE" --fill "$SEED" \
	--transfers 3 --dump "$WORK/dump" >"$WORK/serve" 2>&1 &
serve_pid=$!
sleep 0.2
expect "the card's read, write and refused read" "$GRANT" fetch 0 \
	"$PEER_NODE" "$PEER_GRANT" "$PEER_KEY" "$SIZE" "$SEED"
expect "the peer served 3 transfers, nothing malformed" wait "$serve_pid"
sed 's/^/# serve: /' "$WORK/serve"
"$GRANT" pattern "$SIZE" $((SEED + 1)) >"$WORK/want"
expect "the peer's memory holds what the card wrote" \
	cmp "$WORK/want" "$WORK/dump"
case_end

case_begin "the peer reads, writes and is refused by the card's grant"
"$GRANT" export 0 "$SIZE" "$SEED" >"$WORK/grant" &
export_pid=$!
for _ in $(seq 100); do
	grep -q '^grant ' "$WORK/grant" && break
	sleep 0.1
done
read -r _ node gid key _ <"$WORK/grant"
expect "grant of node $CARD_NODE" test "${node:-}" = "$CARD_NODE"
expect "peer reads it" peer read --peer "$node" --grant "$gid" --key "$key" \
	--len "$SIZE" --seed "$SEED"
expect "peer reads a part with CRC trailers" peer read --fcs --peer "$node" \
	--grant "$gid" --key "$key" --offset 1000 --len 5000 --seed "$SEED"
expect "peer writes the next pattern" peer write --peer "$node" \
	--grant "$gid" --key "$key" --seed $((SEED + 1)) --len "$SIZE"
expect "peer's wrong key refused" peer read --peer "$node" --grant "$gid" \
	--key "$(printf '0x%x' $((key ^ 1)))" --len 16 --expect-refused
expect "peer's read past the grant refused" peer read --peer "$node" \
	--grant "$gid" --key "$key" --offset "$SIZE" --len 16 --expect-refused
kill -USR1 "$export_pid"
expect "the card's HBM holds what the peer wrote" wait "$export_pid"
export_pid=
sed 's/^/# zp_grant: /' "$WORK/grant"
case_end

case_begin "the peer writes with CRC trailers and 30% of its ACKs lost"
"$GRANT" export 0 "$SIZE" $((SEED - 1)) >"$WORK/grant" &
export_pid=$!
for _ in $(seq 100); do
	grep -q '^grant ' "$WORK/grant" && break
	sleep 0.1
done
read -r _ node gid key _ <"$WORK/grant"
expect "peer writes" peer write --fcs --drop-pct 30 --replay-ms 50 \
	--peer "$node" --grant "$gid" --key "$key" --seed "$SEED" --len "$SIZE"
kill -USR1 "$export_pid"
expect "the card's HBM holds it" wait "$export_pid"
export_pid=
sed 's/^/# zp_grant: /' "$WORK/grant"
case_end

ktap_finish
