#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian 12 packages privlink needs (idempotent), by group:
#
#   scripts/deps.sh build     building and installing from the checkout: a
#                             compiler, the running kernel's headers (or the
#                             flavour's, linux-headers-amd64), libnl, kmod
#   scripts/deps.sh deb       build + what "make deb" and the packages need
#                             (debhelper, dh-dkms, dkms)
#   scripts/deps.sh test      build + deb + what the tests need: qemu, a
#                             kernel image to boot, the tools the selftests
#                             run, lintian, valgrind
#   scripts/deps.sh debug     test + what building the debug kernel of
#                             "make check-debug" needs (linux-source-6.1,
#                             bc, bison, flex, libelf-dev, libssl-dev, xz)
#
# "make deps-build" is the first (all a router needs), "make deps" the last.
set -eu
group=${1:-test}
build=(
	build-essential pkg-config kmod
	libnl-3-dev libnl-genl-3-dev libnetfilter-conntrack-dev
	libnl-route-3-dev libnftables-dev
)
# The running kernel's own headers when Debian has them (a router running
# Debian's kernel), else those of the amd64 flavour.
if apt-cache show "linux-headers-$(uname -r)" >/dev/null 2>&1; then
	build+=("linux-headers-$(uname -r)")
else
	build+=(linux-headers-amd64)
fi
deb=(dpkg-dev debhelper dh-dkms dkms fakeroot)
test=(
	linux-image-amd64 linux-headers-amd64 qemu-system-x86 busybox-static cpio
	iproute2 iputils-ping nftables conntrack iperf3 curl python3 python3-scapy socat ipvsadm
	tcpdump ethtool
	valgrind lintian systemd
)
debug=(linux-source-6.1 bc bison flex libelf-dev libssl-dev xz-utils)
case $group in
build) pkgs=("${build[@]}") ;;
deb) pkgs=("${build[@]}" "${deb[@]}") ;;
test) pkgs=("${build[@]}" "${deb[@]}" "${test[@]}") ;;
debug) pkgs=("${build[@]}" "${deb[@]}" "${test[@]}" "${debug[@]}") ;;
*) echo "usage: $0 [build|deb|test|debug]" >&2; exit 2 ;;
esac
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} = 0 ]; then
	echo "deps ($group): all installed"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps ($group): missing ${missing[*]}; run it as root" >&2
	exit 1
fi
echo "deps ($group): installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
