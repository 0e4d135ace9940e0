# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Common settings for the host-side scripts: where the cache, the kernel
# headers and the kselftest/checkpatch sources are.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${DOJO_CACHE:-$TOP/.cache}
KROOT=$CACHE/kernel/root
# shellcheck disable=SC2034 # used by the scripts that source this
KSRC=$CACHE/ksrc

if [ -n "${DOJO_KVER:-}" ]; then
	KVER=$DOJO_KVER
elif [ -f "$CACHE/kernel/KVER" ]; then
	KVER=$(cat "$CACHE/kernel/KVER")
else
	echo "${0##*/}: no kernel in $CACHE; run 'make setup' first" >&2
	exit 2
fi
KDIR=${KDIR:-$KROOT/usr/src/linux-headers-$KVER}

# Copy the kernel-module sources (not their build products) to $1, so a
# check can build from scratch without disturbing the tree's own build.
copy_module_sources()
{
	local dst=$1 item items=()

	mkdir -p "$dst"
	for item in Kbuild VERSION dkms.conf driver uapi include; do
		[ -e "$TOP/$item" ] && items+=("$item")
	done
	tar -C "$TOP" -cf - \
		--exclude='*.o' --exclude='*.ko' --exclude='*.ko.*' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude='.*.d' \
		--exclude='modules.order' --exclude='Module.symvers' \
		--exclude='.tmp_versions' --exclude='*.a' \
		"${items[@]}" | tar -C "$dst" -xf -
}
