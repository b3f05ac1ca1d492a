#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unloading the module in the middle of a transfer, UNLOAD_CYCLES times
# (default 10 in make check; make soak runs 50, about 11 minutes under TCG,
# beyond make check's budget): each cycle builds a fresh namespace set, loads the module,
# configures an endpoint, starts a TCP transfer through it (paced by curl
# --limit-rate: it would last about 20 s), pings the router from the
# consumer VPC (a flow in the consumer's zone that privlink does not
# translate), waits until bytes arrive through the translated flow, then
# rmmod privlink, checks, and removes the namespaces.  The router runs a
# stateful nft firewall (a "ct state" rule), so conntrack stays on in its
# namespace after privlink is gone, as on a real router: late packets are
# still tracked.
#
# What "left behind" means.  A conntrack entry is privlink's when its
# original direction is in a VPC's zone (the zone privlink_classify() gave
# it) or when it carries a translation (only privlink translates in the
# router's namespace).  When rmmod returns, the router has no such entry:
# none in a zone (translated or not: the ping's too), none translated.
# Packets of the interrupted flows that arrive later (the consumer's ACKs
# and the provider's retransmissions) meet no privlink hook; conntrack
# makes fresh entries of them in the default zone, untranslated, as for
# any routed packet.  Those are the kernel's, not privlink's, and are not
# counted as left behind (their number is printed).
#
# Leaks.  After the reload objects_live is 0 by construction (a new module
# instance); what leaks across unloads is memory.  The module WARNs at exit
# if its own counter is not zero (the runner fails on any WARN) and
# kmem_cache_destroy() complains about objects left in privlink's own
# caches.  Those caches (privlink_endpoint, privlink_eni) may be merged by
# SLUB with other caches of the same size and flags, and privlink's other
# allocations come from the kmalloc caches every other part of the kernel
# uses (kmalloc-cg-* for the accounted objects and timeout policies,
# kmalloc-* for hash tables and templates), so the test compares counts,
# not presence: after the first cycle (the baseline: everything loaded
# once) and after the last, with the module unloaded and the namespaces
# deleted, it shrinks each cache (/sys/kernel/slab/NAME/shrink flushes the
# per-CPU slabs, so "objects" is then the number of allocated objects) and
# requires every kmalloc cache, privlink's caches (their merged ones when
# merged) and nf_conntrack's to have grown by fewer than 16 objects per
# cycle in between (512 when that is more: few cycles).  The kernel's own use of
# these shared caches moves their counts by up to a few hundred objects
# between two such moments (measured: +472 in kmalloc-cg-16 after one
# cycle, +85 in kmalloc-96 after nine), so a leak of a few objects per
# cycle could hide in that noise; a cycle's configuration (11 endpoints,
# 11 ENIs, 6 hash tables, the per-CPU templates) or 16 objects of each
# cycle cannot.  Frees that come late (namespace teardown, RCU) are
# waited for: the comparison is polled.  After every
# unload, /sys/module/{nf_conntrack,nf_nat,nf_conncount,nf_flow_table}/refcnt
# (lsmod's "used by" count) are as before the first load.
# Figures: cycles, seconds per cycle, the rmmod time, untranslated entries.
#
#   pl-unlc-c (consumer)      pl-unlc-r (router)                pl-unlc-p (provider)
#   c0 10.0.0.5/24 -------- rc0 10.0.0.1/24  rp0 172.16.0.1/16 ---- p0 172.16.1.10/16
#   curl 10.0.0.100:80 ==> (DNAT 172.16.1.10:8080, SNAT 172.16.0.10) socat :8080
#   ping 10.0.0.1           nft: ct state rule (conntrack stays on)
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

CYCLES=${UNLOAD_CYCLES:-10}
ENI=10.0.0.100
MODS="nf_conntrack nf_nat nf_conncount nf_flow_table"

module_unload || { diag "privlink is loaded and cannot be unloaded"; exit 1; }
deps=$(modinfo -F depends "$MODULE" | tr ',' ' ')
modprobe -a $deps || { diag "cannot load the module's dependencies"; exit 1; }
at_exit module_unload

# teardown: the cycle's processes killed, its namespaces deleted.
# topology: the namespaces made anew, linked, addressed; few processes (TCG
# is slow).
teardown() {
	kill -9 $pids 2>/dev/null
	pids=
	ip -force -batch - >/dev/null 2>&1 <<-EOF
	netns del $C
	netns del $R
	netns del $P
	EOF
}

