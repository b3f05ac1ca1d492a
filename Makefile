# SPDX-License-Identifier: GPL-2.0
#
# privlink top-level Makefile.
#
#   make            build privlink.ko (kmod/), plctl (tools/plctl/), plfuzz
#                   and plhealthd (tools/plhealthd/)
#   make deps-build install the Debian 12 packages building needs (root)
#   make deps       ... and those "make deb" and the tests need (root)
#   make install    install the module (depmod), plctl, its man page, bash
#                   completion and privlink.service; "make uninstall" undoes it
#   make deb        the Debian packages privlink-dkms and plctl, in deb/
#   make kver       print the kernel "make" builds for (KVER, below)
#   make check      deps + build + unit tests + packaging test + all
#                   selftests in a qemu guest
#   make check-debug all selftests in a guest booting a debug kernel (KASAN,
#                   UBSAN, kmemleak, lockdep; built once, then cached)
#   make demo       deps + build + the narrated demo in a qemu guest
#   make vm-shell   an interactive guest with the module loaded
#   make unit       host-side unit tests of the userspace code (no VM)
#   make checkpatch run the kernel's checkpatch.pl on kmod/ and the uapi header
#   make bench      the benchmark in a qemu guest (Documentation/performance.md)
#   make soak       the netlink fuzzer for SOAK_SECONDS (default 1800) in a guest
#
# KVER/KDIR choose the kernel to build against: by default the running
# kernel when its headers are installed (/lib/modules/$(uname -r)/build), else
# the newest kernel whose headers are.  The targets that boot a guest (check,
# demo, vm-shell, bench) build for VM_KVER instead: the newest kernel with
# both headers and a /boot/vmlinuz, the one selftests/vm/run boots.

KVER ?= $(shell r=$$(uname -r); if [ -d /lib/modules/$$r/build ]; then echo $$r; \
	else for k in $$(ls -1 /lib/modules 2>/dev/null | sort -V); do \
		[ -d /lib/modules/$$k/build ] && echo $$k; done | tail -n1; fi)
VM_KVER ?= $(shell for k in $$(ls -1 /lib/modules 2>/dev/null | sort -V); do \
		[ -e /boot/vmlinuz-$$k ] && [ -d /lib/modules/$$k/build ] && echo $$k; \
	done | tail -n1)
check demo vm-shell bench: KVER = $(VM_KVER)
KDIR ?= /lib/modules/$(KVER)/build
export KVER

# make install: PREFIX for plctl and its files; the module goes to
# /lib/modules/$(KVER)/$(INSTALL_MOD_DIR), the configuration lives in /etc.
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR ?= $(PREFIX)/lib/systemd/system
INSTALL_MOD_DIR ?= extra
export INSTALL_MOD_DIR
# The one place the version is written: the uapi header's PRIVLINK_RELEASE
# (module and plctl); the packages take theirs from it.
VERSION := $(shell sed -n 's/^.define PRIVLINK_RELEASE[[:space:]]*"\(.*\)"/\1/p' include/uapi/linux/privlink.h)

all: module plctl plfuzz plhealthd

