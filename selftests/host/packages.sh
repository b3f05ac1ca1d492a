#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installing privlink on a router, both ways, as README.md's "Installing on a
# real router" writes it (its tagged blocks run as written, see readme.sh):
# run on the build host by "make check", as root, before the guest suite.
#
#   make's kernel: the running kernel's headers when they exist, else the
#     newest installed; the VM targets build for the kernel the guest boots.
#   From the checkout: "install-checkout" (make deps-build, make, make
#     install, systemctl enable); the module in extra/kmod with a modules.dep
#     entry naming nf_flow_table and nf_conncount; systemd-analyze verify of
#     the unit; then guest-install.sh checkout in a guest (which sees this
#     host's /lib/modules); "uninstall-checkout" (make uninstall) leaves
#     nothing behind.
#   As packages: "build-packages" (make deb, while the checkout's guest
#     runs), "install-packages" (apt install, dkms status):
#     DKMS built the module for every kernel with headers; lintian has
#     nothing to say (debian/*.lintian-overrides explain what it would);
#     the unit verifies and is enabled; guest-install.sh package;
#     "remove-packages" (apt purge) leaves nothing in /lib/modules, /usr/src, /var/lib/dkms or /etc.
# The rest of the suite insmods kmod/privlink.ko: nothing installed may
# shadow it, so whatever this test installs, its exit removes.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/readme.sh"
cd "$TOP"
# As a person runs make: not make check's sub-make, nor its KVER.
unset MAKEFLAGS MAKELEVEL MFLAGS KVER KDIR
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive
version=$(sed -n 's/^#define PRIVLINK_RELEASE[[:space:]]*"\(.*\)"/\1/p' include/uapi/linux/privlink.h)
wants=/etc/systemd/system/multi-user.target.wants/privlink.service

# One packaging test at a time on a machine.
exec 9>/run/lock/privlink-packages.lock
flock -w 900 9 || { echo "# another packaging test holds /run/lock/privlink-packages.lock"; exit 1; }

installed_pkgs() {
	for p in privlink-dkms plctl; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok' && echo "$p"
	done
}
leftovers() {	# what of privlink is installed anywhere
	find /lib/modules -name 'privlink.ko*' 2>/dev/null
	grep -l 'privlink\.ko' /lib/modules/*/modules.dep 2>/dev/null
	ls -d /usr/src/privlink-* /var/lib/dkms/privlink /etc/privlink 2>/dev/null
	ls /usr/local/sbin/plctl /usr/sbin/plctl /usr/local/lib/systemd/system/privlink.service \
		/lib/systemd/system/privlink.service "$wants" 2>/dev/null
	installed_pkgs
}
if [ "$(id -u)" != 0 ]; then
	echo "# packages.sh installs on this machine: run it as root"
	exit 1
fi
left=$(leftovers)
if [ -n "$left" ]; then
	diag "privlink is installed on this machine already; remove it first:" "$left"
	exit 1
fi
cleanup() {
	[ -n "$(installed_pkgs)" ] && apt-get purge -y -q privlink-dkms plctl
	[ -e /usr/local/sbin/plctl ] || [ -n "$(find /lib/modules -path '*/extra/kmod/privlink.ko')" ] &&
		make -s uninstall
	[ -n "${fake_kdir:-}" ] && rm -rf "$fake_kdir"
}
at_exit cleanup

# check_guest DESC MODE: guest-install.sh MODE in a guest passes; its TAP
# nested under this check.
check_guest() {
	local out rc

	out=$(./selftests/vm/run -t 900 -- ./selftests/host/guest-install.sh "$2" 2>&1)
	rc=$?
	sed -n '/TAP version/,$p' <<<"$out" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/^/#   /'
	if [ $rc = 0 ]; then
		_t_result ok "$1"
	else
		diag "exit status: $rc"
		_t_result fail "$1"
	fi
}

# run_logged DESC CMD...: a check whose output is kept in $log_out.
run_logged() {
	local desc=$1 rc
	shift
	log_out=$("$@" 2>&1)
	rc=$?
	if [ $rc != 0 ]; then
		diag "command: $*" "exit status: $rc" "$(tail -n 40 <<<"$log_out")"
		_t_result fail "$desc"
	else
		_t_result ok "$desc"
	fi
}

# --- which kernel make builds for ---------------------------------------
running=$(uname -r)
newest=$(for k in $(ls -1 /lib/modules | sort -V); do [ -d "/lib/modules/$k/build" ] && echo "$k"; done | tail -n1)
if [ -d "/lib/modules/$running/build" ]; then
	check_eq "make builds for the running kernel, which has headers" "$running" "$(make -s kver)"
