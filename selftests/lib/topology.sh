# SPDX-License-Identifier: GPL-2.0
#
# Topology helpers shared by selftests/scenarios.sh and selftests/demo: veth
# links between namespaces, routers, the provider's HTTP server.  Needs
# nothing from common.sh (the demo sources it alone); the caller creates and
# removes the namespaces.

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

# topo_poll SECONDS CMD...: poll CMD until it succeeds, at most SECONDS.
topo_poll() {
	local end=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.1
	done
}

# topo_listening NS PORT: something listens on TCP PORT in NS.
topo_listening() { ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q .; }

# topo_http NS DIR PORT LOG: python's http.server in NS on PORT, serving DIR,
# its access log (one line per request, the client address first) in LOG.
# Sets TOPO_HTTP_PID; waits (up to 60 s: python starts slowly under TCG)
# until it listens.
topo_http() {
	ip netns exec "$1" python3 -m http.server "$3" --bind 0.0.0.0 \
		--directory "$2" >/dev/null 2>"$4" &
	TOPO_HTTP_PID=$!
	topo_poll 60 topo_listening "$1" "$3"
}

# topo_curl_status NS URL: the status line of GET URL from NS ("" if none).
topo_curl_status() {
	ip netns exec "$1" curl -s -i --max-time 20 "$2" 2>/dev/null |
		head -n1 | tr -d '\r'
}
