#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Isolation, measured where it matters: an nft counter on the input hook of
# the provider (and of the consumer, for flows the provider opens) counts
# every IPv4 packet that arrives; each case must add 0.  Cases: another VPC
# sending to E's ENI address (and to the provider directly); a port that is
# no listener (TCP and UDP); an endpoint pendingAcceptance and a rejected one
# (drop_not_accepted); the provider opening connections to the consumer's
# ENI address and to a consumer host (drop_wrong_vpc).  A positive control
# first shows that the counters see a legitimate flow.
#
#   pl-iso-o (other VPC, 333333333333)
#   +------------------+
#   | o0 10.1.0.5/24   |---+ ro0 10.1.0.1/24
#   +------------------+   |
#                          |    pl-iso-r (router)           pl-iso-p (provider VPC)
#   pl-iso-c (consumer)    +--+---------------------+ veth +-------------------------+
#   +------------------+ veth | rc0 10.0.0.1/24     |------| p0 172.16.1.10/16       |
#   | c0 10.0.0.5/24   |------| rp0 172.16.0.1/16   |      | http.server :8443       |
#   | nft input counter|      | svc-auto  nlb .0.10 |      | udp :5353 (echo)        |
#   +------------------+      | svc-pend  nlb .0.11 |      | nft input counter       |
#                             | svc-rej   nlb .0.12 |      | (target of all 3, az1)  |
#    ENIs (consumer VPC, az1):+---------------------+      +-------------------------+
#     10.0.0.100 E (available) 10.0.0.101 (pendingAcceptance) 10.0.0.102 (rejected)
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
netns_new C=pl-iso-c O=pl-iso-o R=pl-iso-r P=pl-iso-p &&
topo_std $C $R $P &&
topo_veth $R ro0 10.1.0.1/24 $O o0 10.1.0.5/24 &&
ip -n $O route add default via 10.1.0.1 &&
dp_count_setup $P && dp_count_setup $C ||
	{ diag "cannot build the topology"; exit 1; }

tmp=$(mktemp -d)
at_exit rm -rf "$tmp"
echo hello > "$tmp/index.html"
ip netns exec $P python3 "$TOP/selftests/lib/udp_echo.py" --plain 5353 >/dev/null 2>&1 &
at_exit kill $!
topo_http $P 8443 "$tmp"
wait_for 90 dp_listening $P udp 5353 || diag "the UDP echo server did not start"

