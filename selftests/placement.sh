#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Target selection (kmod/select.c, uapi header): with cross-zone off an ENI
# sends new flows only to healthy targets of its own AZ; with cross-zone on
# to those of every up AZ; when its AZ has no healthy target it fails over to
# healthy targets of other AZs; when no target is healthy it fails open (any
# target that is not draining); an ENI whose AZ is down takes no new flows
# (drop_az_down) while the other AZ's ENI works; weights share flows in
# proportion; draining targets get no new flows; the same flow (same source
# port to the same ENI) picks the same target every time.
#
# Every target is a python http.server bound to its own address, serving a
# file "id" that holds that address, so each answer names its target.
#
#   pl-plc-c (consumer VPC)     pl-plc-r (router)             pl-plc-p (provider VPC)
#   +-----------------+  veth   +----------------------+ veth +-----------------------------+
#   | c0 10.0.0.5/24  |---------| rc0 10.0.0.1/24      |------| p0 172.16.0.2/16            |
#   | GET /id         |         | rp0 172.16.0.1/16    |      |  az1: 172.16.1.11:8080 (A1) |
#   +-----------------+         | service svc          |      |       172.16.1.12:8080 (B1) |
#    ENI 10.0.0.101 (az1) ----> |  tcp/80:8080         |      |  az2: 172.16.2.21:8080 (A2) |
#    ENI 10.0.0.102 (az2) ----> |  nlb az1 172.16.0.11 |      |       172.16.2.22:8080 (B2) |
#                               |      az2 172.16.0.12 |      +-----------------------------+
#                               +----------------------+
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
A1=172.16.1.11 B1=172.16.1.12 A2=172.16.2.21 B2=172.16.2.22
ENI1=10.0.0.101 ENI2=10.0.0.102
# Connections per measurement (the weight one uses twice as many).
N=${PL_PLACEMENT_N:-100}
netns_new C=pl-plc-c R=pl-plc-r P=pl-plc-p &&
topo_std $C $R $P 172.16.0.2 $A1 $B1 $A2 $B2 &&
# The determinism checks connect twice from one source port.  The client
# keeps no TIME_WAIT socket (no buckets), which would make the second bind
# fail when the client happens to close first.
ip netns exec $C sysctl -qw net.ipv4.tcp_max_tw_buckets=0 ||
	{ diag "cannot build the topology"; exit 1; }

tmp=$(mktemp -d)
at_exit rm -rf "$tmp"
topo_http $P 8080 "$tmp" "" $A1 $B1 $A2 $B2 || exit 1

# dist.py ENI FIRST_PORT N TIMEOUT: N requests for /id from source ports
# FIRST_PORT.., one connection each; prints {"target address": count, ...,
# "fail": count} as JSON.
cat > "$tmp/dist.py" <<'EOF'
import json, socket, sys
eni, first, n, tmo = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
counts = {}
for i in range(n):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.settimeout(tmo)
    try:
        s.bind(("0.0.0.0", first + i))
        s.connect((eni, 80))
        s.sendall(b"GET /id HTTP/1.0\r\n\r\n")
        buf = b""
        while True:
            d = s.recv(4096)
            if not d:
                break
            buf += d
        k = buf.split(b"\r\n\r\n", 1)[1].decode().strip()
    except Exception:
        k = "fail"
    finally:
        s.close()
    counts[k] = counts.get(k, 0) + 1
print(json.dumps(counts, sort_keys=True))
EOF
port=20000
# dist ENI N [TIMEOUT]: d = the distribution of N new flows through ENI,
# each measurement from fresh source ports.
dist() {
	d=$(ip netns exec $C python3 "$tmp/dist.py" "$1" $port "$2" "${3:-10}")
	port=$((port + $2))
}
# check_dist DESC JSON EXPR: EXPR (python; c is the distribution, a dict
# with 0 for absent keys) holds.
check_dist() {
	if python3 -c '
import collections, json, sys
c = collections.defaultdict(int, json.loads(sys.argv[1]))
A1, B1, A2, B2 = sys.argv[3:7]
sys.exit(0 if eval(sys.argv[2]) else 1)' "$2" "$3" $A1 $B1 $A2 $B2; then
		diag "distribution: $2"
		_t_result ok "$1"
	else
		diag "distribution: $2" "wanted: $3"
		_t_result fail "$1"
	fi
}

