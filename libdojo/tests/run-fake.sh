#!/bin/bash
# SPDX-License-Identifier: MIT
# Run test_libdojo against a fake sysfs tree (make -C libdojo check).
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../../tests/dojoctl/fakesys.inc"
S=$(mktemp -d)
trap 'rm -rf "$S"' EXIT
fake_accel "$S" 0 ivpu
fake_dip "$S" 2 DJ2 dojo_emu2 dojo.emu
fake_dip "$S" 10 DJ10 0000:0a:00.0
fake_pci "$S" 10 3 8
DOJO_SYSFS_ROOT=$S "$HERE/test_libdojo" fake