check "configure AZ, 3 VPCs, 3 services, targets, 3 endpoints" sh -c "
	set -e
	pl() { plctl -n $R \"\$@\"; }
	pl az add use1-az1
	pl vpc add consumer account 111111111111 cidr 10.0.0.0/24 dev rc0
	pl vpc add other account 333333333333 cidr 10.1.0.0/24 dev ro0
	pl vpc add provider account 222222222222 cidr 172.16.0.0/16 dev rp0
	pl service add svc-auto vpc provider listener tcp/80:8443 udp/53:5353 \
		nlb use1-az1 172.16.0.10 acceptance auto principal '*'
	pl service add svc-pend vpc provider listener tcp/80:8443 \
		nlb use1-az1 172.16.0.11 acceptance required principal 111111111111
	pl service add svc-rej vpc provider listener tcp/80:8443 \
		nlb use1-az1 172.16.0.12 acceptance required principal 111111111111
	for s in svc-auto svc-pend svc-rej; do pl target add \$s 172.16.1.10 az use1-az1; done
	pl endpoint add E vpc consumer service svc-auto eni use1-az1 10.0.0.100
	pl endpoint add pend vpc consumer service svc-pend eni use1-az1 10.0.0.101
	pl endpoint add rej vpc consumer service svc-rej eni use1-az1 10.0.0.102
	pl endpoint reject rej"
check_eq "endpoint pend is pendingAcceptance" pendingAcceptance \
	"$(plctl -n $R -j endpoint show pend | json_eval 'j[0]["state"]')"
check_eq "endpoint rej is rejected" rejected \
	"$(plctl -n $R -j endpoint show rej | json_eval 'j[0]["state"]')"

# Positive control: the counters see a legitimate flow.
p0=$(dp_count $P)
check "control: the consumer fetches through E" \
	ip netns exec $C curl -s --max-time 20 -o /dev/null http://10.0.0.100/
check "control: the provider's counter saw it" test "$(dp_count $P)" -gt "$p0"
# The control connection's last packets (FIN, ACK) may still be on their way
# when curl exits: wait until both ends have closed, so that they are not
# counted below.
closed() {
	! ip netns exec $C ss -tanH | grep -vE 'LISTEN|TIME-WAIT' | grep -q . &&
	! ip netns exec $P ss -tanH | grep -vE 'LISTEN|TIME-WAIT' | grep -q .
}
check "control: the connection is closed at both ends" wait_for 30 closed
check "control: a UDP datagram to E's udp/53 is echoed by the provider" \
	sh -c "ip netns exec $C python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(10)
s.connect((\"10.0.0.100\", 53))
for _ in range(3):  # UDP: a datagram may be lost
    s.send(b\"ping-udp\")
    try:
        print(s.recv(100).decode())
        break
    except TimeoutError:
        pass' | grep -qx ping-udp"

# none_reach NS DESC CMD...: CMD runs (its failure is expected; it must not
# succeed) and NS's counter does not move.
none_reach() {
	local ns=$1 desc=$2 before after out rc
	shift 2
	before=$(dp_count "$ns")
	out=$("$@" 2>&1)
	rc=$?
	after=$(dp_count "$ns")
	if [ $rc != 0 ] && [ "$before" = "$after" ]; then
		_t_result ok "$desc"
	else
		diag "command: $*" "exit status: $rc (wanted non-zero)" \
			"$ns counter: $before -> $after (wanted no change)" "$out"
		_t_result fail "$desc"
	fi
}

# Another VPC.
wv0=$(dp_stat $R drop_wrong_vpc)
none_reach $P "another VPC sending to E's ENI address: 0 packets reach the provider" \
	ip netns exec $O curl -s --connect-timeout 3 http://10.0.0.100/
none_reach $C "... and 0 packets reach the consumer" \
	ip netns exec $O curl -s --connect-timeout 3 http://10.0.0.100/
none_reach $P "another VPC sending UDP to E's ENI address: 0 packets reach the provider" \
	sh -c "echo x | ip netns exec $O socat -T 3 - UDP4:10.0.0.100:53 | grep -q ."
none_reach $P "another VPC sending to the provider's target directly: 0 packets reach it" \
	ip netns exec $O curl -s --connect-timeout 3 http://172.16.1.10:8443/
check "drop_wrong_vpc counted the other VPC's attempts" \
	dp_stat_ge $R drop_wrong_vpc $((wv0 + 4))

# Ports that are no listener.
nl0=$(dp_stat $R drop_no_listener)
none_reach $P "a TCP port that is no listener: 0 packets reach the provider" \
	ip netns exec $C curl -s --connect-timeout 3 http://10.0.0.100:8443/
none_reach $P "a UDP port that is no listener: 0 packets reach the provider" \
	sh -c "echo x | ip netns exec $C socat -T 3 - UDP4:10.0.0.100:5353 | grep -q ."
check "drop_no_listener counted both" dp_stat_ge $R drop_no_listener $((nl0 + 2))

# Endpoints that are not available.
na0=$(dp_stat $R drop_not_accepted)
none_reach $P "a pendingAcceptance endpoint: 0 packets reach the provider" \
	ip netns exec $C curl -s --connect-timeout 3 http://10.0.0.101/
check "drop_not_accepted counted it" dp_stat_ge $R drop_not_accepted $((na0 + 1))
na1=$(dp_stat $R drop_not_accepted)
none_reach $P "a rejected endpoint: 0 packets reach the provider" \
	ip netns exec $C curl -s --connect-timeout 3 http://10.0.0.102/
check "drop_not_accepted counted it" dp_stat_ge $R drop_not_accepted $((na1 + 1))

# The provider opening flows into the consumer VPC.
ip netns exec $C socat TCP4-LISTEN:8080,fork,reuseaddr EXEC:'echo consumer' >/dev/null 2>&1 &
at_exit kill $!
wait_for 90 dp_listening $C tcp 8080 || diag "the consumer's server did not start"
wv1=$(dp_stat $R drop_wrong_vpc)
none_reach $C "the provider connecting to E's ENI address: 0 packets reach the consumer" \
	ip netns exec $P curl -s --connect-timeout 3 http://10.0.0.100:80/
none_reach $C "the provider connecting to a consumer host: 0 packets reach the consumer" \
	ip netns exec $P curl -s --connect-timeout 3 http://10.0.0.5:8080/
check "drop_wrong_vpc counted the provider's attempts" \
	dp_stat_ge $R drop_wrong_vpc $((wv1 + 2))
check "control: the consumer's server answers the consumer itself" \
	sh -c "ip netns exec $C socat -T 5 -u TCP4:10.0.0.5:8080 STDOUT | grep -qx consumer"
done_testing
