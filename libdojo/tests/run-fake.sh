#!/bin/bash
# SPDX-License-Identifier: MIT
# Run test_libdojo against a fake sysfs tree in a sysroot (make -C libdojo
# check).
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../../tests/dojoctl/fakesys.inc"
R=$(mktemp -d)
trap 'rm -rf "$R"' EXIT
S=$R/sys
fake_accel "$S" 0 ivpu
fake_dip "$S" 2 DJ2 dojo_emu2 dojo.emu
fake_dip "$S" 10 DJ10 0000:0a:00.0
fake_pci "$S" 10 3 8
"$HERE/test_libdojo" fake "$R"
