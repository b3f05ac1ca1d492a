#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The netlink fuzzer (tools/plfuzz) against the module: a baseline
# configuration carries UDP traffic through a dualstack endpoint (both
# families); plfuzz sends
# PLFUZZ_COUNT (default 100000) hostile messages with a fixed, printed seed
# (PLFUZZ_SEED) from a namespace of its own, while a shorter run under
# ASan+UBSan fuzzes the same namespace and UDP/TCP flows go through its
# endpoints; nobody (no capabilities) and a user namespace's root send theirs
# at the baseline's namespace itself.  Afterwards: the privileged runs had
# changes accepted and every burst's dump listed exactly its objects, an
# interrupted dump was flagged, interfaces came and went, flows were
# translated, IPv6 ones too; requests of every IP type were accepted, no
# dual-stack request the kernel must refuse was accepted; the unprivileged
# runs had no change accepted
# and could not subscribe to events; the baseline's "plctl save" is
# byte-identical and its traffic still flows, over IPv4 and IPv6; the
# fuzzer's namespace never
# had a higher object limit than it was given; once that namespace is gone
# objects_live is back to the baseline's; the kernel log has no
# oops/WARN/BUG/UBSAN/refcount line; the module unloads.
# PLFUZZ_SECONDS=N fuzzes for N seconds instead of a count ("make soak").
#
#   pl-fuzz-c (consumer)        pl-fuzz-r (router: the baseline)      pl-fuzz-p (provider)
#   c0 10.0.0.5/24 ---------- rc0 10.0.0.1/24  rp0 172.16.0.1/16 ---- p0 172.16.1.10/16
#      fd00:10::5/64              fd00:10::1/64    fd00:172:16::1/48       fd00:172:16:1::10/48
#   UDP client -> ENI 10.0.0.100:53 ==> target :5353 (echo), SNAT 172.16.0.10
#              -> ENI [fd00:10::100]:53 ==> [fd00:172:16:1::10]:5353, SNAT fd00:172:16::10
#
#   pl-fuzz-f: plfuzz's own namespace (dummy interfaces fz0..fz3); privlink
#   state is per namespace, so nothing it does can reach pl-fuzz-r.  Its
#   scaffold's VPCs (plfuzz -i) carry traffic while it fuzzes:
#   pl-fuzz-g cl0 10.200.254.5/16 -- fzc 10.200.254.1/16 [pl-fuzz-f] fzp 172.31.0.1/16 -- tg0 172.31.1.10,.11/16 pl-fuzz-h
#   UDP to ENIs 10.200.255.10-11 and the bursts' 10.200.0.2-..., port 53 -> the targets' 5353 (echo)
#   and over IPv6: cl0 fd00:10:200:fe::5/48, fzc fd00:10:200:fe::1/48, fzp fd00:ac1f::1/48,
#   tg0 fd00:ac1f:0:1::a,::b/48; ENIs fd00:10:200:ff::a-b and the bursts' fd00:10:200::2-...
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

SEED=${PLFUZZ_SEED:-20261130}
COUNT=${PLFUZZ_COUNT:-100000}
SAN_COUNT=${PLFUZZ_SAN_COUNT:-10000}
DENY_COUNT=${PLFUZZ_DENY_COUNT:-5000}
SECONDS_=${PLFUZZ_SECONDS:-}
CAP=20000
FUZZ=$TOP/tools/plfuzz/plfuzz
FUZZ_SAN=$TOP/tools/plfuzz/plfuzz-asan
bad=${PRIVLINK_DMESG_BAD:-'(WARNING:|BUG:|Oops|general protection fault|Kernel panic|UBSAN:|refcount_t:|blocked for more than)'}

