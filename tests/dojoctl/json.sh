#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The JSON contract of dojoctl (docs/dojoctl.md): schema names, every key
# present in a fixed order, numbers as numbers, null only with a reason,
# and the driver's query answer agreeing with sysfs.

. "$(dirname "$0")/tap.inc"
need_dojoctl
lib_sh

load_dips 2

check_rc 0 "list -j" "$DOJOCTL" --json list
json_check "  follows dojoctl.list/1" list --count 2
json_assert "  parses with python3 json" 'import json, sys
doc = json.load(sys.stdin)
assert doc["schema"] == "dojoctl.list/1"
for d in doc["devices"]:
    for k in ("index", "minor", "hbm_size_bytes"):
        assert type(d[k]) is int, (k, d[k])
    assert d["hbm_size_bytes"] == 34359738368'
check_rc 0 "info -j as root" "$DOJOCTL" --json info
json_check "  follows dojoctl.info/1, query matches sysfs" info \
	--count 2 --query match --hbm 34359738368
json_assert "  numbers are numbers" 'import json, sys
for d in json.load(sys.stdin)["devices"]:
    for k in ("vendor_id", "device_id", "revision", "num_dma_queues",
              "num_ttp_ports", "num_ttpoe_ports", "pcie_max_gen",
              "pcie_max_width_lanes", "hbm_size_bytes"):
        assert type(d[k]) is int, (k, d[k])
    assert d["num_ttp_ports"] == 1 and d["num_ttpoe_ports"] == 1, d
    assert d["pcie_max_gen"] == 4 and d["pcie_max_width_lanes"] == 16, d
    assert d["query_mismatches"] == [], d
    # an emulated DIP has no PCIe link; everything else is known
    assert d["bus_type"] == "emulated", d
    assert d["pcie_link_gen"] is None, d
    pci = ("pcie_link_gen", "pcie_link_width_lanes", "pcie_link_cap_gen",
           "pcie_link_cap_width_lanes", "pcie_link_source",
           "pcie_aspm_supported", "pcie_aspm_enabled", "pci_vendor_name",
           "pci_device_name", "pci_subsystem_vendor_id", "pci_subsystem_id",
           "pci_subsystem_name")
    assert d["unavailable"] == dict.fromkeys(pci, "not a PCI device"), d
'
json_assert "  ids agree with sysfs" 'import json, sys
for d in json.load(sys.stdin)["devices"]:
    base = "/sys/class/accel/%s/device/dojo/" % d["name"]
    for k in ("vendor_id", "device_id"):
        assert d[k] == int(open(base + k).read(), 0), (k, d[k])'
check_rc 0 "list -j -p" "$DOJOCTL" -jp list
json_assert "  same document as list -j" 'import json, sys
assert json.load(sys.stdin) == json.loads(sys.argv[1])' "$("$DOJOCTL" -j list)"

finish
