#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Churn under traffic: an untouched endpoint keeps its flows, whatever
# happens to the objects beside it.  Through the untouched endpoint ep-u
# (ENI 10.0.0.100, service svc-u, targets T1 and T2, AZ a1) run one long TCP
# transfer (the provider's server streams, paced at 256 KiB/s, until it is
# told to stop, so it lasts the whole churn) and a stream of short
# connections (one after the other, each asks which target answered).
# Meanwhile CHURN_ROUNDS rounds (default 12, 90 operations each) of plctl
# add and delete other endpoints, ENIs, targets, services and AZs, toggle
# the AZs a2 and a3 (the untouched objects are in a1) down and up, set the
# weights and health of the other services' targets (draining, unhealthy,
# healthy), accept and reject the other endpoints, set their max-flows and
# the namespace's max-flows (never below 2000: the untouched flows never
# meet it); in batches (plctl -b -) and as single commands.  One endpoint
# of each round carries a flow of its own before it is rejected and
# removed, so the changes end flows (conntrack walks) while the untouched
# ones run.
#
# Asserts: every operation succeeded (their number printed, >= 1000); the
# long transfer was still running when the churn ended, ends with curl's
# exit 0 and the sha256 the server computed of what it sent; the consumer
# received no RST from the untouched ENI (an nft counter); every short
# connection succeeded (their number printed); the counters add up: ep-u's
# new_flows and its ENI's are the connections made through it, T1's and
# T2's new_flows are the connections each answered (the long one's target
# from conntrack), their sum ep-u's, and ep-u dropped nothing; the untouched
# configuration's "plctl save" is byte-identical after the churn and
# objects_live is back to its baseline.  The runner checks the kernel log.
# Figures: operations, seconds, bytes transferred, short connections.
#
#   pl-churn-c (consumer)      pl-churn-r (router)                pl-churn-p (provider)
#   +----------------+ veth    +-----------------------------+ veth +----------------------+
#   | c0 10.0.0.5/24 |---------| rc0 10.0.0.1/24             |------| p0 172.16.0.2/16     |
#   | long curl      |         | rp0 172.16.0.1/16           |      | T1 172.16.1.11 (a1)  |
#   | short conns    |         | untouched: ep-u, svc-u      |      | T2 172.16.1.12 (a1)  |
#   | churn curls    |         |   tcp/80:8080, T1, T2,      |      | churn targets        |
#   +----------------+         |   nlb a1 172.16.0.10        |      |   172.16.2.1-200     |
#   ENI 10.0.0.100 (a1) -----> | churn: svc-cN (nlb a2, a3:  |      | server :8080         |
#   churn ENIs 10.0.0.101-200  |   172.16.3.x), ep-cN, ENIs, |      |   /stream, /id       |
#                              |   targets, azxN             |      +----------------------+
#                              +-----------------------------+
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

ROUNDS=${CHURN_ROUNDS:-12}
RATE=262144
module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
ENI=10.0.0.100 T1=172.16.1.11 T2=172.16.1.12
netns_new C=pl-churn-c R=pl-churn-r P=pl-churn-p &&
topo_veth $R rc0 10.0.0.1/24 $C c0 10.0.0.5/24 &&
topo_veth $R rp0 172.16.0.1/16 $P p0 172.16.0.2/16 &&
for i in $(seq 1 200); do echo "addr add 172.16.2.$i/16 dev p0"; done |
	ip -n $P -batch - &&
ip -n $P addr add $T1/16 dev p0 && ip -n $P addr add $T2/16 dev p0 &&
ip -n $C route add default via 10.0.0.1 &&
ip -n $P route add default via 172.16.0.1 &&
ip netns exec $R sysctl -qw net.ipv4.ip_forward=1 ||
	{ diag "cannot build the topology"; exit 1; }

