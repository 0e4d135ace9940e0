#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# fuzz_test: the uAPI fuzzer (fuzz_test.c, fuzz_ops.c) on two emulated DIPs,
# then the leak checks. Fails on an invariant the fuzzer saw broken, a
# crashed or stuck fuzzer process, a kernel report (the runner checks the
# kernel log too), or a leak:
#   - every card's HBM and host accounting back to zero (QUERY_MEMORY and
#     sysfs hbm_used_bytes);
#   - no file, mapping or dma-buf left on the driver: dojo's module
#     reference count 0 and the system's dma-buf count back where it was;
#   - kmemleak (if the kernel has it): no unreferenced object allocated by
#     dojo or dojo_emu, nor by code that was unloaded;
#   - the modules unload, and the scheduler fences they made are freed.
# The last line reads 'fuzz: N operations, N kernel reports, ..., seed 0x...'.
#
# test-timeout: 1500
#
# Environment (tests/vm/run-in-vm.sh forwards DOJO_FUZZ_* into the VM):
#   DOJO_FUZZ_OPS    operations, all processes together (default 600000,
#                    about 4 minutes in the TCG test VM)
#   DOJO_FUZZ_PROCS  worker processes (default 2)
#   DOJO_FUZZ_SEED   seed (default random; printed, for replays)
#   DOJO_FUZZ_SECS   stop after this many seconds whatever the count
#                    (default 1200)
#   DOJO_FUZZ_ARGS   more options for fuzz_test (--stop-on-report, ...)

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"

OPS=${DOJO_FUZZ_OPS:-600000}
PROCS=${DOJO_FUZZ_PROCS:-2}
SECS=${DOJO_FUZZ_SECS:-1200}
FUZZ=$KTEST_DIR/fuzz_test
KMEMLEAK=/sys/kernel/debug/kmemleak
BUFINFO=/sys/kernel/debug/dma_buf/bufinfo
# Kernel log lines that start a report (the runner's BAD_KLOG matches more
# lines of each report).
REPORT_START='WARNING: CPU|BUG[: ]|general protection|blocked for more than|UBSAN:|refcount_t:|[Ll]eak'
BAD_KLOG='WARNING:|BUG|Oops|KFENCE|general protection|hung_task|blocked for more than|Call Trace|UBSAN|refcount_t:|[Ss]lab|[Ll][Ee][Aa][Kk]'

[ -x "$FUZZ" ] || { echo "Bail out! $FUZZ not built (make -C tests)"; exit 1; }
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
if dojo_loaded; then
	dojo_unload || { echo "Bail out! dojo modules loaded and stuck"; exit 1; }
fi

leaks=0
leak()
{
	echo "# LEAK: $*"
	leaks=$((leaks + 1))
}

dmabuf_count()
{
	local n

	[ -r "$BUFINFO" ] || { echo -1; return; }
	n=$(sed -n 's/^Total \([0-9]*\) objects.*/\1/p' "$BUFINFO")
	echo "${n:-0}"
}

sched_fences()
{
	awk '$1 == "drm_sched_fence" { print $2; found = 1 } END { if (!found) print -1 }' \
		/proc/slabinfo 2>/dev/null
}

# kmemleak's report blocks (one per unreferenced object) matching $1.
kmemleak_blocks()
{
	awk -v pat="$1" '
		/^unreferenced object/ { if (blk ~ pat) printf "%s", blk; blk = "" }
		{ blk = blk $0 "\n" }
		END { if (blk ~ pat) printf "%s", blk }' "$KMEMLEAK"
}

kmemleak_scan()
{
	[ -w "$KMEMLEAK" ] || return 0
	# Objects younger than 5 s are never reported; two scans settle.
	sleep 6
	echo scan >"$KMEMLEAK"
	echo scan >"$KMEMLEAK"
}

# Report tasks blocked for 30 s (the kernel's default is 120 s).
HUNG=/proc/sys/kernel/hung_task_timeout_secs
hung_before=
if [ -w "$HUNG" ]; then
	hung_before=$(cat "$HUNG")
	echo 30 >"$HUNG"
fi

mark="fuzz_test $$"
dmesg_mark "$mark"
dmabufs_before=$(dmabuf_count)
[ -w "$KMEMLEAK" ] && echo clear >"$KMEMLEAK"

# A short job timeout (100 ms, 2 s once scaled for the emulated card) keeps
# the hung-queue faults short; more HBM backing per card than the default,
# so that the model's limit stays rare.
if ! _dojo_insmod "$DOJO_KO" job_timeout_ms=100 ||
   ! _dojo_insmod "$DOJO_EMU_KO" devices=2 hbm_backing_mb=128 ||
   ! wait_nodes 2; then
	echo "Bail out! loading dojo and dojo_emu failed"
	dojo_unload
	exit 1
