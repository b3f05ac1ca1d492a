#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Flow limits and counters.  An endpoint with max-flows 3 takes three
# long-lived TCP connections; the fourth attempt times out, counted in the
# namespace's drop_limit and the endpoint's drops; once one connection is
# closed (its conntrack entry leaves ESTABLISHED: nf_conncount counts a closed
# TCP flow as gone), a new one gets through.  The namespace-wide limit
# ("plctl limit set max-flows 4") bounds two endpoints together the same way.
# "endpoint show -s -j" and "target show -s -j" count the new flows (each
# endpoint has a service of its own with one target, so the numbers match),
# and a limit of 0 lets everything through again.  "limit set" also takes the
# object limit and the hash key of target selection (several settings in one
# request; bad values are usage errors), "limit show" prints the key to root
# only.  "save" carries both kinds of flow limit, the object limit and the
# key (in one "limit set" line before any object), and restoring it gives the
# same configuration and the same key; a save by nobody leaves the key out and
# says so.
#
# The consumer runs one driver process holding the connections; the script
# sends it commands through a FIFO ("open NAME ENI TIMEOUT", "close NAME") and
# waits for its numbered answers.
#
#   pl-lim-c (consumer VPC)      pl-lim-r (router)              pl-lim-p (provider VPC)
#   +------------------+  veth   +------------------------+ veth +-------------------------+
#   | c0 10.0.0.5/24   |---------| rc0 10.0.0.1/24        |------| p0 172.16.0.2/16        |
#   | driver: conns    |         | rp0 172.16.0.1/16      |      | line server 0.0.0.0:9000|
#   +------------------+         | svc-a tcp/9000 -> TA   |      |  TA 172.16.1.11 (svc-a) |
#     ENI 10.0.0.100 (vpce-a) -> |  nlb 172.16.0.10       |      |  TB 172.16.1.12 (svc-b) |
#     ENI 10.0.0.101 (vpce-b) -> | svc-b tcp/9000 -> TB   |      +-------------------------+
#                                |  nlb 172.16.0.11       |
#                                +------------------------+
#   pl-lim-s: dummy rc0 rp0, where the saved configuration is restored
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
TA=172.16.1.11 TB=172.16.1.12 EA=10.0.0.100 EB=10.0.0.101
netns_new C=pl-lim-c R=pl-lim-r P=pl-lim-p S=pl-lim-s &&
topo_std $C $R $P 172.16.0.2 $TA $TB &&
ip -n $S link add rc0 type dummy && ip -n $S link add rp0 type dummy ||
	{ diag "cannot build the topology"; exit 1; }