tmp=$(mktemp -d)
at_exit rm -rf "$tmp"
# GET /id: the address the request was sent to (the target).  GET /stream:
# 8-byte block number + 16 KiB of random data, paced at RATE bytes/s, until
# the file STOP exists; then the sha256 and length of what was sent go into
# RESULT.
cat > "$tmp/server.py" <<'EOF'
import hashlib, http.server, os, socketserver, sys, time
stop, result, rate = sys.argv[1], sys.argv[2], int(sys.argv[3])
block = os.urandom(16384)
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    def log_message(self, *args):
        pass
    def do_GET(self):
        if self.path == "/id":
            me = self.connection.getsockname()[0].encode() + b"\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(me)))
            self.end_headers()
            self.wfile.write(me)
            return
        if self.path != "/stream":
            self.send_error(404)
            return
        self.send_response(200)
        self.end_headers()
        h, n, i, t0 = hashlib.sha256(), 0, 0, time.monotonic()
        while not os.path.exists(stop):
            chunk = i.to_bytes(8, "big") + block
            self.wfile.write(chunk)
            h.update(chunk)
            n, i = n + len(chunk), i + 1
            ahead = n / rate - (time.monotonic() - t0)
            if ahead > 0:
                time.sleep(ahead)
        with open(result + ".tmp", "w") as f:
            f.write("%s %d\n" % (h.hexdigest(), n))
        os.rename(result + ".tmp", result)
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
S(("0.0.0.0", 8080), H).serve_forever()
EOF
# The short connections: one after the other (at most 20 a second) until
# STOP exists; a line per connection, "0 ADDRESS" (who answered) or "1 WHY".
cat > "$tmp/client.py" <<'EOF'
import os, socket, sys, time
stop, eni = sys.argv[1], sys.argv[2]
while not os.path.exists(stop):
    t = time.monotonic()
    try:
        s = socket.create_connection((eni, 80), timeout=20)
        s.sendall(b"GET /id HTTP/1.0\r\n\r\n")
        data = b""
        while True:
            d = s.recv(4096)
            if not d:
                break
            data += d
        s.close()
        head, _, body = data.partition(b"\r\n\r\n")
        if head.startswith(b"HTTP/1.0 200"):
            print("0", body.decode().strip(), flush=True)
        else:
            print("1", head[:40], flush=True)
    except Exception as e:
        print("1", type(e).__name__, e, flush=True)
    time.sleep(max(0, 0.05 - (time.monotonic() - t)))
EOF
ip netns exec $P python3 "$tmp/server.py" "$tmp/stop" "$tmp/sent" $RATE \
	>"$tmp/server.log" 2>&1 &
at_exit kill $!
wait_for 90 dp_listening $P tcp 8080 || diag "the server did not start"

# RSTs the consumer receives from the untouched ENI.
ip netns exec $C nft -f - <<-EOF
	table ip plrst {
		chain in { type filter hook input priority -400; ip saddr $ENI tcp flags rst counter; }
	}
	EOF
rsts() {
	ip netns exec $C nft -j list chain ip plrst in | json_eval \
		'[e["counter"]["packets"] for o in j["nftables"] if "rule" in o for e in o["rule"]["expr"] if "counter" in e][0]'
}

pl() { plctl -n $R "$@"; }
check "configure the untouched objects and AZs a2, a3" pl -b - <<-EOF
	az add a1
	az add a2
	az add a3
	vpc add consumer account 111111111111 cidr 10.0.0.0/24 dev rc0
	vpc add provider account 222222222222 cidr 172.16.0.0/16 dev rp0
	service add svc-u vpc provider listener tcp/80:8080 nlb a1 172.16.0.10 acceptance auto principal 111111111111
	target add svc-u $T1 az a1
	target add svc-u $T2 az a1
	endpoint add ep-u vpc consumer service svc-u eni a1 $ENI
	EOF
saved=$(pl save)
live0=$(pl_info objects_live)