else
	check_eq "make builds for the newest installed headers (the running kernel has none)" \
		"$newest" "$(make -s kver)"
	if [ ! -e "/lib/modules/$running" ]; then
		fake_kdir=/lib/modules/$running
		mkdir -p "$fake_kdir" && ln -s "/lib/modules/$newest/build" "$fake_kdir/build"
		check_eq "with headers for the running kernel, make builds for it" \
			"$running" "$(make -s kver)"
		rm -rf "$fake_kdir"
		fake_kdir=
	fi
fi
check "the VM targets build for the kernel the guest boots (VM_KVER)" \
	sh -c 'make -n vm-shell VM_KVER=pl-vm-kver 2>&1 | grep -qF /lib/modules/pl-vm-kver/build'

# --- from the checkout -----------------------------------------------------
run_logged "README install-checkout: make deps-build, make, make install, systemctl enable" \
	readme_run install-checkout
kver=$(make -s kver)
check "the module is in /lib/modules/$kver/extra/kmod" test -f "/lib/modules/$kver/extra/kmod/privlink.ko"
check "depmod: modules.dep has it, with nf_flow_table and nf_conncount" sh -c "
	grep '^extra/kmod/privlink.ko:' /lib/modules/$kver/modules.dep | grep nf_flow_table | grep -q nf_conncount"
check "plctl, its man page and completion are installed" test -x /usr/local/sbin/plctl \
	-a -f /usr/local/share/man/man8/plctl.8 -a -f /usr/local/share/bash-completion/completions/plctl
check_eq "privlink.service runs the installed plctl" \
	"/usr/local/sbin/plctl restore /etc/privlink/privlink.conf wait 60" \
	"$(sed -n 's/^ExecStart=//p' /usr/local/lib/systemd/system/privlink.service)"
check_eq "systemd-analyze verify has nothing to say about the unit" "" \
	"$(systemd-analyze verify /usr/local/lib/systemd/system/privlink.service 2>&1)"
check_eq "the unit is enabled" enabled "$(systemctl is-enabled privlink.service 2>&1)"
# The packages build from a copy of the tree meanwhile (nothing installed).
debs_log=$(mktemp)
at_exit rm -f "$debs_log"
readme_run build-packages >"$debs_log" 2>&1 </dev/null &
debs_pid=$!
check_guest "in a guest: modprobe, a flow, the unit's restore (guest-install.sh checkout)" checkout
run_logged "README uninstall-checkout: make uninstall" readme_run uninstall-checkout
check_eq "nothing of it is left" "" "$(leftovers)"

# --- as Debian packages -------------------------------------------------
wait $debs_pid
rc=$?
[ $rc = 0 ] || diag "$(tail -n 40 "$debs_log")"
check_eq "README build-packages: make deps-deb, make deb" 0 "$rc"
check "deb/ has the source package and both binary packages" test -f "deb/privlink_$version.dsc" \
	-a -f "deb/privlink-dkms_${version}_all.deb" -a -f "deb/plctl_${version}_$(dpkg --print-architecture).deb"
# lintian meanwhile too.
lint_log=$(mktemp)
at_exit rm -f "$lint_log"
lintian -I --pedantic deb/privlink_"$version"_*.changes >"$lint_log" 2>&1 &
lint_pid=$!
run_logged "README install-packages: apt install, dkms status" \
	readme_run install-packages </dev/null
for k in $(ls -1 /lib/modules); do
	[ -d "/lib/modules/$k/build" ] || continue
	check "dkms status: built and installed for $k" \
		grep -qx "privlink/$version, $k, $(uname -m): installed" <<<"$log_out"
done
check "the packages are privlink-dkms and plctl $version" bash -c "
	dpkg-query -W -f='\${Package} \${Version}\n' privlink-dkms plctl | sort |
	diff - <(printf 'plctl $version\nprivlink-dkms $version\n')"
check_eq "the DKMS module is the one modprobe finds" \
	"/lib/modules/$kver/updates/dkms/privlink.ko" "$(modinfo -k "$kver" -n privlink 2>&1)"
check_eq "systemd-analyze verify has nothing to say about the packaged unit" "" \
	"$(systemd-analyze verify /lib/systemd/system/privlink.service 2>&1)"
check_eq "the package enabled the unit" enabled "$(systemctl is-enabled privlink.service 2>&1)"
check_guest "in a guest: modprobe, a flow, the unit's restore (guest-install.sh package)" package
wait $lint_pid
check_eq "lintian of the .changes (.dsc and .debs; info and pedantic too): no tags" "" \
	"$(grep -v '^running with root privileges is not recommended!$' "$lint_log")"
run_logged "README remove-packages: apt purge" readme_run remove-packages </dev/null
check_eq "nothing of them is left" "" "$(leftovers)"
done_testing
