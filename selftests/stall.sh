#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Ending many flows stalls nobody else.  A service with 1024 targets that all
# carried flows (UDP datagrams from distinct source ports through one ENI,
# until every target has a flow), then "plctl endpoint del" and "plctl
# service del" while another namespace sends generic netlink requests in a
# loop: the equivalent of "genl ctrl list" (a dump of the nlctrl family,
# which takes the kernel's global genetlink mutex), one after the other
# from one process, each timed.
#
# Measured and printed (no timing is asserted): the time of each delete, the
# latency (median, max) of the loop's requests that overlapped the deletes,
# how many completed inside them, and how many were answered while the
# endpoint's flows were being ended: sent after the router's conntrack count
# had dropped below the number of flows, answered before it reached 0.  A
# delete that holds genl_mutex while it walks the table admits none there,
# whatever the timing (the walk ends before the mutex is released).
#
# Asserted: both deletes succeed; every flow of the endpoint is gone from
# conntrack (none left in the consumer's zone, one DESTROY event per flow);
# the loop's requests were answered during the deletes and while the flows
# were being ended; nothing in the kernel log.
#
#   pl-stall-c (consumer VPC)   pl-stall-r (router)                 pl-stall-x
#   +------------------+ veth   +-------------------------------+   +------------+
#   | c0 10.0.0.5/24   |--------| rc0 10.0.0.1/24  (consumer)   |   | genl dumps |
#   +------------------+        | pd0 172.16.0.1/16 (provider,  |   | in a loop  |
#     ENI 10.0.0.100 (az1) ->   |     a dummy: the datagrams    |   +------------+
#     udp/9000                  |     are confirmed, then gone) |
#                               | svc: nlb az1 172.16.0.10,     |
#                               |  1024 targets 172.16.4.0-7.255|
#                               +-------------------------------+
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
ENI=10.0.0.100 NT=1024
netns_new C=pl-stall-c R=pl-stall-r X=pl-stall-x ||
	{ diag "cannot create the namespaces"; exit 1; }
# The policy of a new service copies the namespace's conntrack timeouts:
# unreplied UDP flows then live for an hour, not 30 s, however slow the
# guest.  DESTROY events for every flow, listener or not.
topo_veth $R rc0 10.0.0.1/24 $C c0 10.0.0.5/24 &&
ip -n $R link add pd0 type dummy && ip -n $R addr add 172.16.0.1/16 dev pd0 &&
ip -n $R link set pd0 up &&
topo_router $R &&
ip netns exec $R sysctl -qw net.netfilter.nf_conntrack_udp_timeout=3600 &&
ip netns exec $R sysctl -qw net.netfilter.nf_conntrack_events=1 ||
	{ diag "cannot build the topology"; exit 1; }

tmp=$(mktemp -d)
at_exit rm -rf "$tmp"
pl() { plctl -n $R "$@"; }
{
	echo "az add az1"
	echo "vpc add consumer account 111 cidr 10.0.0.0/24 dev rc0"
	echo "vpc add provider account 222 cidr 172.16.0.0/16 dev pd0"
	echo "service add svc vpc provider listener udp/9000 nlb az1 172.16.0.10 acceptance auto principal 111"
	for ((i = 0; i < NT; i++)); do
		echo "target add svc 172.16.$((4 + i / 256)).$((i % 256)) az az1"
	done
	echo "endpoint add vpce-stall vpc consumer service svc eni az1 $ENI"
} > "$tmp/config"
check "a service with $NT targets and an endpoint" pl -b "$tmp/config" ||
	done_testing
zone=$(pl -j vpc show consumer | json_eval 'j[0]["zone"]')

# send FIRST N: N datagrams from 10.0.0.5 ports FIRST.., one flow each
send() {
	ip netns exec $C python3 - "$1" "$2" "$ENI" <<-'EOF'
	import socket, struct, sys
	first, n, eni = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
	src, dst = socket.inet_aton("10.0.0.5"), socket.inet_aton(eni)
	s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
	for port in range(first, first + n):
	    udp = struct.pack("!HHHH", port, 9000, 9, 0) + b"x"
	    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64,
	                     socket.IPPROTO_UDP, 0, src, dst)
	    s.sendto(ip + udp, (eni, 0))
	EOF
}
# targets that took a flow
targets_used() {
	pl -s -j target show svc |
		json_eval 'sum(1 for t in j if t["stats"]["new_flows"] > 0)'
}
# Each target takes a flow with probability 1/1024: about 7700 flows cover
# them all; send in rounds until they do (at most ~40000 source ports).
port=1024 used=0
while [ $port -lt 41024 ]; do
	send $port 4096 || break
	port=$((port + 4096))
	used=$(targets_used)
	[ "$used" = $NT ] && break
done
check_eq "every target carried a flow" $NT "$used"
flows=$(ip netns exec $R conntrack -L 2>/dev/null | grep -c "zone-orig=$zone")
diag "$flows flows through the ENI, $((port - 1024)) datagrams sent"
check "the flows are in conntrack" test "$flows" -ge $NT

