#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of selftests/host/packages.sh: the host has installed
# privlink (MODE "checkout": "make install"; "package": privlink-dkms and
# plctl) into its own /lib/modules and /usr, which the guest sees.  Here,
# starting from none of privlink's modules loaded: README's "load" block
# (modprobe privlink pulls in what the module needs), a flow through an
# endpoint, README's "save" block, and privlink.service's own commands, read
# from the installed unit file: stop, a boot (module unloaded, then
# ExecStartPre and ExecStart), the flow again.  MODE "checkout" also tries the
# restore's edges: it waits for a missing interface and names it, refuses a
# namespace that has a configuration, and undoes a file the kernel refuses,
# settings included, or applies nothing of a file that does not parse.
#
#   pl-inst-c (consumer)           the guest's own netns (router)      pl-inst-p (provider)
#   c0 10.0.0.5/24 ---- veth ---- rc0 10.0.0.1/24   rp0 172.16.0.1/16 ---- veth ---- p0 172.16.1.10/16
#   socat to 10.0.0.100:80         ENI 10.0.0.100 -> target :8443,    socat :8443 answers the
#                                  SNAT to the NLB node 172.16.0.10   client's address
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/readme.sh"

mode=${1:-}
case $mode in
checkout)
	unit=/usr/local/lib/systemd/system/privlink.service
	want_plctl=/usr/local/sbin/plctl
	want_ko=/lib/modules/$(uname -r)/extra/kmod/privlink.ko ;;
package)
	unit=/lib/systemd/system/privlink.service
	want_plctl=/usr/sbin/plctl
	want_ko=/lib/modules/$(uname -r)/updates/dkms/privlink.ko ;;
*) echo "guest-install.sh: unknown mode $mode" >&2; exit 2 ;;
esac
# The installed plctl, as on a router: not the checkout's.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
conf=/etc/privlink/privlink.conf
version=$(sed -n 's/^#define PRIVLINK_RELEASE[[:space:]]*"\(.*\)"/\1/p' "$TOP/include/uapi/linux/privlink.h")
deps="nf_conntrack nf_nat nf_defrag_ipv4 nf_defrag_ipv6 nf_reject_ipv4 nf_flow_table nf_conncount"

loaded() { lsmod | awk 'NR > 1 { print $1 }' | grep -qx "$1"; }

# The values of KEY= in the unit file, one command a line.
unit_cmds() { sed -n "s/^$1=//p" "$unit"; }

# unit_run KEY: run the unit's KEY= commands as systemd would (split into
# words, no shell), the first failure ends it.
unit_run() {
	local cmd words

	while IFS= read -r cmd; do
		read -ra words <<<"$cmd"
		"${words[@]}" || return
	done < <(unit_cmds "$1")
}

# The objects of the router's namespace, all kinds added up.
objects() {
	plctl -j version | python3 -c 'import json,sys; j=json.load(sys.stdin)
print(sum(j[k] for k in ("azs","vpcs","services","targets","endpoints","enis")))'
}
generation() { plctl -j version | json_eval 'j["generation"]'; }

flow() { ip netns exec $C socat -T 20 - TCP:10.0.0.100:80,connect-timeout=10 </dev/null 2>/dev/null; }
flow_ok() { [ "$(flow)" = 172.16.0.10 ]; }
# check_flow DESC: a flow through the endpoint reaches the target from the
# NLB node's address (polled: the guest is slow); the router's state if not.
check_flow() {
	if wait_for 60 flow_ok; then
		_t_result ok "$1"
	else
		diag "$(plctl save 2>&1)" "$(plctl -s version 2>&1)" "$(conntrack -L 2>&1)" \
			"$(ip -n $C neigh 2>&1)" "$(ip addr 2>&1)"
		_t_result fail "$1"
	fi
}
no_flow() { [ -z "$(flow)" ]; }
boot() { unit_run ExecStartPre && unit_run ExecStart; }

consumer_link() {
	ip link add rc0 type veth peer name c0 netns $C &&
	ip addr add 10.0.0.1/24 dev rc0 && ip link set rc0 up &&
	ip -n $C addr add 10.0.0.5/24 dev c0 && ip -n $C link set c0 up &&
	ip -n $C route add default via 10.0.0.1
}

# --- the module, as modprobe finds it -----------------------------------
modprobe -r -q privlink $deps 2>/dev/null
check_eq "none of privlink's modules is loaded" "" \
	"$(for m in privlink $deps; do loaded "$m" && echo "$m"; done)"
if [ "$mode" = checkout ]; then
	check_eq "the default make built kmod/privlink.ko for the kernel the guest boots" \
		"$(uname -r)" "$(modinfo -F vermagic "$TOP/kmod/privlink.ko" | cut -d' ' -f1)"
fi
check_eq "modprobe finds the installed module" "$want_ko" "$(modinfo -n privlink 2>&1)"
check_eq "built for the running kernel" "$(uname -r)" \
	"$(modinfo -F vermagic privlink | cut -d' ' -f1)"
check_eq "plctl is the installed one" "$want_plctl" "$(command -v plctl)"
out=$(readme_run load 2>/dev/null)
check_eq "README's load block: modprobe privlink; plctl version" \
	"plctl $version, privlink module $version, hooks registered: false" "$out"
check_eq "modprobe loaded what privlink needs" "" \
	"$(for m in privlink $deps; do loaded "$m" || echo "$m"; done)"

