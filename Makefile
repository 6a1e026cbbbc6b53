# SPDX-License-Identifier: GPL-2.0
#
# pvbus out-of-tree build and test driver.
#
#   make            build the modules against the Debian 6.1 headers
#   make deps       install every Debian package the project needs
#   make kunit      run the KUnit suites through kunit.py (UML)
#   make check      deps + W=1 build + sparse + checkpatch + kunit
#
# KDIR= selects another kernel build tree.  The running kernel has no
# headers, so the default is the newest installed Debian amd64 headers.

ROOT		:= $(CURDIR)
BUILD		?= $(ROOT)/build
KDIR		?= $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
MODCONFIG	:= CONFIG_PVBUS=m
TESTING		:= $(ROOT)/tools/testing

export ROOT BUILD KDIR

.PHONY: all modules clean deps kunit check lint build-w1 sparse checkpatch \
	source demo

all: modules

modules:
	@test -n "$(KDIR)" || { echo "no kernel headers: run 'make deps' or set KDIR="; exit 1; }
	$(MAKE) -C $(KDIR) M=$(ROOT) $(MODCONFIG) modules

clean:
	@test -z "$(KDIR)" || $(MAKE) -C $(KDIR) M=$(ROOT) clean

deps:
	@$(TESTING)/deps.sh

source:
	@$(TESTING)/kunit/prepare_tree.sh

build-w1:
	@$(TESTING)/lint.sh w1

sparse:
	@$(TESTING)/lint.sh sparse

checkpatch: source
	@$(TESTING)/lint.sh checkpatch

lint: build-w1 sparse checkpatch

kunit: source
	@$(TESTING)/kunit/run_kunit.sh

demo:
	@echo "make demo boots a guest with the bus; it arrives with the bus issue."
	@echo "Until then: 'make check' builds the modules and runs the KUnit suites."

check:
	@$(TESTING)/check.sh
