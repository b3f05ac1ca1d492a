#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two PrivateLink scenarios with real traffic, through one router:
#
# (a) Direct Connect: a corporate data centre reaches the consumer VPC's
#     interface endpoint over a private VIF.  The DC host is not attached to
#     the router: it is routed through the "dx" router, whose link to the
#     router (169.254.100.0/30, as AWS numbers VIF peerings) is one of the
#     consumer VPC's interfaces, so its traffic enters the VPC's routing
#     domain (its conntrack zone) like the VPC's own.  The DC host fetches
#     the provider's page through the ENI; the provider sees only its NLB
#     node; the DC still cannot reach provider addresses directly.
# (b) Inter-region peering: a VPC in another region (10.1.0.0/24) is peered
#     with the consumer VPC.  Its traffic arrives over the peering link, which
#     joins the consumer VPC's interfaces ("vpc set ... dev"), so it reaches
#     the endpoint as the consumer VPC's own hosts do.  Before the link joins,
#     the region gets nothing.
#
# Both again in IPv6: the consumer VPC, the provider and the endpoint are
# dualstack (ENI 10.0.0.100,fd00:10::100), the DC (fd00:192:168:10::/64)
# is routed over the VIF's IPv6 peering (a /125, as AWS numbers them) and
# the region (fd00:11::/64) over the peering link; each fetches through the
# ENI's IPv6 address with curl -6 and reaches the IPv6 target, which sees
# only the NLB node's IPv6 address.
#
# Routed hops need a route to the ENI address via the router: the router
# answers ARP and neighbour solicitations for ENI addresses only on the
# consumer VPC's interfaces.
#
#  pl-sc-dc (corporate DC)       pl-sc-dx (DX router)
#  +-----------------------+     +---------------------------+
#  | d0 192.168.10.5/24    |-----| xd0 192.168.10.1/24       |
#  |    fd00:192:168:10::5 |     |     fd00:192:168:10::1/64 |
#  | default via .1, ::1   |     | xr0 169.254.100.2/30      |--+ 10.0.0.0/24 via 169.254.100.1
#  +-----------------------+     |     fd00:a9fe:6400::2/125 |  | fd00:10::/64 via fd00:a9fe:6400::1
#                                +---------------------------+  |
#                                                  private VIF  |
#  pl-sc-c (consumer VPC 10.0.0.0/24, fd00:10::/64)             |  pl-sc-r (router)
#  +-----------------------+                                    +- rdx0 169.254.100.1/30
#  | c0 10.0.0.5/24        |                                    |       fd00:a9fe:6400::1/125
#  |    fd00:10::5/64      |---------------------------------------- rc0 10.0.0.1/24
#  +-----------------------+                                    |       fd00:10::1/64
#                                                               |
#  pl-sc-w (us-west-2 VPC 10.1.0.0/24, fd00:11::/64)            |
#  +-----------------------+  peering link                      |
#  | w0 10.1.0.5/24        |---------------------------------------- rpeer0 10.1.0.1/24
#  |    fd00:11::5/64      |                                    |       fd00:11::1/64
#  | 10.0.0.0/24 via       |                                    +- rp0 172.16.0.1/16 ---------+
#  |   10.1.0.1            |                                             fd00:172:16::1/48    |
#  | fd00:10::/64 via      |                                                                  |
#  |   fd00:11::1          |  consumer VPC = rc0 rdx0 (+rpeer0)   pl-sc-p (provider VPC)      |
#  +-----------------------+  ENI 10.0.0.100,fd00:10::100         +-------------------------+ |
#                               (use1-az1)                        | p0 172.16.1.10/16       |-+
#                             NLB node 172.16.0.10,               |    fd00:172:16:1::10/48 |
#                               fd00:172:16::10                   | targets :8443, no route |
#                                                                 | beyond its prefixes     |
#                                                                 +-------------------------+
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
netns_new DC=pl-sc-dc DX=pl-sc-dx C=pl-sc-c W=pl-sc-w R=pl-sc-r P=pl-sc-p ||
	{ diag "cannot create the namespaces"; exit 1; }