[ -x "$FUZZ" ] && [ -x "$FUZZ_SAN" ] || { diag "plfuzz is not built: make"; exit 1; }
module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
mark=$(dmesg | wc -l)
netns_new C=pl-fuzz-c R=pl-fuzz-r P=pl-fuzz-p F=pl-fuzz-f G=pl-fuzz-g H=pl-fuzz-h &&
topo_std $C $R $P &&
topo_std6 $C $R $P &&
for i in 0 1 2 3; do ip -n $F link add fz$i type dummy || exit 1; done &&
topo_veth $F fzc 10.200.254.1/16 $G cl0 10.200.254.5/16 &&
topo_veth $F fzp 172.31.0.1/16 $H tg0 172.31.1.10/16 &&
ip -n $H addr add 172.31.1.11/16 dev tg0 &&
ip -n $F addr add fd00:10:200:fe::1/48 dev fzc nodad &&
ip -n $G addr add fd00:10:200:fe::5/48 dev cl0 nodad &&
ip -n $F addr add fd00:ac1f::1/48 dev fzp nodad &&
ip -n $H addr add fd00:ac1f:0:1::a/48 dev tg0 nodad &&
ip -n $H addr add fd00:ac1f:0:1::b/48 dev tg0 nodad &&
ip -n $G -6 route add default via fd00:10:200:fe::1 &&
ip -n $H -6 route add default via fd00:ac1f::1 &&
ip netns exec $F sysctl -qw net.ipv6.conf.all.forwarding=1 &&
topo_router $F ||
	{ diag "cannot build the topology"; exit 1; }

tmp=$(mktemp -d)
at_exit rm -rf "$tmp"
# the consumer's UDP client (lib/udp_client.py), 3 tries of 10 s each
client="$TOP/selftests/lib/udp_client.py"
# UDP to the fuzzer's ENIs (those that exist and those that do not), both
# families, a new socket (new flows) per round, a TCP SYN to the steady
# endpoint per round; the echoes that came back, by family, in ARGV[1].
cat > "$tmp/traffic.py" <<'EOF'
import socket, sys, time
addrs = ["10.200.255.10", "10.200.255.11"] + \
        ["10.200.%d.%d" % ((2 + i) >> 8, (2 + i) & 255) for i in range(400)]
addrs6 = ["fd00:10:200:ff::a", "fd00:10:200:ff::b"] + \
         ["fd00:10:200::%x" % (2 + i) for i in range(200)]
got = {4: 0, 6: 0}
def drain(s, fam):
    try:
        while True:
            s.recv(100)
            got[fam] += 1
    except OSError:
        pass
while True:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setblocking(False)
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s6.setblocking(False)
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setblocking(False)
    try:
        t.connect(("10.200.255.10", 443))
    except OSError:
        pass
    for n, (sk, a) in enumerate([(s, a) for a in addrs] + [(s6, a) for a in addrs6]):
        try:
            sk.sendto(b"fuzz", (a, 53))
        except OSError:
            pass
        if n % 50 == 49:
            drain(s, 4)
            drain(s6, 6)
            time.sleep(0.1)	# pacing (at most ~500 datagrams/s), not a wait
    drain(s, 4)
    drain(s6, 6)
    s.close()
    s6.close()
    t.close()
    with open(sys.argv[1] + ".new", "w") as f:
        f.write("%d %d\n" % (got[4], got[6]))
    import os
    os.replace(sys.argv[1] + ".new", sys.argv[1])
EOF
for ns in $P $H; do
	for a in 0.0.0.0 ::; do
		ip netns exec $ns python3 "$TOP/selftests/lib/udp_echo.py" 5353 $a >/dev/null 2>&1 &
		at_exit kill $!
	done
done
wait_for 90 dp_listening $P udp 5353 || diag "the echo server did not start"
wait_for 90 dp_listening $H udp 5353 || diag "the fuzzer's echo server did not start"
wait_for 90 dp_listening $P udp 5353 :: || diag "the IPv6 echo server did not start"
wait_for 90 dp_listening $H udp 5353 :: || diag "the fuzzer's IPv6 echo server did not start"

