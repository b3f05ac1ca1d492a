#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Dual stack: the service and endpoint rules hold for IPv6 flows as for
# IPv4 ones.  Acceptance (a pending endpoint takes no IPv6 flow), zonal
# affinity, draining and failover to the other AZ among IPv6 targets only,
# weights with cross-zone, the service's idle timeout on an IPv6 flow's
# conntrack entry, an endpoint's max-flows counting the flows of both
# families together, an AZ going down, a live IPv6 flow pinned to its
# target while that drains, and a reject that ends a live IPv6 flow.
#
#   pl-dsp-c (consumer VPC)      pl-dsp-r (router)              pl-dsp-p (provider VPC)
#   c0 10.0.0.5/24, fd00:10::5 -- rc0 / rp0 (topo_std, std6) --- p0 172.16.1.10 (az1)
#                                                                   fd00:172:16:1::10 (az1)
#   ENI use1-az1 10.0.0.100,fd00:10::100                            fd00:172:16:1::20 (az2)
#   NLB nodes: use1-az1 172.16.0.10,fd00:172:16::10
#              use1-az2 172.16.0.11,fd00:172:16::11
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
netns_new C=pl-dsp-c R=pl-dsp-r P=pl-dsp-p &&
topo_std $C $R $P 172.16.1.10 &&
topo_std6 $C $R $P fd00:172:16:1::10 fd00:172:16:1::20 ||
	{ diag "cannot build the topology"; exit 1; }

T1=fd00:172:16:1::10 T2=fd00:172:16:1::20 T4=172.16.1.10
tmp=$(mktemp -d)
at_exit rm -rf "$tmp"
topo_http $P 8080 "$tmp/www" "$tmp/http.log" $T4 $T1 $T2 ||
	{ diag "cannot start the HTTP servers"; exit 1; }

pl() { plctl -n $R "$@"; }
export -f pl

check "configure two AZs, a dualstack service with two IPv6 targets and one IPv4 target" bash -c '
	set -e
	pl az add use1-az1
	pl az add use1-az2
	pl vpc add consumer account 111111111111 cidr 10.0.0.0/24 ipv6-cidr fd00:10::/64 dev rc0
	pl vpc add provider account 222222222222 cidr 172.16.0.0/16 ipv6-cidr fd00:172:16::/48 dev rp0
	pl service add svc vpc provider listener tcp/80:8080 \
		nlb use1-az1 172.16.0.10,fd00:172:16::10 nlb use1-az2 172.16.0.11,fd00:172:16::11 \
		principal 111111111111
	pl target add svc '$T1' az use1-az1
	pl target add svc '$T2' az use1-az2
	pl target add svc '$T4' az use1-az1
	pl endpoint add vpce-p vpc consumer service svc ip-type dualstack \
		eni use1-az1 10.0.0.100,fd00:10::100'

