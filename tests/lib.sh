# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Shell functions for dojo's tests.  Sourced (not executed) by the tests,
# which run as root inside the test VM (tests/vm/run-in-vm.sh):
#
#   TOP                      repository root
#   DOJO_KO, DOJO_EMU_KO     the freshly built modules
#   dojo_load [N [P=V...]]   load drm & co, dojo.ko, then dojo_emu.ko devices=N
#                            (N defaults to 2) and the module parameters P=V
#   dojo_unload              unload dojo_emu and dojo, whatever is loaded
#   dojo_loaded              succeeds if dojo or dojo_emu is loaded
#   debug_kernel             succeeds on the project's debug kernels
#                            (scripts/build-debug-kernel.sh: lockdep & co)
#   emu_new_device ID        create an emulated DIP (/sys/bus/dojo_emu/new_device)
#   emu_del_device ID        remove it again (del_device)
#   wait_for_accel COUNT [S] wait up to S seconds (10) for exactly COUNT
#                            /dev/accel/accel* nodes
#   accel_count              number of /dev/accel/accel* nodes
#   dmesg_mark NAME          write a marker line into the kernel log
#   dmesg_since NAME         print the kernel log after that marker
#   log / fail / skip        messages; fail exits 1, skip exits 4
#   assert_eq A B [MSG]      fail unless A = B
#   assert_ne A B [MSG]      fail if A = B
#   assert_file F            fail unless F exists
#   assert_no_file F         fail if F exists
#   assert_cmd CMD...        fail unless CMD succeeds
#   assert_cmd_fails CMD...  fail if CMD succeeds
#
# Exit codes follow kselftest: 0 pass, 1 fail, 4 skip.

if [ -z "${TOP:-}" ]; then
	TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fi
DOJO_KO=${DOJO_KO:-$TOP/driver/dojo.ko}
DOJO_EMU_KO=${DOJO_EMU_KO:-$TOP/driver/emu/dojo_emu.ko}
EMU_SYSFS=/sys/bus/dojo_emu
# shellcheck disable=SC2034 # for the tests that source this
KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

log()
{
	echo "# $*"
}

fail()
{
	echo "# FAIL: $*" >&2
	exit "$KSFT_FAIL"
}

skip()
{
	echo "# SKIP: $*"
	exit "$KSFT_SKIP"
}

# The guest's /lib/modules/<kver> points at the cached Debian modules; when
# it is missing (e.g. a read-only root), modprobe is told where they are.
_dojo_modprobe()
{
	if [ -e "/lib/modules/$(uname -r)/modules.dep" ] || [ -z "${DOJO_KROOT:-}" ]; then
		modprobe "$@"
	else
		modprobe -d "$DOJO_KROOT" "$@"
	fi
}

# Load the in-kernel modules a .ko needs (modinfo's depends: field), since
# insmod of an out-of-tree module does not resolve them.
_dojo_load_deps()
{
	local deps dep

	deps=$(modinfo -F depends "$1" 2>/dev/null) || return 1
	for dep in ${deps//,/ }; do
		case $dep in
		dojo | dojo_emu) continue ;;
		esac
		[ -d "/sys/module/$dep" ] && continue
		_dojo_modprobe "$dep" || {
			echo "# modprobe $dep (needed by ${1##*/}) failed" >&2
			return 1
		}
	done
}

