#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Like run-in-vm.sh, but boots a debug kernel of the project's own
# (scripts/build-debug-kernel.sh) with dojo's modules built for it.  Builds
# the kernel first if the machine has none for this configuration (about
# 30 minutes on 2 cores, once), and the modules (seconds).
#
# Usage: tests/vm/run-in-debug-vm.sh debug|kasan <script> [args...]
#   e.g. tests/vm/run-in-debug-vm.sh debug tests/run-tests.sh lifecycle
#
# Test names in tests/run-tests.sh's output carry the variant as a prefix
# (debug/kernel/x.sh).  The kernel log buffer is enlarged: a debug kernel
# says much more, and the runner reads each test's part of it.
#
# slub_debug drops U (allocation and free owner tracking) here: on top of
# kmemleak, which records a stack trace for every allocation too, it makes
# forks, execs and module loads slower (on a busy 2-core host, 100 execs
# of /bin/true took 37-60 s with FZPU against 16-29 s with FZP, paired
# runs), which 'make check' can ill afford.  Redzones, poisoning and
# consistency checks stay; KFENCE reports carry both stacks, and the
# Debian kernel's run keeps FZPU.
# Every other setting is run-in-vm.sh's (DOJO_VM_TIMEOUT, DOJO_VM_RESULTS,
# DOJO_VM_SLUB_DEBUG, ...).

set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)

[ $# -ge 2 ] || { echo "usage: $0 debug|kasan <script> [args...]" >&2; exit 2; }
variant=$1
shift

kdir=$("$TOP/scripts/build-debug-kernel.sh" "$variant")
mdir=$("$TOP/scripts/build-debug-modules.sh" "$kdir")

export DOJO_VM_KERNEL=$kdir
export DOJO_KO=$mdir/driver/dojo.ko
export DOJO_EMU_KO=$mdir/driver/emu/dojo_emu.ko
export DOJO_TEST_LABEL=${DOJO_TEST_LABEL:-$variant}
export DOJO_VM_APPEND="log_buf_len=8M ${DOJO_VM_APPEND:-}"
export DOJO_VM_SLUB_DEBUG=${DOJO_VM_SLUB_DEBUG:-FZP}
exec "$TOP/tests/vm/run-in-vm.sh" "$@"
