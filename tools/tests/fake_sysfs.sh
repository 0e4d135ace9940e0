#!/bin/bash
# SPDX-License-Identifier: MIT
#
# dojoctl and libdojo against a fake sysfs tree (dojoctl --sysroot): which
# accel devices count as DIPs, their order, names a user may give, and what
# a missing or malformed attribute turns into. Needs no driver, no root
# and no VM: run on the build host by `make -C tools check`.

. "$(dirname "$0")/../../tests/dojoctl/tap.inc"
# shellcheck source=../../tests/dojoctl/fakesys.inc
. "$DOJOCTL_TEST_DIR/fakesys.inc"
need_dojoctl

R=$WORK/root
S=$R/sys
# every dojoctl below reads the fake tree
printf '#!/bin/sh\nexec %q --sysroot=%q "$@"\n' "$DOJOCTL" "$R" >"$WORK/dojoctl"
chmod 0755 "$WORK/dojoctl"
DOJOCTL=$WORK/dojoctl
G=34359738368

# No accel class at all: zero DIPs is a success.
check_rc 0 "list without /sys/class/accel exits 0" "$DOJOCTL" list
check "  and prints only the header" test "$OUT" = \
	"INDEX NAME SERIAL BUS BUS_ADDR PLATFORM FW HBM"
check_rc 0 "list -j without DIPs exits 0" "$DOJOCTL" -j list
check "  and has an empty devices array" \
	test "$OUT" = '{"schema":"dojoctl.list/1","devices":[]}'
check_rc 0 "info without DIPs exits 0" "$DOJOCTL" -j info
check_rc 2 "info 0 without DIPs exits 2" "$DOJOCTL" info 0

fake_dip "$S" 10 DJ10 0000:0a:00.0
fake_dip "$S" 2 DJ2 dojo_emu2 dojo.emu
fake_accel "$S" 0 ivpu
fake_pci "$S" 10 4 16
fake_dip "$S" 5 DJ5 dojo_emu5 other
rm -r "$S/devices/dojo_emu5/dojo"

check_rc 0 "list exits 0" "$DOJOCTL" -j list
json_check "  only DIPs, sorted by minor" list --count 2 --hbm $G
json_assert "  accel2 then accel10" 'import json, sys
names = [d["name"] for d in json.load(sys.stdin)["devices"]]
assert names == ["accel2", "accel10"], names'

# another driver's name, but the dojo attribute group: still a DIP
mkdir -p "$S/devices/dojo_emu5/dojo"
check_rc 0 "a device with a dojo attribute group is a DIP" "$DOJOCTL" -j list
json_check "  three DIPs" list --count 3
rm -rf "$S/devices/dojo_emu5/dojo"

for spec in 0 accel2 /dev/accel/accel2 /dev/accel/../accel/accel2 \
	/dev//./accel/accel2 DJ2 dojo_emu2; do
	check_rc 0 "info $spec" "$DOJOCTL" -j info "$spec"
	json_check "  is accel2" info --count 1 --field name=accel2 \
		--field serial=DJ2
done
for spec in 1 accel10 DJ10 0000:0a:00.0 0a:00.0; do
	check_rc 0 "info $spec" "$DOJOCTL" -j info "$spec"
	json_check "  is accel10" info --count 1 --field name=accel10
done
check_rc 0 "info of a PCI DIP" "$DOJOCTL" -j info 0a:00.0
json_check "  has its link" info --count 1 --field pcie_link_gen=4 \
	--field pcie_link_width_lanes=16 --field bus_type=pci \
	--field platform=silicon
json_assert "  without a config file: sysfs, and libpci says why" 'import json, sys
d = json.load(sys.stdin)["devices"][0]
assert d["pcie_link_source"] == "sysfs", d
assert d["pci_vendor_name"] is None, d
assert d["unavailable"]["pci_vendor_name"] == "config space unreadable", d'

