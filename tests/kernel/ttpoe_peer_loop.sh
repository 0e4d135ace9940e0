#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The TTPoE peer of the Z-plane tests (ttpoe_peer) against itself over a
# veth pair, no DIP involved: its framing, transport (replay, duplicates,
# gaps, the CRC trailer) and remote-DMA grant checks work, so that a
# failure of a Z-plane test against the card model points at the model.
# test-timeout: 180

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"

PEER=$KTEST_DIR/ttpoe_peer
A=zpl0
B=zpl1
KEY=0x0123456789abcdef
WORK=$(mktemp -d)

cleanup()
{
	[ -n "${serve_pid:-}" ] && kill "$serve_pid" 2>/dev/null
	ip link del "$A" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

[ -x "$PEER" ] || skip "$PEER not built (make -C tests)"
ktap_plan 6
# (veth is a module in the test VM's kernel, built in elsewhere)
ip link add "$A" type veth peer name "$B" 2>/dev/null ||
	{ _dojo_modprobe veth && ip link add "$A" type veth peer name "$B"; } ||
	{ echo "Bail out! cannot create a veth pair"; exit 1; }
if ! ip link set "$A" up || ! ip link set "$B" up; then
	echo "Bail out! veth down"
	exit 1
fi

# serve ARGS...: node 2 on $A serves grant 5 in the background.
serve()
{
	"$PEER" -i "$A" -n 2 --timeout 60 "$@" serve --grant 5 --key "$KEY" \
		>"$WORK/serve.log" 2>&1 &
	serve_pid=$!
	sleep 0.2
}

# served: the server ended well; its output becomes diagnostics.
served()
{
	local rc

	wait "$serve_pid"
	rc=$?
	serve_pid=
	sed 's/^/# serve: /' "$WORK/serve.log"
	return "$rc"
}

# client MODE ARGS...: node 1 on $B against node 2's grant 5 (options of
# any kind may follow the mode).
client()
{
	local mode=$1

	shift
	"$PEER" -i "$B" -n 1 --timeout 30 "$@" "$mode" --peer 2 --grant 5 \
		--key "${key:-$KEY}" >"$WORK/client.log" 2>&1
	local rc=$?
	sed 's/^/# client: /' "$WORK/client.log"
	return "$rc"
}

client_said()
{
	grep -q "$1" "$WORK/client.log"
}

case_begin "write, then read back what was written and what was filled"
serve --size 65536 --fill 7 --transfers 4
expect "write 5000 bytes at 1000" client write --offset 1000 --seed 9 --len 5000
expect "  STATUS OK" client_said '^status OK'
expect "read them back" client read --offset 1000 --len 5000 --seed 9
expect "the bytes before them kept the fill" client read --len 1000 --seed 7
expect "read the filled part" client read --offset 20000 --len 7000 --seed 7
expect "server ends after 4 transfers" served
case_end

case_begin "refusals: wrong key, outside the grant, read-only grant"
serve --size 4096 --read-only --transfers 3
key=0x1 expect "wrong key refused" client read --len 16 --expect-refused
expect "read past the end refused" client read --offset 4000 --len 100 --expect-refused
expect "write to a read-only grant refused" \
	client write --seed 1 --len 3000 --expect-refused
expect "  STATUS REFUSED" client_said '^status REFUSED'
expect "server ends after 3 transfers" served
case_end

case_begin "an accepted transfer fails when a refusal was expected"
serve --size 4096 --transfers 1
expect "exit status 1" fails client read --len 16 --expect-refused
expect "server ends" served
case_end

case_begin "a file written arrives byte for byte (dump)"
head -c 10000 /dev/urandom >"$WORK/data"
serve --size 10000 --transfers 1 --dump "$WORK/dump"
expect "write the file" client write --file "$WORK/data"
expect "server ends" served
expect "dump equals the file" cmp "$WORK/data" "$WORK/dump"
case_end

case_begin "20% loss each way, CRC trailers: replays and duplicates recover"
serve --size 131072 --fcs --drop-pct 20 --replay-ms 30 --transfers 2
expect "write 128 KiB" client write --fcs --drop-pct 20 --replay-ms 30 \
	--seed 3 --len 131072
expect "  the client replayed" fails client_said 'replays 0 '
expect "read it back" client read --drop-pct 20 --replay-ms 30 --len 131072 \
	--seed 3
expect "  duplicates were acknowledged" fails client_said ' dups 0 '
expect "server ends" served
expect "  no malformed frame, no bad CRC" \
	grep -q 'malformed 0 fcs_bad 0' "$WORK/serve.log"
case_end

case_begin "nobody there: the client gives up with a message"
expect "read times out" fails "$PEER" -i "$B" -n 1 --timeout 2 read --peer 3 \
	--grant 1 --key 1 --len 8
case_end

ktap_finish
