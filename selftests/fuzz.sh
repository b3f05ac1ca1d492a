#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The netlink fuzzer (tools/plfuzz) against the module: a baseline
# configuration carries UDP traffic through an endpoint; plfuzz sends
# PLFUZZ_COUNT (default 100000) hostile messages with a fixed, printed seed
# (PLFUZZ_SEED) from a namespace of its own, then a shorter run under
# ASan+UBSan; nobody (no capabilities) and a user namespace's root send
# theirs at the baseline's namespace itself.  Afterwards: the privileged runs
# had changes accepted and every burst's dump listed exactly its objects, an
# interrupted dump was flagged; the unprivileged runs had no change accepted
# and could not subscribe to events; the baseline's "plctl save" is
# byte-identical and its traffic still flows; the fuzzer's namespace never
# had a higher object limit than it was given; once that namespace is gone
# objects_live is back to the baseline's; the kernel log has no
# oops/WARN/BUG/UBSAN/refcount line; the module unloads.
# PLFUZZ_SECONDS=N fuzzes for N seconds instead of a count ("make soak").
#
#   pl-fuzz-c (consumer)        pl-fuzz-r (router: the baseline)      pl-fuzz-p (provider)
#   c0 10.0.0.5/24 ---------- rc0 10.0.0.1/24  rp0 172.16.0.1/16 ---- p0 172.16.1.10/16
#   UDP client -> ENI 10.0.0.100:53 ==> target :5353 (echo), SNAT 172.16.0.10
#
#   pl-fuzz-f: plfuzz's own namespace (dummy interfaces fz0..fz3); privlink
#   state is per namespace, so nothing it does can reach pl-fuzz-r
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/dataplane.sh"

SEED=${PLFUZZ_SEED:-20261130}
COUNT=${PLFUZZ_COUNT:-100000}
SAN_COUNT=${PLFUZZ_SAN_COUNT:-10000}
DENY_COUNT=${PLFUZZ_DENY_COUNT:-10000}
SECONDS_=${PLFUZZ_SECONDS:-}
CAP=20000
FUZZ=$TOP/tools/plfuzz/plfuzz
FUZZ_SAN=$TOP/tools/plfuzz/plfuzz-asan
bad=${PRIVLINK_DMESG_BAD:-'(WARNING:|BUG:|Oops|general protection fault|Kernel panic|UBSAN:|refcount_t:|blocked for more than)'}

[ -x "$FUZZ" ] && [ -x "$FUZZ_SAN" ] || { diag "plfuzz is not built: make"; exit 1; }
module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
mark=$(dmesg | wc -l)
C=pl-fuzz-c R=pl-fuzz-r P=pl-fuzz-p F=pl-fuzz-f
netns_new $C $R $P $F
dp_link $R rc0 10.0.0.1/24 $C c0 10.0.0.5/24 &&
dp_link $R rp0 172.16.0.1/16 $P p0 172.16.1.10/16 &&
ip -n $C route add default via 10.0.0.1 &&
ip -n $P route add default via 172.16.0.1 &&
ip netns exec $R sysctl -qw net.ipv4.ip_forward=1 &&
for i in 0 1 2 3; do ip -n $F link add fz$i type dummy || exit 1; done ||
	{ diag "cannot build the topology"; exit 1; }

