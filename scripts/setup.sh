#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One idempotent set-up step for building and testing dojo on Debian 12.
#
#  1. installs the build and test tools with apt (skipped when all present);
#  2. fetches Debian's 6.12 kernel image + headers into .cache/kernel and
#     unpacks them there WITHOUT installing them, so the host's boot is left
#     alone (installing the headers package would pull in the image and make
#     a real host boot it by default);
#  3. extracts the kselftest harness and checkpatch from linux-source-6.12
#     into .cache/ksrc;
#  4. builds the test VM's initramfs into .cache/vm.
#
# Re-running it is a quick no-op.  Environment:
#   DOJO_KVER=6.12.N+deb12-amd64   use this kernel instead of the newest one
#   DOJO_CACHE=<dir>               cache location (default <repo>/.cache)

set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${DOJO_CACHE:-$TOP/.cache}
export DEBIAN_FRONTEND=noninteractive

log() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (apt-get, dpkg -x, depmod)"

# apt-get update is slow, so run it at most once per set-up, and only when
# something is actually missing from the package lists.
APT_UPDATED=0
apt_update_once() {
	[ "$APT_UPDATED" -eq 1 ] && return 0
	log "apt-get update"
	apt-get update -qq >&2
	APT_UPDATED=1
}

# ---------------------------------------------------------------------------
# 1. Host packages
# ---------------------------------------------------------------------------
PACKAGES=(
	# build (the same set builds the debug kernels, scripts/build-debug-kernel.sh)
	gcc gcc-12 make bc flex bison libelf-dev libssl-dev pkgconf
	# pahole: Debian's kernel builds BTF for every module
	dwarves
	# userspace libraries used by libdojo / dojoctl
	libdrm-dev libpci-dev libsmartcols-dev libjson-c-dev zlib1g-dev
	# pci.ids: the names dojoctl info looks up through libpci
	pci.ids
	# memory checks of libdojo's host-side tests
	valgrind
	# static checks and DKMS
	sparse dkms perl
	# kernel sources for the kselftest harness and checkpatch
	linux-source-6.12 xz-utils
	# test VM (lm-sensors: the VM runs the host's sensors against the cards)
	qemu-system-x86 busybox-static kmod cpio lm-sensors
	# tools the scripts use (openssl: DKMS signing key for the DKMS check)
	python3 coreutils util-linux findutils file openssl
	# the Z-plane tests cable emulated DIPs with veth pairs and bridges
	iproute2
	# dojoctl's tests: JSON Schema validation, promtool (in prometheus),
	# man pages rendered by man -l
	python3-jsonschema prometheus man-db groff-base
)

# One dpkg-query for all: prints the packages not fully installed.
missing_packages() {
	local p
	local -A ok=()
	while read -r p; do
		ok[$p]=1
	done < <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${PACKAGES[@]}" 2>/dev/null |
		awk '$1 == "ii" { print $2 }')
	for p in "${PACKAGES[@]}"; do
		[ -n "${ok[$p]:-}" ] || printf '%s\n' "$p"
	done
}

mapfile -t MISSING < <(missing_packages)
if [ "${#MISSING[@]}" -gt 0 ]; then
	log "installing: ${MISSING[*]}"
	apt_update_once
	apt-get install -y -qq --no-install-recommends "${MISSING[@]}" >&2
fi

# ---------------------------------------------------------------------------
# 2. Kernel image + headers, unpacked into the cache
# ---------------------------------------------------------------------------
KCACHE=$CACHE/kernel
KROOT=$KCACHE/root

# A package is "offered" when apt has an installation candidate for it.
apt_offers() {
	local cand
	cand=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }')
	[ -n "$cand" ] && [ "$cand" != "(none)" ]
}

# Newest 6.12.N+deb12-amd64 for which apt offers both image and headers.
# Security updates move N and drop old ones, so it is never hardcoded.
pick_kver() {
	local v
	apt-cache pkgnames linux-image-6.12. 2>/dev/null |
		sed -n 's/^linux-image-\(6\.12\.[0-9]*+deb12-amd64\)$/\1/p' |
		sort -rV |
		while read -r v; do
			if apt_offers "linux-image-$v" && apt_offers "linux-headers-$v"; then
				echo "$v"
				break
			fi
		done
}

kernel_complete() {
	local k=$1
	[ -f "$KCACHE/.done-$k" ] &&
		[ -f "$KROOT/boot/vmlinuz-$k" ] &&
		[ -f "$KROOT/usr/src/linux-headers-$k/Makefile" ] &&
		[ -f "$KROOT/lib/modules/$k/modules.dep" ]
}

KVER=${DOJO_KVER:-}
if [ -z "$KVER" ] && [ -f "$KCACHE/KVER" ] && kernel_complete "$(cat "$KCACHE/KVER")"; then
	# Keep using what the cache already holds: stable and offline.
	KVER=$(cat "$KCACHE/KVER")
