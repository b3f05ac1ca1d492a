#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# README.md's "Example", as a new user would run it: the block tagged
# "```sh example" runs as written on a router namespace whose legs (ca, cb,
# pr0) are bare veths, as a router's interfaces are before it is set up.
# Two consumer VPCs with identical addresses then each fetch through their
# own endpoint, in both AZs, and each flow is counted in its own endpoint.
#
#  pl-ex-a  10.0.0.5/24 --- ca [vrf-a] \
#                                       pl-ex-r --- pr0 --- pl-ex-p  172.16.1.10/16 (use1-az1)
#  pl-ex-b  10.0.0.5/24 --- cb [vrf-b] /                             172.16.2.10/16 (use1-az2)
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/selftests/host/readme.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
netns_new A=pl-ex-a B=pl-ex-b R=pl-ex-r P=pl-ex-p ||
	{ diag "cannot create the namespaces"; exit 1; }
# The router's legs are bare (down, no address): the example sets them up.
for x in a b; do
	ns=${x^^} && ns=${!ns}
	ip -n $R link add c$x type veth peer name eth0 netns $ns
	ip -n $ns addr add 10.0.0.5/24 dev eth0
	ip -n $ns link set eth0 up
done
ip -n $R link add pr0 type veth peer name eth0 netns $P
ip -n $P addr add 172.16.1.10/16 dev eth0
ip -n $P addr add 172.16.2.10/16 dev eth0
ip -n $P link set eth0 up

www=$(mktemp -d)
at_exit rm -rf "$www"
topo_http $P 8443 "$www" "" 172.16.1.10 172.16.2.10
head -c 500000 /dev/urandom > "$www/172.16.1.10/f"
cp "$www/172.16.1.10/f" "$www/172.16.2.10/f"
want=$(sha256sum < "$www/172.16.1.10/f")

block=$(readme_block example)
check "README.md has the example block" test -n "$block"
out=$(ip netns exec $R env PATH="$TOP/tools/plctl:$PATH" bash -e -c "$block" 2>&1)
rc=$?
[ $rc = 0 ] || diag "$out"
check_eq "the example runs as written on the router" 0 "$rc"
check "its last command shows both endpoints available" \
	grep -qE "^vpce-b .*available" <<<"$out"

# ENI .100 is in use1-az1, .101 in use1-az2: each reaches its AZ's target.
for x in a b; do
	ns=${x^^} && ns=${!ns}
	for eni in 100:172.16.1.10 101:172.16.2.10; do
		got=$(ip netns exec $ns curl -s --max-time 30 \
			"http://10.0.0.${eni%%:*}:443/id")
		check_eq "VPC $x, ENI 10.0.0.${eni%%:*}: the target of the ENI's AZ answers" \
			"${eni#*:}" "$got"
	done
	got=$(ip netns exec $ns curl -s --max-time 60 http://10.0.0.100:443/f | sha256sum)
	check_eq "VPC $x fetches a file intact through its endpoint" "$want" "$got"
done
for x in a b; do
	n=$(plctl -n $R -s -j endpoint show vpce-$x |
		json_eval "j[0]['stats']['new_flows']")
	check_eq "vpce-$x counted its own 3 flows" 3 "$n"
done
check_eq "nothing was dropped as another VPC's" 0 "$(dp_stat $R drop_wrong_vpc)"
done_testing
