#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# A process keeps /dev/accel/accelN open while its card goes away (deleted,
# emulator unloaded) or while someone unloads the driver. The process must
# get ENODEV, never a crash, its close() must work, the node must vanish at
# once, and the driver module must stay pinned exactly as long as the file
# is open (its release code runs at close).

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"

ktap_plan 3

# The card is deleted under an open file; its neighbour is not disturbed.
case_begin "device deleted while open"
expect "dojo_load 0" dojo_load 0
expect "new_device 1" emu_new_device 1
expect "new_device 2" emu_new_device 2
expect "two nodes" wait_nodes 2
node=$(node_of dojo_emu2)
if expect "holder ready" hold_start "$node" ENODEV; then
	expect "del_device 2" emu_del_device 2
	expect "node of the deleted card gone" wait_nodes 1
	expect "other card still answers" \
		quiet "$HOLD_OPEN" -q "$(node_of dojo_emu1)"
	# the open file still needs the driver's code for its release
	expect "rmmod dojo refused while the file is open" \
		fails rmmod dojo
	expect "dojo still loaded" module_loaded dojo
	# a new card under the same id is a new device: it works, and the
	# stale file must not reach it (checked by the holder's ENODEV)
	expect "new_device 2 while the old file is open" emu_new_device 2
	expect "two nodes again" wait_nodes 2
	expect "the new dojo_emu2 answers" \
		quiet "$HOLD_OPEN" -q "$(node_of dojo_emu2)"
fi
expect "holder saw ENODEV and closed cleanly" hold_release
expect "driver refcount 0 after close" test "$(module_refcnt dojo)" = 0
expect "unload" dojo_unload
case_end

# The emulator module goes away under an open file. Safe outcomes: the
# unload is refused while the file is open (the file keeps working), or it
# removes the cards at once, unplugging the DRM devices, so the file sees
# ENODEV, and completes no later than the file's close (the card's release
# code lives in dojo_emu). A crash, a hang or a working query on a removed
# card fails.
case_begin "dojo_emu unloaded while open"
expect "dojo_load 2" dojo_load 2
expect "two nodes" wait_nodes 2
if expect "holder ready" hold_start /dev/accel/accel0 any; then
	rmmod dojo_emu 2>/dev/null &
	rm_pid=$!
	for i in $(seq 30); do
		kill -0 "$rm_pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$rm_pid" 2>/dev/null; then
		diag "rmmod dojo_emu waits for the open file"
		expect "nodes gone while rmmod waits" wait_nodes 0
		# A file may stay open for hours: the wait must not be a
		# hung task (the runner fails on the detector's report).
		hung=$(cat /proc/sys/kernel/hung_task_timeout_secs)
		every=$(cat /proc/sys/kernel/hung_task_check_interval_secs)
		echo 5 >/proc/sys/kernel/hung_task_timeout_secs
		echo 2 >/proc/sys/kernel/hung_task_check_interval_secs
		sleep 12
		echo "$hung" >/proc/sys/kernel/hung_task_timeout_secs
		echo "$every" >/proc/sys/kernel/hung_task_check_interval_secs
		expect "holder closed cleanly" hold_release
		expect "holder saw ENODEV" grep -q "^query ENODEV" "$hold_log"
		for i in $(seq 50); do
			kill -0 "$rm_pid" 2>/dev/null || break
			sleep 0.1
		done
		expect "rmmod finished after the close" \
			not_running "$rm_pid"
		wait "$rm_pid"
		expect "rmmod succeeded" test $? -eq 0
	elif wait "$rm_pid"; then
		diag "rmmod dojo_emu succeeded with the file open"
		expect "nodes gone" wait_nodes 0
		expect "holder closed cleanly" hold_release
		expect "holder saw ENODEV" grep -q "^query ENODEV" "$hold_log"
	else
		diag "rmmod dojo_emu refused with the file open"
		expect "dojo_emu still loaded" module_loaded dojo_emu
		expect "nodes still there" wait_nodes 2
		expect "holder closed cleanly" hold_release
		expect "holder's query worked" grep -q "^query ok" "$hold_log"
	fi
else
	hold_release
fi
expect "driver refcount 0 after close" test "$(module_refcnt dojo)" = 0
expect "unload" dojo_unload
expect "both modules gone" fails dojo_loaded
case_end

# Unloading the driver under an open file is refused and harms nothing:
# the file keeps working, and the unload works once it is closed.
case_begin "rmmod dojo refused while open"
expect "dojo_load 1" dojo_load 1
expect "one node" wait_nodes 1
if expect "holder ready" hold_start /dev/accel/accel0 ok; then
	expect "driver refcount is held" test "$(module_refcnt dojo)" -ge 1
	expect "rmmod dojo refused" fails rmmod dojo
	expect "dojo still loaded" module_loaded dojo
	expect "node still there" wait_nodes 1
fi
expect "holder's query still worked and close was clean" hold_release
expect "driver refcount 0 after close" test "$(module_refcnt dojo)" = 0
expect "unload" dojo_unload
case_end

ktap_finish