topo_veth $DC d0 192.168.10.5/24 $DX xd0 192.168.10.1/24
topo_veth $DX xr0 169.254.100.2/30 $R rdx0 169.254.100.1/30
topo_veth $C c0 10.0.0.5/24 $R rc0 10.0.0.1/24
topo_veth $W w0 10.1.0.5/24 $R rpeer0 10.1.0.1/24
topo_veth $P p0 172.16.1.10/16 $R rp0 172.16.0.1/16
topo_router $DX
topo_router $R
ip -n $DC route add default via 192.168.10.1
ip -n $DX route add 10.0.0.0/24 via 169.254.100.1	# learned over the VIF
ip -n $R route add 192.168.10.0/24 via 169.254.100.2	# the DC, over the VIF
ip -n $C route add default via 10.0.0.1
ip -n $W route add 10.0.0.0/24 via 10.1.0.1		# the peer VPC's prefix
# IPv6 on the same links (no DAD: usable at once); both routers forward it
v6addr() { ip -n "$1" addr add "$2" dev "$3" nodad; }
v6addr $DC fd00:192:168:10::5/64 d0
v6addr $DX fd00:192:168:10::1/64 xd0
v6addr $DX fd00:a9fe:6400::2/125 xr0
v6addr $R fd00:a9fe:6400::1/125 rdx0
v6addr $C fd00:10::5/64 c0
v6addr $R fd00:10::1/64 rc0
v6addr $W fd00:11::5/64 w0
v6addr $R fd00:11::1/64 rpeer0
v6addr $P fd00:172:16:1::10/48 p0
v6addr $R fd00:172:16::1/48 rp0
for ns in $DX $R; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.forwarding=1; done
# The check that counts the endpoint's flows finds the in-VPC host's first
# one in conntrack's TIME_WAIT: keep it there for 30 minutes rather than 2
# (a service's timeouts are copied from the namespace when it is made), so
# that a slow kernel does not lose it before the count.
ip netns exec $R sysctl -qw net.netfilter.nf_conntrack_tcp_timeout_time_wait=1800
ip -n $DC -6 route add default via fd00:192:168:10::1
ip -n $DX -6 route add fd00:10::/64 via fd00:a9fe:6400::1
ip -n $R -6 route add fd00:192:168:10::/64 via fd00:a9fe:6400::2
ip -n $C -6 route add default via fd00:10::1
ip -n $W -6 route add fd00:10::/64 via fd00:11::1

www=$(mktemp -d)
at_exit rm -rf "$www"
echo "hello from the provider's service" > "$www/index.html"
head -c 1048576 /dev/urandom > "$www/blob"
log=$www/access.log
topo_http $P 8443 "$www" "$log"
# the IPv6 target's own server (bound to it), its own log
log6=$www/access6.log
mkdir -p "$www/v6/fd00:172:16:1::10"
cp "$www/index.html" "$www/blob" "$www/v6/fd00:172:16:1::10/"
topo_http $P 8443 "$www/v6" "$log6" fd00:172:16:1::10 ||
	{ diag "cannot start the HTTP servers"; exit 1; }

check "configure the consumer VPC (with the VIF), the provider, the endpoint" sh -c '
	set -e
	pl() { plctl -n $R "$@"; }
	pl az add use1-az1
	pl vpc add consumer account 111111111111 cidr 10.0.0.0/24 ipv6-cidr fd00:10::/64 dev rc0 dev rdx0
	pl vpc add provider account 222222222222 cidr 172.16.0.0/16 ipv6-cidr fd00:172:16::/48 dev rp0
	pl service add svc vpc provider listener tcp/80:8443 nlb use1-az1 172.16.0.10,fd00:172:16::10 acceptance auto principal 111111111111
	pl target add svc 172.16.1.10 az use1-az1
	pl target add svc fd00:172:16:1::10 az use1-az1
	pl endpoint add vpce-1 vpc consumer service svc ip-type dualstack eni use1-az1 10.0.0.100,fd00:10::100'
zone=$(plctl -n $R -j vpc show consumer | json_eval 'j[0]["zone"]')

