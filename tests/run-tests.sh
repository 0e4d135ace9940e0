#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# dojo test runner.  Runs inside the test VM as root (see tests/vm/), e.g.
#     tests/vm/run-in-vm.sh tests/run-tests.sh [NAME...]
#
# Runs, in sorted order, every test under tests/kernel and tests/dojoctl:
#   - *.sh scripts (they load the modules themselves through tests/lib.sh);
#   - kselftest-harness C programs (an executable X built from X.c that
#     includes kselftest_harness.h), unless a wrapper X.sh exists; the
#     runner loads dojo with two emulated DIPs for them first.
# Other executables there (programs the tests run) are not tests.
#
# Each test starts with the dojo modules unloaded and has them unloaded
# after it; a test passes only if it exits 0, the modules unload, and the
# kernel log it caused has no warning, BUG, oops, KFENCE or slab report,
# hung task, call trace or leak message.  Exit code 4 is a skip, which
# fails the run unless the test is listed in tests/vm/allowed-skips.
#
# NAME arguments restrict the run to tests whose name contains one of them.
# Output: TAP-style 'ok N name' lines and a closing 'N passed, N failed,
# N skipped'.  Test output, indented, is also kept in
# $DOJO_RESULTS/logs/<name>.log (or /tmp/dojo-tests) with the kernel log.
#
# Environment: DOJO_TEST_TIMEOUT default seconds per test (300); a test
# can set its own with a "# test-timeout: SECONDS" line in its header.

set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
. "$TOP/tests/lib.sh"

TEST_TIMEOUT=${DOJO_TEST_TIMEOUT:-300}
LOGDIR=${DOJO_RESULTS:-/tmp/dojo-tests}/logs
ALLOWED_SKIPS_FILE=$TOP/tests/vm/allowed-skips
mkdir -p "$LOGDIR"

# Kernel log lines that fail a test.  "leak" is matched in any case so that
# the driver's own leak reports count too.
BAD_KLOG='WARNING:|BUG|Oops|KFENCE|general protection|hung_task|blocked for more than|Call Trace|UBSAN|refcount_t:|[Ss]lab|[Ll][Ee][Aa][Kk]'

if [ "$(id -u)" -ne 0 ] || [ ! -d /sys/module ]; then
	echo "run-tests: run as root in the test VM: tests/vm/run-in-vm.sh $0" >&2
	exit 2
fi

is_elf()
{
	[ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]
}

# Print "kind path" for each test: the kernel interface first, then the
# tools built on it, each directory in sorted order.
discover()
{
	local dir f name

	for dir in "$TOP/tests/kernel" "$TOP/tests/dojoctl"; do
		[ -d "$dir" ] || continue
		for f in $(printf '%s\n' "$dir"/* | LC_ALL=C sort); do
			[ -f "$f" ] || continue
			name=${f##*/}
			case $name in
			lib.sh | common.sh) ;;
			*.sh) echo "sh $f" ;;
			*.*) ;;
			*)
				{ [ -x "$f" ] && is_elf "$f"; } || continue
				[ -e "$f.sh" ] && continue # its wrapper runs it
				grep -qs 'kselftest_harness.h' "$f.c" && echo "c $f"
				;;
			esac
		done
	done
}

# A test may ask for a longer timeout with a "# test-timeout: SECONDS" line
# near the top of its script (or of its .c source).
test_timeout()
{
	local src=$1 t

	[ -f "$src.c" ] && src=$src.c
	t=$(head -n 30 "$src" 2>/dev/null |
		sed -n 's/^\(#\|\/\/\| \*\) *test-timeout: *\([0-9][0-9]*\).*/\2/p' | head -n1)
	echo "${t:-$TEST_TIMEOUT}"
}

allowed_skip()
{
	[ -f "$ALLOWED_SKIPS_FILE" ] &&
		sed 's/#.*//' "$ALLOWED_SKIPS_FILE" | grep -qxF "$1"
}

selected()
{
	local pat

	[ "${#FILTERS[@]}" -eq 0 ] && return 0
	for pat in "${FILTERS[@]}"; do
		case $1 in *"$pat"*) return 0 ;; esac
	done
	return 1
}

