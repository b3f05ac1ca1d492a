# SPDX-License-Identifier: GPL-2.0
#
# Topologies and data-plane probes for the selftests: veth links between
# namespaces, routers, the standard consumer/router/provider topology, the
# provider's HTTP servers, and what a test reads back (listening sockets,
# privlink's packet counters, nftables and conntrack counts).  Source it
# after common.sh (it uses netns_new, wait_for, at_exit and diag):
#
#   . "$(dirname "$0")/lib/common.sh"
#   . "$(dirname "$0")/lib/topology.sh"
#
# topo_* build, dp_* observe.

# topo_veth NS_A IF_A ADDR_A NS_B IF_B ADDR_B: a veth pair between two
# namespaces, an address (A.B.C.D/LEN, or "" for none) on each end, both up.
topo_veth() {
	ip -n "$1" link add "$2" type veth peer name "$5" netns "$4" || return 1
	if [ -n "$3" ]; then ip -n "$1" addr add "$3" dev "$2" || return 1; fi
	if [ -n "$6" ]; then ip -n "$4" addr add "$6" dev "$5" || return 1; fi
	ip -n "$1" link set dev "$2" up && ip -n "$4" link set dev "$5" up
}

# topo_router NS: NS forwards IPv4.
topo_router() { ip netns exec "$1" sysctl -qw net.ipv4.ip_forward=1; }