pl() { plctl -n $R "$@"; }
check "configure 2 AZs, VPCs, a service in both, 4 targets, an endpoint with 2 ENIs" sh -c "
	set -e
	pl() { plctl -n $R \"\$@\"; }
	pl az add use1-az1
	pl az add use1-az2
	pl vpc add consumer account 111111111111 cidr 10.0.0.0/24 dev rc0
	pl vpc add provider account 222222222222 cidr 172.16.0.0/16 dev rp0
	pl service add svc vpc provider listener tcp/80:8080 \
		nlb use1-az1 172.16.0.11 nlb use1-az2 172.16.0.12 \
		acceptance auto principal 111111111111
	pl target add svc $A1 az use1-az1
	pl target add svc $B1 az use1-az1
	pl target add svc $A2 az use1-az2
	pl target add svc $B2 az use1-az2
	pl endpoint add vpce-1 vpc consumer service svc eni use1-az1 $ENI1 eni use1-az2 $ENI2"

# --- cross-zone off ---------------------------------------------------------
dist $ENI1 $N
check_dist "cross-zone off: the az1 ENI reaches only az1 targets, both of them" "$d" \
	"c[A1] + c[B1] == $N and c[A1] > 0 and c[B1] > 0"
dist $ENI2 $N
check_dist "cross-zone off: the az2 ENI reaches only az2 targets, both of them" "$d" \
	"c[A2] + c[B2] == $N and c[A2] > 0 and c[B2] > 0"

# --- determinism --------------------------------------------------------------
same=0
for p in 40001 40002 40003 40004 40005; do
	t1=$(ip netns exec $C curl -s --max-time 10 --local-port $p http://$ENI1/id)
	t2=$(ip netns exec $C curl -s --max-time 10 --local-port $p http://$ENI1/id)
	if [ -n "$t1" ] && [ "$t1" = "$t2" ]; then
		same=$((same + 1))
	else
		diag "source port $p: first $t1, then $t2"
	fi
done
check_eq "the same source port to the same ENI picks the same target (5 ports, twice each)" 5 $same

# --- cross-zone on --------------------------------------------------------------
check "cross-zone on" pl service set svc cross-zone on
dist $ENI1 $N
check_dist "cross-zone on: the az1 ENI reaches targets in both AZs" "$d" \
	"c['fail'] == 0 and c[A1] + c[B1] > 0 and c[A2] + c[B2] > 0"
dist $ENI2 $N
check_dist "cross-zone on: the az2 ENI reaches targets in both AZs" "$d" \
	"c['fail'] == 0 and c[A1] + c[B1] > 0 and c[A2] + c[B2] > 0"
check "cross-zone off again" pl service set svc cross-zone off

# --- zonal failover, fail open -------------------------------------------------
check "az1's targets unhealthy" sh -c "plctl -n $R target set svc $A1 state unhealthy &&
	plctl -n $R target set svc $B1 state unhealthy"
dist $ENI1 $((N / 2))
check_dist "the az1 ENI fails over to az2's healthy targets" "$d" \
	"c[A2] + c[B2] == $((N / 2))"
check "all targets unhealthy" sh -c "plctl -n $R target set svc $A2 state unhealthy &&
	plctl -n $R target set svc $B2 state unhealthy"
nt0=$(dp_stat $R drop_no_target)
dist $ENI1 $((N / 2))
check_dist "no healthy target: fail open, every flow of the az1 ENI still reaches a target" "$d" \
	"c[A1] + c[B1] + c[A2] + c[B2] == $((N / 2))"
check_eq "fail open dropped nothing for want of a target" "$nt0" "$(dp_stat $R drop_no_target)"
check "all targets healthy again" sh -c "set -e; for t in $A1 $B1 $A2 $B2; do
	plctl -n $R target set svc \$t state healthy; done"

# --- AZ down ---------------------------------------------------------------------
check "az1 down" pl az set use1-az1 state down
azd0=$(dp_stat $R drop_az_down)
dist $ENI1 3 3
check_dist "az1 down: its ENI takes no new flows" "$d" "c['fail'] == 3"
check "drop_az_down counted them" dp_stat_ge $R drop_az_down $((azd0 + 3))
dist $ENI2 $((N / 2))
check_dist "az1 down: the az2 ENI still works, with az2 targets" "$d" \
	"c[A2] + c[B2] == $((N / 2))"
check "cross-zone on while az1 is down" pl service set svc cross-zone on
dist $ENI2 $((N / 2))
check_dist "cross-zone on: the az2 ENI sends nothing to targets in the down AZ" "$d" \
	"c[A2] + c[B2] == $((N / 2))"
check "az1 up, cross-zone off" sh -c "plctl -n $R az set use1-az1 state up &&
	plctl -n $R service set svc cross-zone off"
dist $ENI1 10
check_dist "az1 up: its ENI works again" "$d" "c[A1] + c[B1] == 10"

# --- weights ---------------------------------------------------------------------
check "weight 3 for $A1 (and 1 for $B1)" pl target set svc $A1 weight 3
W=$((2 * N))
dist $ENI1 $W
check_dist "weights 3:1: $A1 gets between 60% and 90% of $W flows" "$d" \
	"c['fail'] == 0 and c[A1] + c[B1] == $W and 0.60 * $W <= c[A1] <= 0.90 * $W"
check "weight 1 again" pl target set svc $A1 weight 1

# --- draining ----------------------------------------------------------------------
check "$B1 draining" pl target set svc $B1 state draining
dist $ENI1 $N
check_dist "a draining target gets no new flows (all go to $A1)" "$d" "c[A1] == $N"
check "all targets draining in az1, cross-zone off" pl target set svc $A1 state draining
dist $ENI1 $((N / 4))
check_dist "az1 all draining: its ENI fails over to az2, never to a draining target" "$d" \
	"c[A2] + c[B2] == $((N / 4))"
done_testing
