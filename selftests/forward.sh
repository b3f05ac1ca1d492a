#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Plain forwarding through a router namespace with privlink's hook registered:
# the module reports its hooks registered there, and routed traffic passes.
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

out=$(plctl -n pl-fw-r -j version)
check_eq "hooks registered in the router netns" true \
	"$(python3 -c 'import json,sys; print(str(json.load(sys.stdin)["hooks"]).lower())' <<<"$out")"
check "ping a -> b through the router" \
	ip netns exec pl-fw-a ping -c 3 -i 0.2 -W 2 10.2.0.2
check "ping b -> a through the router" \
	ip netns exec pl-fw-b ping -c 3 -i 0.2 -W 2 10.1.0.2
done_testing
