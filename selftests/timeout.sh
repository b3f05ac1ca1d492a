#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A service's idle timeout becomes the conntrack timeout of its established
# TCP flows (default 350 s, as AWS NLB), and a changed timeout applies to new
# flows while existing ones keep theirs.
#
#   pl-to-c 10.0.0.5 --- rc0 [pl-to-r] rp0 --- pl-to-p 172.16.1.10:7 (echo)
#        ENI 10.0.0.100:7 (az1)          NLB node 172.16.0.10
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
netns_new C=pl-to-c R=pl-to-r P=pl-to-p &&
topo_std $C $R $P ||
	{ diag "cannot build the topology"; exit 1; }
ip netns exec $P socat TCP-LISTEN:7,fork,reuseaddr EXEC:cat &
at_exit kill $!
wait_for 30 dp_listening $P tcp 7 || diag "the echo server did not start"

check "configure a service with the default idle timeout" sh -c '
	set -e
	pl() { plctl -n $R "$@"; }
	pl az add use1-az1
	pl vpc add consumer account 111111111111 cidr 10.0.0.0/24 dev rc0
	pl vpc add provider account 222222222222 cidr 172.16.0.0/16 dev rp0
	pl service add svc vpc provider listener tcp/7 nlb use1-az1 172.16.0.10 acceptance auto principal 111111111111
	pl target add svc 172.16.1.10 az use1-az1
	pl endpoint add vpce-1 vpc consumer service svc eni use1-az1 10.0.0.100'

# hold PORT: an established connection from source port PORT, echoing one
# byte, kept open until the file "$dir/stop-PORT" appears.
dir=$(mktemp -d)
at_exit rm -rf "$dir"
hold() {
	ip netns exec $C python3 - "$1" "$dir" >"$dir/log-$1" 2>&1 <<'PY' &
import os, socket, sys, time
port, d = int(sys.argv[1]), sys.argv[2]
s = socket.socket()
s.bind(("10.0.0.5", port))
s.connect(("10.0.0.100", 7))
s.sendall(b"x")
assert s.recv(1) == b"x"
open(os.path.join(d, "up-%d" % port), "w").close()
deadline = time.time() + 120
while not os.path.exists(os.path.join(d, "stop-%d" % port)) and time.time() < deadline:
    time.sleep(0.05)
s.close()
PY
	at_exit touch "$dir/stop-$1"
	wait_for 30 test -e "$dir/up-$1"
}
# timeout_of PORT: conntrack's remaining timeout of that established flow.
timeout_of() {
	ip netns exec $R conntrack -L -p tcp --orig-dst 10.0.0.100 --sport "$1" \
		--state ESTABLISHED 2>/dev/null | awk '{ print $3 }'
}
in_range() { [ -n "$1" ] && [ "$1" -le "$3" ] && [ "$1" -gt "$2" ]; }

check "an established flow (default timeout)" hold 40001
t=$(timeout_of 40001)
check "its conntrack timeout is the default 350 s, not conntrack's 5 days (got '$t')" \
	in_range "$t" 300 350
check "set the idle timeout to 77 s" plctl -n $R service set svc idle-timeout 77
check "a new established flow" hold 40002
t=$(timeout_of 40002)
check "the new flow's timeout follows the service (got '$t')" in_range "$t" 50 77
t=$(timeout_of 40001)
check "the older flow keeps its own (got '$t')" in_range "$t" 77 350
done_testing
