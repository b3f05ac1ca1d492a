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
. "$(dirname "$0")/lib/topology.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload

netns_new A=pl-fw-a R=pl-fw-r B=pl-fw-b &&
topo_veth $R ra 10.1.0.1/24 $A a 10.1.0.2/24 &&
topo_veth $R rb 10.2.0.1/24 $B b 10.2.0.2/24 &&
ip -n $A route add default via 10.1.0.1 &&
ip -n $B route add default via 10.2.0.1 &&
topo_router $R ||
	{ diag "cannot build the topology"; exit 1; }

hooks() {
	plctl -n $R -j version |
		python3 -c 'import json,sys; print(str(json.load(sys.stdin)["hooks"]).lower())'
}
check_eq "no hooks without a VPC" false "$(hooks)"
check "a VPC on the a side" \
	plctl -n $R vpc add net-a account 1 cidr 10.1.0.0/24 dev ra
check_eq "hooks registered with the first VPC" true "$(hooks)"
check "ping a -> b through the router" \
	ip netns exec $A ping -c 3 -i 0.2 -W 2 10.2.0.2
check "ping b -> a through the router" \
	ip netns exec $B ping -c 3 -i 0.2 -W 2 10.1.0.2
check "delete the VPC" plctl -n $R vpc del net-a
check_eq "hooks gone with the last VPC" false "$(hooks)"
check "ping a -> b without hooks" \
	ip netns exec $A ping -c 1 -W 2 10.2.0.2
done_testing