module:
	@[ -d "$(KDIR)" ] || { echo "no kernel headers at '$(KDIR)'; run 'make deps'"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

plctl:
	$(MAKE) -C tools/plctl

plfuzz:
	$(MAKE) -C tools/plfuzz

plhealthd:
	$(MAKE) -C tools/plhealthd

deps-build:
	./scripts/deps.sh build

deps-deb:
	./scripts/deps.sh deb

deps:
	./scripts/deps.sh test

deps-debug:
	./scripts/deps.sh debug

unit: plctl
	$(MAKE) -C tools/plctl unit unit-asan
	$(MAKE) -C tools/plhealthd unit

# First the install and packaging test, on this host (it installs privlink
# from the checkout and as packages, boots two guests, removes it all again:
# root, a few minutes), then the whole suite in one guest; under TCG on 2
# cores it takes 20-30 minutes.
check: deps all unit
	./selftests/host/packages.sh
	./selftests/vm/run -t $${PRIVLINK_VM_TIMEOUT:-3600} -- ./selftests/run

# The whole suite (the fuzzer included) on Debian's linux-source-6.1 built
# with selftests/vm/debug.config, cached outside the checkout
# (selftests/vm/build-debug-kernel; PRIVLINK_DEBUG_CACHE), with privlink.ko
# built for it in .vm/debug-kmod.  Any KASAN/UBSAN/lockdep/RCU/debugobjects
# report or kmemleak suspect fails the run (Documentation/testing.md).
# TESTS="fuzz hostile ..." runs only those (the whole suite takes hours).
# scale.sh and vpcs.sh run at a tenth of their sizes there (10,000 endpoints,
# 2,000 VPCs: PRIVLINK_SCALE_ENDPOINTS, PRIVLINK_VPCS_N): the same code and
# table resizes, in a time the debug kernel allows; the figures are make
# check's.
check-debug: KVER = $(VM_KVER)
check-debug: deps-debug all
	./selftests/vm/build-debug-kernel
	start=$$(date +%s); \
	PRIVLINK_VM_KERNEL=.vm/debug-kernel/bzImage KVER=$$(cat .vm/debug-kernel/kver) \
	PRIVLINK_VM_MODULES=.vm/debug-kernel PRIVLINK_VM_MODULE=.vm/debug-kmod/kmod/privlink.ko \
	PRIVLINK_VM_MEM=$${PRIVLINK_VM_MEM:-4096} \
		./selftests/vm/run -t $${PRIVLINK_VM_TIMEOUT:-14400} -- \
		env PRIVLINK_TEST_TIMEOUT=$${PRIVLINK_TEST_TIMEOUT:-3600} \
		PRIVLINK_SCALE_ENDPOINTS=$${PRIVLINK_SCALE_ENDPOINTS:-10000} \
		PRIVLINK_VPCS_N=$${PRIVLINK_VPCS_N:-2000} ./selftests/run $(TESTS); \
	rc=$$?; echo "check-debug: the guest ran $$(($$(date +%s) - start))s, status $$rc"; exit $$rc

demo: deps all
	./selftests/vm/run -- ./selftests/demo

vm-shell: all
	./selftests/vm/run -s

checkpatch:
	./scripts/checkpatch.sh

# One guest, ~18 minutes on a quiet host (the guest may take 3000 s, PRIVLINK_BENCH_TIMEOUT,
# on a loaded one); writes selftests/bench/results/latest.json.
bench: deps all
	$(MAKE) -C selftests/bench
	PRIVLINK_VM_MEM=$${PRIVLINK_VM_MEM:-4096} ./selftests/vm/run -t $${PRIVLINK_BENCH_TIMEOUT:-3000} -- \
		./selftests/bench/run --note "host: $$(nproc) cores, load $$(cut -d' ' -f1-3 /proc/loadavg), $$(pgrep -c qemu-system || true) qemu-system running at start"

# selftests/fuzz.sh fuzzing for SOAK_SECONDS instead of a count, in one guest,
# with a new seed each time (printed; PLFUZZ_SEED= replays one); then
# selftests/unload_cycles.sh with 50 cycles (make check runs 10); then
# selftests/bench/smoke.sh (the benchmark still runs; not in make check for
# its 90 s).
SOAK_SECONDS ?= 1800
UNLOAD_CYCLES ?= 50
soak: deps all
	./selftests/vm/run -t $$(($(SOAK_SECONDS) + 3000)) -- env PLFUZZ_SECONDS=$(SOAK_SECONDS) \
		PLFUZZ_SEED=$${PLFUZZ_SEED:-$$(date +%s)} UNLOAD_CYCLES=$(UNLOAD_CYCLES) PRIVLINK_DUMP_ROUNDS=100 \
		PRIVLINK_TEST_TIMEOUT=$$(($(SOAK_SECONDS) + 1800)) ./selftests/run fuzz unload_cycles dump bench/smoke

install: install-module install-tools

# depmod, so that "modprobe privlink" finds it and what it depends on (not
# into a DESTDIR: a staging tree's index would lack the kernel's modules).
# Unsigned (kbuild would look for the kernel's own signing key): under Secure
# Boot, sign it with a key the machine trusts, or use the DKMS package.
install-module: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) CONFIG_MODULE_SIG_ALL= modules_install
	$(if $(DESTDIR),,depmod $(KVER))

# plctl, its man page and bash completion, privlink.service and /etc/privlink;
# plhealthd, its man page and plhealthd.service.
install-tools: plctl plhealthd
	install -D -m 0755 tools/plctl/plctl $(DESTDIR)$(SBINDIR)/plctl
	install -D -m 0644 Documentation/plctl.8 $(DESTDIR)$(MANDIR)/man8/plctl.8
	install -D -m 0644 tools/plctl/plctl.bash-completion $(DESTDIR)$(BASHCOMPDIR)/plctl
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)/etc/privlink
	sed 's|@SBINDIR@|$(SBINDIR)|g' packaging/privlink.service.in > $(DESTDIR)$(UNITDIR)/privlink.service
	install -D -m 0755 tools/plhealthd/plhealthd $(DESTDIR)$(SBINDIR)/plhealthd
	install -D -m 0644 Documentation/plhealthd.8 $(DESTDIR)$(MANDIR)/man8/plhealthd.8
	sed 's|@SBINDIR@|$(SBINDIR)|g' packaging/plhealthd.service.in > $(DESTDIR)$(UNITDIR)/plhealthd.service

uninstall:
	if [ -e $(UNITDIR)/privlink.service ] && command -v systemctl >/dev/null; then \
		systemctl disable privlink.service; fi
	if [ -e $(UNITDIR)/plhealthd.service ] && command -v systemctl >/dev/null; then \
		systemctl disable plhealthd.service; fi
	rm -f /lib/modules/$(KVER)/$(INSTALL_MOD_DIR)/kmod/privlink.ko
	rmdir --ignore-fail-on-non-empty /lib/modules/$(KVER)/$(INSTALL_MOD_DIR)/kmod \
		/lib/modules/$(KVER)/$(INSTALL_MOD_DIR) 2>/dev/null || true
	depmod $(KVER)
	rm -f $(SBINDIR)/plctl $(MANDIR)/man8/plctl.8 $(BASHCOMPDIR)/plctl $(UNITDIR)/privlink.service
	rm -f $(SBINDIR)/plhealthd $(MANDIR)/man8/plhealthd.8 $(UNITDIR)/plhealthd.service
	rmdir --ignore-fail-on-non-empty /etc/privlink 2>/dev/null || true

# Debian packages (dpkg-buildpackage, debhelper, dh-dkms; "make deps-deb"),
# built from a copy of the tree in deb/build, never from this checkout's
# objects; the results land in deb/.
deb:
	./packaging/mkdeb $(VERSION) deb

kver:
	@echo $(KVER)

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C tools/plctl clean
	$(MAKE) -C tools/plfuzz clean
	$(MAKE) -C tools/plhealthd clean
	rm -rf .vm deb

.PHONY: check-debug deps-debug
.PHONY: all module plctl plfuzz plhealthd soak deps deps-build deps-deb unit check demo vm-shell checkpatch bench \
	install install-module install-tools uninstall deb kver clean