topology() {
	teardown
	ip -batch - <<-EOF &&
	netns add $C
	netns add $R
	netns add $P
	EOF
	ip -n $R -batch - <<-EOF &&
	link set lo up
	link add rc0 type veth peer name c0 netns $C
	link add rp0 type veth peer name p0 netns $P
	addr add 10.0.0.1/24 dev rc0
	addr add 172.16.0.1/16 dev rp0
	link set rc0 up
	link set rp0 up
	EOF
	ip -n $C -batch - <<-EOF &&
	link set lo up
	addr add 10.0.0.5/24 dev c0
	link set c0 up
	route add default via 10.0.0.1
	EOF
	ip -n $P -batch - <<-EOF &&
	link set lo up
	addr add 172.16.1.10/16 dev p0
	link set p0 up
	route add default via 172.16.0.1
	EOF
	ip netns exec $R sh -c 'sysctl -qw net.ipv4.ip_forward=1 && nft -f -' <<-'EOF'
	table ip plfw {
		chain fw { type filter hook forward priority 0; ct state invalid counter; }
	}
	EOF
}

configure() {
	plctl -n $R -b - <<-EOF
	az add a1
	vpc add con account 111111111111 cidr 10.0.0.0/24 dev rc0
	vpc add prov account 222222222222 cidr 172.16.0.0/16 dev rp0
	service add svc vpc prov listener tcp/80:8080 nlb a1 172.16.0.10 acceptance auto principal 111111111111
	target add svc 172.16.1.10 az a1
	endpoint add ep vpc con service svc eni a1 $ENI
	$(for ((i = 1; i <= 10; i++)); do
		echo "endpoint add ep$i vpc con service svc eni a1 10.0.0.$((200 + i))"
	done)
	EOF
}

# The conntrack entries of the router, one per line.
ct_list() { ip netns exec $R conntrack -L 2>/dev/null; }

# privlink's entries among them: in a zone, or translated (the reply's
# source is not the original's destination, or its destination not the
# original's source).
ct_privlink() {
	awk '/zone/ { print; next }
	{
		n = 0
		for (i = 1; i <= NF; i++)
			if ($i ~ /^(src|dst)=/) a[n++] = substr($i, 5)
		if (n >= 4 && (a[2] != a[1] || a[3] != a[0])) print
	}'
}

# the transfer is in flight: bytes arrived, and the flow is translated
in_flight() {
	[ -s "$tmp/out" ] && ct_list | grep "dst=$ENI " | grep -q "zone-orig=1"
}

refcnts() {
	local m n
	for m in $MODS; do
		read -r n < /sys/module/$m/refcnt
		printf '%s=%s ' $m "$n"
	done
}

# The slab caches compared (see the header), resolved: the kmalloc ones,
# nf_conntrack's, and those privlink's caches were merged into (they
# outlive the unload).
slab_caches() {
	local c
	for c in /sys/kernel/slab/kmalloc-* /sys/kernel/slab/nf_conntrack \
		 /sys/kernel/slab/privlink_endpoint /sys/kernel/slab/privlink_eni; do
		readlink -e "$c"
	done | sort -u
}

# slab_count DIR...: "NAME OBJECTS" per cache, after a shrink.
slab_count() {
	local d n
	for d in "$@"; do
		echo 1 > "$d/shrink" 2>/dev/null
		read -r n _ < "$d/objects" || continue
		echo "${d##*/} $n"
	done
}

# slab_within BASEFILE LIMIT: every cache of BASEFILE grew by < LIMIT
# objects; the growth of each in $tmp/growth.
slab_within() {
	local name n base bad=0 d
	: > "$tmp/growth"
	while read -r name base; do
		d=/sys/kernel/slab/$name
		[ -d "$d" ] || continue	# destroyed: nothing of it left
		read -r n _ < <(slab_count "$d" | cut -d' ' -f2)
		echo "$name $((n - base))" >> "$tmp/growth"
		[ $((n - base)) -lt "$2" ] || bad=1
	done < "$1"
	return $bad
}

# C, R, P: unique names, registered for the exit trap; each cycle makes
# them anew
netns_new C=pl-unlc-c R=pl-unlc-r P=pl-unlc-p ||
	{ diag "cannot create the namespaces"; exit 1; }
tmp=$(mktemp -d)
at_exit rm -rf "$tmp"
head -c 2000000 /dev/urandom > "$tmp/blob"

