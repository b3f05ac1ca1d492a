#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Established flows stay pinned to their target: long-lived TCP connections
# to target A keep working (same target answering) while target B is added,
# set unhealthy and removed, and while A itself is draining.  Removing A ends
# A's connections (their conntrack entries go, the clients' next exchange
# fails) and leaves B's alone; deleting the endpoint ends the rest.
#
# The consumer runs one driver process holding several connections; the
# script sends it commands through a FIFO ("open NAME PORT", "ping NAME") and
# waits for its numbered answers.  The provider's server answers every line
# with the address of the target it was sent to.
#
#   pl-pin-c (consumer VPC)      pl-pin-r (router)            pl-pin-p (provider VPC)
#   +------------------+  veth   +----------------------+ veth +---------------------------+
#   | c0 10.0.0.5/24   |---------| rc0 10.0.0.1/24      |------| p0 172.16.0.2/16          |
#   | driver: conns    |         | rp0 172.16.0.1/16    |      | line server 0.0.0.0:9000  |
#   |  from :3000x     |         | svc tcp/9000         |      | targets (az1):            |
#   +------------------+         |  nlb 172.16.0.10     |      |  A 172.16.1.11            |
#     ENI 10.0.0.100 (az1) ----> |                      |      |  B 172.16.1.12            |
#                                +----------------------+      +---------------------------+
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
A=172.16.1.11 B=172.16.1.12 ENI=10.0.0.100
netns_new C=pl-pin-c R=pl-pin-r P=pl-pin-p &&
topo_std $C $R $P 172.16.0.2 $A $B ||
	{ diag "cannot build the topology"; exit 1; }

tmp=$(mktemp -d)
at_exit rm -rf "$tmp"
cat > "$tmp/server.py" <<'EOF'
import socketserver
class H(socketserver.StreamRequestHandler):
    def handle(self):
        me = self.connection.getsockname()[0].encode()
        for line in self.rfile:
            self.wfile.write(me + b"\n")