# flows FILTER: "plctl -j flow show" as python: True when any flow f
# satisfies FILTER (a python expression).
flows_any() {
	plctl -n $R -j flow show endpoint vpce-1 |
		json_eval "any($1 for f in j)" | grep -qx True
}
# A flow to the ENI's listener, translated to the target and the NLB node.
flow_from() {
	flows_any "f['consumer']['addr'] == '$1' and
		f['eni'] == {'addr': '10.0.0.100', 'port': 80} and
		f['nlb']['addr'] == '172.16.0.10' and
		f['target'] == {'addr': '172.16.1.10', 'port': 8443} and
		f['proto'] == 'tcp' and f['zone'] == $zone and
		f['endpoint'] == 'vpce-1'"
}
# The IPv6 flow of the same, to the ENI's IPv6 address.
flow6_from() {
	flows_any "f['consumer']['addr'] == '$1' and
		f['eni'] == {'addr': 'fd00:10::100', 'port': 80} and
		f['nlb']['addr'] == 'fd00:172:16::10' and
		f['target'] == {'addr': 'fd00:172:16:1::10', 'port': 8443} and
		f['proto'] == 'tcp' and f['zone'] == $zone and
		f['endpoint'] == 'vpce-1'"
}
# No request from ADDR ever reached the provider; every one came from the NLB.
provider_saw_only_nlb() {
	[ -s "$log" ] && ! grep -q "^$1 " "$log" &&
		! grep -v '^172\.16\.0\.10 ' "$log" | grep -q 'HTTP/'
}
# The same of the IPv6 target: no request from ADDR, every one (at least N)
# from the NLB node's IPv6 address.
provider6_saw_only_nlb() {
	[ "$(grep -c 'HTTP/' "$log6")" -ge "$2" ] && ! grep -q "^$1 " "$log6" &&
		! grep -v '^fd00:172:16::10 ' "$log6" | grep -q 'HTTP/'
}
drops() { pl_info_stat drop_wrong_vpc; }
pl_info_stat() {
	plctl -n $R -j version | json_eval "j['stats']['$1']"
}

check_eq "baseline: a host inside the consumer VPC gets HTTP 200" \
	"HTTP/1.0 200 OK" "$(dp_curl_status $C http://10.0.0.100/)"

# --- (a) Direct Connect private VIF ---------------------------------------
check "(a) the DC host reaches the ENI through the dx router, not directly" \
	sh -c 'ip -n $DC route get 10.0.0.100 | grep -q "via 192.168.10.1 dev d0" &&
		ip -n $DX route get 10.0.0.100 | grep -q "via 169.254.100.1 dev xr0"'
check_eq "(a) the DC host's curl -i through the ENI gets HTTP 200" \
	"HTTP/1.0 200 OK" "$(dp_curl_status $DC http://10.0.0.100/)"
check_eq "(a) and the provider's page" "hello from the provider's service" \
	"$(ip netns exec $DC curl -s --max-time 20 http://10.0.0.100/)"
check "(a) the provider saw only the NLB node, never the DC's address" \
	provider_saw_only_nlb '192\.168\.10\.5'
check "(a) plctl flow show: 192.168.10.5 -> ENI via NLB -> target, consumer zone" \
	flow_from 192.168.10.5
before=$(drops)
ip -n $DX route add 172.16.0.0/16 via 169.254.100.1
check_fail "(a) the DC cannot reach the provider's target directly" 28 "" \
	ip netns exec $DC curl -s --connect-timeout 2 http://172.16.1.10:8443/
check "(a) the router dropped it as a flow between VPCs (drop_wrong_vpc)" \
	test "$(drops)" -gt "$before"
ip -n $DX route del 172.16.0.0/16

# --- (a) in IPv6 -------------------------------------------------------------
check "(a) IPv6: the DC host reaches the ENI through the dx router, not directly" \
	sh -c 'ip -n $DC -6 route get fd00:10::100 | grep -q "via fd00:192:168:10::1 dev d0" &&
		ip -n $DX -6 route get fd00:10::100 | grep -q "via fd00:a9fe:6400::1 dev xr0"'
check_eq "(a) IPv6: the DC host's curl -6 -i through the ENI gets HTTP 200" \
	"HTTP/1.0 200 OK" "$(dp_curl_status $DC 'http://[fd00:10::100]/')"
want=$(sha256sum < "$www/blob")
got=$(ip netns exec $DC curl -6 -s --max-time 60 'http://[fd00:10::100]/blob' | sha256sum)
check_eq "(a) IPv6: 1 MB from the IPv6 target, sha256 equal" "$want" "$got"
check "(a) IPv6: the IPv6 target saw only the NLB node, never the DC's address" \
	provider6_saw_only_nlb 'fd00:192:168:10::5' 2
check "(a) IPv6: plctl flow show: fd00:192:168:10::5 -> ENI via NLB -> target, consumer zone" \
	flow6_from fd00:192:168:10::5