# --- a flow through an endpoint ------------------------------------------
netns_new C=pl-inst-c P=pl-inst-p
check "the router's links" sh -c '
	set -e
	ip link add rp0 type veth peer name p0 netns $P
	ip addr add 172.16.0.1/16 dev rp0; ip link set rp0 up
	ip -n $P addr add 172.16.1.10/16 dev p0; ip -n $P link set p0 up
	ip -n $P route add default via 172.16.0.1
	sysctl -qw net.ipv4.ip_forward=1'
check "the consumer's link" consumer_link
ip netns exec $P socat TCP-LISTEN:8443,fork,reuseaddr \
	SYSTEM:'echo $SOCAT_PEERADDR' </dev/null >/dev/null 2>&1 &
at_exit kill $!
wait_for 60 ip netns exec $P sh -c 'ss -Hltn "sport = :8443" | grep -q .' ||
	diag "the provider's server did not start"
check "configure the router" sh -c '
	set -e
	plctl limit set max-flows 1000
	plctl az add use1-az1
	plctl vpc add consumer account 111111111111 cidr 10.0.0.0/24 dev rc0
	plctl vpc add provider account 222222222222 cidr 172.16.0.0/16 dev rp0
	plctl service add web vpc provider listener tcp/80:8443 nlb use1-az1 172.16.0.10 \
		acceptance required principal 111111111111
	plctl target add web 172.16.1.10 az use1-az1
	plctl endpoint add vpce-1 vpc consumer service web eni use1-az1 10.0.0.100
	plctl endpoint accept vpce-1'
check_flow "a flow through the endpoint reaches the target from the NLB node"

# --- privlink.service ------------------------------------------------------
# /etc is the host's, read-only: the saved file goes to a tmpfs.
mount -t tmpfs -o mode=0755 tmpfs /etc/privlink
at_exit umount /etc/privlink
check "README's save block" readme_run save
check_eq "the saved file is private" "600" "$(stat -c %a "$conf")"
saved=$(plctl save)
check_eq "the file is plctl save's" "$saved" "$(cat "$conf")"

check "the unit's ExecStop" unit_run ExecStop
check_eq "it deleted every object" 0 "$(objects)"
check "and with them the endpoint's traffic" no_flow
check "unload the module (a reboot)" rmmod privlink
check "the unit's ExecStartPre and ExecStart" boot
check "the module is loaded again" loaded privlink
check_eq "the restored configuration is the saved one" "$saved" "$(plctl save)"
check_flow "the flow passes again"

if [ "$mode" = checkout ]; then
	# An interface the file names is missing at start: the restore waits for
	# it, says which one, and goes on when it appears.
	unit_run ExecStop
	ip link del rc0
	log=$(mktemp)
	at_exit rm -f "$log"
	unit_run ExecStart 2>"$log" &
	pid=$!
	check "ExecStart waits, naming the interface" wait_for 60 \
		grep -qF "plctl: waiting up to 60 s for interface \"rc0\" ($conf:" "$log"
	check "create the interface" consumer_link
	wait $pid
	rc=$?
	check_eq "then it restores" 0 "$rc"
	check_eq "the whole configuration" "$saved" "$(plctl save)"
	check_flow "the flow passes"

	check_fail "a second ExecStart is refused (the namespace is configured)" 1 \
		"Error: the namespace has a configuration already ($(objects) objects); restore needs none" \
		unit_run ExecStart
	check_eq "and changed nothing" "$saved" "$(plctl save)"

	# A file whose last line the kernel refuses: all of it is undone.
	unit_run ExecStop
	plctl limit set max-flows 7 hash-key 000102030405060708090a0b0c0d0e0f
	settings=$(plctl limit show)
	cp "$conf" "$conf.good"
	echo "endpoint add vpce-2 vpc consumer service nosuch eni use1-az1 10.0.0.101" >> "$conf"
	n=$(wc -l < "$conf")
	out=$(unit_run ExecStart 2>&1)
	rc=$?
	check_eq "a refused line fails ExecStart" 1 "$rc"
	check_eq "with the kernel's message, where, and that it was undone" \
		"Error: no service with this name
Command failed $conf:$n (undone: the namespace is as it was)" "$out"
	check_eq "no object is left" 0 "$(objects)"
	check_eq "the settings are back" "$settings" "$(plctl limit show)"
	check "the namespace's hooks are gone" sh -c 'plctl version | grep -q "hooks registered: false"'

	# A file that does not parse: nothing is sent at all.
	gen=$(generation)
	{ cat "$conf.good"; echo "endpoint add vpce-3 vpc 'consumer"; } > "$conf"
	n=$(wc -l < "$conf")
	check_fail "an unterminated quote fails ExecStart before anything is sent" 1 \
		"Command failed $conf:$n (nothing applied)" unit_run ExecStart
	check_eq "the configuration did not change at all (generation)" "$gen" "$(generation)"
	{ cat "$conf.good"; echo "monitor"; } > "$conf"
	check_fail "so does a line that is no configuration" 1 \
		"Error: \"monitor\" is not a configuration command" unit_run ExecStart
	check_eq "nothing sent (generation)" "$gen" "$(generation)"
	sed 's/ dev rc0/ dev nosuch0/' "$conf.good" > "$conf"
	line=$(grep -n 'dev nosuch0' "$conf" | cut -d: -f1)
	check_fail "an interface that never appears is named" 1 \
		"Error: interface \"nosuch0\" ($conf:$line) did not appear within 1 s" \
		plctl restore "$conf" wait 1
	check_eq "nothing sent (generation)" "$gen" "$(generation)"
	cp "$conf.good" "$conf"
	check "the good file restores again" unit_run ExecStart
	check_flow "the flow passes"
fi
check "the unit's ExecStop at the end" unit_run ExecStop
check_eq "nothing is left" 0 "$(objects)"
done_testing