# Per-target answers of the short connections (and of the first probe).
declare -A answered=([$T1]=0 [$T2]=0)
first=$(ip netns exec $C curl -s --max-time 20 http://$ENI/id)
check "a first connection through ep-u is answered by T1 or T2 ($first)" \
	sh -c "[ '$first' = $T1 ] || [ '$first' = $T2 ]"
[ -n "$first" ] && [ -n "${answered[$first]+x}" ] && answered[$first]=$((answered[$first] + 1))
via_ep=1

ip netns exec $C curl -s --local-port 40000 -o "$tmp/long" http://$ENI/stream &
long=$!
at_exit kill $long
via_ep=$((via_ep + 1))
check "the long transfer flows" wait_for 60 sh -c "[ -s '$tmp/long' ]"
long_target=$(ip netns exec $R conntrack -L -p tcp --orig-dst $ENI --sport 40000 2>/dev/null |
	sed -n 's/.* src=\(172\.16\.1\.1[12]\) .*/\1/p' | head -n1)
check "conntrack shows the long transfer's target ($long_target)" \
	sh -c "[ '$long_target' = $T1 ] || [ '$long_target' = $T2 ]"

ip netns exec $C python3 "$tmp/client.py" "$tmp/stop" $ENI >"$tmp/short" 2>&1 &
short=$!
at_exit kill $short
check "short connections go through" wait_for 120 grep -q '^0 ' "$tmp/short"

# The churn.  Round N adds K=4 sets of objects, set k in slot
# s = (4N + k) % 50: service svc-cN-k (NLB nodes 172.16.3.(2s+1) in a2 and
# 172.16.3.(2s+2) in a3, acceptance required), its targets
# 172.16.2.(4s+1..4s+4), endpoint ep-cN-k with ENIs 10.0.0.(101+s) (a2)
# and 10.0.0.(151+s) (a3), AZ azxN-k; changes them; and removes round N-1's
# sets (so no two live sets share an address).  A flow through the first
# set's ENI (a target in a2) is ended by the reject below and later by
# the removals.  90 operations per round: 86 in three batches, four single
# commands.
K=4
ops=0 bad=0 churn_ok=0 churn_tried=0
run_batch() {	# the batch on stdin; counts its lines as operations
	local in out
	in=$(cat)
	if out=$(pl -b - <<<"$in" 2>&1); then
		ops=$((ops + $(grep -c . <<<"$in")))
	else
		bad=$((bad + 1))
		diag "batch failed: $out"
	fi
}
run_one() {
	local out
	if out=$(pl "$@" 2>&1); then
		ops=$((ops + 1))
	else
		bad=$((bad + 1))
		diag "plctl $* failed: $out"
	fi
}
set_add() {	# N k: the lines that add and change set k of round N
	local n=$1 k=$2 s=$(((4 * $1 + $2) % 50))
	cat <<-EOF
		az add azx$n-$k
		service add svc-c$n-$k vpc provider listener tcp/80:8080 nlb a2 172.16.3.$((2 * s + 1)) nlb a3 172.16.3.$((2 * s + 2)) acceptance required principal 111111111111
		target add svc-c$n-$k 172.16.2.$((4 * s + 1)) az a2 weight 10
		target add svc-c$n-$k 172.16.2.$((4 * s + 2)) az a2
		target add svc-c$n-$k 172.16.2.$((4 * s + 3)) az a3 weight 100
		target add svc-c$n-$k 172.16.2.$((4 * s + 4)) az a3
		endpoint add ep-c$n-$k vpc consumer service svc-c$n-$k eni a2 10.0.0.$((101 + s)) max-flows 10
		eni add ep-c$n-$k az a3 addr 10.0.0.$((151 + s))
		endpoint accept ep-c$n-$k
		target set svc-c$n-$k 172.16.2.$((4 * s + 3)) weight 50
		target set svc-c$n-$k 172.16.2.$((4 * s + 3)) state draining
		target set svc-c$n-$k 172.16.2.$((4 * s + 4)) state unhealthy
		endpoint set ep-c$n-$k max-flows 20
	EOF
}
set_toggle() {	# N k
	local s=$(((4 * $1 + $2) % 50))
	cat <<-EOF
		endpoint reject ep-c$1-$2
		endpoint accept ep-c$1-$2
		target set svc-c$1-$2 172.16.2.$((4 * s + 4)) weight 7 state healthy
	EOF
}
set_del() {	# N k
	local s=$(((4 * $1 + $2) % 50))
	cat <<-EOF
		eni del ep-c$1-$2 az a3
		target del svc-c$1-$2 172.16.2.$((4 * s + 1))
		endpoint del ep-c$1-$2
		service del svc-c$1-$2
		az del azx$1-$2
	EOF
}
remove_round() {	# N
	local k
	run_batch < <(
		for ((k = 0; k < K; k++)); do set_del "$1" $k; done
		echo "limit set max-flows 0"
	)
}
start=$(date +%s)
for ((n = 1; n <= ROUNDS; n++)); do
	run_batch < <(
		for ((k = 0; k < K; k++)); do set_add $n $k; done
		echo "az set a3 state down"
		echo "limit set max-flows $((n % 2 ? 5000 : 2000))"
	)
	run_one az set a3 state up
	# a flow through set 0's endpoint, ended by its reject
	s=$(((4 * n) % 50))
	churn_tried=$((churn_tried + 1))
	ip netns exec $C curl -s --max-time 5 -o /dev/null http://10.0.0.$((101 + s))/id &&
		churn_ok=$((churn_ok + 1))
	run_one endpoint reject ep-c$n-0
	run_one endpoint accept ep-c$n-0
	run_one target set svc-c$n-0 172.16.2.$((4 * s + 1)) weight 3 state draining
	run_batch < <(
		for ((k = 1; k < K; k++)); do set_toggle $n $k; done
		echo "az set a2 state down"
		echo "az set a2 state up"
	)
	[ "$n" -gt 1 ] && remove_round $((n - 1))
	diag "round $n: $ops operations, $(($(date +%s) - start))s, $(grep -c . "$tmp/short") short connections"
done
remove_round "$ROUNDS"
secs=$(($(date +%s) - start))

check "the long transfer was still running when the churn ended" kill -0 $long
touch "$tmp/stop"
wait $long
long_rc=$?
wait $short
diag "churn: $ops operations in ${secs}s ($bad failed), $churn_ok of $churn_tried flows through the churned endpoints"
check_eq "every churn operation succeeded" 0 $bad
check "at least 1000 operations ($ops)" test $ops -ge 1000
check_eq "the long transfer ended with curl's exit 0" 0 $long_rc
check "the server finished the stream" wait_for 20 test -s "$tmp/sent"
read -r want_sum sent < "$tmp/sent"
got=$(stat -c %s "$tmp/long")
diag "long transfer: $got bytes in about ${secs}s of churn, to $long_target"
check_eq "the long transfer arrived whole (sha256)" "$want_sum $sent" \
	"$(sha256sum < "$tmp/long" | cut -d' ' -f1) $got"
check_eq "the consumer received no RST from the untouched ENI" 0 "$(rsts)"

n_short=$(grep -c . "$tmp/short")
n_fail=$(grep -vc "^0 172\.16\.1\.1[12]$" "$tmp/short")
diag "short connections: $n_short ($n_fail failed)"
[ "$n_fail" = 0 ] || diag "$(grep -v "^0 172\.16\.1\.1[12]$" "$tmp/short" | sort | uniq -c)"
check_eq "every short connection succeeded" 0 "$n_fail"
check "short connections ran during the churn ($n_short)" test "$n_short" -ge 10
via_ep=$((via_ep + n_short))
for t in $T1 $T2; do
	answered[$t]=$((answered[$t] + $(grep -c "^0 $t$" "$tmp/short")))
done
answered[$long_target]=$((answered[$long_target] + 1))

stat_of() {	# OBJECT COUNTER
	case $1 in
	ep-u) pl -s -j endpoint show ep-u | json_eval "j[0]['stats']['$2']" ;;
	eni) pl -s -j eni show ep-u | json_eval "[e['stats']['$2'] for e in j if e['addr'] == '$ENI'][0]" ;;
	*) pl -s -j target show svc-u | json_eval "[t['stats']['$2'] for t in j if t['addr'] == '$1'][0]" ;;
	esac
}
ep_new=$(stat_of ep-u new_flows)
check_eq "ep-u's new_flows are the connections made through it" $via_ep "$ep_new"
check_eq "its ENI's new_flows too" $via_ep "$(stat_of eni new_flows)"
check_eq "T1's and T2's new_flows are the connections each answered" \
	"${answered[$T1]} ${answered[$T2]}" "$(stat_of $T1 new_flows) $(stat_of $T2 new_flows)"
check_eq "T1's and T2's new_flows add up to ep-u's" "$ep_new" \
	$(($(stat_of $T1 new_flows) + $(stat_of $T2 new_flows)))
check_eq "ep-u dropped nothing" 0 "$(stat_of ep-u drops)"
check_eq "the untouched configuration is unchanged (plctl save)" "$saved" "$(pl save)"
check_eq "objects_live is back to the baseline" "$live0" "$(pl_info objects_live)"
diag "figures: $ops operations, ${secs}s, $got bytes, $n_short short connections"
done_testing