# topo_std C R P [PADDR...]: the standard topology of the data-plane tests,
# in three namespaces made by netns_new: a consumer VPC's host, the router
# (privlink's namespace) and the provider VPC's host.
#
#   C (consumer VPC)          R (router, forwards IPv4)      P (provider VPC)
#   c0 10.0.0.5/24 -------- rc0 10.0.0.1/24
#                           rp0 172.16.0.1/16 -------------- p0 PADDR/16 ...
#   default via 10.0.0.1                                     default via 172.16.0.1
#
# PADDR: the provider's addresses (its targets), each a /16 on p0 in the
# order given (the first is the primary one); 172.16.1.10 when none.  The
# usual privlink configuration on it: VPC consumer 10.0.0.0/24 dev rc0, VPC
# provider 172.16.0.0/16 dev rp0, NLB node 172.16.0.10, ENI 10.0.0.100.
# Anything else (more addresses, namespaces, sysctls) the script adds.
topo_std() {
	local c=$1 r=$2 p=$3 a
	shift 3
	[ $# -gt 0 ] || set -- 172.16.1.10
	topo_veth "$r" rc0 10.0.0.1/24 "$c" c0 10.0.0.5/24 &&
	topo_veth "$r" rp0 172.16.0.1/16 "$p" p0 "" || return 1
	for a in "$@"; do
		ip -n "$p" addr add "$a/16" dev p0 || return 1
	done
	ip -n "$c" route add default via 10.0.0.1 &&
	ip -n "$p" route add default via 172.16.0.1 &&
	topo_router "$r"
}

# topo_std6 C R P [PADDR6...]: IPv6 on the standard topology (after
# topo_std C R P): the same links get the IPv6 prefixes of the dual-stack
# tests, without duplicate address detection (usable at once), and R
# forwards IPv6.
#
#   C  c0 fd00:10::5/64 ------- rc0 fd00:10::1/64
#                               rp0 fd00:172:16::1/48 ------ p0 PADDR6/48 ...
#   default via fd00:10::1                                   default via fd00:172:16::1
#
# PADDR6: the provider's IPv6 addresses (fd00:172:16:1::10 when none).  The
# usual privlink configuration: VPC consumer fd00:10::/64, provider
# fd00:172:16::/48, NLB node fd00:172:16::10, ENI fd00:10::100.
topo_std6() {
	local c=$1 r=$2 p=$3 a
	shift 3
	[ $# -gt 0 ] || set -- fd00:172:16:1::10
	ip -n "$c" addr add fd00:10::5/64 dev c0 nodad &&
	ip -n "$r" addr add fd00:10::1/64 dev rc0 nodad &&
	ip -n "$r" addr add fd00:172:16::1/48 dev rp0 nodad || return 1
	for a in "$@"; do
		ip -n "$p" addr add "$a/48" dev p0 nodad || return 1
	done
	ip -n "$c" -6 route add default via fd00:10::1 &&
	ip -n "$p" -6 route add default via fd00:172:16::1 &&
	ip netns exec "$r" sysctl -qw net.ipv6.conf.all.forwarding=1
}

# topo_http NS PORT DIR [LOG [ADDR...]]: python3's http.server in NS on
# PORT, serving DIR; its access log (one line per request, the client's
# address first) in LOG ("" for none).  With ADDRs, one server per ADDR,
# bound to it and serving DIR/ADDR/, whose file "id" holds ADDR (so that
# each answer names its target); they share LOG.  Killed at exit.  Waits
# (up to 90 s: python starts slowly under TCG) until all listen; says so and
# fails if one does not.
topo_http() {
	local ns=$1 port=$2 dir=$3 log=${4:-/dev/null} a
	shift $(($# < 4 ? $# : 4))
	if [ $# = 0 ]; then
		ip netns exec "$ns" python3 -m http.server "$port" --bind 0.0.0.0 \
			--directory "$dir" >/dev/null 2>"$log" &
		at_exit kill $!
	fi
	for a in "$@"; do
		mkdir -p "$dir/$a" && echo "$a" > "$dir/$a/id" || return 1
		ip netns exec "$ns" python3 -m http.server "$port" --bind "$a" \
			--directory "$dir/$a" >/dev/null 2>>"$log" &
		at_exit kill $!
	done
	for a in "${@:-}"; do
		wait_for 90 dp_listening "$ns" tcp "$port" "$a" ||
			{ diag "the HTTP server on ${a:-*}:$port in $ns did not start"; return 1; }
	done
}

# dp_listening NS PROTO PORT [ADDR]: something listens on PORT (tcp or udp)
# in NS, bound to ADDR when given (for wait_for).
dp_listening() {
	local f=-ltnH a=${4:-}
	[ "$2" = udp ] && f=-lunH
	case $a in *:*) a="[$a]" ;; esac	# ss writes [X:X::X]:PORT
	ip netns exec "$1" ss $f "sport = :$3" | grep -qF "${a:+$a:$3}"
}

# dp_curl_status NS URL: the status line of GET URL from NS ("" if none).
dp_curl_status() {
	ip netns exec "$1" curl -s -i --max-time 20 "$2" 2>/dev/null |
		head -n1 | tr -d '\r'
}

# dp_stat NS KEY: one packet counter of NS ("stats" of plctl -j version).
dp_stat() {
	plctl -n "$1" -j version |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["stats"][sys.argv[1]])' "$2"
}

# dp_stat_ge NS KEY N: the counter is at least N (for wait_for).
dp_stat_ge() { local v; v=$(dp_stat "$1" "$2" 2>/dev/null) && [ "$v" -ge "$3" ]; }

# dp_count_setup NS: count every IPv4 packet NS receives for itself
# (nftables, input hook).  dp_count NS prints the count.
dp_count_setup() {
	ip netns exec "$1" nft -f - <<-'EOF'
	table ip plcount {
		chain in { type filter hook input priority -400; counter; }
	}
	EOF
}

dp_count() {
	ip netns exec "$1" nft -j list chain ip plcount in |
		python3 -c '
import json, sys
for o in json.load(sys.stdin)["nftables"]:
    r = o.get("rule")
    if r:
        for e in r["expr"]:
            if "counter" in e:
                print(e["counter"]["packets"]); sys.exit(0)
sys.exit(1)'
}

# dp_ct_count NS ARGS...: number of conntrack entries conntrack -L ARGS lists.
dp_ct_count() {
	ip netns exec "$1" conntrack -L "${@:2}" 2>/dev/null | grep -c .
}

# dp_ct_none NS ARGS...: conntrack -L ARGS lists nothing (for wait_for).
dp_ct_none() { [ "$(dp_ct_count "$@")" = 0 ]; }