get6() { ip netns exec $C curl -6 -s --max-time "${1:-30}" 'http://[fd00:10::100]/id'; }
get4() { ip netns exec $C curl -4 -s --max-time "${1:-30}" http://10.0.0.100/id; }
# tally N: N IPv6 requests, "target count" per line, sorted
tally() {
	local i
	for i in $(seq "$1"); do get6; done | sort | uniq -c | awk '{print $2, $1}'
}

# --- acceptance ------------------------------------------------------------
na0=$(dp_stat $R drop_not_accepted)
get6 3 >/dev/null
check_eq "a pending endpoint takes no IPv6 flow (curl times out)" 28 $?
check "drop_not_accepted counted it" dp_stat_ge $R drop_not_accepted $((na0 + 1))
pl endpoint accept vpce-p >/dev/null
check_eq "accepted: the IPv6 flow reaches the IPv6 target of the ENI's AZ" $T1 "$(get6)"

# --- zonal affinity, draining, failover, weights ---------------------------
check_eq "zonal affinity: 8 IPv6 flows, all to az1's IPv6 target (never the IPv4 one)" \
	"$T1 8" "$(tally 8)"
pl target set svc $T1 state draining >/dev/null
check_eq "az1's IPv6 target draining: 6 flows fail over to az2's IPv6 target" \
	"$T2 6" "$(tally 6)"
check "the failover target saw the NLB node of the ENI's AZ (az1)" \
	bash -c "grep -q '^fd00:172:16::10 .*GET /id' '$tmp/http.log' &&
		! grep -q '^fd00:172:16::11 ' '$tmp/http.log'"
check_eq "IPv4 flows still go to the IPv4 target of az1" $T4 "$(get4)"
pl target set svc $T1 state healthy >/dev/null
pl service set svc cross-zone on >/dev/null
pl target set svc $T2 weight 100 >/dev/null
t2=$(tally 20 | awk -v t=$T2 '$1 == t {print $2}')
check "cross-zone, weights 1:100: az2's IPv6 target takes at least 17 of 20 flows (got ${t2:-0})" \
	test "${t2:-0}" -ge 17
pl service set svc cross-zone off >/dev/null

# --- a live IPv6 connection: idle timeout, limits, AZ down, reject --------
# (the limit is set first: nf_conncount counts the flows made while one is)
pl service set svc idle-timeout 300 >/dev/null
pl endpoint set vpce-p max-flows 1 >/dev/null
cat > "$tmp/hold.py" <<'EOF'
import socket, sys, time
s = socket.create_connection(("fd00:10::100", 80))
print("connected", flush=True)
time.sleep(600)
EOF
ip netns exec $C python3 "$tmp/hold.py" > "$tmp/hold.out" 2>&1 &
hold=$!
at_exit kill $hold
check "an IPv6 connection is held open through the ENI" \
	wait_for 60 grep -q connected "$tmp/hold.out"
est_timeout() {
	ip netns exec $R conntrack -L -f ipv6 -p tcp --orig-dst fd00:10::100 \
		--state ESTABLISHED 2>/dev/null | awk '{print $3}' | head -n1
}
t=$(est_timeout)
check "its conntrack entry has the service's idle timeout (300 s), not the default (got '$t')" \
	test -n "$t" -a "${t:-999}" -le 300
lim0=$(dp_stat $R drop_limit)
get4 3 >/dev/null
check_eq "max-flows 1 with one live IPv6 flow: a new IPv4 flow is refused (both families count)" 28 $?
check "drop_limit counted it" dp_stat_ge $R drop_limit $((lim0 + 1))
pl endpoint set vpce-p max-flows 0 >/dev/null
check_eq "no limit: IPv4 flows again" $T4 "$(get4)"
pl az set use1-az1 state down >/dev/null
az0=$(dp_stat $R drop_az_down)
get6 3 >/dev/null
check_eq "the ENI's AZ down: no new IPv6 flow" 28 $?
check "drop_az_down counted it" dp_stat_ge $R drop_az_down $((az0 + 1))
pl az set use1-az1 state up >/dev/null
check "before the reject the IPv6 connection is live in conntrack" \
	test -n "$(est_timeout)"
pl target set svc $T1 state draining >/dev/null
check_eq "its target draining: a new IPv6 flow goes to az2's IPv6 target" $T2 "$(get6)"
check "the live IPv6 connection stays on its draining target (pinned by its NAT binding)" \
	bash -c "ip netns exec $R conntrack -L -f ipv6 -p tcp --orig-dst fd00:10::100 \
		--state ESTABLISHED 2>/dev/null | grep -q 'src=$T1 dst=fd00:172:16::10 '"
pl target set svc $T1 state healthy >/dev/null
pl endpoint reject vpce-p >/dev/null
check "rejecting the endpoint ended its live IPv6 flow" \
	wait_for 30 dp_ct_none $R -f ipv6 -p tcp --orig-dst fd00:10::100 --state ESTABLISHED

done_testing
