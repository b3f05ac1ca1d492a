#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TCP through an interface endpoint: iperf3 moves bytes through the ENI; a
# TCP port that is no listener is answered with a RST and counted in
# drop_no_listener; a UDP datagram larger than the MTU (fragmented by the
# consumer, reassembled and translated by the router, fragmented again)
# arrives whole and its echo comes back whole.
#
# Path MTU discovery through the translation: the consumer link gets MTU
# 1280 (both ends) while the consumer still advertises an MSS of 1460 (advmss
# on its route), as a host behind a smaller hop would.  The provider's
# full-size segments then do not fit: the router sends ICMP
# fragmentation-needed back to the provider, and the embedded header must be
# translated to the flow the provider knows (target -> NLB node) for its TCP
# to lower the path MTU.  A 3 MB download must still complete with the right
# sha256.
#
#   pl-tcp-c (consumer VPC)      pl-tcp-r (router)             pl-tcp-p (provider VPC)
#   +------------------+  veth   +-----------------------+ veth +-------------------------+
#   | c0 10.0.0.5/24   |---------| rc0 10.0.0.1/24       |------| p0 172.16.1.10/16       |
#   |  mtu 1500, then  |         |  mtu 1500, then 1280  |      |  mtu 1500               |
#   |  1280 (advmss    |         | rp0 172.16.0.1/16     |      | iperf3 -s :5201         |
#   |  1460 kept)      |         | privlink:             |      | http.server :8443       |
#   | iperf3 -c, curl, |         |  tcp/5201 tcp/80:8443 |      | udp echo :7777          |
#   | udp client       |         |  udp/7:7777           |      | (target, az1)           |
#   +------------------+         |  SNAT 172.16.0.10     |      +-------------------------+
#     ENI 10.0.0.100 (az1) ----> +-----------------------+
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
netns_new C=pl-tcp-c R=pl-tcp-r P=pl-tcp-p &&
topo_std $C $R $P ||
	{ diag "cannot build the topology"; exit 1; }

tmp=$(mktemp -d)
at_exit rm -rf "$tmp"
mkdir "$tmp/www"
head -c 3000000 /dev/urandom > "$tmp/www/blob"
cat > "$tmp/echo.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", int(sys.argv[1])))
while True:
    data, peer = s.recvfrom(65535)
    s.sendto(data, peer)
EOF
# Sends argv[3] bytes of a known pattern, prints "whole" when exactly the
# same bytes come back.
cat > "$tmp/big.py" <<'EOF'
import socket, sys
n = int(sys.argv[3])
data = bytes((i * 7 + i // 251) & 0xff for i in range(n))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(10)
s.connect((sys.argv[1], int(sys.argv[2])))
for attempt in range(3):
    s.send(data)
    try:
        got = s.recv(65535)
    except socket.timeout:
        continue
    print("whole" if got == data else "got %d bytes, not the same" % len(got))
    sys.exit(0)
print("timeout")
EOF
ip netns exec $P python3 "$tmp/echo.py" 7777 >/dev/null 2>&1 &
at_exit kill $!
ip netns exec $P iperf3 -s -p 5201 >/dev/null 2>&1 &
at_exit kill $!
wait_for 90 dp_listening $P udp 7777 || diag "the echo server did not start"
wait_for 90 dp_listening $P tcp 5201 || diag "iperf3 -s did not start"
topo_http $P 8443 "$tmp/www"

check "configure AZ, VPCs, service, target, endpoint" sh -c '
	set -e
	pl() { plctl -n $R "$@"; }
	pl az add use1-az1
	pl vpc add consumer account 111111111111 cidr 10.0.0.0/24 dev rc0
	pl vpc add provider account 222222222222 cidr 172.16.0.0/16 dev rp0
	pl service add svc vpc provider listener tcp/5201 tcp/80:8443 udp/7:7777 \
		nlb use1-az1 172.16.0.10 acceptance auto principal 111111111111
	pl target add svc 172.16.1.10 az use1-az1
	pl endpoint add vpce-1 vpc consumer service svc eni use1-az1 10.0.0.100'

out=$(ip netns exec $C timeout 120 iperf3 -c 10.0.0.100 -p 5201 -t 2 -J 2>&1)
rx=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum_received"]["bytes"])' <<<"$out" 2>/dev/null)
if [ -n "$rx" ] && [ "$rx" -gt 0 ]; then
	_t_result ok "iperf3 over TCP through the ENI: the server received $rx bytes"
else
	diag "iperf3 output:" "$(tail -n 30 <<<"$out")"
	_t_result fail "iperf3 over TCP through the ENI: the server received bytes"
fi

nol0=$(dp_stat $R drop_no_listener)
check_fail "a TCP port that is no listener is refused (RST: curl exit 7)" 7 "" \
	ip netns exec $C curl -s --max-time 10 http://10.0.0.100:81/
check "drop_no_listener counted it" dp_stat_ge $R drop_no_listener $((nol0 + 1))
check_fail "the target port itself (8443) is no listener on the ENI" 7 "" \
	ip netns exec $C curl -s --max-time 10 http://10.0.0.100:8443/

check_eq "a 4000-byte UDP datagram (fragments) arrives whole and its echo comes back whole" \
	whole "$(ip netns exec $C python3 "$tmp/big.py" 10.0.0.100 7 4000)"
check_eq "a 20000-byte UDP datagram too" \
	whole "$(ip netns exec $C python3 "$tmp/big.py" 10.0.0.100 7 20000)"

# PMTU: the consumer link shrinks, the consumer's MSS does not.
check "MTU 1280 on the consumer link, advmss 1460 on the consumer's route" sh -c "
	set -e
	ip -n $R link set dev rc0 mtu 1280
	ip -n $C link set dev c0 mtu 1280
	ip -n $C route replace 10.0.0.0/24 dev c0 proto kernel scope link src 10.0.0.5 advmss 1460"
check "the provider has no path MTU for its NLB node yet" \
	sh -c "! ip -n $P route get 172.16.0.10 | grep -q 'mtu 1280'"
want=$(sha256sum < "$tmp/www/blob")
got=$(ip netns exec $C curl -s --max-time 180 http://10.0.0.100/blob | sha256sum)
check_eq "3 MB download across the 1280-byte hop completes, sha256 equal" "$want" "$got"
check "the provider learned the smaller path MTU towards its NLB node" \
	sh -c "ip -n $P route get 172.16.0.10 | grep -q 'mtu 1280'"
check_eq "a 4000-byte UDP datagram arrives whole across the 1280-byte hop" \
	whole "$(ip netns exec $C python3 "$tmp/big.py" 10.0.0.100 7 4000)"
check "iperf3 over TCP still works across the 1280-byte hop" sh -c "
	ip netns exec $C timeout 120 iperf3 -c 10.0.0.100 -p 5201 -t 2 -J |
	python3 -c 'import json,sys; sys.exit(json.load(sys.stdin)[\"end\"][\"sum_received\"][\"bytes\"] <= 0)'"
done_testing