# Run one test with a timeout, streaming its output indented, and return
# its exit status.  Whatever it left running is killed afterwards so that
# no stray process keeps a device open.
run_one()
{
	local kind=$1 path=$2 log=$3 limit=$4 pid rc

	: >"$log"
	if [ "$kind" = sh ] && [ ! -x "$path" ]; then
		set -- bash "$path"
	else
		set -- "$path"
	fi
	# timeout puts the test in a process group of its own (pgid = its pid).
	(cd "$TOP" && exec timeout -k 5 "$limit" "$@") >"$log" 2>&1 </dev/null &
	pid=$!
	tail -n +1 -s 0.2 -f --pid="$pid" "$log" 2>/dev/null | sed -u 's/^/    /'
	wait "$pid"
	rc=$?
	kill -KILL -- "-$pid" 2>/dev/null
	return "$rc"
}

FILTERS=("$@")
mapfile -t TESTS < <(discover)

echo "# dojo tests on $(uname -r), modules from $TOP"
n=0
passed=0
failed=0
skipped=0
failed_names=()

for t in "${TESTS[@]}"; do
	kind=${t%% *}
	path=${t#* }
	name=${path#"$TOP/tests/"}
	selected "$name" || continue
	n=$((n + 1))
	log=$LOGDIR/${name//\//_}.log
	why=

	echo "# [$n] $name"
	if dojo_loaded && ! dojo_unload; then
		why="modules still loaded from before"
	fi
	mark="$n $name"
	dmesg_mark "$mark"

	start=$(date +%s)
	if [ -n "$why" ]; then
		rc=1
	elif [ "$kind" = c ] && ! { dojo_load 2 && wait_for_accel 2; }; then
		why="dojo_load 2 failed"
		rc=1
	else
		limit=$(test_timeout "$path")
		run_one "$kind" "$path" "$log" "$limit"
		rc=$?
		case $rc in
		0 | 4) ;;
		124 | 137) why="timed out after ${limit}s" ;;
		*) why="exit code $rc" ;;
		esac
	fi
	secs=$(($(date +%s) - start))

	if dojo_loaded && ! dojo_unload; then
		why="${why:+$why; }modules did not unload"
		rc=1
	fi

	# Let deferred reports (KFENCE, hung tasks) reach the log first.
	sleep 0.2
	klog=$(dmesg_since "$mark")
	printf '%s\n' "$klog" >"$log.dmesg"
	# The DRM core's drm_syncobj_array_find() warning is not the driver's:
	# shown apart, never counted (see klog_apart in lib.sh).
	apart=$(printf '%s\n' "$klog" | klog_apart | grep 'WARNING:')
	if [ -n "$apart" ]; then
		echo "    # reported apart, not the driver's: the DRM core's allocation warning in drm_syncobj_array_find():"
		printf '%s\n' "$apart" | head -n 5 | sed 's/^/    #   /'
	fi
	bad=$(printf '%s\n' "$klog" | klog_without_apart | grep -E "$BAD_KLOG")
	if [ -n "$bad" ]; then
		echo "    # kernel log problems:"
		printf '%s\n' "$bad" | head -n 40 | sed 's/^/    #   /'
		why="${why:+$why; }kernel log problems"
		case $rc in 0 | 4) rc=1 ;; esac
	fi

	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok $n $name # ${secs}s"
	elif [ "$rc" -eq 4 ] && allowed_skip "$name"; then
		skipped=$((skipped + 1))
		echo "ok $n $name # SKIP"
	elif [ "$rc" -eq 4 ]; then
		failed=$((failed + 1))
		failed_names+=("$name")
		echo "not ok $n $name # skipped, but not listed in tests/vm/allowed-skips"
	else
		failed=$((failed + 1))
		failed_names+=("$name")
		echo "not ok $n $name # $why"
	fi
done

echo "1..$n"
if [ "$n" -eq 0 ]; then
	echo "# no tests found" >&2
	failed=$((failed + 1))
fi
[ "${#failed_names[@]}" -eq 0 ] || echo "# failed: ${failed_names[*]}"
if [ -n "${DOJO_RESULTS:-}" ]; then
	echo "$passed $failed $skipped" >"$DOJO_RESULTS/summary"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