fi
fences_before=$(sched_fences)

summary=$(mktemp /tmp/fuzz-summary.XXXXXX)
args=(--ops "$OPS" --procs "$PROCS" --max-seconds "$SECS" --summary "$summary")
[ -n "${DOJO_FUZZ_SEED:-}" ] && args+=(--seed "$DOJO_FUZZ_SEED")
# shellcheck disable=SC2206 # split on purpose
[ -n "${DOJO_FUZZ_ARGS:-}" ] && args+=($DOJO_FUZZ_ARGS)
echo "# fuzz_test ${args[*]}"
"$FUZZ" "${args[@]}"
rc=$?

ops=0 invariants=0 seed=? stopped=0 hung=0 seconds=0
if [ -s "$summary" ]; then
	# shellcheck disable=SC1090
	. "$summary"
else
	echo "# the fuzzer left no summary (exit $rc)"
	rc=1
fi
rm -f "$summary"

# ---- leaks -----------------------------------------------------------------
if "$FUZZ" --check-idle 15000; then
	echo "# HBM and host accounting back to zero on every card"
else
	leak "HBM or host accounting not back to zero"
fi
for f in /sys/class/accel/accel*/device/dojo/hbm_used_bytes; do
	[ -r "$f" ] || continue
	v=$(cat "$f")
	[ "$v" = 0 ] || leak "$f is $v"
done
n=$(module_refcnt dojo)
[ "$n" = 0 ] || leak "dojo's module reference count is $n with the fuzzer gone (open files, mappings or dma-bufs)"
n=$(dmabuf_count)
if [ "$n" -ge 0 ] && [ "$dmabufs_before" -ge 0 ]; then
	[ "$n" -le "$dmabufs_before" ] || leak "$((n - dmabufs_before)) dma-bufs left"
fi
if [ -w "$KMEMLEAK" ]; then
	kmemleak_scan
	found=$(kmemleak_blocks '\\[dojo|dojo_')
	if [ -n "$found" ]; then
		leak "kmemleak: objects allocated by the dojo modules:"
		printf '%s\n' "$found" | head -n 60 | sed 's/^/#   /'
	else
		echo "# kmemleak: nothing from the dojo modules"
	fi
	echo clear >"$KMEMLEAK"
fi

if ! dojo_unload; then
	leak "the modules did not unload"
fi
if [ "$fences_before" -ge 0 ]; then
	for _ in $(seq 50); do
		[ "$(sched_fences)" -le "$fences_before" ] && break
		sleep 0.1
	done
	n=$(sched_fences)
	[ "$n" -le "$fences_before" ] ||
		leak "$((n - fences_before)) drm_sched_fence objects left after unload"
fi
if [ -w "$KMEMLEAK" ]; then
	# After the unload, leaked objects' backtraces show bare addresses of
	# the code that went away (modules live at 0xffffffffc...).
	kmemleak_scan
	found=$(kmemleak_blocks '\\[<ffffffffc[0-9a-f]*>\\] 0xffffffffc')
	if [ -n "$found" ]; then
		leak "kmemleak: objects allocated by unloaded modules:"
		printf '%s\n' "$found" | head -n 60 | sed 's/^/#   /'
	fi
fi

[ -n "$hung_before" ] && echo "$hung_before" >"$HUNG"

# ---- the kernel log ----------------------------------------------------------
klog=$(dmesg_since "$mark")
apart=$(printf '%s\n' "$klog" | klog_apart | grep -c 'WARNING:')
reports=$(printf '%s\n' "$klog" | klog_without_apart | grep -cE "$REPORT_START")
if [ "$reports" -eq 0 ] && printf '%s\n' "$klog" | klog_without_apart | grep -qE "$BAD_KLOG"; then
	reports=1
fi

note=
[ "$stopped" = 1 ] && note=" (stopped after ${seconds}s of the $OPS asked)"
[ "$apart" -gt 0 ] && note="$note, $apart DRM core syncobj warnings reported apart"
echo "fuzz: $ops operations, $reports kernel reports, $invariants invariants broken, $leaks leaks, seed $seed$note"
[ "$rc" -eq 0 ] && [ "$reports" -eq 0 ] && [ "$leaks" -eq 0 ] &&
	[ "$invariants" -eq 0 ] && [ "$hung" = 0 ]
