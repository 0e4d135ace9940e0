#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the test VM's initramfs: a static busybox, the modules needed to
# mount the host's root over virtio-9p (plus overlayfs to put a writable
# layer on top of it), and tests/vm/init as /init.  A kernel that has them
# built in (the debug kernels of scripts/build-debug-kernel.sh) gets an
# initramfs without modules.
#
# Usage: mkinitramfs.sh <kver> [<kroot>]
#   <kroot>  root of the kernel's module tree (<kroot>/lib/modules/<kver>);
#            default: Debian's kernel in $DOJO_CACHE/kernel/root
# Output: $DOJO_CACHE/vm/initramfs-<kver>.cpio.gz

set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${DOJO_CACHE:-$TOP/.cache}
KVER=${1:?usage: mkinitramfs.sh <kver> [<kroot>]}
KROOT=${2:-$CACHE/kernel/root}
OUT=$CACHE/vm/initramfs-$KVER.cpio.gz
INIT=$TOP/tests/vm/init
BUSYBOX=/bin/busybox
MODULES=(9p 9pnet_virtio overlay)

# Rebuild only when an input changed: the stamp records what went in.
stamp="$KVER $KROOT $(sha256sum "$INIT" "$0" "$BUSYBOX" | awk '{ printf "%s ", $1 }')"
if [ -f "$OUT" ] && [ "$(cat "$OUT.stamp" 2>/dev/null)" = "$stamp" ]; then
	exit 0
fi
echo "mkinitramfs: building $OUT" >&2

file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' ||
	{ echo "mkinitramfs: $BUSYBOX is not static (package busybox-static)" >&2; exit 1; }

mkdir -p "$CACHE/vm"
STAGE=$(mktemp -d "$CACHE/vm/stage.XXXXXX")
trap 'rm -rf "$STAGE" "$STAGE.cpio.gz" "$STAGE.stamp"' EXIT
mkdir -p "$STAGE"/{bin,sbin,dev,proc,sys,newroot,lower,upper,modules}

cp "$BUSYBOX" "$STAGE/bin/busybox"
for applet in $("$BUSYBOX" --list); do
	[ -e "$STAGE/bin/$applet" ] || ln -s busybox "$STAGE/bin/$applet"
done
install -m 0755 "$INIT" "$STAGE/init"

# The kernel opens /dev/console for init before devtmpfs is mounted.
mknod -m 600 "$STAGE/dev/console" c 5 1
mknod -m 666 "$STAGE/dev/null" c 1 3

# Resolve dependencies with modprobe against the cached module tree, and
# store them in load order, decompressed: busybox insmod cannot read .ko.xz.
# Built-in ones show as 'builtin NAME' and need nothing.
: >"$STAGE/modules/load-order"
modprobe -d "$KROOT" -S "$KVER" --show-depends -a "${MODULES[@]}" |
	awk '$1 == "insmod" { print $2 }' | while read -r ko; do
		name=$(basename "$ko")
		name=${name%.xz}
		[ -e "$STAGE/modules/$name" ] && continue
		case $ko in
		*.xz) xz -dc "$ko" >"$STAGE/modules/$name" ;;
		*) cp "$ko" "$STAGE/modules/$name" ;;
		esac
		echo "$name" >>"$STAGE/modules/load-order"
	done

# Write under a temporary name and rename: VMs may be starting meanwhile.
(cd "$STAGE" && find . -print0 | sort -z | cpio --null -o -H newc --quiet) | gzip -1 >"$STAGE.cpio.gz"
echo "$stamp" >"$STAGE.stamp"
mv "$STAGE.cpio.gz" "$OUT"
mv "$STAGE.stamp" "$OUT.stamp"
