#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VPCs: conntrack zones, interface changes, failures, scale, object limits.
#
# - Zone 0 (conntrack's default zone) is refused; VPCs added without a zone
#   get the lowest free one (a hole left by a delete is taken first).
# - A failed vpc add or set changes nothing: counts, objects_live (every
#   interface entry is an allocation), the interfaces stay free for another
#   VPC, the hooks stay off when it would have been the first VPC.  A VRF
#   in a failed add leaves no VRF count behind either: the module WARNs if
#   the VRF count, the interface table or the zone table is not empty when
#   a namespace's last VPC goes, and the runner fails a test whose kernel
#   log gains a WARNING.
# - vpc set keeps the interfaces that stay: a TCP echo flow through an
#   endpoint keeps flowing, every byte right and without a reset, while its
#   consumer VPC gains and loses other interfaces 300 times, and no packet
#   of it is ever seen outside the consumer's zone (an unclassified packet
#   would make conntrack pick the flow up in zone 0: a second entry for the
#   same 5-tuple); nor is any of a UDP stream sent meanwhile.
# - 20000 VPCs (PRIVLINK_VPCS_N) load through plctl -b (the first and the
#   last 1000 adds are timed, for information); all exist, the next add
#   takes zone 20001, a zone freed in the middle is given out again.
# - Deleting a VPC ends every conntrack entry of its zone (a ping of the
#   router's is one privlink did not translate).
# - max_objects=10: the 11th object (AZ or VPC) is refused with ENOSPC's
#   message; deleting one makes room again.
#
#   pl-vpc-c (consumer)      pl-vpc-r (router)               pl-vpc-p (provider)
#   +----------------+ veth  +-------------------------+ veth +----------------+
#   | c0 10.0.0.5/24 |-------| rc0 10.0.0.1/24         |------| p0 172.16.1.10 |
#   | echo client    |       | rp0 172.16.0.1/16       |      | echo :8443     |
#   +----------------+       | dummies x1 x2 y0 d1 d2  |      +----------------+
#    ENI 10.0.0.100 (az1) -> |   f0, vrf0 (table 10)   |
#                            |   with slave v0         |
#                            +-------------------------+
#   pl-vpc-s: 20000 VPCs.   pl-vpc-l: max_objects=10.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload

netns_new C=pl-vpc-c R=pl-vpc-r PR=pl-vpc-p &&
topo_std $C $R $PR &&
for d in x1 x2 y0 d1 d2 f0 v0; do ip -n $R link add $d type dummy || exit 1; done &&
ip -n $R link add vrf0 type vrf table 10 &&
ip -n $R link set dev v0 master vrf0 ||
	{ diag "cannot build the topology"; exit 1; }
P="plctl -n $R"

# err DESC TEXT CMD...: the kernel refuses with TEXT, plctl exits 1.
err() {
	local desc=$1 text=$2
	shift 2
	check_fail "$desc" 1 "Error: $text" "$@"
}
# counts NS: every object count of NS and objects_live (module-wide).
counts() {
	plctl -n "$1" -j version | json_eval '" ".join(str(j[k]) for k in ("azs","vpcs","services","targets","endpoints","enis","objects_live"))'
}
# zone NS VPC: the VPC's conntrack zone.
zone() { plctl -n "$1" -j vpc show "$2" | json_eval 'j[0]["zone"]'; }

# --- zones -------------------------------------------------------------------
base=$(counts $R)
# plctl refuses zone 0 itself (a usage error, as any value out of the
# kernel's bounds); the kernel's own refusal is seen with a raw request
check_fail "plctl refuses zone 0" 2 \
	'Error: "zone" needs a number between 1 and 65535' \
	$P vpc add z0 account 1 cidr 10.9.0.0/24 zone 0
check_eq "the kernel refuses zone 0" \
	"-22 zone 0 is conntrack's default zone; a VPC's zone is 1..65535" \
	"$(ip netns exec $R python3 "$TOP/selftests/lib/vpc_add_raw.py" z0 1 10.9.0.0 24 0)"
check_eq "zone 0: nothing changed" "$base" "$(counts $R)"
check "three VPCs without a zone, one with zone 5" sh -c "
	set -e
	$P vpc add a1 account 1 cidr 10.9.1.0/24
	$P vpc add a2 account 1 cidr 10.9.2.0/24
	$P vpc add a3 account 1 cidr 10.9.3.0/24
	$P vpc add a5 account 1 cidr 10.9.5.0/24 zone 5"