# The observer, started in the router's namespace: generic netlink dumps
# from namespace X in a loop, each between two reads of the router's
# conntrack count; the router's conntrack DESTROY events are queued on a
# socket and counted at the end.  One line per request: start end (ns,
# CLOCK_REALTIME) and the count before and after it.
cat > "$tmp/observe.py" <<'EOF'
import ctypes, errno, os, socket, struct, sys, time
other, ready, stop, out = sys.argv[1:5]
ct = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)	# NETLINK_NETFILTER
ct.setsockopt(socket.SOL_SOCKET, 33, 256 << 20)		# SO_RCVBUFFORCE
ct.bind((0, 1 << (3 - 1)))				# NFNLGRP_CONNTRACK_DESTROY
cnt = os.open("/proc/sys/net/netfilter/nf_conntrack_count", os.O_RDONLY)
libc = ctypes.CDLL(None, use_errno=True)
if libc.setns(os.open("/run/netns/" + other, os.O_RDONLY), 0x40000000):
    sys.exit("setns: " + os.strerror(ctypes.get_errno()))
g = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)	# NETLINK_GENERIC
g.bind((0, 0))
def count():
    return int(os.pread(cnt, 64, 0))
def ctrl_dump(seq):	# CTRL_CMD_GETFAMILY, NLM_F_REQUEST | NLM_F_DUMP
    g.send(struct.pack("IHHII", 20, 0x10, 0x301, seq, 0) + struct.pack("BBH", 3, 1, 0))
    while True:
        data = g.recv(1 << 16)
        off = 0
        while off + 16 <= len(data):
            n, t, _, s, _ = struct.unpack_from("IHHII", data, off)
            if s == seq and t in (2, 3):	# NLMSG_ERROR, NLMSG_DONE
                return
            off += (n + 3) & ~3
recs, seq = [], 0
while not os.path.exists(stop):
    before = count()
    seq += 1
    t0 = time.time_ns()
    ctrl_dump(seq)
    t1 = time.time_ns()
    recs.append((t0, t1, before, count()))
    if seq == 20:
        open(ready, "w").close()
events, lost = 0, 0
while True:
    try:
        data = ct.recv(1 << 16, socket.MSG_DONTWAIT)
    except BlockingIOError:
        break
    except OSError as e:
        if e.errno != errno.ENOBUFS:
            raise
        lost += 1
        continue
    off = 0
    while off + 16 <= len(data):
        n = struct.unpack_from("I", data, off)[0]
        if n < 16:
            break
        events += 1
        off += (n + 3) & ~3
with open(out, "w") as f:
    f.write(f"{events} {lost}\n")
    f.writelines(f"{a} {b} {c} {d}\n" for a, b, c, d in recs)
EOF
ip netns exec $R python3 "$tmp/observe.py" $X "$tmp/ready" "$tmp/stop" "$tmp/recs" &
obs=$!
at_exit kill $obs
check "the generic netlink loop runs" wait_for 60 test -e "$tmp/ready"

mark=$(dmesg | wc -l)
t0=$(date +%s%N)
pl endpoint del vpce-stall
rc_ep=$?
t1=$(date +%s%N)
pl service del svc
rc_svc=$?
t2=$(date +%s%N)
touch "$tmp/stop"
wait $obs
check_eq "endpoint del succeeds" 0 $rc_ep
check_eq "service del (with its $NT targets) succeeds" 0 $rc_svc
check_eq "no flow left in the consumer's zone" 0 \
	"$(ip netns exec $R conntrack -L 2>/dev/null | grep -c "zone-orig=$zone")"
check_eq "the targets are gone" 0 "$(pl_info $R targets)"

# figures: FLOWS TARGETS T0 T1 T2 < records
python3 -c '
import statistics, sys
flows, nt, t0, t1, t2 = map(int, sys.argv[1:])
events, lost = map(int, sys.stdin.readline().split())
recs = [tuple(map(int, l.split())) for l in sys.stdin]
ms = lambda ns: f"{ns / 1e6:.1f}"
over = [r[1] - r[0] for r in recs if r[1] >= t0 and r[0] <= t2]
before = [r[1] - r[0] for r in recs if r[1] < t0]
inside = sum(1 for r in recs if r[0] >= t0 and r[1] <= t2)
walking = sum(1 for r in recs if r[2] < flows and r[3] > 0)
print(events, lost, inside, walking)
print(f"endpoint del {ms(t1 - t0)} ms, service del ({nt} targets that carried flows) {ms(t2 - t1)} ms")
print(f"genl dumps from another namespace: {len(before)} before the deletes, median {ms(statistics.median(before))} ms;"
      f" {len(over)} overlapping the deletes, median {ms(statistics.median(over or [0]))} ms, max {ms(max(over or [0]))} ms;"
      f" {inside} completed inside them")
print(f"{walking} answered while the endpoint\x27s {flows} flows were being ended")
' "$flows" $NT $t0 $t1 $t2 < "$tmp/recs" > "$tmp/figures"
read -r events lost inside walking < "$tmp/figures"
tail -n +2 "$tmp/figures" | while read -r l; do diag "$l"; done
check_eq "one DESTROY event per flow, none lost" "$flows 0" "$events $lost"
check "generic netlink requests completed during the deletes" test "$inside" -gt 0
check "and while the endpoint's flows were being ended" test "$walking" -gt 0
newlog=$(dmesg | tail -n +$((mark + 1)))
check_eq "nothing in the kernel log" "" "$newlog"
done_testing
