#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Plain forwarding through a router namespace with privlink's hooks
# registered: they come with the first VPC and go with the last, and routed
# traffic that is not between two VPCs passes untouched.
#
#   +-----------+  veth   +-----------+  veth   +-----------+
#   | pl-fw-a   |---------| pl-fw-r   |---------| pl-fw-b   |
#   | 10.1.0.2  |         | 10.1.0.1  |         | 10.2.0.2  |
#   +-----------+         | 10.2.0.1  |         +-----------+
#                         +-----------+
. "$(dirname "$0")/lib/common.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload

netns_new pl-fw-a pl-fw-r pl-fw-b
ip -n pl-fw-r link add ra type veth peer name a netns pl-fw-a
ip -n pl-fw-r link add rb type veth peer name b netns pl-fw-b
ip -n pl-fw-r addr add 10.1.0.1/24 dev ra
ip -n pl-fw-r addr add 10.2.0.1/24 dev rb
ip -n pl-fw-a addr add 10.1.0.2/24 dev a
ip -n pl-fw-b addr add 10.2.0.2/24 dev b
ip -n pl-fw-r link set dev ra up
ip -n pl-fw-r link set dev rb up
ip -n pl-fw-a link set dev a up
ip -n pl-fw-b link set dev b up
ip -n pl-fw-a route add default via 10.1.0.1
ip -n pl-fw-b route add default via 10.2.0.1
ip netns exec pl-fw-r sysctl -qw net.ipv4.ip_forward=1

hooks() {
	plctl -n pl-fw-r -j version |
		python3 -c 'import json,sys; print(str(json.load(sys.stdin)["hooks"]).lower())'
}
check_eq "no hooks without a VPC" false "$(hooks)"
check "a VPC on the a side" \
	plctl -n pl-fw-r vpc add net-a account 1 cidr 10.1.0.0/24 dev ra
check_eq "hooks registered with the first VPC" true "$(hooks)"
check "ping a -> b through the router" \
	ip netns exec pl-fw-a ping -c 3 -i 0.2 -W 2 10.2.0.2
check "ping b -> a through the router" \
	ip netns exec pl-fw-b ping -c 3 -i 0.2 -W 2 10.1.0.2
check "delete the VPC" plctl -n pl-fw-r vpc del net-a
check_eq "hooks gone with the last VPC" false "$(hooks)"
check "ping a -> b without hooks" \
	ip netns exec pl-fw-a ping -c 1 -W 2 10.2.0.2
done_testing
