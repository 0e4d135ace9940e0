# SPDX-License-Identifier: GPL-2.0-only
#
# dojo: DRM accel driver stack for the Dojo Interface Processor (DIP).
#
#   make demo     set up, build, boot a VM with two emulated DIPs, run dojoctl
#   make check    set up, build, lint, DKMS build, VM tests, then the VM
#                 tests again under the debug kernel (DOJO_CHECK_DEBUG=0
#                 leaves that out); ends with 'N passed, N failed, N skipped'
#   make check-kasan  the VM tests under a KASAN debug kernel (slow)
#   make check-debug  the VM tests under the project's debug kernel (built
#                 once per machine, ~30 min)
#                 (both: TESTS="name ..." restricts the tests)
#   make bench    build, then benchmark one emulated DIP in the VM
#                 (docs/performance.md; BENCH_ARGS= passes dojo-bench options)
#   make          build the userspace, and the kernel modules when the kernel
#                 headers are there (make setup); warnings are not errors
#                 unless DOJO_WERROR=1 (as make check sets it)
#   make setup    install tools, fetch the Debian 6.12 kernel into .cache/
#   make modules | userspace | lint | dkms-check | vm-tests | install | clean
#   make debug-kernel [VARIANT=kasan]   build or reuse a debug kernel
#
# The kernel modules are built against Debian's 6.12 headers unpacked in
# .cache/kernel (never installed on the host); KDIR= overrides that.

ifneq ($(KERNELRELEASE),)
# Kbuild reads the top-level Kbuild file, never this one.
$(error the top-level Kbuild file is missing)
endif

TOP    := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
CACHE  := $(if $(DOJO_CACHE),$(DOJO_CACHE),$(TOP)/.cache)
KVER   := $(if $(DOJO_KVER),$(DOJO_KVER),$(shell cat $(CACHE)/kernel/KVER 2>/dev/null))
KROOT  := $(CACHE)/kernel/root
KDIR   ?= $(KROOT)/usr/src/linux-headers-$(KVER)
KSRC   := $(CACHE)/ksrc

# Sub-makes (tests/Makefile) find the kselftest harness here.  DOJO_WERROR=1
# makes the userspace's compiler warnings errors (make check sets it).
export KSRC DOJO_CACHE DOJO_WERROR

# The project's version is in VERSION, for every component: libdojo's
# package version (its soname is its own ABI version), dojoctl, dojo.ko
# (MODULE_VERSION) and dkms.conf (checked by scripts/dkms-check.sh).

# Userspace, in dependency order; each directory has its own Makefile.
USERSPACE_DIRS := libdojo tools tests examples
present_dirs    = $(foreach d,$(USERSPACE_DIRS),$(if $(wildcard $(TOP)/$(d)/Makefile),$(d)))

.PHONY: all need-kdir modules modules-if-kdir userspace setup kdir lint lint-w1 lint-sparse lint-checkpatch \
	dkms-check vm-tests demo bench check check-debug check-kasan debug-kernel \
	install install-libdojo install-tools install-udev install-modprobe \
	clean distclean

all: modules-if-kdir userspace

need-kdir:
	@test -f "$(KDIR)/Makefile" || { \
		echo "kernel headers not found at '$(KDIR)': run 'make setup' first" >&2; \
		exit 1; }

modules: need-kdir
	$(MAKE) -C $(KDIR) M=$(TOP) modules

# 'make' builds the userspace on any machine; the modules need the kernel
# headers that 'make setup' unpacks (or KDIR=).
modules-if-kdir:
	@if [ -f "$(KDIR)/Makefile" ]; then \
		$(MAKE) -C $(KDIR) M=$(TOP) modules; \
	else \
		echo "kernel headers not found at '$(KDIR)': not building the modules ('make setup' fetches them, or set KDIR=)"; \
	fi

userspace:
	@set -e; for d in $(present_dirs); do $(MAKE) -C $(TOP)/$$d; done

setup:
	$(TOP)/scripts/setup.sh