tmp=$(mktemp -d)
at_exit rm -rf "$tmp"
cat > "$tmp/echo.py" <<'EOF'
import socketserver, sys
class H(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        sock.sendto(b"echo:" + self.client_address[0].encode() + b":" + data,
                    self.client_address)
socketserver.UDPServer(("0.0.0.0", int(sys.argv[1])), H).serve_forever()
EOF
cat > "$tmp/client.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(10)
s.connect((sys.argv[1], int(sys.argv[2])))
for i in range(3):	# a datagram without an answer is sent again
    try:
        s.send(sys.argv[3].encode())
        print(s.recv(65535).decode())
        break
    except socket.timeout:
        continue
else:
    print("timeout")
EOF
ip netns exec $P python3 "$tmp/echo.py" 5353 >/dev/null 2>&1 &
at_exit kill $!
wait_for 90 dp_listening $P udp 5353 || diag "the echo server did not start"

check "the baseline: AZ, VPCs, a service, a target, an endpoint with an ENI" sh -c "
	set -e
	pl() { plctl -n $R \"\$@\"; }
	pl az add use1-az1
	pl vpc add consumer account 111111111111 cidr 10.0.0.0/24 dev rc0
	pl vpc add provider account 222222222222 cidr 172.16.0.0/16 dev rp0
	pl service add svc vpc provider listener udp/53:5353 nlb use1-az1 172.16.0.10 \
		acceptance auto principal 111111111111
	pl target add svc 172.16.1.10 az use1-az1
	pl endpoint add vpce-1 vpc consumer service svc eni use1-az1 10.0.0.100"
check_eq "traffic flows through the endpoint before the fuzzing" "echo:172.16.0.10:before" \
	"$(ip netns exec $C python3 "$tmp/client.py" 10.0.0.100 53 before)"
plctl -n $R save > "$tmp/save.before"
live0=$(pl_info objects_live)
diag "baseline: objects_live $live0"

# fz FILE KEY: a value of plfuzz's "result:" line
fz() { sed -n 's/^result: .*\b'"$2"'=\([0-9]*\).*/\1/p' "$1"; }
# fz_run DESC OUT CMD...: run plfuzz (output in OUT), show its summary and
# time, check its exit status
fz_run() {
	local desc=$1 out=$2 rc t
	shift 2
	t=$(date +%s)
	"$@" > "$out" 2>"$out.err"
	rc=$?
	diag "$(grep -v ': [0-9]* messages, ' "$out")" "$(tail -n 20 "$out.err")" \
		"exit status $rc, $(($(date +%s) - t)) s in all"
	check_eq "$desc" 0 $rc
}

if [ -n "$SECONDS_" ]; then
	limit=(-t "$SECONDS_" -n 0)
else
	limit=(-n "$COUNT")
fi
fz_run "plfuzz as root in its own namespace: seed $SEED, ${SECONDS_:+$SECONDS_ s}${SECONDS_:-$COUNT messages}" \
	"$tmp/root" ip netns exec $F "$FUZZ" -s "$SEED" "${limit[@]}" -m $CAP
got=$(fz "$tmp/root" messages)
if [ -n "$SECONDS_" ]; then
	check "it sent messages" test "${got:-0}" -gt 0
else
	check "it sent at least $COUNT messages (sent ${got:-none})" test "${got:-0}" -ge "$COUNT"
fi
check "changes were accepted (the fuzzing reached the handlers): $(fz "$tmp/root" accepted_writes)" \
	test "$(fz "$tmp/root" accepted_writes)" -gt 0
check "bursts created thousands of objects: $(fz "$tmp/root" burst_objects) in $(fz "$tmp/root" bursts)" \
	test "$(fz "$tmp/root" burst_objects)" -ge 1000
check_eq "every burst's dump listed exactly the burst's objects" 0 "$(fz "$tmp/root" burst_dump_bad)"
check "a dump that spanned a change was flagged NLM_F_DUMP_INTR" \
	test "$(fz "$tmp/root" dump_intr)" -gt 0
check_eq "every dump ended" 0 "$(fz "$tmp/root" runaway)"
check "it could subscribe to the events of its namespace" test "$(fz "$tmp/root" mcast_joined)" = 1
check "the fuzzer's namespace never had an object limit above $CAP" \
	test "$(plctl -n $F -j limit show | json_eval 'j["max_objects"]')" -le $CAP

fz_run "plfuzz under ASan+UBSan, as root in its own namespace: seed $((SEED + 1)), $SAN_COUNT messages" \
	"$tmp/san" ip netns exec $F "$FUZZ_SAN" -s $((SEED + 1)) -n "$SAN_COUNT" -m $CAP \
	-p plfuzz-san -b 1000
check "... changes were accepted" test "$(fz "$tmp/san" accepted_writes)" -gt 0

U="ip netns exec $R setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all"
check_eq "setpriv runs as nobody" 65534 "$($U id -u)"
fz_run "plfuzz (ASan+UBSan) as nobody at the baseline's namespace: seed $((SEED + 2)), $DENY_COUNT messages" \
	"$tmp/nobody" $U "$FUZZ_SAN" -d -s $((SEED + 2)) -n "$DENY_COUNT"
check_eq "nobody: no change was accepted" 0 "$(fz "$tmp/nobody" accepted_writes)"
check "nobody: its writes were refused with EPERM ($(fz "$tmp/nobody" eperm) of $(fz "$tmp/nobody" write_requests))" \
	test "$(fz "$tmp/nobody" eperm)" -gt 1000
check_eq "nobody: it could not subscribe to events" 1 "$(fz "$tmp/nobody" mcast_denied)"

UNS="ip netns exec $R unshare --user --map-root-user"
check_eq "unshare --user --map-root-user runs as root of a user namespace" 0 "$($UNS id -u)"
fz_run "plfuzz (ASan+UBSan) as a user namespace's root at the baseline's namespace: seed $((SEED + 3)), $DENY_COUNT messages" \
	"$tmp/userns" $UNS "$FUZZ_SAN" -d -s $((SEED + 3)) -n "$DENY_COUNT"
check_eq "userns root: no change was accepted" 0 "$(fz "$tmp/userns" accepted_writes)"
check "userns root: its writes were refused with EPERM ($(fz "$tmp/userns" eperm) of $(fz "$tmp/userns" write_requests))" \
	test "$(fz "$tmp/userns" eperm)" -gt 1000
check_eq "userns root: it could not subscribe to events" 1 "$(fz "$tmp/userns" mcast_denied)"

plctl -n $R save > "$tmp/save.after"
check "the baseline's plctl save is byte-identical" cmp "$tmp/save.before" "$tmp/save.after"
check_eq "traffic still flows through the endpoint" "echo:172.16.0.10:after" \
	"$(ip netns exec $C python3 "$tmp/client.py" 10.0.0.100 53 after)"

ip netns del $F
check "objects_live is back to the baseline's ($live0) once the fuzzer's namespace is gone" \
	wait_for 120 pl_info_is "" objects_live "$live0"
new=$(dmesg | tail -n +$((mark + 1)) | grep -E "$bad")
[ -n "$new" ] && diag "$new"
check_eq "no oops, WARN, BUG, UBSAN or refcount line in the kernel log" "" "$new"
ip netns del $R
check "the module unloads" rmmod privlink
done_testing
