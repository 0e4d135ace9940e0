#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Cabling the Z-plane at run time, as an administrator does it: a DIP's
# TTPoE port bound to a network interface and unbound again; the link
# follows the interface's carrier; an interface that disappears takes the
# cable with it; bad requests are refused with their errno; the node id
# is root's to change, and the MAC follows it; and cards and module unload
# cleanly while cabled.

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"
# shellcheck source=zplane.inc
. "$(dirname "$0")/zplane.inc"

CARDS=3
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

ktap_plan 6

zp_net_up || { echo "Bail out! no veth/bridge"; exit 1; }
if ! dojo_load "$CARDS" || ! wait_nodes "$CARDS"; then
	echo "Bail out! dojo_load $CARDS failed"
	exit 1
fi

# The sysfs directory of emulated card $1's DIP.
dip()
{
	local n

	n=$(node_of "dojo_emu$1") || return 1
	echo "/sys/class/accel/${n##*/}/device/dojo"
}

# Wait up to 10 s until card $1's link state reads $2.
link_is()
{
	local i f

	f="$(dip "$1")/zplane_link_state"
	for i in $(seq 100); do
		[ "$(cat "$f" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.1
	done
	diag "card $1 zplane_link_state is '$(cat "$f" 2>/dev/null)', not '$2'"
	return 1
}

case_begin "a port starts uncabled; link_eth cables it and the link comes up"
for c in 0 1 2; do
	expect "card $c uncabled" link_is "$c" uncabled
done
expect "cable card 0 to zpa" zp_cable 0 zpa
expect "cable card 1 to zpb" zp_cable 1 zpb
expect "card 0 up" link_is 0 up
expect "card 1 up" link_is 1 up
expect "card 2 still uncabled" link_is 2 uncabled
case_end

case_begin "bad cabling requests are refused"
expect "a cabled card refuses a second cable" \
	sysfs_write_fails "$EMU_SYSFS/link_eth" "0 zp2"
expect "an unknown interface" \
	sysfs_write_fails "$EMU_SYSFS/link_eth" "2 nosuchif0"
expect "an unknown card" sysfs_write_fails "$EMU_SYSFS/link_eth" "7 zp2"
expect "not an Ethernet interface (loopback)" \
	sysfs_write_fails "$EMU_SYSFS/link_eth" "2 lo"
expect "garbage" sysfs_write_fails "$EMU_SYSFS/link_eth" "zp2"
expect "uncabling an uncabled card" sysfs_write_fails "$EMU_SYSFS/unlink_eth" 2
expect "nobody may cable" fails "${NOBODY[@]}" sh -c "echo '2 zp2' >$EMU_SYSFS/link_eth"
case_end

case_begin "the link follows the interface's carrier, and counts its changes"
changes=$(cat "$(dip 0)/zplane_link_changes")
expect "peer end down" ip link set zpb down
expect "card 0 down" link_is 0 down
expect "peer end up" ip link set zpb up
expect "card 0 up again" link_is 0 up
expect "two changes counted" test "$(cat "$(dip 0)/zplane_link_changes")" = $((changes + 2))
case_end

case_begin "an interface that goes away takes the cable with it"
expect "cable card 2 to zp2" zp_cable 2 zp2
expect "card 2 up" link_is 2 up
expect "delete zp2" ip link del zp2
expect "card 2 uncabled" link_is 2 uncabled
expect "recreate zp2" ip link add zp2 type veth peer name zp2br
expect "zp2 up" ip link set zp2 up
expect "zp2br up" ip link set zp2br up
expect "cable card 2 again" zp_cable 2 zp2
expect "card 2 up again" link_is 2 up
expect "unlink_eth card 2" zp_uncable 2
expect "card 2 uncabled again" link_is 2 uncabled
case_end

case_begin "the node id is root's to set, and the MAC follows it"
d=$(dip 2)
old=$(cat "$d/zplane_node_id")
expect "nobody cannot set it" fails "${NOBODY[@]}" sh -c "echo 4660 >$d/zplane_node_id"
expect "beyond 24 bits refused" sysfs_write_fails "$d/zplane_node_id" 16777216
expect "root sets 0x123456" sysfs_write "$d/zplane_node_id" 0x123456
expect "node id reads back" test "$(cat "$d/zplane_node_id")" = $((0x123456))
expect "MAC follows" test "$(cat "$d/zplane_mac")" = "98:ed:5c:12:34:56"
expect "restore" sysfs_write "$d/zplane_node_id" "$old"
case_end

case_begin "a cabled card is deleted, and the modules unload while cabled"
expect "delete cabled card 1" emu_del_device 1
expect "card 0 still up" link_is 0 up
expect "unload" dojo_unload
expect "zpa still exists" ip link show zpa
case_end

zp_net_down
ktap_finish
