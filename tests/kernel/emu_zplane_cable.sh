#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The emulated DIPs' TTPoE ports cabled to a veth pair through
# /sys/bus/dojo_emu/link_eth and unlink_eth: bad requests are refused, a
# port takes one cable, deleting the netdev unplugs it, and cards can be
# deleted and the module unloaded with their cables in.

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"

BUS=/sys/bus/dojo_emu
DBG=/sys/kernel/debug/dojo_emu

ktap_plan 4

if ! _dojo_modprobe veth 2>/dev/null && [ ! -d /sys/module/veth ]; then
	echo "1..0 # SKIP no veth"
	exit 4
fi
if ! dojo_load 2; then
	echo "Bail out! dojo_load 2 failed"
	exit 1
fi

veth_pair()
{
	ip link add zpa type veth peer name zpb &&
		ip link set zpa up && ip link set zpb up
}

case_begin "cabling and its refusals"
expect "veth pair" veth_pair
expect "link card 0 to zpa" sysfs_write "$BUS/link_eth" "0 zpa"
expect "card 0 again" sysfs_write_fails "$BUS/link_eth" "0 zpb"
expect "no such netdev" sysfs_write_fails "$BUS/link_eth" "1 zpnone"
expect "no such card" sysfs_write_fails "$BUS/link_eth" "9 zpb"
for bad in "" "1" "x zpb" "1 zpb extra" "1 aaaaaaaaaaaaaaaaaaaa"; do
	expect "link_eth '$bad'" sysfs_write_fails "$BUS/link_eth" "$bad"
done
expect "link card 1 to zpb" sysfs_write "$BUS/link_eth" "1 zpb"
expect "unlink card 1" sysfs_write "$BUS/unlink_eth" 1
expect "unlink card 1 again" sysfs_write_fails "$BUS/unlink_eth" 1
expect "unlink absent card" sysfs_write_fails "$BUS/unlink_eth" 9
expect "relink card 1" sysfs_write "$BUS/link_eth" "1 zpb"
case_end

case_begin "fault switches and the connection dump"
d=$DBG/dojo_emu0
for f in zp_drop_pct zp_corrupt_pct zp_link_down zp_flap_ms; do
	expect "$f exists" test -f "$d/$f"
done
expect "flap on" sysfs_write "$d/zp_flap_ms" 20
sleep 0.2
expect "flap off" sysfs_write "$d/zp_flap_ms" 0
expect "link forced down" sysfs_write "$d/zp_link_down" 1
expect "link released" sysfs_write "$d/zp_link_down" 0
expect "zp_conns reads" quiet cat "$d/zp_conns"
case_end

case_begin "deleting the netdev unplugs both ports"
expect "delete the veth pair" ip link del zpa
expect "card 0 unplugged" sysfs_write_fails "$BUS/unlink_eth" 0
expect "card 1 unplugged" sysfs_write_fails "$BUS/unlink_eth" 1
expect "veth pair again" veth_pair
expect "relink card 0" sysfs_write "$BUS/link_eth" "0 zpa"
expect "relink card 1" sysfs_write "$BUS/link_eth" "1 zpb"
case_end

case_begin "cards go and the module unloads with cables in"
expect "del_device 1" emu_del_device 1
expect "new_device 1" emu_new_device 1
expect "link new card 1" sysfs_write "$BUS/link_eth" "1 zpb"
expect "unload" dojo_unload
expect "veth pair still there" quiet ip link show zpa
ip link del zpa 2>/dev/null
case_end

ktap_finish