# libpci: the names from pci.ids, the link from config space as root
fake_pci_config "$S" 10
fake_pci_max "$S" 10 4 16
check_rc 0 "info of a PCI DIP with config space" "$DOJOCTL" -j info 0a:00.0
json_check "  follows the schema" info --count 1
json_assert "  link from the PCIe capability" 'import json, sys
d = json.load(sys.stdin)["devices"][0]
assert d["pcie_link_source"] == "config space", d
assert (d["pcie_link_cap_gen"], d["pcie_link_cap_width_lanes"]) == (4, 16), d
# LnkSta says x8 while sysfs current_link_width says 16: config space wins
assert (d["pcie_link_gen"], d["pcie_link_width_lanes"]) == (4, 8), d
assert d["pcie_aspm_supported"] == "L0s L1", d
assert d["pcie_aspm_enabled"] == "L1", d
assert not [k for k in d["unavailable"] if k.startswith("pci")], d'
json_assert "  names from pci.ids by libpci" 'import json, sys
d = json.load(sys.stdin)["devices"][0]
# no DIP device ID is in pci.ids: libpci names it by number
assert d["pci_device_name"] == "Device d1d0", d
assert d["pci_vendor_name"], d
assert (d["pci_subsystem_vendor_id"], d["pci_subsystem_id"]) == (0x1de5, 1), d
assert d["pci_subsystem_name"].endswith("Device 0001"), d'
check_rc 0 "info table with config space" "$DOJOCTL" info 0a:00.0
check "  shows the link capability" grep -q \
	'^ *pcie_link_cap_width_lanes  *16$' "$WORK/out"
check "  and where the link came from" grep -q \
	'^ *pcie_link_source  *config space$' "$WORK/out"
check_rc 0 "query of the link from config space" "$DOJOCTL" -i 0a:00.0 \
	--query=pcie.link.gen.cap,pcie.link.width.cap,pcie.link.width.current,pcie.aspm.supported,pcie.aspm.enabled,pci.device.name \
	--format=csv,noheader
check "  Gen4 x16 capable, x8 trained, ASPM L1" test "$OUT" = \
	"4,16,8,L0s L1,L1,Device d1d0"

# a vendor pci.ids knows: the name is libpci's lookup
fake_pci_config "$S" 10 0x8086 0x1572
check_rc 0 "info of a PCI DIP with Intel IDs" "$DOJOCTL" -j info 0a:00.0
json_assert "  libpci names the vendor and device" 'import json, sys
d = json.load(sys.stdin)["devices"][0]
assert d["pci_vendor_name"] == "Intel Corporation", d
assert d["pci_device_name"].startswith("Ethernet Controller X710"), d
assert d["pci_subsystem_vendor_id"] == 0x8086, d'
check_rc 0 "query of the names" "$DOJOCTL" -i 0a:00.0 \
	--query=pci.vendor.name --format=csv,noheader
check "  Intel Corporation" test "$OUT" = "Intel Corporation"
json_flush

# what a user without root reads: the 64-byte header only
fake_pci_config "$S" 10 0x1de5 0xd1d0 64
if [ "$(id -u)" -eq 0 ]; then
	chmod -R a+rX "$R"
	chmod 0755 "$WORK"
	check_rc 0 "info as nobody: header only" as_nobody \
		"$DOJOCTL" -j info 0a:00.0
	json_check "  follows the schema" info --count 1
	json_assert "  falls back to sysfs and says config space needs root" \
		'import json, sys
d = json.load(sys.stdin)["devices"][0]
u = d["unavailable"]
assert d["pcie_link_source"] == "sysfs", d
assert (d["pcie_link_gen"], d["pcie_link_width_lanes"]) == (4, 16), d
assert (d["pcie_link_cap_gen"], d["pcie_link_cap_width_lanes"]) == (4, 16), d
assert d["pcie_aspm_supported"] is None and d["pcie_aspm_enabled"] is None, d
assert u["pcie_aspm_supported"] == u["pcie_aspm_enabled"] == "needs root", d
assert d["pci_device_name"] == "Device d1d0", d'
	json_flush
	rm "$S/devices/0000:0a:00.0/max_link_speed" \
		"$S/devices/0000:0a:00.0/max_link_width"
	check_rc 0 "info as nobody without sysfs max_link_*" as_nobody \
		"$DOJOCTL" -j info 0a:00.0
	json_assert "  link capability null: needs root" 'import json, sys