check_eq "they got zones 1, 2, 3 and 5" "1 2 3 5" \
	"$(for v in a1 a2 a3 a5; do zone $R $v; done | xargs)"
check "delete a2 (zone 2)" $P vpc del a2
check "add b1, b2, b3 without a zone" sh -c "
	set -e
	$P vpc add b1 account 1 cidr 10.9.6.0/24
	$P vpc add b2 account 1 cidr 10.9.7.0/24
	$P vpc add b3 account 1 cidr 10.9.8.0/24"
check_eq "they took the lowest free zones: 2 (the hole), 4, 6" "2 4 6" \
	"$(for v in b1 b2 b3; do zone $R $v; done | xargs)"
err "zone 5 is taken" "another VPC uses this conntrack zone" \
	$P vpc add c5 account 1 cidr 10.9.9.0/24 zone 5
check "zone 65535 is a VPC zone" $P vpc add top account 1 cidr 10.9.10.0/24 zone 65535
check "delete the zone VPCs" sh -c "
	set -e
	for v in a1 a3 a5 b1 b2 b3 top; do $P vpc del \$v; done"

# --- a failed vpc add leaves nothing behind ----------------------------------
base=$(counts $R)
check_eq "no VPC yet: hooks off" False "$(pl_info $R hooks)"
err "first VPC, an interface listed twice" "the interface is listed twice" \
	$P vpc add f account 1 cidr 10.8.0.0/24 dev f0 dev d1 dev f0
check_eq "nothing changed (counts, objects_live)" "$base" "$(counts $R)"
check_eq "the hooks stayed off" False "$(pl_info $R hooks)"
check "vpc add other (dev y0, zone 9)" $P vpc add other account 2 cidr 10.7.0.0/24 dev y0 zone 9
base=$(counts $R)
err "d1, d2, then y0 of another VPC" "the interface already belongs to another VPC" \
	$P vpc add f account 1 cidr 10.8.0.0/24 dev d1 dev d2 dev y0
check_eq "nothing changed" "$base" "$(counts $R)"
err "VRF and d1, in a zone that is taken" "another VPC uses this conntrack zone" \
	$P vpc add f account 1 cidr 10.8.0.0/24 dev vrf0 dev d1 zone 9
check_eq "nothing changed" "$base" "$(counts $R)"
err "a VRF's slave with an interface of another VPC" \
	"the interface already belongs to another VPC" \
	$P vpc add f account 1 cidr 10.8.0.0/24 dev v0 dev y0
check_eq "nothing changed" "$base" "$(counts $R)"
err "a duplicate name with free interfaces" "a VPC with this name already exists" \
	$P vpc add other account 1 cidr 10.8.0.0/24 dev d1 dev vrf0
check_eq "nothing changed" "$base" "$(counts $R)"
check "d1, d2 and the VRF are free for another VPC" \
	$P vpc add f account 1 cidr 10.8.0.0/24 dev d1 dev d2 dev vrf0
check_eq "f has them (zone 1, the lowest free)" "f account 1 cidr 10.8.0.0/24 dev d1 dev d2 dev vrf0 zone 1" \
	"$($P vpc show f 2>&1)"
check "delete f and other: the last VPC (no WARN: VRF count back to 0)" \
	sh -c "$P vpc del f && $P vpc del other"
check_eq "hooks off again" False "$(pl_info $R hooks)"

# --- vpc set keeps the interfaces that stay ----------------------------------
# A TCP echo flow the test ends itself: the consumer's client sends 16 kB,
# checks the echo, counts the round in $dir/rounds, until $dir/stop exists;
# then it half-closes, expects a clean end and prints "ok ROUNDS" (or the
# error: a reset, a timeout of 30 s, wrong data).
dir=$(mktemp -d)
at_exit rm -rf "$dir"
ip netns exec $PR python3 -c '
import socket
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("0.0.0.0", 8443))
l.listen(1)
c, _ = l.accept()
while True:
    b = c.recv(65536)
    if not b:
        break
    c.sendall(b)
c.close()' &
at_exit kill $!
wait_for 60 dp_listening $PR tcp 8443 || diag "the echo server did not start"
check "configure an endpoint between consumer (zone 3) and provider" sh -c "
	set -e
	$P az add az1
	$P vpc add consumer account 111 cidr 10.0.0.0/24 dev rc0 zone 3
	$P vpc add provider account 222 cidr 172.16.0.0/16 dev rp0
	$P vpc add other account 333 cidr 10.7.0.0/24 dev y0
	$P service add svc vpc provider listener tcp/80:8443 nlb az1 172.16.0.10 acceptance auto principal 111
	$P target add svc 172.16.1.10 az az1
	$P endpoint add ep vpc consumer service svc eni az1 10.0.0.100"
