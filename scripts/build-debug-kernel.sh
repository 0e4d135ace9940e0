#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build (or reuse) a debug kernel for the test VM from Debian's
# linux-source-6.12 tarball, and print the directory that holds it.
#
# Usage: scripts/build-debug-kernel.sh [debug|kasan]     (default: debug)
#
#   debug   x86_64_defconfig + scripts/debug-kernel.config: lockdep,
#           KFENCE, kmemleak, UBSAN, DEBUG_OBJECTS, DMA-API debugging, ...
#   kasan   the same plus scripts/debug-kernel-kasan.config (KASAN)
#
# The kernel lands in $DOJO_KERNEL_CACHE/<variant>-<key>/ (default cache
# /var/cache/dojo/kernels, outside the work tree so every checkout of the
# project shares it), where <key> hashes the fragments, this script and the
# tarball's version: a machine builds each configuration once (about 30
# minutes on 2 cores) and later runs only check the stamp.  The directory
# holds:
#   vmlinuz     the kernel image (bzImage)
#   release     its release string (uname -r)
#   root/       modules_install tree: root/lib/modules/<release>/
#   build/      the O= build tree, kept for out-of-tree modules (M=)
#   .done       written last: without it the build is resumed
#
# The kernel source is unpacked once per tarball version under
# $DOJO_KERNEL_CACHE/src/ and gets one Kconfig bool of ours (see below);
# the host's /usr/src is only read.  Progress goes to stderr and the full
# build log to <dir>/build.log; stdout is the directory alone.

set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
SELF=$TOP/scripts/build-debug-kernel.sh
VARIANT=${1:-debug}
KCACHE=${DOJO_KERNEL_CACHE:-/var/cache/dojo/kernels}
TARBALL=${DOJO_KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
JOBS=${DOJO_KERNEL_JOBS:-$(nproc)}

log() { printf 'build-debug-kernel: %s\n' "$*" >&2; }
die() { printf 'build-debug-kernel: error: %s\n' "$*" >&2; exit 1; }

case $VARIANT in
debug) FRAGMENTS=("$TOP/scripts/debug-kernel.config") ;;
kasan) FRAGMENTS=("$TOP/scripts/debug-kernel.config" "$TOP/scripts/debug-kernel-kasan.config") ;;
*) die "unknown variant '$VARIANT' (debug or kasan)" ;;
esac
[ -f "$TARBALL" ] || die "$TARBALL missing (package linux-source-6.12; run 'make setup')"

# The tarball's version names the source; the package's version is exact
# and cheap to read, the file's size and date stand in without dpkg.
SRC_VERSION=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || true)
[ -n "$SRC_VERSION" ] || SRC_VERSION=$(stat -c '%s-%Y' "$TARBALL")

KEY=$( {
	cat "${FRAGMENTS[@]}" "$SELF"
	echo "$SRC_VERSION"
} | sha256sum | cut -c1-16)
OUT=$KCACHE/$VARIANT-$KEY
BUILD=$OUT/build
mkdir -p "$OUT"

# Two runs (make check and make check-kasan, two work trees) may start at
# once: one builds, the other waits and then reuses the result.
exec 9>"$OUT/.lock"
if ! flock -n 9; then
	log "another build of $OUT is running; waiting for it"
	flock 9
fi

if [ -f "$OUT/.done" ] && [ -f "$OUT/vmlinuz" ]; then
	echo "$OUT"
	exit 0
fi

# ---------------------------------------------------------------------------
# 1. Source: unpacked once per tarball version, plus our Kconfig bool
# ---------------------------------------------------------------------------
SRC=$KCACHE/src/linux-source-$(printf '%s' "$SRC_VERSION" | tr -c 'A-Za-z0-9.+-' '_')
if [ ! -f "$SRC/.dojo-unpacked" ]; then
	log "unpacking $TARBALL into $SRC"
	rm -rf "$SRC.tmp"
	mkdir -p "$SRC.tmp"
	tar -xJf "$TARBALL" -C "$SRC.tmp" --strip-components=1
	rm -rf "$SRC"
	mv "$SRC.tmp" "$SRC"
	touch "$SRC/.dojo-unpacked"
fi