_dojo_insmod()
{
	local ko=$1 name

	shift
	name=${ko##*/}
	name=${name%.ko}
	[ -d "/sys/module/$name" ] && return 0
	[ -f "$ko" ] || {
		echo "# $ko not built (make modules)" >&2
		return 1
	}
	_dojo_load_deps "$ko" || return 1
	insmod "$ko" "$@"
}

dojo_load()
{
	local n=${1:-2}

	[ $# -eq 0 ] || shift
	_dojo_insmod "$DOJO_KO" || return 1
	_dojo_insmod "$DOJO_EMU_KO" "devices=$n" "$@" || return 1
}

dojo_loaded()
{
	[ -d /sys/module/dojo ] || [ -d /sys/module/dojo_emu ]
}

# Only the project's debug kernels have lockdep (Debian's has none).
debug_kernel()
{
	[ -e /proc/lockdep ]
}

# Emulated devices go first so the driver sees ordinary removals.
dojo_unload()
{
	local m rc=0

	for m in dojo_emu dojo; do
		if [ -d "/sys/module/$m" ]; then
			rmmod "$m" || rc=1
		fi
	done
	return $rc
}

emu_new_device()
{
	echo "$*" >"$EMU_SYSFS/new_device"
}

emu_del_device()
{
	echo "$1" >"$EMU_SYSFS/del_device"
}

accel_count()
{
	local n=0 f

	for f in /dev/accel/accel*; do
		[ -e "$f" ] && n=$((n + 1))
	done
	echo "$n"
}

wait_for_accel()
{
	local want=$1 secs=${2:-10} i

	for ((i = 0; i < secs * 10; i++)); do
		[ "$(accel_count)" -eq "$want" ] && return 0
		sleep 0.1
	done
	echo "# expected $want accel nodes, found $(accel_count)" >&2
	return 1
}

dmesg_mark()
{
	echo "dojo-test-mark: $1" >/dev/kmsg
}

# Everything logged after the last marker NAME.
dmesg_since()
{
	dmesg | awk -v m="dojo-test-mark: $1" '
		substr($0, length($0) - length(m) + 1) == m { found = 1; n = 0; next }
		found { line[n++] = $0 }
		END { for (i = 0; i < n; i++) print line[i] }'
}

assert_eq()
{
	[ "$1" = "$2" ] || fail "${3:-expected '$2', got '$1'}"
}

assert_ne()
{
	[ "$1" != "$2" ] || fail "${3:-did not expect '$2'}"
}

assert_file()
{
	[ -e "$1" ] || fail "$1 missing"
}

assert_no_file()
{
	[ ! -e "$1" ] || fail "$1 exists"
}

assert_cmd()
{
	"$@" || fail "command failed: $*"
}

assert_cmd_fails()
{
	! "$@" || fail "command succeeded: $*"
}

# The DRM core's own warning in drm_syncobj_array_find(): in 6.12 it
# allocates a user-sized array without __GFP_NOWARN, so a huge handle
# count passed to a syncobj ioctl (of any driver) makes the page allocator
# WARN once. That report is not the driver's. klog_apart prints, from a
# kernel log on stdin, the lines of each such report: a complete
# 'WARNING: ... at mm/...' block, up to its '---[ end trace ... ]---' line,
# whose every line has the shape of a WARN report, whose call chain passes
# through drm_syncobj_array_find() and in which nothing but the module list,
# the CPU line (the task's name and the kernel's release, such as the debug
# kernel's 6.12.N-dojo-debug) and stale stack entries names dojo. (Frames printed with '?' are return
# addresses left over on the stack that the unwinder shows but does not
# count as the call chain.) klog_without_apart prints every other line. A
# block that differs in anything (an interleaved line, a dojo frame in the
# chain, another warning site) stays with the other lines, as a report of
# its own.
_klog_split()
{
	awk -v want="$1" '
	function msg(l) { sub(/^\[[^]]*\] ?/, "", l); return l }
	function shape(m) {
		return m ~ /^WARNING: CPU: [0-9]+ PID: [0-9]+ at / ||
		       m ~ /^Modules linked in:/ ||
		       m ~ /^CPU: [0-9]+ (UID: [0-9]+ )?PID: [0-9]+ Comm: / ||
		       m ~ /^Tainted: / || m ~ /^Hardware name: / ||
		       m ~ /^RIP: / || m ~ /^Code: / ||
		       m ~ /^(RSP|RAX|RDX|RBP|R10|R13|FS|CS|CR2|DR0|DR3|PKRU): / ||
		       m ~ /^Call Trace:$/ ||
		       m ~ /^ *<\/?(TASK|IRQ|NMI|SOFTIRQ|EOI)>$/ ||
		       m ~ /^ *(\? )?[A-Za-z0-9_.]+\+0x[0-9a-f]+\/0x[0-9a-f]+( \[[A-Za-z0-9_]+\])?$/ ||
		       m ~ /^(irq event stamp|hardirqs last|softirqs last)/ ||
		       m ~ /^---\[ end trace [0-9a-f]+ \]---$/
	}
	function flush(apart,   i) {
		for (i = 0; i < n; i++)
			if ((want == "apart") == apart)
				print buf[i]
		n = 0; inblk = 0
	}
	{
		m = msg($0)
		if (inblk && (!shape(m) || m ~ /^WARNING: /))
			flush(0)
		if (!inblk && m ~ /^WARNING: CPU: [0-9]+ PID: [0-9]+ at mm\//) {
			inblk = 1; n = 0; syncobj = 0; dojo = 0
		}
		if (!inblk) {
			if (want != "apart")
				print
			next
		}
		buf[n++] = $0
		if (m ~ /^ *drm_syncobj_array_find\+/)
			syncobj = 1
		if (m ~ /dojo/ && m !~ /^(Modules linked in|CPU: [0-9]+ )/ &&
		    m !~ /^ *\? /)
			dojo = 1
		if (m ~ /^---\[ end trace /)
			flush(syncobj && !dojo)
		else if (n > 200)
			flush(0)
	}
	END { if (inblk) flush(0) }'
}

klog_apart()
{
	_klog_split apart
}

klog_without_apart()
{
	_klog_split rest
}
