#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unloading the module with a full configuration in several namespaces
# (and in the initial one) is clean: no object leaks (the module WARNs on
# exit if objects_live is not zero, and the runner fails on any WARN), no
# other complaint in the kernel log.  The module loads again; the
# namespaces that outlived it start empty and can be configured again.
#
#   pl-unl-1 pl-unl-2 pl-unl-3 (and init_net): AZs, VPCs with interfaces,
#   services with targets, endpoints in every state with ENIs
. "$(dirname "$0")/lib/common.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload

config() {	# NS ("" = the initial namespace)
	local P=plctl
	[ -n "$1" ] && P="plctl -n $1"
	ip ${1:+-n $1} link add pl-unl-c0 type dummy &&
	ip ${1:+-n $1} link add pl-unl-p0 type dummy &&
	{
		echo "az add a1"; echo "az add a2 state down"
		echo "vpc add con account 1 cidr 10.0.0.0/16 dev pl-unl-c0"
		echo "vpc add prov account 2 cidr 172.16.0.0/16 dev pl-unl-p0"
		echo "service add svc vpc prov listener tcp/443 nlb a1 172.16.0.1 nlb a2 172.16.0.2 principal 1"
		echo "target add svc 172.16.1.1 az a1"
		echo "target add svc 172.16.1.2:8443 az a2 state draining"
		for i in $(seq 1 100); do
			echo "endpoint add ep$i vpc con service svc eni a1 10.0.1.$i eni a2 10.0.2.$i"
		done
		echo "endpoint accept ep1"; echo "endpoint reject ep2"
	} | $P -b -
}
netns_new N1=pl-unl-1 N2=pl-unl-2 N3=pl-unl-3
at_exit "ip link del pl-unl-c0; ip link del pl-unl-p0"
for ns in $N1 $N2 $N3 ""; do
	check "configure ${ns:-the initial namespace}" config "$ns"
done
check_eq "objects_live counts all four configurations" $((4 * (2 + 2 + 2 + 1 + 2 + 100 + 200))) \
	"$(pl_info objects_live)"

mark=$(dmesg | wc -l)
check "unload with four configurations" module_unload
check "the module is gone" sh -c '! lsmod | grep -q "^privlink "'
log=$(dmesg | tail -n +$((mark + 1)))
check_eq "no leak reported" "" "$(grep -E 'leaked|WARNING|BUG' <<<"$log")"
check "the module says it unloaded" grep -q 'privlink: unloaded' <<<"$log"

check "load again" module_load
check_eq "objects_live is zero after the reload" 0 "$(pl_info objects_live)"
for ns in $N1 $N2 $N3 ""; do
	check_eq "${ns:-the initial namespace} starts empty" "[] [] []" \
		"$(for k in az vpc endpoint; do plctl ${ns:+-n $ns} -j $k show; done | tr '\n' ' ' | sed 's/ $//')"
done
check "configure pl-unl-1 again (same interfaces)" sh -c '
	plctl -n $N1 az add a1 &&
	plctl -n $N1 vpc add con account 1 cidr 10.0.0.0/16 dev pl-unl-c0'
check "unload again" module_unload
done_testing