fi
if [ -z "$KVER" ]; then
	KVER=$(pick_kver)
	if [ -z "$KVER" ]; then
		apt_update_once
		KVER=$(pick_kver)
	fi
	[ -n "$KVER" ] || die "apt offers no linux-image/linux-headers-6.12.N+deb12-amd64 pair"
fi
case $KVER in
*-amd64) ;;
*) die "DOJO_KVER must look like 6.12.N+deb12-amd64, got '$KVER'" ;;
esac
KBASE=${KVER%-amd64} # 6.12.N+deb12: names the -common and kbuild packages

if ! kernel_complete "$KVER"; then
	log "fetching kernel $KVER into $KCACHE (not installing it)"
	DEBS=$KCACHE/debs
	mkdir -p "$DEBS"
	pkgs=(
		"linux-image-$KVER"
		"linux-headers-$KVER"
		"linux-headers-$KBASE-common"
		"linux-kbuild-$KBASE"
	)
	need=()
	for p in "${pkgs[@]}"; do
		compgen -G "$DEBS/${p}_*.deb" >/dev/null || need+=("$p")
	done
	if [ "${#need[@]}" -gt 0 ]; then
		# apt-get download writes to the current directory; running it
		# as root into a root-owned directory is fine, so skip the
		# _apt sandbox that could not write there.
		if ! (cd "$DEBS" && apt-get download -qq -o APT::Sandbox::User=root "${need[@]}" >&2); then
			apt_update_once
			(cd "$DEBS" && apt-get download -qq -o APT::Sandbox::User=root "${need[@]}" >&2)
		fi
	fi

	rm -rf "$KROOT"
	mkdir -p "$KROOT"
	for p in "${pkgs[@]}"; do
		# Several versions may lie in debs/: take the newest of each.
		deb=$(ls -1 "$DEBS/${p}"_*.deb | sort -V | tail -n1)
		dpkg -x "$deb" "$KROOT"
	done

	# The headers' Makefile includes the -common tree by absolute path
	# (/usr/src/...), which does not exist on this host: point it at the
	# cache.  Its scripts/ and tools/ links are relative
	# (../../lib/linux-kbuild-...) and resolve inside the cache as they are.
	HDR=$KROOT/usr/src/linux-headers-$KVER
	sed -i "s|^include /usr/src/|include $KROOT/usr/src/|" "$HDR/Makefile"
	if grep -rqs '^include /usr/src/' "$HDR/Makefile"; then
		die "could not relocate $HDR/Makefile"
	fi

	# build/source links under lib/modules are absolute too; tools that
	# follow them (dkms, external builds) get the cached trees.
	ln -sfn "$HDR" "$KROOT/lib/modules/$KVER/build"
	ln -sfn "$KROOT/usr/src/linux-headers-$KBASE-common" "$KROOT/lib/modules/$KVER/source"

	# The image package ships no modules.dep (its postinst makes it): make
	# one so that modprobe in the guest resolves drm and friends.
	depmod -b "$KROOT" "$KVER"

	touch "$KCACHE/.done-$KVER"
fi
echo "$KVER" >"$KCACHE/KVER.tmp"
mv "$KCACHE/KVER.tmp" "$KCACHE/KVER"

# ---------------------------------------------------------------------------
# 3. kselftest harness and checkpatch from the kernel source tarball
# ---------------------------------------------------------------------------
KSRC=$CACHE/ksrc
KSRC_TAR=/usr/src/linux-source-6.12.tar.xz
KSRC_MEMBERS=(
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest.h
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
)
ksrc_complete() {
	local m
	for m in "${KSRC_MEMBERS[@]}"; do
		[ -f "$KSRC/$m" ] || return 1
	done
}
if ! ksrc_complete; then
	log "extracting kselftest harness and checkpatch from $KSRC_TAR"
	[ -f "$KSRC_TAR" ] || die "$KSRC_TAR missing (package linux-source-6.12)"
	rm -rf "$KSRC.tmp"
	mkdir -p "$KSRC.tmp"
	# Naming the members avoids unpacking the whole 1.5 GB tree.
	tar -xJf "$KSRC_TAR" -C "$KSRC.tmp" --strip-components=1 \
		"${KSRC_MEMBERS[@]/#/linux-source-6.12/}"
	rm -rf "$KSRC"
	mv "$KSRC.tmp" "$KSRC"
fi

# ---------------------------------------------------------------------------
# 4. Test VM initramfs
# ---------------------------------------------------------------------------
DOJO_CACHE=$CACHE "$TOP/tests/vm/mkinitramfs.sh" "$KVER"

log "ready: kernel $KVER, headers $KROOT/usr/src/linux-headers-$KVER"