check "the baseline: AZ, dualstack VPCs, a dualstack service, a target of each family, a dualstack endpoint with an ENI" sh -c "
	set -e
	pl() { plctl -n $R \"\$@\"; }
	pl az add use1-az1
	pl vpc add consumer account 111111111111 cidr 10.0.0.0/24 ipv6-cidr fd00:10::/64 dev rc0
	pl vpc add provider account 222222222222 cidr 172.16.0.0/16 ipv6-cidr fd00:172:16::/48 dev rp0
	pl service add svc vpc provider listener udp/53:5353 ip-types dualstack \
		nlb use1-az1 172.16.0.10,fd00:172:16::10 acceptance auto principal 111111111111
	pl target add svc 172.16.1.10 az use1-az1
	pl target add svc fd00:172:16:1::10 az use1-az1
	pl endpoint add vpce-1 vpc consumer service svc ip-type dualstack \
		eni use1-az1 10.0.0.100,fd00:10::100"
check_eq "traffic flows through the endpoint before the fuzzing" "echo:172.16.0.10:before" \
	"$(ip netns exec $C python3 "$client" 10.0.0.100 53 before 10 3)"
check_eq "IPv6 traffic flows through the endpoint before the fuzzing" "echo:fd00:172:16::10:before6" \
	"$(ip netns exec $C python3 "$client" fd00:10::100 53 before6 10 3)"
plctl -n $R save > "$tmp/save.before"
# jnum KEY: a number member of the JSON on stdin (no python: it starts
# slowly under TCG)
jnum() { grep -o "\"$1\":[0-9]*" | head -n1 | cut -d: -f2; }
live_is() { [ "$(plctl -j version | jnum objects_live)" = "$1" ]; }
live0=$(plctl -j version | jnum objects_live)
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
	limit=(-t "$SECONDS_" -n 0) what="$SECONDS_ s"
else
	limit=(-n "$COUNT") what="$COUNT messages"
fi
# Two privileged runs at once in pl-fuzz-f (the family is parallel_ops: their
# requests, dumps and bursts race): the main one and one under ASan+UBSan.
ip netns exec $F "$FUZZ_SAN" -s $((SEED + 1)) -n "$SAN_COUNT" -m $CAP -p plfuzz-san -b 1000 -x fzc,fzp \
	> "$tmp/san" 2> "$tmp/san.err" &
san_pid=$!
ip netns exec $G python3 "$tmp/traffic.py" "$tmp/echoes" >/dev/null 2>"$tmp/traffic.err" &
traffic_pid=$!
at_exit kill $traffic_pid
fz_run "plfuzz as root in its own namespace: seed $SEED, $what" \
	"$tmp/root" ip netns exec $F "$FUZZ" -s "$SEED" "${limit[@]}" -m $CAP -i fzc,fzp
kill -0 $traffic_pid || diag "the traffic generator died:" "$(tail -n 20 "$tmp/traffic.err")"
kill $traffic_pid
wait $san_pid
san_rc=$?
diag "$(grep -v ': [0-9]* messages, ' "$tmp/san")" "$(tail -n 20 "$tmp/san.err")"
check_eq "plfuzz under ASan+UBSan at the same time, seed $((SEED + 1)), $SAN_COUNT messages: no error" 0 $san_rc
got=$(fz "$tmp/root" messages)
if [ -n "$SECONDS_" ]; then
	check "it sent messages" test "${got:-0}" -gt 0
else
	check "it sent at least $COUNT messages (sent ${got:-none})" test "${got:-0}" -ge "$COUNT"
fi
for r in root san; do
	check "$r: changes were accepted (the fuzzing reached the handlers): $(fz "$tmp/$r" accepted_writes)" \
		test "$(fz "$tmp/$r" accepted_writes)" -gt 0
	check_eq "$r: every burst's dump listed exactly the burst's objects" 0 "$(fz "$tmp/$r" burst_dump_bad)"
	check_eq "$r: every dump ended" 0 "$(fz "$tmp/$r" runaway)"
	check "$r: it could subscribe to the events of its namespace" test "$(fz "$tmp/$r" mcast_joined)" = 1
	check_eq "$r: no dual-stack request the kernel must refuse was accepted (of $(fz "$tmp/$r" ds_invalid))" \
		0 "$(fz "$tmp/$r" ds_invalid_accepted)"
done
for k in vpc6 vpc_dual svc6 svc_dual tgt6 ep6 ep_dual eni6 eni_dual; do
	check "root: valid $k requests were accepted: $(fz "$tmp/root" ok_$k)" test "$(fz "$tmp/root" ok_$k)" -gt 0
done
check "root: the bursts made IPv6 and dualstack objects: $(fz "$tmp/root" burst_ds_objects)" \
	test "$(fz "$tmp/root" burst_ds_objects)" -gt 0
check "root: dual-stack mutations that must be refused were sent: $(fz "$tmp/root" ds_invalid)" \
	test "$(fz "$tmp/root" ds_invalid)" -gt 100
check "bursts created thousands of objects: $(fz "$tmp/root" burst_objects) in $(fz "$tmp/root" bursts)" \
	test "$(fz "$tmp/root" burst_objects)" -ge 1000
check "... and their dumps were checked: $(fz "$tmp/root" burst_dump_unchecked) of them were interrupted each time" \
	test "$(fz "$tmp/root" burst_dump_unchecked)" -lt "$(fz "$tmp/root" bursts)"
check "a dump that spanned a change was flagged NLM_F_DUMP_INTR" \
	test "$(fz "$tmp/root" dump_intr)" -gt 0
check "interfaces came and went under the VPCs: $(fz "$tmp/root" link_ok) of $(fz "$tmp/root" link_ops)" \
	test "$(fz "$tmp/root" link_ok)" -gt 0
flows=$(plctl -n $F -j version | jnum new_flows)
diag "the fuzzer's namespace: $(plctl -n $F -j version | grep -o '"stats".*')" \
	"$(plctl -n $F vpc show | grep -- '-s-')" "$(plctl -n $F endpoint show | grep -- '-s-ep')" \
	"$(ip -n $G neigh | grep -c lladdr) resolved neighbours in $G"
check "flows went through the fuzzed configuration: new_flows $flows" test "${flows:-0}" -gt 0
# A figure, not an assertion: the fuzzer deletes and rebuilds its scaffold
# all the time, so how many echoes make it through depends on the seed and
# the host's speed (1 to 583 IPv6 echoes in two runs of one seed).  IPv6
# through a dualstack endpoint is asserted before and after the fuzzing.
read -r echo4 echo6 < <(cat "$tmp/echoes" 2>/dev/null)
diag "echoes through the fuzzed dualstack endpoints: IPv6 ${echo6:-0}, IPv4 ${echo4:-0}"
check "the fuzzer's namespace never had an object limit above $CAP" \
	test "$(plctl -n $F -j limit show | jnum max_objects)" -le $CAP

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
	"$(ip netns exec $C python3 "$client" 10.0.0.100 53 after 10 3)"
check_eq "IPv6 traffic still flows through the endpoint" "echo:fd00:172:16::10:after6" \
	"$(ip netns exec $C python3 "$client" fd00:10::100 53 after6 10 3)"

ip netns del $F
check "objects_live is back to the baseline's ($live0) once the fuzzer's namespace is gone" \
	wait_for 120 live_is "$live0"
new=$(dmesg | tail -n +$((mark + 1)) | grep -E "$bad")
[ -n "$new" ] && diag "$new"
check_eq "no oops, WARN, BUG, UBSAN or refcount line in the kernel log" "" "$new"
ip netns del $R
check "the module unloads" rmmod privlink
done_testing