fail_cfg=0 fail_flow=0 fail_rmmod=0 fail_left=0 fail_ref=0
pids= ref0= out= late=0 rmmod_ms=0 destroyed=0 shared=
start=$(date +%s%N)
for cyc in $(seq 1 "$CYCLES"); do
	if ! topology; then
		diag "cycle $cyc: cannot build the topology"
		fail_cfg=$((fail_cfg + 1))
		continue
	fi
	if [ -z "$ref0" ]; then
		ip netns exec $R conntrack -L >/dev/null 2>&1	# ctnetlink loaded
		ref0=$(refcnts)
		diag "before the first load: $ref0"
	fi
	ip netns exec $P socat -U TCP-LISTEN:8080,reuseaddr OPEN:"$tmp/blob" \
		>/dev/null 2>&1 &
	pids="$pids $!"
	rm -f "$tmp/out"
	if ! insmod "$MODULE" || ! out=$(configure 2>&1); then
		diag "cycle $cyc: cannot load and configure: $out"
		fail_cfg=$((fail_cfg + 1))
		module_unload
		continue
	fi
	own=$(readlink -e /sys/kernel/slab/privlink_endpoint /sys/kernel/slab/privlink_eni)
	wait_for 60 dp_listening $P tcp 8080
	ip netns exec $C curl -s --http0.9 --limit-rate 100k -o "$tmp/out" \
		http://$ENI/ >/dev/null 2>&1 &
	pids="$pids $!"
	ip netns exec $C ping -c 1 -W 5 10.0.0.1 >/dev/null 2>&1
	if ! wait_for 60 in_flight; then
		diag "cycle $cyc: the transfer did not start" "$(ct_list)" \
			"$(for ns in $C $R $P; do ip -n $ns -br addr; done)" \
			"$(ip netns exec $P ss -tan; ip netns exec $C ss -tan)"
		fail_flow=$((fail_flow + 1))
	fi
	[ "$cyc" = 1 ] && diag "in flight: $(ct_list)"
	t0=$(date +%s%N)
	if ! rmmod privlink; then
		diag "cycle $cyc: rmmod failed"
		fail_rmmod=$((fail_rmmod + 1))
		continue
	fi
	rmmod_ms=$((rmmod_ms + ($(date +%s%N) - t0) / 1000000))
	left=$(ct_list | ct_privlink)
	if [ -n "$left" ]; then
		fail_left=$((fail_left + 1))
		[ $fail_left -le 3 ] && diag "cycle $cyc: left behind after rmmod:" "$left"
	fi
	ref=$(refcnts)
	if [ "$ref" != "$ref0" ]; then
		fail_ref=$((fail_ref + 1))
		diag "cycle $cyc: module references $ref (before the first load: $ref0)"
	fi
	for d in $own; do	# privlink's own caches: destroyed, or shared
		[ -d "$d" ] && shared="$shared $d" || destroyed=$((destroyed + 1))
	done
	# the late packets of the interrupted flow: untranslated entries, not
	# privlink's (counted, not asserted)
	later=$(ct_list)
	late=$((late + $(grep -c "$ENI\|172\.16\.0\.10" <<<"$later")))
	left=$(ct_privlink <<<"$later")
	if [ -n "$left" ]; then
		fail_left=$((fail_left + 1))
		[ $fail_left -le 3 ] && diag "cycle $cyc: left behind, later:" "$left"
	fi
	if [ "$cyc" = 1 ]; then
		# the baseline: everything was loaded and freed once
		teardown
		slab_count $(slab_caches) > "$tmp/slab0"
	fi
done
secs_ms=$((($(date +%s%N) - start) / 1000000))
teardown

diag "$CYCLES cycles in $((secs_ms / 1000)).$((secs_ms % 1000 / 100))s: $((secs_ms / CYCLES)) ms per cycle, rmmod $((rmmod_ms / CYCLES)) ms on average; $late untranslated entries of late packets seen after the unloads"
check_eq "every cycle built, loaded and configured" 0 $fail_cfg
check_eq "every cycle had its transfer in flight, translated, when rmmod ran" 0 $fail_flow
check_eq "every rmmod succeeded" 0 $fail_rmmod
check_eq "no entry of privlink's (in a zone or translated) after any unload" 0 $fail_left
check_eq "nf_conntrack, nf_nat, nf_conncount, nf_flow_table references as before, after every unload" 0 $fail_ref
check "privlink is not loaded" sh -c '! lsmod | grep -q "^privlink "'
diag "privlink's two caches: destroyed $destroyed times by $CYCLES unloads${shared:+, shared with other caches:$(tr ' ' '\n' <<<"$shared" | sort -u | xargs)}"
limit=$((16 * (CYCLES - 1)))
[ $limit -ge 512 ] || limit=512
if wait_for 60 slab_within "$tmp/slab0" $limit; then
	_t_result ok "no slab cache grew by $limit objects or more"
else
	_t_result fail "no slab cache grew by $limit objects or more"
fi
diag "largest growths since cycle 1: $(sort -k2 -nr "$tmp/growth" | head -n 5 | tr '\n' ' ')"
done_testing
