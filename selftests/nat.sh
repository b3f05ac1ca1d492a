#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The data path: a consumer fetches from a provider's HTTP server through an
# interface endpoint; the provider sees only its NLB node's address; a large
# file arrives intact; a port that is no listener is refused; a rejected
# endpoint passes nothing and its flows in flight end without a reset; the
# provider cannot open flows to the consumer.
#
#   pl-nat-c (consumer VPC)      pl-nat-r (router)           pl-nat-p (provider VPC)
#   +------------------+  veth   +---------------------+ veth +-------------------------+
#   | c0 10.0.0.5/24   |---------| rc0 10.0.0.1/24     |------| p0 172.16.1.10/16       |
#   | curl 10.0.0.100  |         | rp0 172.16.0.1/16   |      |    (target, az1, :8443) |
#   +------------------+         | privlink:           |      | http.server :8443       |
#        ENI 10.0.0.100 (az1) -> | DNAT target         |      +-------------------------+
#                                | SNAT 172.16.0.10    |
#                                +---------------------+
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
netns_new C=pl-nat-c R=pl-nat-r P=pl-nat-p &&
topo_std $C $R $P ||
	{ diag "cannot build the topology"; exit 1; }

www=$(mktemp -d)
at_exit rm -rf "$www"
head -c 4000000 /dev/urandom > "$www/blob"
topo_http $P 8443 "$www" "$www/access.log"

pl() { plctl -n $R "$@"; }
check "configure AZs, VPCs, service, target, endpoint" sh -c '
	set -e
	pl() { plctl -n $R "$@"; }
	pl az add use1-az1
	pl vpc add consumer account 111111111111 cidr 10.0.0.0/24 dev rc0
	pl vpc add provider account 222222222222 cidr 172.16.0.0/16 dev rp0
	pl service add svc vpc provider listener tcp/80:8443 nlb use1-az1 172.16.0.10 acceptance auto principal 111111111111
	pl target add svc 172.16.1.10 az use1-az1
	pl endpoint add vpce-1 vpc consumer service svc eni use1-az1 10.0.0.100'

out=$(ip netns exec $C curl -s -i --max-time 10 http://10.0.0.100/ 2>&1 | head -n1)
check_eq "curl -i through the ENI gets HTTP 200" "HTTP/1.0 200 OK" "$(tr -d '\r' <<<"$out")"
want=$(sha256sum < "$www/blob")
got=$(ip netns exec $C curl -s --max-time 60 http://10.0.0.100/blob | sha256sum)
check_eq "4 MB through the ENI, sha256 equal" "$want" "$got"
check "the router answered ARP for the ENI" \
	sh -c 'ip -n $C neigh show 10.0.0.100 | grep -q lladdr'
check "the provider saw the NLB node address" grep -q '^172\.16\.0\.10 ' "$www/access.log"
check "the provider never saw the consumer's address" \
	sh -c "! grep -q '10\.0\.0\.5' '$www/access.log'"
check "conntrack lists the flow in the consumer's zone" \
	sh -c 'ip netns exec $R conntrack -L -p tcp --orig-dst 10.0.0.100 2>/dev/null | grep -q "zone-orig=1"'

check_fail "a port that is no listener is refused" 7 "" \
	ip netns exec $C curl -s --max-time 5 http://10.0.0.100:81/
check_fail "the provider cannot open a flow to the consumer" 28 "" \
	ip netns exec $P curl -s --connect-timeout 2 http://10.0.0.5:22/

# A transfer in flight when the endpoint is rejected ends without a reset
# (plctl(8), endpoint): curl gives up on a stalled transfer (exit 28), not on
# a reset (56), and the consumer receives no RST.  The consumer's TCP
# receive buffer is kept to 128 kB: autotuned (up to tcp_rmem's 6 MB), it
# took most of the 4 MB at once while curl read at 50 kB/s, so the server
# was done, its flow past ESTABLISHED before the test could see it, and curl
# finished from its buffer after the reject (exit 0).
ip netns exec $C sysctl -qw net.ipv4.tcp_rmem="4096 65536 131072"
ip netns exec $C nft -f - <<-'EOF'
	table ip plrst {
		chain in { type filter hook input priority -400; tcp flags rst counter; }
	}
	EOF
ip netns exec $C curl -s --limit-rate 50k --speed-limit 1 --speed-time 10 \
	-o /dev/null http://10.0.0.100/blob &
inflight=$!
wait_for 60 sh -c 'ip netns exec $R conntrack -L -p tcp --orig-dst 10.0.0.100 --state ESTABLISHED 2>/dev/null | grep -q .' ||
	diag "the transfer did not start"
check "reject the endpoint" pl endpoint reject vpce-1
check_eq "rejecting ended the endpoint's flows" 0 \
	"$(ip netns exec $R conntrack -L --orig-dst 10.0.0.100 2>/dev/null | wc -l)"
wait $inflight
check_eq "the transfer in flight stalled (curl 28), it was not reset (56)" 28 $?
check_eq "the consumer received no RST" 0 \
	"$(ip netns exec $C nft -j list chain ip plrst in | json_eval '[e["counter"]["packets"] for o in j["nftables"] if "rule" in o for e in o["rule"]["expr"] if "counter" in e][0]')"
check_fail "a rejected endpoint passes nothing" 28 "" \
	ip netns exec $C curl -s --connect-timeout 2 http://10.0.0.100/
check "accept it again" pl endpoint accept vpce-1
check "flows pass again" ip netns exec $C curl -s --max-time 10 -o /dev/null http://10.0.0.100/

# A transfer in flight while the module goes away: no oops (the runner checks
# the kernel log), the flows end, and nothing is left behind.
ip netns exec $C curl -s --max-time 60 --limit-rate 100k -o /dev/null \
	http://10.0.0.100/blob &
at_exit kill $!
wait_for 30 sh -c 'ip netns exec $R conntrack -L -p tcp --orig-dst 10.0.0.100 --state ESTABLISHED 2>/dev/null | grep -q zone-orig'
check "unload the module with a flow in flight" module_unload
# Only the consumer's zone: a retransmission that arrives after the unhooking
# is plain routed traffic (zone 0, untranslated), not a privlink flow.
check_eq "its flows are gone from conntrack" 0 \
	"$(ip netns exec $R conntrack -L --orig-dst 10.0.0.100 2>/dev/null | grep -c zone-orig=1)"
done_testing