ip netns exec $C python3 -c '
import os, socket, sys
d = sys.argv[1]
try:
    s = socket.create_connection(("10.0.0.100", 80), timeout=30,
                                 source_address=("10.0.0.5", 45000))
    n = 0
    while not os.path.exists(d + "/stop"):
        out = os.urandom(16384)
        s.sendall(out)
        got = b""
        while len(got) < len(out):
            b = s.recv(len(out) - len(got))
            if not b:
                raise EOFError("the server closed the connection")
            got += b
        if got != out:
            raise ValueError("the echo differs")
        n += 1
        with open(d + "/rounds.new", "w") as f:
            f.write(str(n))
        os.replace(d + "/rounds.new", d + "/rounds")
    s.shutdown(socket.SHUT_WR)
    if s.recv(1):
        raise ValueError("data after the end")
    print("ok", n)
except Exception as e:
    print("error:", type(e).__name__, e)' "$dir" > "$dir/result" 2>&1 &
client=$!
at_exit kill $client
# rounds_above N: the client completed more than N rounds (for wait_for)
rounds_above() { [ "$(cat "$dir/rounds" 2>/dev/null || echo 0)" -gt "$1" ]; }
# the router's conntrack entries of the echo flow
flow_entries() {
	ip netns exec $R conntrack -L 2>/dev/null |
		grep -F "src=10.0.0.5 dst=10.0.0.100 sport=45000 "
}
check "the echo flow runs" wait_for 60 rounds_above 0
check_eq "it is in the consumer's zone" 1 "$(flow_entries | grep -c 'zone-orig=3 ')"
for i in $(seq 100); do
	echo "vpc set consumer dev rc0 dev x1"
	echo "vpc set consumer dev x2 dev rc0 dev x1"
	echo "vpc set consumer dev rc0"
done > "$dir/sets.batch"
# UDP from the consumer to a port of the ENI that is no listener, as fast
# as python sends, for as long as the sets run: privlink drops each one it
# classifies (drop_no_listener); an unclassified one would be routed
# unzoned and leave a conntrack entry outside the consumer's zone.
nl0=$(dp_stat $R drop_no_listener)
ip netns exec $C python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.0.0.5", 46000))
while not os.path.exists(sys.argv[1]):
    s.sendto(b"x" * 64, ("10.0.0.100", 7777))' "$dir/udp-stop" &
udp=$!
at_exit kill $udp
check "the UDP packets are dropped as not to a listener" \
	wait_for 60 dp_stat_ge $R drop_no_listener $((nl0 + 1))
nl1=$(dp_stat $R drop_no_listener)
check "300 vpc sets adding and removing x1, x2 (one batch)" \
	$P -b "$dir/sets.batch"
check "UDP packets kept coming during the sets" \
	wait_for 60 dp_stat_ge $R drop_no_listener $((nl1 + 1))
touch "$dir/udp-stop"
wait $udp
diag "UDP packets classified and dropped: $(($(dp_stat $R drop_no_listener) - nl0))"
check_eq "no UDP packet of the consumer went unzoned (no conntrack entry)" 0 \
	"$(ip netns exec $R conntrack -L -p udp 2>/dev/null | grep -F 'dst=10.0.0.100 ' | grep -c .)"
base=$(counts $R)
err "a set with an interface of another VPC" "the interface already belongs to another VPC" \
	$P vpc set consumer dev rc0 dev x1 dev y0
check_eq "it changed nothing: consumer keeps rc0 only" "consumer account 111 cidr 10.0.0.0/24 dev rc0 zone 3" \
	"$($P vpc show consumer 2>&1)"
check_eq "it changed nothing: counts, objects_live" "$base" "$(counts $R)"
check "x1, x2 are free again" sh -c "$P vpc add tmp account 1 cidr 10.6.0.0/24 dev x1 dev x2 && $P vpc del tmp"
check "vpc set to the same interface" $P vpc set consumer dev rc0
r=$(cat "$dir/rounds")
check "the echo flow goes on after all the sets" wait_for 60 rounds_above $((r + 20))
touch "$dir/stop"
wait $client
check_eq "the client ended cleanly: no reset, no timeout, every echo right" ok \
	"$(cut -d' ' -f1 "$dir/result")"
diag "client: $(cat "$dir/result")"
check_eq "one conntrack entry for the flow, in zone 3: no packet went unzoned" \
	"1 1" "$(flow_entries | awk '{ n++ } /zone-orig=3 / { z++ } END { print n + 0, z + 0 }')"