class S(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
S(("0.0.0.0", 9000), H).serve_forever()
EOF
# Reads "SEQ open NAME SRCPORT" / "SEQ ping NAME" lines, answers
# "SEQ ok" / "SEQ <target address>" / "SEQ fail <why>".
cat > "$tmp/driver.py" <<'EOF'
import socket, sys
eni = sys.argv[1]
conns = {}
for line in sys.stdin:
    w = line.split()
    if not w:
        continue
    seq, cmd, name = w[0], w[1], w[2]
    try:
        if cmd == "open":
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.settimeout(8)
            s.bind(("0.0.0.0", int(w[3])))
            s.connect((eni, 9000))
            conns[name] = (s, s.makefile("rb"))
            ans = "ok"
        else:
            s, f = conns[name]
            s.sendall(b"ping\n")
            ans = f.readline().decode().strip() or "fail eof"
    except Exception as e:
        ans = "fail " + type(e).__name__
    print(seq, ans, flush=True)
EOF
ip netns exec $P python3 "$tmp/server.py" >/dev/null 2>&1 &
at_exit kill $!
wait_for 90 dp_listening $P tcp 9000 || diag "the server did not start"

mkfifo "$tmp/cmd"
ip netns exec $C python3 "$tmp/driver.py" $ENI < "$tmp/cmd" > "$tmp/out" 2>&1 &
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
# check_pings DESC WANT NAME...: every connection NAME answers WANT.
check_pings() {
	local desc=$1 want=$2 n bad=
	shift 2
	for n in "$@"; do
		drv ping "$n"
		[ "$r" = "$want" ] || bad="$bad $n:$r"
	done
	if [ -z "$bad" ]; then
		_t_result ok "$desc"
	else
		diag "wanted $want from $*" "got:$bad"
		_t_result fail "$desc"
	fi
}
pl() { plctl -n $R "$@"; }

check "configure AZ, VPCs, service, target A only, endpoint" sh -c "
	set -e
	pl() { plctl -n $R \"\$@\"; }
	pl az add use1-az1
	pl vpc add consumer account 111111111111 cidr 10.0.0.0/24 dev rc0
	pl vpc add provider account 222222222222 cidr 172.16.0.0/16 dev rp0
	pl service add svc vpc provider listener tcp/9000 nlb use1-az1 172.16.0.10 \
		acceptance auto principal 111111111111
	pl target add svc $A az use1-az1
	pl endpoint add vpce-1 vpc consumer service svc eni use1-az1 $ENI"

# Eight connections to A: with B present about half of them would hash to B,
# so they show that established flows are not re-balanced.
a_conns=()
opened=0
for i in 1 2 3 4 5 6 7 8; do
	drv open a$i $((30000 + i))
	[ "$r" = ok ] && opened=$((opened + 1))
	a_conns+=(a$i)
done
check_eq "8 long-lived connections opened through the ENI" 8 $opened
check_pings "all 8 are answered by target A" $A "${a_conns[@]}"

check "add target B" pl target add svc $B az use1-az1
check_pings "after adding B, the 8 connections are still answered by A" $A "${a_conns[@]}"
drv open probe1 30101 && drv ping probe1
check "a new connection works with A and B healthy (answered by $r)" \
	sh -c "[ '$r' = $A ] || [ '$r' = $B ]"
# probe1 stays open; which target took it depends on the router's secret
# hash key (random): on A it is counted with A's flows below; on B it ends
# when B is removed.
on_a=0
[ "$r" = $A ] && on_a=1

check "set B unhealthy" pl target set svc $B state unhealthy
check_pings "with B unhealthy, the 8 connections are still answered by A" $A "${a_conns[@]}"
check "remove B" pl target del svc $B
check_pings "after removing B, the 8 connections are still answered by A" $A "${a_conns[@]}"

# Draining: A keeps its connections; new ones go to B.
check "add B back, set A draining" sh -c "plctl -n $R target add svc $B az use1-az1 &&
	plctl -n $R target set svc $A state draining"
check_pings "A is draining: its 8 connections go on" $A "${a_conns[@]}"
b_conns=()
opened=0
for i in 1 2 3; do
	drv open b$i $((30200 + i))
	[ "$r" = ok ] && opened=$((opened + 1))
	b_conns+=(b$i)
done
check_eq "3 new connections opened while A drains" 3 $opened
check_pings "the new connections all went to B" $B "${b_conns[@]}"

# Removing A ends A's connections, not B's.
check_eq "conntrack has A's 8 flows (and probe1 if A took it)" $((8 + on_a)) \
	"$(dp_ct_count $R -p tcp --reply-src $A)"
check "remove A" pl target del svc $A
check "A's flows are gone from conntrack" wait_for 10 dp_ct_none $R -p tcp --reply-src $A
check_eq "B's 3 flows are still in conntrack" 3 "$(dp_ct_count $R -p tcp --reply-src $B)"
bad=0
for n in "${a_conns[@]}"; do
	drv ping "$n"
	case $r in fail*) diag "$n: $r" ;; *) bad=$((bad + 1)); diag "$n still answered: $r" ;; esac
done
check_eq "every connection to the removed target fails on its next exchange" 0 $bad
check_pings "B's connections are untouched" $B "${b_conns[@]}"

# Deleting the endpoint ends its flows.
check "delete the endpoint" pl endpoint del vpce-1
check "its flows are gone from conntrack" wait_for 10 dp_ct_none $R -p tcp --orig-dst $ENI
bad=0
for n in "${b_conns[@]}"; do
	drv ping "$n"
	case $r in fail*) diag "$n: $r" ;; *) bad=$((bad + 1)); diag "$n still answered: $r" ;; esac
done
check_eq "every connection through the deleted endpoint fails on its next exchange" 0 $bad
done_testing
