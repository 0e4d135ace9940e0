#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# What an administrator sees of each DIP's telemetry: lm-sensors lists its
# temperatures, power and voltages through hwmon, in hwmon's names and
# units; the sysfs reset is root's alone. (telemetry_test covers load,
# ECC, health and uevents.)

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"

CARDS=2
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
# Root, but without CAP_SYS_ADMIN.
NOADMIN=(setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin)
SENSORS=$(command -v sensors)

ktap_plan 3

if ! dojo_load "$CARDS" || ! wait_nodes "$CARDS"; then
	echo "Bail out! dojo_load $CARDS failed"
	exit 1
fi

# The hwmon device of accel node $1 (/sys/class/accel/accelN), or nothing.
hwmon_of()
{
	local h

	for h in "$1"/device/hwmon/hwmon*; do
		[ -e "$h/name" ] && echo "$h"
	done
}

in_range()
{
	[ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

case_begin "hwmon: each DIP's sensors in hwmon's names and units"
for d in /sys/class/accel/accel*; do
	h=$(hwmon_of "$d")
	expect "$d has one hwmon device" test -n "$h" -a "$(echo "$h" | wc -w)" = 1 ||
		continue
	expect "$h name dojo" test "$(<"$h/name")" = dojo
	for l in temp1:board temp2:hbm power1:board in0:vdd_core in1:vdd_hbm; do
		expect "$h ${l%%:*}_label ${l#*:}" \
			test "$(<"$h/${l%%:*}_label")" = "${l#*:}"
	done
	for t in temp1 temp2; do
		# millidegree Celsius: an idle card is between 20 and 60 C
		expect "$h ${t}_input in m°C" in_range "$(<"$h/${t}_input")" 20000 60000
		expect "$h ${t}_max 85 C" test "$(<"$h/${t}_max")" = 85000
		expect "$h ${t}_crit 95 C" test "$(<"$h/${t}_crit")" = 95000
		expect "$h ${t} no alarm" test "$(cat "$h/${t}_max_alarm" "$h/${t}_crit_alarm")" = "0
0"
	done
	# microwatt: an idle card draws between 10 and 200 W
	expect "$h power1_input in uW" in_range "$(<"$h/power1_input")" 10000000 200000000
	expect "$h power1_max below power1_crit" \
		test "$(<"$h/power1_max")" -lt "$(<"$h/power1_crit")"
	for v in in0 in1; do
		# millivolt, inside the card's own limits
		expect "$h ${v}_input inside [min, max]" in_range "$(<"$h/${v}_input")" \
			"$(<"$h/${v}_min")" "$(<"$h/${v}_max")"
		expect "$h ${v}_alarm 0" test "$(<"$h/${v}_alarm")" = 0
	done
	modes=$(stat -c %a "$h"/temp1_input "$h"/power1_input "$h"/in0_input | sort -u)
	expect "$h read-only for all" test "$modes" = 444
done
case_end

# lm-sensors as an administrator runs it: one "dojo" chip per DIP, with
# both temperatures and the power in its units.
case_begin "sensors lists each DIP's temperatures and power"
if expect "sensors is installed (lm-sensors, make setup)" test -x "$SENSORS"; then
	out=$("$SENSORS" 2>&1)
	expect "sensors exits 0" test $? -eq 0
	echo "$out" | sed 's/^/# /'
	expect "one dojo chip per DIP" \
		test "$(echo "$out" | grep -c '^dojo-')" -eq "$CARDS"
	expect "each with a board temperature" \
		test "$(echo "$out" | grep -cE '^board: +\+[0-9.]+°C +\(high = \+85\.0°C, crit = \+95\.0°C\)')" -eq "$CARDS"
	expect "each with an HBM temperature" \
		test "$(echo "$out" | grep -cE '^hbm: +\+[0-9.]+°C')" -eq "$CARDS"
	expect "each with the board power" \
		test "$(echo "$out" | grep -cE '^board: +[0-9.]+ W +\(max = 400\.00 W, crit = 450\.00 W\)')" -eq "$CARDS"
	expect "each with both voltages" \
		test "$(echo "$out" | grep -cE '^vdd_(core|hbm): +[0-9.]+ m?V')" -eq $((2 * CARDS))
	# The raw values are the cards' hwmon values, scaled to units.
	raw=$("$SENSORS" -u 2>/dev/null)
	want=$(for d in /sys/class/accel/accel*; do
		h=$(hwmon_of "$d")
		awk '{ printf "%.3f\n", $1 / 1000 }' "$h/temp1_max"
	done)
	got=$(echo "$raw" | awk '/temp1_max:/ { print $2 }')
	expect "sensors -u temp1_max '$got' is hwmon's '$want'" test "$got" = "$want"
fi
case_end

# The admin reset is root's: mode 0200 keeps others out, and the driver
# wants CAP_SYS_ADMIN too.
case_begin "reset: root only, with a reason"
dir=/sys/class/accel/accel0/device/dojo
expect "reset mode 200" test "$(stat -c %a "$dir/reset")" = 200
n0=$(<"$dir/reset_count")
err=$("${NOBODY[@]}" sh -c "echo 'let me' > $dir/reset" 2>&1)
expect "nobody cannot write reset" test $? -ne 0
expect "nobody is told: permission denied ($err)" matches "$err" "Permission denied"
err=$("${NOADMIN[@]}" bash -c "echo 'no admin' > $dir/reset" 2>&1)
expect "root without CAP_SYS_ADMIN cannot reset" test $? -ne 0
expect "it is told: operation not permitted ($err)" matches "$err" "Operation not permitted"
expect "no reset happened" test "$(<"$dir/reset_count")" = "$n0"
expect "nobody reads health" test "$("${NOBODY[@]}" cat "$dir/health")" = ok
expect "root resets" sh -c "echo 'scheduled maintenance' > $dir/reset"
expect "reset_count moved" test "$(<"$dir/reset_count")" = $((n0 + 1))
expect "last_reset_reason" test "$(<"$dir/last_reset_reason")" = "admin: scheduled maintenance"
expect "an empty reason is refused" sysfs_write_fails "$dir/reset" ""
expect "reset_count stays" test "$(<"$dir/reset_count")" = $((n0 + 1))
expect "other card untouched" test "$(</sys/class/accel/accel1/device/dojo/reset_count)" = 0
expect "unload" dojo_unload
case_end

ktap_finish
