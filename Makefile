# SPDX-License-Identifier: GPL-2.0
#
# pvbus out-of-tree build and test driver.
#
#   make            build the modules against the Debian 6.1 headers
#   make deps       install every Debian package the project needs
#   make kunit      run the KUnit suites through kunit.py (UML)
#   make fuzz       the fuzzers (KUnit, UML): 1,000,000 host messages
#   make check      everything a clean clone must pass: the lint, the x86 and
#                   arm64 builds, kunit, a short fuzz and bench, the guest
#                   tests, kdump matrices and soak on x86 and arm64, the
#                   Debian package and its VM (tools/testing/check.sh)
#   make lint       the static checks: W=1, sparse, checkpatch, kernel-doc and
#                   reST, shellcheck
#   make guest-test boot a QEMU guest with the modules, run its tests
#   make demo       boot a QEMU guest and show what the modules do
#   make kdump-test the kdump matrix: VMs whose root disk is behind pci-pvbus
#                   crash into kdump kernels that save the dump to it
#   make kdump-demo one cell of it, its consoles, the dump read back
#   make soak       the soak: module load/unload and hot add/eject cycles
#                   under stress in a QEMU guest, leaks and iomem checked
#   make bench      the benchmarks (allocator, BAR packing on UML; bring-up
#                   and kdump in QEMU guests), tables,
#                   build/bench/results.{json,md} and SVG plots
#   make deb        the pvbus-dkms package (debian/), lintian
#   make distro-test a Debian 12 VM with pvbus-dkms installed: kdump-tools
#                   saves a dump through pci-pvbus (kexec -p and -s)
#
# KDIR= selects another kernel build tree.  The running kernel has no
# headers, so the default is the newest installed Debian amd64 headers.
#
# ARCH=arm64 cross-builds the modules against Debian's arm64 headers of the
# same ABI, fetched privately into build/arm64 (tools/testing/arm64.sh), and
# runs guest-test and kdump-test in an arm64 guest; FW=dt describes its bus
# root in a device tree instead of ACPI (make guest-test ARCH=arm64 FW=dt).

ROOT		:= $(CURDIR)
BUILD		?= $(ROOT)/build
KDIR		?= $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
MODCONFIG	:= CONFIG_PVBUS=m CONFIG_PVBUS_SIM=m CONFIG_PCI_PVBUS=m
TESTING		:= $(ROOT)/tools/testing

export ROOT BUILD KDIR

# One target at a time, also under make -j: they share build/ and the
# modules' tree (lint's W=1, sparse and arm64 builds write the same
# objects).  The scripts and kbuild run in parallel inside.
.NOTPARALLEL:

.PHONY: all modules clean deps kunit check lint build-w1 sparse checkpatch \
	kerneldoc shellcheck source build-arm64 demo guest-test kdump-test kdump-demo \
	soak fuzz bench deb distro-test

all: modules

ifeq ($(ARCH),arm64)
modules:
	@$(TESTING)/arm64.sh modules
else
modules:
	@test -n "$(KDIR)" || { echo "no kernel headers: run 'make deps' or set KDIR="; exit 1; }
	$(MAKE) -C $(KDIR) M=$(ROOT) $(MODCONFIG) modules
endif

# Not kbuild's clean: for an external module it deletes every object below
# $(ROOT), the kunit.py build trees in build/ among them.
clean:
	@$(TESTING)/clean.sh

deps:
	@$(TESTING)/deps.sh

source:
	@$(TESTING)/kunit/prepare_tree.sh

# These three run make on the modules: "+" hands them make's jobserver
# under make -j (without it the sub-make warns that it has none, and the
# warning fails the W=1 check).
build-w1:
	+@$(TESTING)/lint.sh w1

# The arm64 cross build with W=1 and sparse at once.
build-arm64:
	+@$(TESTING)/lint.sh arm64

sparse:
	+@$(TESTING)/lint.sh sparse

checkpatch: source
	@$(TESTING)/lint.sh checkpatch

kerneldoc: source
	@$(TESTING)/lint.sh kerneldoc dtbinding

# Every shell script, the harness's constants against the headers, and the
# tree's shape.
shellcheck:
	@$(TESTING)/lint.sh shellcheck consts layout

lint: build-w1 build-arm64 sparse checkpatch kerneldoc shellcheck

kunit: source
	@$(TESTING)/kunit/run_kunit.sh

# FUZZ_MESSAGES: host messages for pci_pvbus_fuzz; FUZZ_ARGS: kernel
# arguments, e.g. FUZZ_ARGS='pci_pvbus.fuzz_replay=0x5eed0042'
FUZZ_MESSAGES	?= 1000000
fuzz: source
	@$(TESTING)/kunit/run_fuzz.sh $(FUZZ_MESSAGES)

guest-test: modules
	@$(TESTING)/pvbus/guest.sh $(GUEST_ARGS)

demo: deps modules
	@$(TESTING)/pvbus/demo/run.sh $(GUEST_ARGS)

# KDUMP_ARGS: run.sh's options and cells, e.g. KDUMP_ARGS='-j 1 p-bochs-*'
kdump-test: modules
	@$(TESTING)/pvbus/kdump/run.sh $(KDUMP_ARGS)

kdump-demo: deps modules
	@$(TESTING)/pvbus/kdump/run.sh --demo $(KDUMP_ARGS)

# SOAK_ARGS: soak/run.sh's options, e.g. SOAK_ARGS='--counts 10,100,50,2'
soak: modules
	@$(TESTING)/pvbus/soak/run.sh $(SOAK_ARGS)

# BENCH_ARGS: bench.sh's, e.g. BENCH_ARGS=--smoke
bench: source modules
	@$(TESTING)/bench/bench.sh $(BENCH_ARGS)

deb: deps
	@$(TESTING)/pvbus/distro/deb.sh

# DISTRO_ARGS: distro/run.sh's options, e.g. DISTRO_ARGS='--mode s'
distro-test: deps deb
	@$(TESTING)/pvbus/distro/run.sh $(DISTRO_ARGS)

check:
	@$(TESTING)/check.sh
