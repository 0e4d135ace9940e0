#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# zplane_test: remote DMA between six emulated DIPs over TTPoE on real
# network interfaces. Cabling: dojo_emu0 and dojo_emu1 on the two ends of
# the veth pair zpa/zpb; dojo_emu2..5 on ports of the bridge zpbr (the
# switch), each through a veth pair zpN/zpNbr.
# test-timeout: 2400

# shellcheck source=job_tests.inc
. "$(dirname "$0")/job_tests.inc"
# shellcheck source=zplane.inc
. "$(dirname "$0")/zplane.inc"

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
zp_net_up || exit 1
# 64 MiB transfers land in one card's HBM: more backing than the default.
# One 64 MiB remote copy is one job, which on a debug kernel's emulated
# cards outlasts the default job timeout (2 s, 40 s emulated): 10 s here.
job_test_run zplane_test 6 "job_timeout_ms=10000" "hbm_backing_mb=200" "$@"
rc=$?
zp_net_down
exit $rc
