#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Target selection is keyed with the namespace's secret hash key (uapi
# "Target selection"): a consumer cannot choose its target by choosing its
# source port, yet two routers with the same configuration and key (an HA
# pair: plctl save | plctl -b) pick the same target for the same flow.
#
# Two identical sites, each a consumer, a router and a provider with two UDP
# targets that answer with their own address:
#
#   pl-hk-cN 10.0.0.5 -- pl-hk-rN (ENI 10.0.0.100, udp/53 -> :9000) -- pl-hk-pN
#                                  nlb 172.16.0.10          172.16.1.11, 172.16.1.12
#
# Checks: each new namespace gets a random key; R2 restored from R1's save has
# R1's key; 16 flows (source ports) pick the same targets at both sites and
# use both targets; after R2's key changes, 16 new flows do not all pick the
# same targets as at R1 (probability 2^-16 for a false failure); the key is
# not shown to a user without CAP_NET_ADMIN, nor in that user's save.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
T1=172.16.1.11 T2=172.16.1.12

site() {	# C R P: build a site in these namespaces
	local c=$1 r=$2 p=$3 t
	topo_std $c $r $p 172.16.0.2 $T1 $T2 || return 1
	for t in $T1 $T2; do
		# one process answers every datagram with the target's
		# address (socat would fork for each: slow on a debug kernel)
		ip netns exec $p python3 "$TOP/selftests/lib/udp_echo.py" \
			--id $t 9000 $t >/dev/null 2>&1 &
		at_exit kill $!
	done
	for t in $T1 $T2; do
		wait_for 90 dp_listening $p udp 9000 $t || return 1
	done
}
netns_new C1=pl-hk-c1 R1=pl-hk-r1 P1=pl-hk-p1 C2=pl-hk-c2 R2=pl-hk-r2 P2=pl-hk-p2 &&
site $C1 $R1 $P1 && site $C2 $R2 $P2 || { diag "cannot build the topology"; exit 1; }

key() { plctl -n "$1" -j limit show | json_eval 'j.get("hash_key", "")'; }

k1=$(key $R1) k2=$(key $R2)
check "a new namespace has a 32-digit key" sh -c "echo '$k1' | grep -qxE '[0-9a-f]{32}'"
check "two new namespaces have different keys" test "$k1" != "$k2"

check "configure site 1" sh -c "
	set -e
	pl() { plctl -n $R1 \"\$@\"; }
	pl az add use1-az1
	pl vpc add consumer account 111111111111 cidr 10.0.0.0/24 dev rc0
	pl vpc add provider account 222222222222 cidr 172.16.0.0/16 dev rp0
	pl service add svc vpc provider listener udp/53:9000 nlb use1-az1 172.16.0.10 \
		acceptance auto principal '*'
	pl target add svc $T1 az use1-az1
	pl target add svc $T2 az use1-az1
	pl endpoint add vpce-1 vpc consumer service svc eni use1-az1 10.0.0.100"
tmp=$(mktemp -d)
at_exit rm -rf "$tmp"
check "site 2 restored from site 1's save" sh -c \
	"plctl -n $R1 save > $tmp/r1.conf && plctl -n $R2 -b $tmp/r1.conf"
check_eq "site 2 has site 1's key" "$k1" "$(key $R2)"

# probe NS FIRST: 16 UDP flows from source ports FIRST..; prints the
# answering target of each, one per line ("fail" if none).  A datagram
# without an answer is sent again (up to 5 times): same port, same flow.
probe() {
	ip netns exec "$1" python3 -c '
import socket, sys
first = int(sys.argv[1])
for port in range(first, first + 16):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    s.bind(("0.0.0.0", port))
    answer = "fail"
    for attempt in range(5):
        try:
            s.sendto(b"which", ("10.0.0.100", 53))
            answer = s.recv(100).decode().strip()
            break
        except OSError:
            pass
    print(answer)
    s.close()' "$2"
}

a=$(probe $C1 41001) b=$(probe $C2 41001)
check "site 1: 16 flows answered" sh -c "! echo '$a' | grep -q fail && [ \$(echo '$a' | wc -l) = 16 ]"
check_eq "the same key: every flow picks the same target at both sites" "$a" "$b"
check "the flows use both targets" sh -c \
	"echo '$a' | grep -qx $T1 && echo '$a' | grep -qx $T2"

check "site 2 gets another key" plctl -n $R2 limit set hash-key 00112233445566778899aabbccddeeff
check_eq "limit show has it" 00112233445566778899aabbccddeeff "$(key $R2)"
a=$(probe $C1 42001) b=$(probe $C2 42001)
check "another key: site 2's 16 new flows all answered" sh -c "! echo '$b' | grep -q fail"
check "another key: the targets picked differ for some flow" test "$a" != "$b"

U="ip netns exec $R1 setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all $PLCTL"
check_eq "without CAP_NET_ADMIN the key is not shown" "" \
	"$($U -j limit show | json_eval 'j.get("hash_key", "")')"
check "... nor saved" sh -c "! $U save | grep -q '$k1'"
check "root's save has it" sh -c "plctl -n $R1 save | grep -q 'hash-key $k1'"
done_testing
