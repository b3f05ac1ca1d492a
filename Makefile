# SPDX-License-Identifier: GPL-2.0
#
# privlink top-level Makefile.
#
#   make            build privlink.ko (kmod/) and plctl (tools/plctl/)
#   make deps       install the Debian 12 packages everything needs (root)
#   make check      deps + build + unit tests + all selftests in a qemu guest
#   make demo       deps + build + the narrated demo in a qemu guest
#   make vm-shell   an interactive guest with the module loaded
#   make unit       host-side unit tests of the userspace code (no VM)
#   make checkpatch run the kernel's checkpatch.pl on kmod/ and the uapi header
#   make bench      the benchmark in a qemu guest (Documentation/performance.md)
#
# KVER/KDIR choose the kernel to build against (default: the newest installed
# Debian linux-headers that has a matching /boot/vmlinuz, so the VM can boot it).

KVER ?= $(shell for k in $$(ls -1 /lib/modules 2>/dev/null | sort -V); do \
		[ -e /boot/vmlinuz-$$k ] && [ -d /lib/modules/$$k/build ] && echo $$k; \
	done | tail -n1)
KDIR ?= /lib/modules/$(KVER)/build
export KVER

all: module plctl

module:
	@[ -d "$(KDIR)" ] || { echo "no kernel headers at '$(KDIR)'; run 'make deps'"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

plctl:
	$(MAKE) -C tools/plctl

deps:
	./scripts/deps.sh

unit: plctl
	$(MAKE) -C tools/plctl unit

# The whole suite in one guest; under TCG on 2 cores it takes 20-30 minutes.
check: deps all unit
	./selftests/vm/run -t $${PRIVLINK_VM_TIMEOUT:-3600} -- ./selftests/run

demo: deps all
	./selftests/vm/run -- ./selftests/demo

vm-shell: all
	./selftests/vm/run -s

checkpatch:
	./scripts/checkpatch.sh

# One guest, ~15 minutes; writes selftests/bench/results/latest.json.
bench: deps all
	$(MAKE) -C selftests/bench
	PRIVLINK_VM_MEM=$${PRIVLINK_VM_MEM:-4096} ./selftests/vm/run -t 1500 -- \
		./selftests/bench/run --note "host: $$(nproc) cores, load $$(cut -d' ' -f1-3 /proc/loadavg), $$(pgrep -c qemu-system || true) qemu-system running at start"

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	install -D -m 0755 tools/plctl/plctl $(DESTDIR)/usr/local/sbin/plctl

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C tools/plctl clean
	rm -rf .vm

.PHONY: all module plctl deps unit check demo vm-shell checkpatch bench install clean
