# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the data-plane selftests (udp, tcp, placement, pinning,
# isolation).  Source it after common.sh:
#
#   . "$(dirname "$0")/lib/common.sh"
#   . "$(dirname "$0")/lib/dataplane.sh"

# dp_link NS1 IF1 ADDR1 NS2 IF2 ADDR2: a veth pair between two namespaces,
# addresses (with prefix length, "" for none) assigned and both ends up.
dp_link() {
	ip -n "$1" link add "$2" type veth peer name "$5" netns "$4" || return 1
	[ -n "$3" ] && ip -n "$1" addr add "$3" dev "$2"
	[ -n "$6" ] && ip -n "$4" addr add "$6" dev "$5"
	ip -n "$1" link set dev "$2" up && ip -n "$4" link set dev "$5" up
}

# dp_stat NS KEY: one packet counter of NS ("stats" of plctl -j version).
dp_stat() {
	plctl -n "$1" -j version |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["stats"][sys.argv[1]])' "$2"
}

# dp_stat_ge NS KEY N: the counter is at least N (for wait_for).
dp_stat_ge() { local v; v=$(dp_stat "$1" "$2" 2>/dev/null) && [ "$v" -ge "$3" ]; }

# dp_listening NS PROTO PORT: something listens on PORT (tcp or udp) in NS.
dp_listening() {
	local f=-ltnH
	[ "$2" = udp ] && f=-lunH
	ip netns exec "$1" ss $f "sport = :$3" | grep -q .
}

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

# dp_http_servers NS DIR PORT ADDR...: one python3 http.server per ADDR,
# bound to it and serving DIR/ADDR/, whose file "id" holds ADDR.  Waits until
# all listen.  Killed at exit.
dp_http_servers() {
	local ns=$1 dir=$2 port=$3 a
	shift 3
	for a in "$@"; do
		mkdir -p "$dir/$a"
		echo "$a" > "$dir/$a/id"
		ip netns exec "$ns" python3 -m http.server "$port" --bind "$a" \
			--directory "$dir/$a" >/dev/null 2>&1 &
		at_exit kill $!
	done
	for a in "$@"; do
		wait_for 90 ip netns exec "$ns" sh -c "ss -ltnH 'sport = :$port' | grep -qF '$a:$port'" ||
			{ diag "the HTTP server on $a:$port did not start"; return 1; }
	done
}