before=$(drops)
ip -n $DX -6 route add fd00:172:16::/48 via fd00:a9fe:6400::1
check_fail "(a) IPv6: the DC cannot reach the provider's target directly" 28 "" \
	ip netns exec $DC curl -6 -s --connect-timeout 2 'http://[fd00:172:16:1::10]:8443/'
check "(a) IPv6: dropped as a flow between VPCs (drop_wrong_vpc)" \
	test "$(drops)" -gt "$before"
ip -n $DX -6 route del fd00:172:16::/48

# --- (b) inter-region peering ----------------------------------------------
check "(b) before the peering link joins the consumer VPC, the region gets nothing" \
	sh -c '! ip netns exec $W curl -s --connect-timeout 3 -o /dev/null http://10.0.0.100/'
check "(b) nor over IPv6" \
	sh -c '! ip netns exec $W curl -6 -s --connect-timeout 3 -o /dev/null "http://[fd00:10::100]/"'
check "(b) the peering link joins the consumer VPC's interfaces" \
	plctl -n $R vpc set consumer dev rc0 dev rdx0 dev rpeer0
check "(b) vpc show lists it" sh -c \
	'plctl -n $R vpc show consumer | grep -q "dev rc0 dev rdx0 dev rpeer0 zone '"$zone"'"'
check_eq "(b) the remote region's curl -i through the ENI gets HTTP 200" \
	"HTTP/1.0 200 OK" "$(dp_curl_status $W http://10.0.0.100/)"
want=$(sha256sum < "$www/blob")
got=$(ip netns exec $W curl -s --max-time 60 http://10.0.0.100/blob | sha256sum)
check_eq "(b) 1 MB over the peering link and the endpoint, sha256 equal" "$want" "$got"
check "(b) the provider saw only the NLB node, never the region's address" \
	provider_saw_only_nlb '10\.1\.0\.5'
check "(b) plctl flow show: 10.1.0.5 -> ENI via NLB -> target, consumer zone" \
	flow_from 10.1.0.5
check "(b) the text line of the flow" sh -c "plctl -n $R flow show |
	grep -qE '^10\.1\.0\.5:[0-9]+ -> 10\.0\.0\.100:80 via 172\.16\.0\.10:[0-9]+ -> 172\.16\.1\.10:8443 tcp [A-Z_0-9]+ zone $zone endpoint vpce-1\$'"
n=$(plctl -n $R flow show endpoint vpce-1 | wc -l)
check "(b) the in-VPC host's, the DC's and the region's flows are the endpoint's" \
	test "$n" -ge 3 -a "$n" = "$(plctl -n $R flow show | wc -l)"

# --- (b) in IPv6 -------------------------------------------------------------
check_eq "(b) IPv6: the remote region's curl -6 -i through the ENI gets HTTP 200" \
	"HTTP/1.0 200 OK" "$(dp_curl_status $W 'http://[fd00:10::100]/')"
got=$(ip netns exec $W curl -6 -s --max-time 60 'http://[fd00:10::100]/blob' | sha256sum)
check_eq "(b) IPv6: 1 MB over the peering link, sha256 equal" "$want" "$got"
check "(b) IPv6: the IPv6 target saw only the NLB node, never the region's address" \
	provider6_saw_only_nlb 'fd00:11::5' 4
check "(b) IPv6: plctl flow show: fd00:11::5 -> ENI via NLB -> target, consumer zone" \
	flow6_from fd00:11::5
check "(b) IPv6: the text line of the flow" sh -c "plctl -n $R flow show |
	grep -qE '^\[fd00:11::5\]:[0-9]+ -> \[fd00:10::100\]:80 via \[fd00:172:16::10\]:[0-9]+ -> \[fd00:172:16:1::10\]:8443 tcp [A-Z_0-9]+ zone $zone endpoint vpce-1\$'"
check "(b) IPv6: conntrack -f ipv6 holds the region's flow in the consumer's zone" sh -c "
	ip netns exec $R conntrack -L -f ipv6 -p tcp --orig-src fd00:11::5 2>/dev/null |
		grep 'dst=fd00:10::100' | grep 'src=fd00:172:16:1::10 dst=fd00:172:16::10' |
		grep -qE 'zone-orig=$zone( |\$)'"
check_fail "flow show of an endpoint that does not exist fails" 1 "Error:" \
	plctl -n $R flow show endpoint vpce-nosuch
check "every new flow was counted, both families'" test "$(pl_info_stat new_flows)" -ge 9
done_testing
