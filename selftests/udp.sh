#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# UDP through an interface endpoint: a listener with a port mapping
# (udp/53 -> 5353) reaches the provider's echo server and its reply comes
# back; the provider sees only the NLB node; iperf3 -u (TCP control + UDP
# data, listeners tcp/5201 and udp/5201) gets its datagrams through; a UDP
# port that is no listener is answered with ICMP port unreachable and counted
# in drop_no_listener.
#
#   pl-udp-c (consumer VPC)      pl-udp-r (router)           pl-udp-p (provider VPC)
#   +------------------+  veth   +---------------------+ veth +--------------------------+
#   | c0 10.0.0.5/24   |---------| rc0 10.0.0.1/24     |------| p0 172.16.1.10/16        |
#   | echo client,     |         | rp0 172.16.0.1/16   |      | udp echo :5353           |
#   | iperf3 -c -u     |         | privlink:           |      | iperf3 -s :5201          |
#   +------------------+         |  udp/53:5353        |      | (target, az1)            |
#     ENI 10.0.0.100 (az1) ----> |  udp/5201 tcp/5201  |      +--------------------------+
#                                |  SNAT 172.16.0.10   |
#                                +---------------------+
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
netns_new C=pl-udp-c R=pl-udp-r P=pl-udp-p &&
topo_std $C $R $P ||
	{ diag "cannot build the topology"; exit 1; }

tmp=$(mktemp -d)
at_exit rm -rf "$tmp"

# The consumer's client (lib/udp_client.py): the answer, "refused" (ICMP port
# unreachable) or "timeout".
client="$TOP/selftests/lib/udp_client.py"
# The provider's echo server (lib/udp_echo.py): "echo:<peer address>:<data>".
ip netns exec $P python3 "$TOP/selftests/lib/udp_echo.py" 5353 >/dev/null 2>&1 &
at_exit kill $!
ip netns exec $P iperf3 -s -p 5201 >/dev/null 2>&1 &
at_exit kill $!
wait_for 90 dp_listening $P udp 5353 || diag "the echo server did not start"
wait_for 90 dp_listening $P tcp 5201 || diag "iperf3 -s did not start"

check "configure AZ, VPCs, a service with UDP listeners, target, endpoint" sh -c '
	set -e
	pl() { plctl -n $R "$@"; }
	pl az add use1-az1
	pl vpc add consumer account 111111111111 cidr 10.0.0.0/24 dev rc0
	pl vpc add provider account 222222222222 cidr 172.16.0.0/16 dev rp0
	pl service add svc vpc provider listener udp/53:5353 udp/5201 tcp/5201 \
		nlb use1-az1 172.16.0.10 acceptance auto principal 111111111111
	pl target add svc 172.16.1.10 az use1-az1
	pl endpoint add vpce-1 vpc consumer service svc eni use1-az1 10.0.0.100'

flows0=$(dp_stat $R new_flows)
got=$(ip netns exec $C python3 "$client" 10.0.0.100 53 hello-udp 30)
check_eq "udp/53 on the ENI reaches the echo server on 5353, the reply comes back" \
	"echo:172.16.0.10:hello-udp" "$got"
check "the flow was counted in new_flows" dp_stat_ge $R new_flows $((flows0 + 1))
check "conntrack lists the UDP flow in the consumer's zone, DNAT to :5353" \
	sh -c "ip netns exec $R conntrack -L -p udp --orig-dst 10.0.0.100 --orig-port-dst 53 2>/dev/null |
		grep 'zone-orig=1' | grep -q 'sport=5353'"
got=$(ip netns exec $C python3 "$client" 10.0.0.100 53 second 30)
check_eq "a second datagram from another source port is echoed too" \
	"echo:172.16.0.10:second" "$got"

out=$(ip netns exec $C iperf3 -c 10.0.0.100 -p 5201 -u -b 2M -l 1200 -t 2 -J 2>&1)
rx=$(python3 -c 'import json,sys; s=json.load(sys.stdin)["end"]["sum_received"]; print(s["packets"] - s["lost_packets"])' <<<"$out" 2>/dev/null)
if [ -n "$rx" ] && [ "$rx" -gt 0 ]; then
	_t_result ok "iperf3 -u through the ENI: the server received $rx datagrams"
else
	diag "iperf3 output:" "$(tail -n 30 <<<"$out")"
	_t_result fail "iperf3 -u through the ENI: the server received datagrams"
fi

nol0=$(dp_stat $R drop_no_listener)
got=$(ip netns exec $C python3 "$client" 10.0.0.100 9999 nobody 10)
check_eq "a UDP port that is no listener: ICMP port unreachable (ECONNREFUSED)" refused "$got"
check "drop_no_listener counted it" dp_stat_ge $R drop_no_listener $((nol0 + 1))
got=$(ip netns exec $C python3 "$client" 10.0.0.100 5353 target-port 5)
check_eq "the target port itself (5353) is no listener on the ENI either" refused "$got"
done_testing
