#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the modules the way DKMS does on a user's machine (dkms add +
# dkms build for the cached Debian kernel), in private DKMS, source and
# install trees so that the host's /var/lib/dkms and /usr/src stay
# untouched.  Module signing is exercised with a throw-away key when the
# cached kbuild provides sign-file.

set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

conf=$TOP/dkms.conf
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"/\1/p' "$conf")
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$conf")
if [ -z "$name" ] || [ -z "$version" ]; then
	echo "dkms-check: cannot parse $conf"
	exit 1
fi
if [ "$version" != "$(cat "$TOP/VERSION")" ]; then
	echo "dkms-check: dkms.conf's PACKAGE_VERSION $version is not VERSION's $(cat "$TOP/VERSION")"
	exit 1
fi
if grep -q 'uname' "$conf"; then
	echo "dkms-check: dkms.conf must use \${kernelver}, not uname"
	exit 1
fi

# A private work area per run (several checks may run at once); dkms.log
# and the build's make.log are kept in .cache/ when something fails.
mkdir -p "$CACHE"
work=$(mktemp -d "$CACHE/dkms.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tree" "$work/source" "$work/install"
copy_module_sources "$work/source/$name-$version"

dkms_args=(--dkmstree "$work/tree" --sourcetree "$work/source" --installtree "$work/install")

# dkms reads its signing settings from the environment when
# /etc/dkms/framework.conf leaves them unset; point them into the private
# tree so no key is created under /var/lib/dkms.
kbuild=$(ls -d "$KROOT"/usr/lib/linux-kbuild-* 2>/dev/null | head -n1)
if [ -x "$kbuild/scripts/sign-file" ]; then
	export sign_file=$kbuild/scripts/sign-file
else
	export sign_file=$work/no-sign-file
fi
export mok_signing_key=$work/mok.key mok_certificate=$work/mok.pub

log=$work/dkms.log
status=0
{
	dkms add -m "$name" -v "$version" "${dkms_args[@]}" &&
		dkms build -m "$name" -v "$version" -k "$KVER" \
			--kernelsourcedir "$KDIR" "${dkms_args[@]}" &&
		dkms status -m "$name" "${dkms_args[@]}"
} >"$log" 2>&1 || status=$?
sed 's/^/  /' "$log"
cp "$log" "$CACHE/dkms.log"
if [ "$status" -ne 0 ]; then
	make_log=$work/tree/$name/$version/build/make.log
	if [ -f "$make_log" ]; then
		cp "$make_log" "$CACHE/dkms-make.log"
		tail -n 30 "$make_log" | sed 's/^/  make.log: /'
	fi
	echo "dkms-check: dkms failed ($status; logs: $CACHE/dkms*.log)"
	exit 1
fi

# Both modules built for the right kernel?
moddir=$work/tree/$name/$version/$KVER/x86_64/module
for m in dojo dojo_emu; do
	ko=$(ls "$moddir/$m.ko"* 2>/dev/null | head -n1)
	if [ -z "$ko" ]; then
		echo "dkms-check: $m.ko missing from $moddir"
		exit 1
	fi
	vermagic=$(modinfo -F vermagic "$ko")
	case $vermagic in
	"$KVER "*) ;;
	*)
		echo "dkms-check: $m vermagic '$vermagic' is not for $KVER"
		exit 1
		;;
	esac
	signer=$(modinfo -F signer "$ko" 2>/dev/null || true)
	echo "dkms-check: ${ko##*/} built for $KVER${signer:+, signed by '$signer'}"
done
if [ -e "/var/lib/dkms/$name" ]; then
	echo "dkms-check: note: /var/lib/dkms/$name exists (not created by this check)"
fi
echo "dkms-check: ok"
