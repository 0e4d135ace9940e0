#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# klog_apart: the runner tells the DRM core's drm_syncobj_array_find()
# warning apart from the driver's reports (tests/lib.sh), and only that.
# The reports in klog/ are real ones, from Debian's kernel (DRM as
# modules) and from the project's debug kernel (DRM built in, a release
# name that contains "dojo"). Variations of them that pass through the
# driver, or that are not that warning, must stay with the other lines.
# Needs no module.

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"

DATA=$KTEST_DIR/klog

ktap_plan 6

# Lines of the report on stdin that klog_apart / klog_without_apart print.
apart_lines() { klog_apart | wc -l; }
rest_lines() { klog_without_apart | wc -l; }

# The whole report goes apart, and nothing of it stays.
all_apart()
{
	local f=$1 n

	n=$(wc -l <"$f")
	[ "$(apart_lines <"$f")" -eq "$n" ] && [ "$(rest_lines <"$f")" -eq 0 ]
}

# Nothing goes apart.
none_apart()
{
	[ "$("$@" | apart_lines)" -eq 0 ]
}

for k in debian debug; do
	case_begin "the $k kernel's syncobj warning is told apart"
	expect "every line apart" all_apart "$DATA/syncobj-warn-$k.txt"
	case_end
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

case_begin "a driver frame in the call chain keeps the report"
sed 's/^\(\[[^]]*\] *\)drm_syncobj_wait_ioctl+/\1dojo_submit_ioctl+0x10\/0x20 [dojo]\n&/' \
	"$DATA/syncobj-warn-debug.txt" >"$tmp/dojo-frame.txt"
expect "the fixture has the frame" grep -q dojo_submit_ioctl "$tmp/dojo-frame.txt"
expect "not apart" none_apart cat "$tmp/dojo-frame.txt"
case_end

case_begin "another warning site keeps the report"
expect "not apart" none_apart \
	sed 's/drm_syncobj_array_find/drm_syncobj_find_fence/' "$DATA/syncobj-warn-debian.txt"
case_end

case_begin "an interleaved line keeps the report"
sed '5a [   81.4] dojo.emu dojo_emu.dip.0: [drm] *ERROR* something else' \
	"$DATA/syncobj-warn-debian.txt" >"$tmp/interleaved.txt"
expect "not apart" none_apart cat "$tmp/interleaved.txt"
case_end

case_begin "lines around the report stay"
{
	echo "[    1.0] before"
	cat "$DATA/syncobj-warn-debug.txt"
	echo "[    2.0] after"
} >"$tmp/around.txt"
expect "the report apart" test "$(apart_lines <"$tmp/around.txt")" -eq \
	"$(wc -l <"$DATA/syncobj-warn-debug.txt")"
expect "the other two lines stay" test "$(rest_lines <"$tmp/around.txt")" -eq 2
case_end

ktap_finish
