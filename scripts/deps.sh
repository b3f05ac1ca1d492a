#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and testing privlink needs on Debian 12 (idempotent).
set -eu
pkgs=(
	build-essential pkg-config linux-image-amd64 linux-headers-amd64
	libnl-3-dev libnl-genl-3-dev libnetfilter-conntrack-dev
	qemu-system-x86 busybox-static cpio kmod
	iproute2 iputils-ping nftables conntrack iperf3 curl python3 python3-scapy socat ipvsadm
	valgrind
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} = 0 ]; then
	echo "deps: all installed"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing ${missing[*]}; run 'make deps' as root" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