# Deleting a VPC ends every conntrack entry of its zone, translated or not:
# one left behind would be taken for a flow of the next VPC given the zone.
check "the consumer pings the router: an untranslated entry in zone 3" sh -c "
	ip netns exec $C ping -c1 -W10 10.0.0.1 >/dev/null &&
	ip netns exec $R conntrack -L -p icmp 2>/dev/null | grep -q 'zone-orig=3 '"
check "clean up the configuration" sh -c "
	set -e
	$P endpoint del ep; $P service del svc
	for v in consumer provider other; do $P vpc del \$v; done
	$P az del az1"
check_eq "deleting the consumer VPC ended every entry of zone 3 (the ping's too)" 0 \
	"$(ip netns exec $R conntrack -L 2>/dev/null | grep -c 'zone-orig=3 ')"

# --- 20000 VPCs ----------------------------------------------------------------
N=${PRIVLINK_VPCS_N:-20000}
netns_new S=pl-vpc-s
live0=$(pl_info objects_live)
batches=$(mktemp -d)
at_exit rm -rf "$batches"
awk -v n=$N -v d="$batches" 'BEGIN {
	for (i = 1; i <= n; i++)
		printf "vpc add v%d account 1 cidr 10.0.0.0/24\n", i > sprintf("%s/%05d", d, int((i - 1) / 1000))
}'
ms() { echo $(($(date +%s%N) / 1000000)); }
failed=0 first= last=
for f in "$batches"/*; do
	t0=$(ms)
	plctl -n $S -b "$f" >/dev/null || { failed=1; break; }
	t=$(($(ms) - t0))
	[ -z "$first" ] && first=$t
	last=$t
done
check_eq "$N VPCs added in batches of 1000" 0 $failed
diag "first 1000 adds: ${first} ms, last 1000 adds: ${last} ms"
check_eq "version -j: $N VPCs" $N "$(pl_info $S vpcs)"
check_eq "vpc show lists them all" $N "$(plctl -n $S vpc show | wc -l)"
check_eq "v1 has zone 1, v$N zone $N" "1 $N" "$(zone $S v1) $(zone $S v$N)"
check "add one more" plctl -n $S vpc add extra account 1 cidr 10.0.0.0/24
check_eq "it got zone $((N + 1))" $((N + 1)) "$(zone $S extra)"
check "delete v$((N / 2))" plctl -n $S vpc del v$((N / 2))
check "add another" plctl -n $S vpc add hole account 1 cidr 10.0.0.0/24
check_eq "it got the freed zone $((N / 2))" $((N / 2)) "$(zone $S hole)"
check "ip netns del with $((N + 1)) VPCs" ip netns del $S
check "objects_live returns to its earlier value" \
	wait_for 300 pl_info_is "" objects_live "$live0"

# --- object limit ---------------------------------------------------------------
check "reload the module with max_objects=10" \
	sh -c "lsmod | grep -q '^privlink ' && rmmod privlink; insmod '$MODULE' max_objects=10"
netns_new L=pl-vpc-l
ip -n $L link add l0 type dummy
PL="plctl -n $L"
check_eq "the parameter and the namespace's limit are 10" "10 10" \
	"$(cat /sys/module/privlink/parameters/max_objects) $(pl_info $L max_objects)"
check "2 AZs and 8 VPCs: 10 objects" sh -c "
	set -e
	$PL az add z1; $PL az add z2
	for i in 1 2 3 4 5 6 7 8; do $PL vpc add v\$i account 1 cidr 10.0.\$i.0/24; done"
base=$(counts $L)
limit_msg="the namespace's object limit (max_objects) is reached; delete objects first"
err "the 11th object: an AZ" "$limit_msg" $PL az add z3
err "the 11th object: a VPC (with an interface)" "$limit_msg" \
	$PL vpc add v9 account 1 cidr 10.0.9.0/24 dev l0
check_eq "nothing changed" "$base" "$(counts $L)"
check "delete a VPC" $PL vpc del v1
check "there is room for one again: VPC v9 with l0" \
	$PL vpc add v9 account 1 cidr 10.0.9.0/24 dev l0
err "and then no more" "$limit_msg" $PL az add z3
check "delete an AZ" $PL az del z2
check "there is room for an AZ" $PL az add z3
check "the default namespace has its own 10" sh -c "
	set -e
	plctl az add pl-vpc-l-z; plctl az del pl-vpc-l-z"
check "unload" module_unload
done_testing
