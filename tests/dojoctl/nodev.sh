#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Naming a DIP that does not exist: exit code 2 and a message that says
# which name matched nothing. No DIP at all is not an error for list.

. "$(dirname "$0")/tap.inc"
need_dojoctl
lib_sh

load_dips 0

check_rc 0 "list with the driver loaded and no DIP exits 0" "$DOJOCTL" list
check "  prints the header only" test "$(wc -l < "$WORK/out")" -eq 1
check_rc 0 "list -j with no DIP exits 0" "$DOJOCTL" -j list
json_check "  empty devices array" list --count 0
check_rc 2 "info 0 with no DIP exits 2" "$DOJOCTL" info 0
check "  message names it" grep -qF "dojoctl: no DIP matches '0' (see dojoctl list)" \
	"$WORK/err"

emu_new_device 7 || { echo "Bail out! emu_new_device 7 failed"; exit 1; }
wait_for_accel 1 || { echo "Bail out! no accel node"; exit 1; }

for spec in 1 accel99 DJ-NO-SUCH-SERIAL 0000:ff:1f.7 dojo_emu8; do
	check_rc 2 "info $spec exits 2" "$DOJOCTL" info "$spec"
	check "  message names it" grep -qF "dojoctl: no DIP matches '$spec'" \
		"$WORK/err"
	check "  nothing on stdout" test ! -s "$WORK/out"
	check_rc 2 "info -j $spec exits 2" "$DOJOCTL" -j info "$spec"
	json_check "  empty devices array" info --count 0
done
check_rc 0 "info dojo_emu7 exits 0" "$DOJOCTL" -j info dojo_emu7
json_check "  one DIP" info --count 1 --field bus_addr=dojo_emu7
check_rc 1 "info --bogus is a usage error" "$DOJOCTL" info --bogus

finish