# Prints the kernel headers directory the modules are built against.
kdir:
	@echo $(KDIR)

lint: lint-w1 lint-sparse lint-checkpatch

lint-w1 lint-sparse lint-checkpatch: need-kdir
	$(TOP)/scripts/lint.sh $(patsubst lint-%,%,$@)

dkms-check: need-kdir
	$(TOP)/scripts/dkms-check.sh

# VM tests only (after 'make'); 'make check' runs everything.
vm-tests: need-kdir
	$(TOP)/tests/vm/run-in-vm.sh $(TOP)/tests/run-tests.sh $(TESTS)

# Set-up first, then a fresh make that reads the kernel version it chose.
demo:
	$(TOP)/scripts/setup.sh
	$(MAKE) --no-print-directory all
	$(TOP)/tests/vm/run-in-vm.sh $(TOP)/scripts/vm-demo.sh

# The emulator caps HBM and tile SRAM backing at a quarter of the guest's
# RAM: 4G lets the 256 MiB copies hold 512 MiB of HBM and 256 MiB of tile.
BENCH_VM_MEM ?= 4G
bench: all
	DOJO_VM_MEM=$(BENCH_VM_MEM) DOJO_VM_DEBUG=0 $(TOP)/tests/vm/run-in-vm.sh \
		$(TOP)/scripts/vm-bench.sh $(BENCH_ARGS)

check:
	$(TOP)/scripts/setup.sh
	$(TOP)/scripts/check.sh

# The debug-kernel lanes alone.  KASAN slows the guest several times over,
# so it is not part of 'make check'.
check-debug check-kasan:
	$(TOP)/scripts/setup.sh
	TESTS="$(TESTS)" $(TOP)/scripts/check.sh --lane $(patsubst check-%,%,$@)

# Kernels are cached outside the tree, in $DOJO_KERNEL_CACHE
# (default /var/cache/dojo/kernels); this prints the one it built.
VARIANT ?= debug
debug-kernel:
	$(TOP)/scripts/build-debug-kernel.sh $(VARIANT)

# Userspace and system configuration; on a real host the modules are
# installed with DKMS (README.md).  PREFIX (default /usr/local), SYSCONFDIR
# (default /etc) and DESTDIR are honoured.  Each part has a target of its
# own, install-<part>, listed in INSTALL_PARTS; a new part (manual pages,
# shell completion) adds its target there, or extends the 'install' rule
# of its directory's Makefile (tools/ for dojoctl's).
# tests/host/install.sh checks what lands where.
PREFIX     ?= /usr/local
SYSCONFDIR ?= /etc
export PREFIX DESTDIR

INSTALL_PARTS := install-libdojo install-tools install-udev install-modprobe

install: $(INSTALL_PARTS)

install-libdojo:
	$(MAKE) -C $(TOP)/libdojo install

# after libdojo: the tools link against it
install-tools: install-libdojo
	$(MAKE) -C $(TOP)/tools install

# Group access to the accel nodes (README.md: Access without root).
install-udev:
	install -D -m 0644 $(TOP)/udev/70-dojo.rules \
		$(DESTDIR)$(SYSCONFDIR)/udev/rules.d/70-dojo.rules

# The module parameters, documented; modprobe reads only *.conf, so this
# changes nothing until copied to dojo.conf.
install-modprobe:
	install -D -m 0644 $(TOP)/modprobe.d/dojo.conf.example \
		$(DESTDIR)$(SYSCONFDIR)/modprobe.d/dojo.conf.example

clean:
	@if [ -f "$(KDIR)/Makefile" ]; then $(MAKE) -C $(KDIR) M=$(TOP) clean; fi
	@set -e; for d in $(present_dirs); do $(MAKE) -C $(TOP)/$$d clean; done
	rm -rf $(CACHE)/lint $(CACHE)/dkms* $(CACHE)/check $(CACHE)/vm/runs $(CACHE)/debug-modules

# Also drops the downloaded kernel and tools extracted from the kernel source.
distclean: clean
	rm -rf $(CACHE)
