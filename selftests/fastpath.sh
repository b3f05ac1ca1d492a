#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The nf_flow_table fast path (module parameter fastpath=1): established
# privlink flows are offloaded ([OFFLOAD] in conntrack), data still arrives
# intact through the NAT, deleting the endpoint still ends the flow, and
# unloading the module with offloaded flows in flight is clean.
#
#   pl-fp-c 10.0.0.5 --- rc0 [pl-fp-r] rp0 --- pl-fp-p 172.16.1.10:8443 (http), :7 (echo)
#      ENI 10.0.0.100:80,:7 (az1)  flowtable on rc0, rp0     NLB node 172.16.0.10
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

module_unload
deps=$(modinfo -F depends "$MODULE" | tr ',' ' ')
modprobe -a $deps
check "load the module with fastpath=1" insmod "$MODULE" fastpath=1
at_exit module_unload
netns_new C=pl-fp-c R=pl-fp-r P=pl-fp-p &&
topo_std $C $R $P ||
	{ diag "cannot build the topology"; exit 1; }
www=$(mktemp -d)
at_exit rm -rf "$www"
head -c 6000000 /dev/urandom > "$www/blob"
topo_http $P 8443 "$www" "$www/access.log"
ip netns exec $P socat TCP-LISTEN:7,fork,reuseaddr EXEC:cat &
at_exit kill $!

check "configure the endpoint" sh -c '
	set -e
	pl() { plctl -n $R "$@"; }
	pl az add use1-az1
	pl vpc add consumer account 111111111111 cidr 10.0.0.0/24 dev rc0
	pl vpc add provider account 222222222222 cidr 172.16.0.0/16 dev rp0
	pl service add svc vpc provider listener tcp/80:8443 listener tcp/7 nlb use1-az1 172.16.0.10 acceptance auto principal 111111111111
	pl target add svc 172.16.1.10 az use1-az1
	pl endpoint add vpce-1 vpc consumer service svc eni use1-az1 10.0.0.100'

want=$(sha256sum < "$www/blob")
got=$(ip netns exec $C curl -s --max-time 120 http://10.0.0.100/blob | sha256sum)
check_eq "6 MB through the fast path, sha256 equal" "$want" "$got"

offloaded() {
	ip netns exec $R conntrack -L -p tcp --orig-dst 10.0.0.100 \
		--orig-port-dst 7 2>/dev/null | grep -q 'OFFLOAD'
}
# chat PORT: a long-lived echo conversation from source port PORT, one byte
# every 20 ms; its log gets "up" once the first byte came back, then "lost:"
# and the reason when the connection breaks: no echo for 10 s, or an error.
# The first echo may take longer: socat forks and execs cat for it, which a
# debug kernel under TCG does in seconds.
chat() {
	ip netns exec $C python3 - "$1" >"$www/chat-$1" 2>&1 <<'PY' &
import socket, sys, time
s = socket.socket()
s.bind(("10.0.0.5", int(sys.argv[1])))
s.settimeout(60)
why = "ended"
try:
    s.connect(("10.0.0.100", 7))
    s.sendall(b"x")
    if s.recv(1) != b"x":
        raise OSError("no first echo")
    print("up", flush=True)
    s.settimeout(10)
    end = time.time() + 120
    while time.time() < end:
        s.sendall(b"x")
        if s.recv(1) != b"x":
            raise OSError("closed by the peer")
        time.sleep(0.02)
except OSError as e:
    why = repr(e)
print("lost:", why, flush=True)
PY
	at_exit kill $!
	wait_for 90 grep -q up "$www/chat-$1"
}
check "a long-lived conversation" chat 40001
check "it is offloaded ([OFFLOAD] in conntrack)" wait_for 30 offloaded
check "the conversation goes on through the fast path" \
	sh -c "! grep lost '$www/chat-40001'"
check "delete the endpoint" plctl -n $R endpoint del vpce-1
check_eq "its translated flow is gone from conntrack" 0 \
	"$(ip netns exec $R conntrack -L --orig-dst 10.0.0.100 2>/dev/null | grep -c 'dst=172\.16\.0\.10')"
check "the conversation breaks (the flowtable lets the flow go)" \
	wait_for 60 grep -q lost "$www/chat-40001"
diag "the conversation's log: $(tr '\n' ' ' < "$www/chat-40001")"

check "endpoint again" plctl -n $R endpoint add vpce-1 vpc consumer service svc eni use1-az1 10.0.0.100
check "another conversation" chat 40002
check "offloaded again" wait_for 30 offloaded
check "delete the consumer's interface under an offloaded flow" \
	ip -n $R link del rc0
check "the VPC no longer lists it" \
	sh -c '! plctl -n $R vpc show consumer | grep -q rc0'
check "unload the module with an offloaded flow in flight" module_unload
done_testing
