# SPDX-License-Identifier: MIT
"""Check dojoctl JSON output against its documented schema.

usage: python3 schema.py list|info [--count N] [--hbm BYTES]
                                   [--field KEY=VALUE ...] [--query STATUS]
           check the document on stdin; exit 0 when it follows the schema
           (docs/dojoctl.md) and every expectation holds, else say why, 1
       python3 schema.py --batch DIR
           run the checks queued in DIR by tap.inc's json_check and
           json_assert in one process (python starts slowly in the test
           VM) and print one "ok - DESC" or "not ok - DESC" line each
"""
import io
import json
import os
import sys
import traceback


class Fail(Exception):
    pass

LIST_KEYS = [
    ("index", int), ("name", str), ("minor", int), ("devnode", str),
    ("serial", str), ("bus_type", str), ("bus_addr", str),
    ("platform", str), ("fw_version", str), ("hbm_size_bytes", int),
]
INFO_KEYS = LIST_KEYS[:4] + [("driver", str)] + LIST_KEYS[4:] + [
    ("regs_version", str), ("vendor_id", int), ("device_id", int),
    ("revision", int), ("num_dma_queues", int), ("num_ttp_ports", int),
    ("num_ttpoe_ports", int), ("pcie_max_gen", int),
    ("pcie_max_width_lanes", int), ("pcie_link_gen", int),
    ("pcie_link_width_lanes", int), ("pcie_link_cap_gen", int),
    ("pcie_link_cap_width_lanes", int), ("pcie_link_source", str),
    ("pcie_aspm_supported", str), ("pcie_aspm_enabled", str),
    ("pci_vendor_name", str), ("pci_device_name", str),
    ("pci_subsystem_vendor_id", int), ("pci_subsystem_id", int),
    ("pci_subsystem_name", str), ("hbm_used_bytes", int),
    ("device_resets", int), ("job_timeouts", int), ("query_status", str),
    ("query_mismatches", list),
]
NEVER_NULL = {"index", "name", "minor", "devnode", "query_mismatches"}


def fail(msg):
    raise Fail("schema: " + msg)


def check(text, argv):
    if not argv or argv[0] not in ("list", "info"):
        fail(__doc__)
    kind = argv[0]
    want = {"count": None, "hbm": None, "fields": [], "query": None}
    i = 1
    while i < len(argv):
        opt, val = argv[i], argv[i + 1]
        if opt == "--count":
            want["count"] = int(val)
        elif opt == "--hbm":
            want["hbm"] = int(val)
        elif opt == "--field":
            want["fields"].append(val.split("=", 1))
        elif opt == "--query":
            want["query"] = None if val == "null" else val
            want["check_query"] = True
        else:
            fail("unknown option " + opt)
        i += 2

    try:
        doc = json.loads(text)
    except ValueError as e:
        fail("not JSON: %s" % e)
    if not isinstance(doc, dict) or list(doc) != ["schema", "devices"]:
        fail("top level must be {schema, devices}: %r" % doc)
    if doc["schema"] != "dojoctl.%s/1" % kind:
        fail("schema is %r" % doc["schema"])
    devs = doc["devices"]
    if not isinstance(devs, list):
        fail("devices is not an array")
    keys = LIST_KEYS if kind == "list" else INFO_KEYS
    names = [k for k, _ in keys] + ["unavailable"]
    for pos, d in enumerate(devs):
        if not isinstance(d, dict):
            fail("device %d is not an object" % pos)
        if list(d) != names:
            fail("device %d keys %r, expected %r" % (pos, list(d), names))
        unav = d["unavailable"]
        if not isinstance(unav, dict):
            fail("device %d: unavailable is not an object" % pos)
        for key, typ in keys:
            v = d[key]
            if v is None:
                if key in NEVER_NULL:
                    fail("device %d: %s is null" % (pos, key))
                if not isinstance(unav.get(key), str) or not unav[key]:
                    fail("device %d: %s is null without a reason" % (pos, key))
            elif typ is int:
                if isinstance(v, bool) or not isinstance(v, int):
                    fail("device %d: %s=%r is not a number" % (pos, key, v))
            elif not isinstance(v, typ):
                fail("device %d: %s=%r is not %s" % (pos, key, v,
                                                      typ.__name__))
        for key, reason in unav.items():
            if key not in d or d[key] is not None:
                fail("device %d: unavailable.%s but %s=%r" %
                     (pos, key, key, d.get(key)))
            if not isinstance(reason, str):
                fail("device %d: reason for %s is not a string" % (pos, key))
        if kind == "list" and d["index"] != pos:
            fail("device %d has index %r" % (pos, d["index"]))
        if kind == "info":
            if d["query_status"] not in ("match", "mismatch", None):
                fail("device %d: query_status %r" % (pos, d["query_status"]))
            if not all(isinstance(m, str) for m in d["query_mismatches"]):
                fail("device %d: query_mismatches not strings" % pos)
        if want["hbm"] is not None and d["hbm_size_bytes"] != want["hbm"]:
            fail("device %d: hbm_size_bytes %r, expected %d" %
                 (pos, d["hbm_size_bytes"], want["hbm"]))
        for key, val in want["fields"]:
            got = d.get(key)
            if str(got) != val and not (got is None and val == "null"):
                fail("device %d: %s=%r, expected %s" % (pos, key, got, val))
        if want.get("check_query") and d["query_status"] != want["query"]:
            fail("device %d: query_status %r, expected %r (%s)" %
                 (pos, d["query_status"], want["query"],
                  unav.get("query_status")))
    if want["count"] is not None and len(devs) != want["count"]:
        fail("%d devices, expected %d" % (len(devs), want["count"]))


def read(path, default=None):
    if not os.path.exists(path):
        return default
    with open(path) as f:
        return f.read()


def run_case(case):
    """One queued case: CASE.json is the document, CASE.desc the title,
    CASE.schema the schema arguments (one a line) or CASE.py code that
    reads the document from stdin, with CASE.args as its sys.argv[1:]."""
    text = read(case + ".json", "")
    args = read(case + ".schema")
    if args is not None:
        check(text, args.split("\n")[:-1])
        return
    code = read(case + ".py")
    saved = sys.stdin, sys.argv
    sys.stdin = io.StringIO(text)
    sys.argv = ["-c"] + read(case + ".args", "").split("\n")[:-1]
    try:
        exec(compile(code, case + ".py", "exec"), {"__name__": "__main__"})
    finally:
        sys.stdin, sys.argv = saved


def batch(d):
    cases = sorted(f[:-5] for f in os.listdir(d) if f.endswith(".desc"))
    for name in cases:
        case = os.path.join(d, name)
        desc = read(case + ".desc").strip()
        try:
            run_case(case)
            print("ok - " + desc)
        except SystemExit as e:
            if e.code in (None, 0):
                print("ok - " + desc)
            else:
                print("not ok - %s\n# exit %r" % (desc, e.code))
        except Fail as e:
            print("not ok - %s\n# %s" % (desc, e))
        except Exception:
            print("not ok - " + desc)
            for line in traceback.format_exc().splitlines()[-4:]:
                print("#   " + line)
            print("#   document: " + read(case + ".json", "")[:500].rstrip())


def main(argv):
    if argv[:1] == ["--batch"]:
        batch(argv[1])
        return 0
    try:
        check(sys.stdin.read(), argv)
    except Fail as e:
        print(e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