tmp=$(mktemp -d)
at_exit rm -rf "$tmp"
cat > "$tmp/server.py" <<'EOF'
import socketserver
class H(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(line)
class S(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
S(("0.0.0.0", 9000), H).serve_forever()
EOF
# Reads "SEQ open NAME ENI TIMEOUT" / "SEQ close NAME" lines, answers
# "SEQ ok" or "SEQ fail <why>".  An open connection is checked with one echo;
# a connection that timed out is closed at once (the kernel would otherwise
# go on retransmitting its SYN, and a later one could get through).
cat > "$tmp/driver.py" <<'EOF'
import socket, sys
conns = {}
for line in sys.stdin:
    w = line.split()
    if not w:
        continue
    seq, cmd, name = w[0], w[1], w[2]
    try:
        if cmd == "open":
            s = socket.socket()
            try:
                s.settimeout(float(w[4]))
                s.connect((w[3], 9000))
                s.settimeout(10)
                s.sendall(b"hello\n")
                if s.makefile("rb").readline() != b"hello\n":
                    raise EOFError()
            except Exception:
                # a timed-out connect would go on sending SYNs: abort it
                s.close()
                raise
            conns[name] = s
        else:
            conns.pop(name).close()
        ans = "ok"
    except socket.timeout:
        ans = "fail timeout"
    except Exception as e:
        ans = "fail " + type(e).__name__
    print(seq, ans, flush=True)
EOF
ip netns exec $P python3 "$tmp/server.py" >/dev/null 2>&1 &
at_exit kill $!
wait_for 90 dp_listening $P tcp 9000 || diag "the server did not start"

mkfifo "$tmp/cmd"
ip netns exec $C python3 "$tmp/driver.py" < "$tmp/cmd" > "$tmp/out" 2>&1 &
at_exit kill $!
exec 3>"$tmp/cmd"
at_exit exec 3>&-

seq=0
# drv CMD ARGS...: one driver command; its answer in $r.
drv() {
	seq=$((seq + 1))
	echo "$seq $*" >&3
	r="no answer"
	wait_for 60 grep -q "^$seq " "$tmp/out" && r=$(sed -n "s/^$seq //p" "$tmp/out")
}
# opens DESC ENI NAME...: open a connection NAME through ENI for each NAME
# (a connect timeout of 10 s); all must succeed.  (Not in a subshell: drv
# counts its commands in $seq.)
opens() {
	local desc=$1 eni=$2 n ok=0
	shift 2
	for n in "$@"; do
		drv open "$n" "$eni" 10
		[ "$r" = ok ] && ok=$((ok + 1)) || diag "$n: $r"
	done
	check_eq "$desc" $# $ok
}
# refused DESC ENI NAME: a connection through ENI times out (2 s).
refused() {
	local nf=$(dp_stat $R new_flows)
	drv open "$3" "$2" 2
	check_eq "$1" "fail timeout" "$r"
	[ "$(dp_stat $R new_flows)" = "$nf" ] ||
		diag "new_flows went from $nf to $(dp_stat $R new_flows)" \
			"$(ip netns exec $R conntrack -L -p tcp 2>&1)"
}
# established ENI: the ESTABLISHED flows through ENI in conntrack.
established() { dp_ct_count $R -p tcp --orig-dst "$1" --state ESTABLISHED; }
# open_flows_are ENI N: N flows through ENI are not closed yet (neither
# TIME_WAIT nor CLOSE, the states nf_conncount no longer counts).
open_flows_are() {
	[ "$(ip netns exec $R conntrack -L -p tcp --orig-dst "$1" 2>/dev/null |
		grep -cvE ' (TIME_WAIT|CLOSE) ')" = "$2" ]
}
# close NAME ENI LEFT: close connection NAME, wait until only LEFT flows
# through ENI are open.
close() {
	drv close "$1"
	check "close $1: $3 flows through $2 left open" \
		wait_for 20 open_flows_are "$2" "$3"
}
# ep_stat NAME KEY, tg_stat ADDR: counters of "show -s -j".
ep_stat() {
	plctl -n $R -s -j endpoint show "$1" | json_eval "j[0]['stats']['$2']"
}
tg_stat() {
	plctl -n $R -j target show -s |
		json_eval "[t['stats']['new_flows'] for t in j if t['addr'] == '$1'][0]"
}
pl() { plctl -n $R "$@"; }

check "configure AZ, VPCs, two services with a target each, two endpoints" sh -c "
	set -e
	pl() { plctl -n $R \"\$@\"; }
	pl az add use1-az1
	pl vpc add consumer account 111111111111 cidr 10.0.0.0/24 dev rc0
	pl vpc add provider account 222222222222 cidr 172.16.0.0/16 dev rp0
	pl service add svc-a vpc provider listener tcp/9000 nlb use1-az1 172.16.0.10 \
		acceptance auto principal 111111111111
	pl service add svc-b vpc provider listener tcp/9000 nlb use1-az1 172.16.0.11 \
		acceptance auto principal 111111111111
	pl target add svc-a $TA az use1-az1
	pl target add svc-b $TB az use1-az1
	pl endpoint add vpce-a vpc consumer service svc-a eni use1-az1 $EA max-flows 3
	pl endpoint add vpce-b vpc consumer service svc-b eni use1-az1 $EB"

# --- the grammar and its outputs ---------------------------------------------
check_eq "endpoint show prints max-flows when set" \
	"vpce-a vpc consumer service svc-a state available account 111111111111 max-flows 3 eni use1-az1 $EA" \
	"$(pl endpoint show vpce-a 2>&1)"
check_eq "and not when it is 0" \
	"vpce-b vpc consumer service svc-b state available account 111111111111 eni use1-az1 $EB" \
	"$(pl endpoint show vpce-b 2>&1)"
check_eq "endpoint show -j: max_flows" 3 \
	"$(pl -j endpoint show vpce-a | json_eval 'j[0]["max_flows"]')"
check_eq "endpoint show -s appends the counters" \
	"vpce-a vpc consumer service svc-a state available account 111111111111 max-flows 3 eni use1-az1 $EA new-flows 0 drops 0 packets 0 bytes 0" \
	"$(pl endpoint show -s vpce-a 2>&1)"
check_eq "plctl -s target show appends the counters" \
	"svc-a $TA az use1-az1 weight 1 state healthy new-flows 0 drops 0 packets 0 bytes 0" \
	"$(pl -s target show svc-a 2>&1)"
check_eq "without -s, JSON has no stats" "False" \
	"$(pl -j endpoint show vpce-a | json_eval '"stats" in j[0]')"
key=$(pl -j limit show | json_eval 'j["hash_key"]')
check "limit show -j: a random hash_key of 32 hex digits" \
	grep -qxE '[0-9a-f]{32}' <<<"$key"
check_eq "limit show: no flow limit, the default object limit, the key" \
	"max-flows 0 max-objects 1000000 hash-key $key" "$(pl limit show 2>&1)"
check_eq "limit show -j" \
	"{\"max_flows\":0,\"max_objects\":1000000,\"hash_key\":\"$key\"}" \
	"$(pl -j limit show 2>&1)"
check_eq "version -j: max_objects, but no key" "1000000 False" \
	"$(pl -j version | json_eval 'str(j["max_objects"]) + " " + str("hash_key" in j)')"
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all"
check_eq "limit show as nobody: no key" "max-flows 0 max-objects 1000000" \
	"$(ip netns exec $R $NOBODY $PLCTL limit show 2>&1)"
check_eq "version -j: max_flows and drop_limit" "0 0" \
	"$(pl -j version | json_eval 'str(j["max_flows"]) + " " + str(j["stats"]["drop_limit"])')"
check_fail "endpoint set needs max-flows" 2 'Error: "max-flows" is required' \
	pl endpoint set vpce-a
check_fail "max-flows must be a number" 2 'Error: "max-flows" needs a number' \
	pl endpoint set vpce-a max-flows lots
check_fail "endpoint set of an unknown endpoint" 1 "Error: " \
	pl endpoint set vpce-nope max-flows 1
check_fail "limit set needs a setting" 2 \
	'Error: "set" needs at least one of "max-flows", "max-objects", "hash-key"' \
	pl limit set
check_fail "hash-key: 31 digits" 2 'Error: "hash-key" needs exactly 32 hexadecimal digits' \
	pl limit set hash-key 0123456789abcdef0123456789abcde
check_fail "hash-key: 33 digits" 2 'Error: "hash-key" needs exactly 32 hexadecimal digits' \
	pl limit set hash-key 0123456789abcdef0123456789abcdef0
check_fail "hash-key: not hex" 2 'Error: "hash-key" needs exactly 32 hexadecimal digits' \
	pl limit set hash-key 0123456789abcdef0123456789abcdeg
check_fail "max-objects 0" 2 'Error: "max-objects" needs a number between 1 and 4294967295' \
	pl limit set max-objects 0
check_fail "max-objects 2^32" 2 'Error: "max-objects" needs a number between 1 and 4294967295' \
	pl limit set max-objects 4294967296
check_fail "a bad value changes nothing, not even the good ones" 2 \
	'Error: "max-objects" needs a number' \
	pl limit set hash-key 00000000000000000000000000000000 max-objects 0
check_eq "the key is unchanged" "$key" "$(pl -j limit show | json_eval 'j["hash_key"]')"
check_fail "nobody cannot set the key" 1 "Error: Operation not permitted" \
	ip netns exec $R $NOBODY $PLCTL limit set hash-key 00000000000000000000000000000000
check_eq "limit set -e hash-key (upper case) max-objects 500: one request, echoed" \
	"max-flows 0 max-objects 500 hash-key 0123456789abcdeffedcba9876543210" \
	"$(pl -e limit set hash-key 0123456789ABCDEFfedcba9876543210 max-objects 500 2>&1)"
check_eq "limit show has both" \
	"max-flows 0 max-objects 500 hash-key 0123456789abcdeffedcba9876543210" \
	"$(pl limit show 2>&1)"
check_eq "version -j: max_objects 500" 500 "$(pl_info $R max_objects)"

# --- the endpoint's limit ----------------------------------------------------
opens "three connections through vpce-a (max-flows 3)" $EA a1 a2 a3
check_eq "conntrack: 3 established flows through vpce-a" 3 "$(established $EA)"
lim0=$(dp_stat $R drop_limit)
drops0=$(ep_stat vpce-a drops)
refused "the fourth connection times out" $EA a4
check "drop_limit counted it" dp_stat_ge $R drop_limit $((lim0 + 1))
check "and so did the endpoint's drops" \
	test "$(ep_stat vpce-a drops)" -ge $((drops0 + 1))
opens "vpce-b has no limit: a connection through it works" $EB b1
close a1 $EA 2
opens "after closing one, a new connection through vpce-a works" $EA a5
refused "and the one after it times out again" $EA a6
check_eq "endpoint show -s -j: vpce-a new_flows = its 4 connections" 4 \
	"$(ep_stat vpce-a new_flows)"
check_eq "vpce-b new_flows = 1" 1 "$(ep_stat vpce-b new_flows)"
check_eq "target show -s -j: svc-a's target new_flows = 4" 4 "$(tg_stat $TA)"
check_eq "svc-b's target new_flows = 1" 1 "$(tg_stat $TB)"
check_eq "vpce-b dropped nothing" 0 "$(ep_stat vpce-b drops)"
check_eq "version -j new_flows = all 5" 5 "$(dp_stat $R new_flows)"

check_eq "endpoint set -e vpce-a max-flows 0 echoes it without a limit" \
	"vpce-a vpc consumer service svc-a state available account 111111111111 eni use1-az1 $EA" \
	"$(pl -e endpoint set vpce-a max-flows 0 2>&1)"
opens "max-flows 0: two more connections through vpce-a work" $EA a7 a8
check_eq "5 established flows through vpce-a" 5 "$(established $EA)"
check "lowering the limit below the live flows ends none" \
	pl endpoint set vpce-a max-flows 1
check_eq "still 5 established flows through vpce-a" 5 "$(established $EA)"
refused "but no new one is taken" $EA a9
check "max-flows 0 again" pl endpoint set vpce-a max-flows 0
for n in a2 a3 a5 a7 a8 b1; do drv close $n; done
all_closed() {
	wait_for 20 open_flows_are $EA 0 && wait_for 20 open_flows_are $EB 0 ||
		{ ip netns exec $R conntrack -L -p tcp; return 1; }
}
check "all connections closed" all_closed

# --- the namespace's limit ---------------------------------------------------
check_eq "limit set -e max-flows 4 echoes it" \
	"max-flows 4 max-objects 500 hash-key 0123456789abcdeffedcba9876543210" \
	"$(pl -e limit set max-flows 4 2>&1)"
check_eq "version -j: max_flows 4" 4 "$(pl_info $R max_flows)"
opens "two connections through vpce-a" $EA n1 n2
opens "two through vpce-b" $EB n3 n4
lim0=$(dp_stat $R drop_limit)
da0=$(ep_stat vpce-a drops)
db0=$(ep_stat vpce-b drops)
refused "a fifth through vpce-a times out" $EA n5
refused "and one through vpce-b too" $EB n6
check "drop_limit counted both" dp_stat_ge $R drop_limit $((lim0 + 2))
check "each endpoint counted its drop" sh -c \
	"[ $(ep_stat vpce-a drops) -gt $da0 ] && [ $(ep_stat vpce-b drops) -gt $db0 ]"
close n1 $EA 1
opens "after closing one through vpce-a, one through vpce-b works" $EB n7
refused "and the namespace is full again" $EA n8
check "limit set max-flows 0" pl limit set max-flows 0
opens "no limit: two more connections through vpce-a" $EA n9 n10
opens "and one more through vpce-b" $EB n11
check_eq "7 established flows in all" 7 \
	"$(dp_ct_count $R -p tcp --state ESTABLISHED)"
check_eq "vpce-a new_flows = its 10 connections" 10 "$(ep_stat vpce-a new_flows)"
check_eq "vpce-b new_flows = its 5 connections" 5 "$(ep_stat vpce-b new_flows)"
check_eq "target new_flows: 10 and 5" "10 5" "$(tg_stat $TA) $(tg_stat $TB)"
check_eq "version -j new_flows = 15" 15 "$(dp_stat $R new_flows)"

# --- save carries the limits and the key ------------------------------------
KEY=f0e1d2c3b4a5968778695a4b3c2d1e0f
check "endpoint set vpce-b max-flows 7, limit set max-flows 9 max-objects 40 hash-key" sh -c \
	"plctl -n $R endpoint set vpce-b max-flows 7 &&
	 plctl -n $R limit set max-flows 9 max-objects 40 hash-key $KEY"
pl save >"$tmp/save" 2>&1
check "save: endpoint add vpce-b ... max-flows 7" \
	grep -qxF "endpoint add vpce-b vpc consumer service svc-b max-flows 7 eni use1-az1 $EB" "$tmp/save"
check_eq "save: the settings come first, in one limit set line" \
	"# plctl save
limit set max-flows 9 max-objects 40 hash-key $KEY
az add use1-az1 state up" "$(head -n3 "$tmp/save")"
check "save has no counters" sh -c "! grep -q new-flows '$tmp/save'"
check "restore it into a fresh namespace" plctl -n $S -b "$tmp/save"
check_eq "save of the restored namespace is identical" "$(cat "$tmp/save")" \
	"$(plctl -n $S save 2>&1)"
check_eq "its limits and key" "max-flows 9 max-objects 40 hash-key $KEY" \
	"$(plctl -n $S limit show 2>&1)"
check_eq "save by nobody: no key, a comment says so" \
	"# plctl save
# hash-key left out: reading it needs CAP_NET_ADMIN.  A namespace restored
# from this file keeps its own key and picks other targets for the same flows.
limit set max-flows 9 max-objects 40
az add use1-az1 state up" \
	"$(ip netns exec $R $NOBODY $PLCTL save 2>&1 | head -n5)"
check_eq "and otherwise the same lines as root's" "$(tail -n +3 "$tmp/save")" \
	"$(ip netns exec $R $NOBODY $PLCTL save 2>&1 | tail -n +5)"
done_testing