# DRM_SCHED, DRM_GEM_SHMEM_HELPER, DRM_EXEC, AUXILIARY_BUS and
# WANT_DEV_COREDUMP have no prompt: only a driver's 'select' turns them on.
# dojo is out of tree, so a bool of ours stands in for its Kconfig entry.
# Written only when different, so make does not see a changed Kconfig.
kconfig_dojo=$(
	cat <<'EOF'
# Added by dojo's scripts/build-debug-kernel.sh (not part of Linux).
config DOJO_TEST_DEPS
	bool "Built-in helpers for the out-of-tree dojo driver's test kernels"
	depends on DRM && PCI && MMU
	select DRM_SCHED
	select DRM_GEM_SHMEM_HELPER
	select DRM_EXEC
	select DRM_GPUVM
	select DRM_BUDDY
	select AUXILIARY_BUS
	select WANT_DEV_COREDUMP
	help
	  Builds in the helpers dojo.ko uses, so that the test VM needs no
	  module besides dojo's own.
EOF
)
if [ "$(cat "$SRC/drivers/accel/Kconfig.dojo" 2>/dev/null)" != "$kconfig_dojo" ]; then
	printf '%s\n' "$kconfig_dojo" >"$SRC/drivers/accel/Kconfig.dojo"
fi
if ! grep -q 'Kconfig.dojo' "$SRC/drivers/accel/Kconfig"; then
	printf '\nsource "drivers/accel/Kconfig.dojo"\n' >>"$SRC/drivers/accel/Kconfig"
fi

# ---------------------------------------------------------------------------
# 2. Configuration: defconfig + fragments, checked symbol by symbol
# ---------------------------------------------------------------------------
kmake() { nice -n 10 make -C "$SRC" O="$BUILD" "$@"; }

# Each fragment line must survive olddefconfig: a symbol whose dependencies
# are missing is silently dropped, and the lane would then test less than
# it claims.
check_config()
{
	local line sym want got bad=0

	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			sym=${line%%=*}
			want=${line#*=}
			got=$(grep -m1 "^$sym=" "$BUILD/.config" | cut -d= -f2- || true)
			if [ "$got" != "$want" ]; then
				log "config: $sym is '${got:-not set}', the fragment wants '$want'"
				bad=1
			fi
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			if grep -q "^$sym=[ym]" "$BUILD/.config"; then
				log "config: $sym is set, the fragment wants it off"
				bad=1
			fi
			;;
		esac
	done < <(cat "${FRAGMENTS[@]}" | awk '
		# later fragments override earlier ones
		/^CONFIG_[A-Za-z0-9_]+=/ { s = $0; sub(/=.*/, "", s); v[s] = $0; if (!(s in o)) { o[s] = ++n; k[n] = s } }
		/^# CONFIG_[A-Za-z0-9_]+ is not set/ { s = $2; v[s] = $0; if (!(s in o)) { o[s] = ++n; k[n] = s } }
		END { for (i = 1; i <= n; i++) print v[k[i]] }')
	return $bad
}

if [ ! -f "$BUILD/.dojo-config" ]; then
	log "configuring $VARIANT kernel in $BUILD"
	mkdir -p "$BUILD"
	kmake -s x86_64_defconfig >&2
	# merge_config.sh runs make in the current directory: the source.
	(cd "$SRC" && ./scripts/kconfig/merge_config.sh -m -O "$BUILD" \
		"$BUILD/.config" "${FRAGMENTS[@]}" >"$BUILD/merge.log" 2>&1) ||
		{ cat "$BUILD/merge.log" >&2; die "merge_config.sh failed"; }
	kmake -s olddefconfig >&2
	check_config || die "the kernel configuration lacks what the fragments require (see above)"
	touch "$BUILD/.dojo-config"
fi

# ---------------------------------------------------------------------------
# 3. Build and install the modules (resumes where an interrupted build
#    stopped: make only redoes what is missing)
# ---------------------------------------------------------------------------
log "building the $VARIANT kernel in $BUILD with $JOBS jobs (log: $OUT/build.log)"
start=$(date +%s)
if ! kmake -j"$JOBS" bzImage modules >"$OUT/build.log" 2>&1; then
	tail -n 40 "$OUT/build.log" >&2
	die "kernel build failed (log: $OUT/build.log)"
fi
RELEASE=$(kmake -s kernelrelease)
rm -rf "$OUT/root"
kmake -s modules_install INSTALL_MOD_PATH="$OUT/root" INSTALL_MOD_STRIP=1 >>"$OUT/build.log" 2>&1 ||
	die "modules_install failed (log: $OUT/build.log)"
# modules_install points build/ at the O= tree, as a distribution's
# headers package would: 'make -C root/lib/modules/<release>/build M=...'.
cp "$BUILD/arch/x86/boot/bzImage" "$OUT/vmlinuz"
echo "$RELEASE" >"$OUT/release"
touch "$OUT/.done"
log "built $RELEASE in $(($(date +%s) - start))s: $OUT"
echo "$OUT"
