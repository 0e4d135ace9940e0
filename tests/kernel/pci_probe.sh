#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The PCI probe path against a device that is not a DIP. The card's IDs
# are placeholders, so administrators bind real cards with new_id; a wrong
# ID typed there must not bind anything. QEMU's "edu" device (1234:11e8,
# BAR0 of 1 MiB whose register 0 is not "DOJO") stands in for that wrong
# device: every attempt must be refused with a clear log line and unwound
# completely (no BAR region, no interrupt vectors, device disabled again),
# and the driver must unload cleanly afterwards.

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"

ATTEMPTS=5
DRV=/sys/bus/pci/drivers/dojo

ktap_plan 3

refusals()
{
	dmesg | grep -c "$edu: not a DIP"
}

# Nothing of the driver's is left on the device after a refused probe.
# shellcheck disable=SC2317 # called through expect
unwound()
{
	local ok=0

	[ ! -e "$dev/driver" ] || { diag "$edu has a driver"; ok=1; }
	[ "$(<"$dev/enable")" = "$enable0" ] ||
		{ diag "$edu enable count $(<"$dev/enable")"; ok=1; }
	! file_mentions /proc/iomem dojo ||
		{ diag "dojo region left in /proc/iomem"; ok=1; }
	! file_mentions /proc/interrupts dojo ||
		{ diag "dojo interrupt lines left"; ok=1; }
	nothing_at "$dev"/msi_irqs/* ||
		{ diag "MSI vectors left allocated"; ok=1; }
	nothing_at /dev/accel/accel* || { diag "an accel node appeared"; ok=1; }
	return "$ok"
}

edu=
for d in /sys/bus/pci/devices/*; do
	if [ "$(<"$d/vendor")" = 0x1234 ] && [ "$(<"$d/device")" = 0x11e8 ]; then
		edu=${d##*/}
		break
	fi
done
if [ -z "$edu" ]; then
	diag "no QEMU edu device (1234:11e8) in this VM"
	case_skip "new_id does not bind a non-DIP" "no edu device"
	case_skip "bind attempts refused and unwound" "no edu device"
	case_skip "driver unloads cleanly" "no edu device"
	ktap_finish
fi
dev=/sys/bus/pci/devices/$edu
diag "edu device at $edu"

if ! dojo_load 0; then
	echo "Bail out! dojo_load 0 failed"
	exit 1
fi
enable0=$(<"$dev/enable")

case_begin "new_id does not bind a non-DIP"
before=$(refusals)
expect "write new_id" sysfs_write "$DRV/new_id" "1234 11e8"
expect "nothing bound, nothing left" unwound
expect "refusal logged" test "$(refusals)" -eq $((before + 1))
dmesg | grep "$edu: not a DIP" | tail -n 1 | sed 's/^/# /'
case_end

# Explicit bind attempts: each fails with ENODEV (the probe's answer
# reaches the writer) and each unwinds; repeating catches per-attempt leaks.
case_begin "bind attempts refused with ENODEV and unwound ($ATTEMPTS times)"
before=$(refusals)
for i in $(seq "$ATTEMPTS"); do
	expect "attempt $i fails" sysfs_write_fails "$DRV/bind" "$edu"
	expect "attempt $i: ENODEV" \
		grep -q "No such device" <<<"$write_err" ||
		diag "write error: $write_err"
	expect "attempt $i unwound" unwound
done
expect "one refusal line per attempt" \
	test "$(refusals)" -eq $((before + ATTEMPTS))
case_end

case_begin "driver unloads cleanly"
expect "remove_id" sysfs_write "$DRV/remove_id" "1234 11e8"
expect "refcount 0" test "$(module_refcnt dojo)" = 0
expect "rmmod dojo" rmmod dojo
expect "dojo gone" fails module_loaded dojo
expect "device still unbound and disabled" unwound
dojo_unload >/dev/null 2>&1
case_end

ktap_finish