d = json.load(sys.stdin)["devices"][0]
assert d["pcie_link_cap_gen"] is None, d
assert d["unavailable"]["pcie_link_cap_gen"] == "needs root", d
assert d["unavailable"]["pcie_link_cap_width_lanes"] == "needs root", d'
	check_rc 0 "query as nobody" as_nobody "$DOJOCTL" -i 0a:00.0 \
		--query=pcie.link.width.current,pcie.link.width.cap,pcie.aspm.enabled \
		--format=csv,noheader
	check "  sysfs width, the rest unknown" test "$OUT" = "16,,"
	json_flush
fi
check_rc 0 "info as root with a 64-byte config file" "$DOJOCTL" -j info 0a:00.0
json_assert "  sysfs, and config space unreadable" 'import json, sys
d = json.load(sys.stdin)["devices"][0]
assert d["pcie_link_source"] == "sysfs", d
assert d["pcie_aspm_enabled"] is None and d["unavailable"]["pcie_aspm_enabled"], d'
json_flush
rm "$S/devices/0000:0a:00.0/config"

check_rc 0 "info of an emulated DIP" "$DOJOCTL" -j info dojo_emu2
json_assert "  has no link, and says why" 'import json, sys
d = json.load(sys.stdin)["devices"][0]
assert d["pcie_link_gen"] is None and d["pcie_link_width_lanes"] is None, d
pci = ("pcie_link_gen", "pcie_link_width_lanes", "pcie_link_cap_gen",
       "pcie_link_cap_width_lanes", "pcie_link_source", "pcie_aspm_supported",
       "pcie_aspm_enabled", "pci_vendor_name", "pci_device_name",
       "pci_subsystem_vendor_id", "pci_subsystem_id", "pci_subsystem_name")
for k in pci:
    assert d[k] is None, (k, d)
assert d["unavailable"] == dict(dict.fromkeys(pci, "not a PCI device"),
                            query_status=d["unavailable"]["query_status"]), d
'
json_assert "  has the driver's counters" 'import json, sys
d = json.load(sys.stdin)["devices"][0]
assert (d["hbm_used_bytes"], d["device_resets"], d["job_timeouts"]) == \
    (1073741824, 2, 0), d'
check_rc 0 "info table of an emulated DIP" "$DOJOCTL" info dojo_emu2
check "  shows HBM in use" grep -q \
	'^ *hbm_used_bytes  *1073741824 (1 GiB)$' "$WORK/out"
check "  shows device resets" grep -q '^ *device_resets  *2$' "$WORK/out"
for a in hbm_used_bytes device_resets job_timeouts; do
	fake_attr "$S" 2 "$a" --delete
done
check_rc 0 "info of a driver without counters" "$DOJOCTL" -j info dojo_emu2
json_assert "  shows them null, not provided" 'import json, sys
d = json.load(sys.stdin)["devices"][0]
for k in ("hbm_used_bytes", "device_resets", "job_timeouts"):
    assert d[k] is None, d
    assert d["unavailable"][k] == "not provided by the driver", d'
fake_attr "$S" 2 hbm_used_bytes 1073741824
fake_attr "$S" 2 device_resets 2
fake_attr "$S" 2 job_timeouts 0
fake_pci "$S" 10 9 0
check_rc 0 "an unknown link speed" "$DOJOCTL" -j info 0a:00.0
json_assert "  is null with a reason" 'import json, sys
d = json.load(sys.stdin)["devices"][0]
assert d["pcie_link_gen"] is None, d
assert d["unavailable"]["pcie_link_gen"] == "unparsable value", d
assert d["pcie_link_width_lanes"] == 0, d'
fake_pci "$S" 10 4 16
check_rc 0 "info without a DEVICE shows all" "$DOJOCTL" -j info
json_check "  two DIPs, query not possible" info --count 2 --query null
check_rc 0 "info names one DIP twice: shown once" "$DOJOCTL" -j info 0 DJ2
json_check "  one DIP" info --count 1

