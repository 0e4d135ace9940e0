#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build dojo.ko and dojo_emu.ko against a kernel made by
# scripts/build-debug-kernel.sh, and print the directory that holds them
# (driver/dojo.ko, driver/emu/dojo_emu.ko under it).
#
# Usage: scripts/build-debug-modules.sh <kernel dir>
#
# Kbuild builds an external module inside its source tree (M=), which
# already holds the build for Debian's kernel: the module sources are
# copied to $DOJO_CACHE/debug-modules/<kernel>/ and built there instead.
# The copy keeps the sources' dates, so a rebuild recompiles only what
# changed.

set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

kdir=${1:?usage: build-debug-modules.sh <kernel dir>}
kdir=$(realpath "$kdir")
if [ ! -f "$kdir/.done" ] || [ ! -f "$kdir/build/Makefile" ]; then
	echo "build-debug-modules: $kdir is not a finished kernel build" >&2
	exit 1
fi

dst=$CACHE/debug-modules/${kdir##*/}
copy_module_sources "$dst"
echo "build-debug-modules: building in $dst against $(cat "$kdir/release")" >&2
nice -n 10 make -C "$kdir/build" M="$dst" -j"$(nproc)" modules >&2
for ko in driver/dojo.ko driver/emu/dojo_emu.ko; do
	[ -f "$dst/$ko" ] || { echo "build-debug-modules: $dst/$ko was not built" >&2; exit 1; }
done
echo "$dst"