for spec in 2 accel0 accel3 nosuch 0000:0b:00.0 ""; do
	check_rc 2 "info '$spec' exits 2" "$DOJOCTL" info "$spec"
	check "  says which name matched nothing" \
		grep -qF "dojoctl: no DIP matches '$spec'" "$WORK/err"
done
check_rc 2 "info with one good and one bad DEVICE exits 2" \
	"$DOJOCTL" -j info 0 nosuch
json_check "  and still shows the good one" info --count 1

# Missing and malformed attributes: null plus a reason, not a failure.
fake_attr "$S" 2 fw_version --delete
fake_attr "$S" 2 hbm_size_bytes lots
fake_attr "$S" 2 revision -1
check_rc 0 "list with broken attributes exits 0" "$DOJOCTL" -j list
json_check "  schema holds" list --count 2
json_assert "  fw_version null, not provided" 'import json,sys
d = json.load(sys.stdin)["devices"][0]
assert d["bus_type"] == "emulated", d
assert d["fw_version"] is None and d["hbm_size_bytes"] is None, d
assert d["unavailable"] == {"fw_version": "not provided by the driver",
                            "hbm_size_bytes": "unparsable value"}, d'
check_rc 0 "info with broken attributes exits 0" "$DOJOCTL" -j info accel2
json_assert "  revision null with reason" 'import json,sys
d = json.load(sys.stdin)["devices"][0]
assert d["revision"] is None, d
assert d["unavailable"]["revision"] == "unparsable value", d'
check_rc 0 "table shows the unknown value" "$DOJOCTL" info accel2
check "  as unknown (reason)" grep -q \
	'fw_version  *unknown (not provided by the driver)' "$WORK/out"
check_rc 0 "list table" "$DOJOCTL" list
check "  shows '-' for an unknown value" grep -q \
	'^ *0 accel2 .* - *-$' "$WORK/out"
check "  shows HBM in GiB" grep -q '^ *1 accel10 .* 32 GiB$' "$WORK/out"
check_rc 0 "list -n has no header" "$DOJOCTL" -n list
check "  two lines" test "$(wc -l < "$WORK/out")" -eq 2

# A DIP removed between listings disappears.
fake_rm "$S" 2
check_rc 0 "list after removal" "$DOJOCTL" -j list
json_check "  one DIP left, index 0" list --count 1 \
	--field name=accel10 --field index=0

# Usage errors.
check_rc 1 "no command exits 1" "$DOJOCTL"
check_rc 1 "unknown command exits 1" "$DOJOCTL" frobnicate
check "  and says so" grep -q "unknown command 'frobnicate'" "$WORK/err"
check_rc 1 "unknown option exits 1" "$DOJOCTL" --frobnicate list
check_rc 1 "list with an argument exits 1" "$DOJOCTL" list 0
check_rc 0 "--help exits 0" "$DOJOCTL" --help
check "  documents the exit codes" grep -q "no DIP matches a DEVICE" "$WORK/out"
check_rc 0 "--version exits 0" "$DOJOCTL" --version
check "  names both versions" grep -q "^dojoctl .* (libdojo .*)$" "$WORK/out"
check_rc 1 "--sysroot without a directory exits 1" "$DOJOCTL" --sysroot
check_rc 0 "a command prefix works: l is list, the first command" "$DOJOCTL" -j l
json_check "  as list" list --count 1

# An unreadable class directory is a permission error (exit 3).
if [ "$(id -u)" -eq 0 ]; then
	chmod 0700 "$S/class/accel"
	chmod 0755 "$WORK" "$R" "$S" "$S/class"
	check_rc 3 "unreadable /sys/class/accel exits 3" as_nobody \
		"$DOJOCTL" list
	check "  with a message" grep -q "permission denied" "$WORK/err"
	chmod 0755 "$S/class/accel"
fi

finish
