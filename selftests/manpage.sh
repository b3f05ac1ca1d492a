#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The man page says what plctl does: its synopses and version are those of
# "plctl -h" and "plctl -V" (tools/plctl/tests/man_check.sh), the module
# reports the same version, and every block of its EXAMPLES section runs,
# as rendered by groff, word for word, with the outcome the text promises:
#
#   1. the service with two targets and an accepted endpoint;
#   2. "plctl -n router save > router.plctl; plctl -n router2 -b ..." gives
#      router2 the same configuration (the namespaces are pl-man-router and
#      pl-man-router2 here);
#   3. the HA pair: the file is private (umask 077), and router-b (netns
#      pl-man-b, reached through scp/ssh stand-ins that copy into and run in
#      it, with its own /root) gets the configuration and the hash key;
#   4. "plctl -j monitor | grep ..." prints the endpoint events, and only
#      them.
#
#   pl-man-router, pl-man-router2, pl-man-b: dummy p0, c0 each
. "$(dirname "$0")/lib/common.sh"

dir=$(mktemp -d)
at_exit rm -rf "$dir" /root/pair.plctl
# plctl and the module from tmpfs: the checkout is uncached 9p in the guest
# (see cli.sh)
mkdir "$dir/bin" && cp "$PLCTL" "$dir/bin/plctl" && export PATH=$dir/bin:$PATH
cp "$MODULE" "$dir/" && MODULE=$dir/privlink.ko
module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload

MAN=$TOP/Documentation/plctl.8
netns_new R=pl-man-router R2=pl-man-router2 B=pl-man-b
for ns in $R $R2 $B; do
	printf 'link add %s type dummy\n' p0 c0 | ip -n $ns -batch -
done

# The page as groff renders it, once for all that follows.
groff -man -Tascii -P-cbou -rLL=2000n "$MAN" >"$dir/man.txt" 2>/dev/null
check "man page synopses and version are plctl -h's and -V's" \
	"$TOP/tools/plctl/tests/man_check.sh" "$dir/bin/plctl" "$MAN" "$dir/man.txt"
module=$(plctl -n $R -j version | grep -o '"module":"[^"]*"' | cut -d'"' -f4)
check_eq "the module's version is plctl's" "$(plctl -V | cut -d' ' -f2)" "$module"
check_eq "modinfo says the same version (/sys/module)" "$module" \
	"$(cat /sys/module/privlink/version)"

# The EXAMPLES section's blocks: runs of lines indented by 11 columns, one
# file each ($dir/ex.1, ...).
awk -v d="$dir" '
		/^[A-Z]/ { s = ($0 == "EXAMPLES") }
		!s { next }
		/^           [^ ]/ || (inb && /^               /) {
			if (!inb) { n++; inb = 1 }
			sub(/^           /, ""); print > (d "/ex." n); next
		}
		{ inb = 0 }' "$dir/man.txt"
n=$(ls "$dir"/ex.* 2>/dev/null | wc -l)
check_eq "the man page has 4 example blocks" 4 "$n"
for i in $(seq "$n"); do diag "example $i:" "$(cat "$dir/ex.$i")"; done

# 1. in pl-man-router
check "example 1 runs" ip netns exec $R bash -e "$dir/ex.1"
P="plctl -n $R"
check_eq "example 1: two targets, the second of weight 2" \
	"svc1 172.16.1.10 az use1-az1 weight 1 state healthy
svc1 172.16.2.10 az use1-az1 weight 2 state healthy" "$($P target show)"
check_eq "example 1: the endpoint is available" \
	"vpce-1 vpc consumer-a service svc1 state available account 111111111111 eni use1-az1 10.0.0.100" \
	"$($P endpoint show)"

# 2. the namespaces of the text, renamed with the test's prefix
sed -e "s/-n router2 /-n $R2 /; s/-n router /-n $R /" "$dir/ex.2" >"$dir/ex.2r"
check "example 2 runs" bash -e -c "cd '$dir' && . ./ex.2r"
check_eq "example 2: router2 has router's configuration" \
	"$($P save | grep -v '^#')" "$(plctl -n $R2 save | grep -v '^#')"

# 3. scp and ssh to router-b: copy into and run in pl-man-b, whose /root is
# $dir/b-root.
mkdir "$dir/b-root"
cat >"$dir/shims" <<EOF
scp() {
	[ "\${2%%:*}" = router-b ] || return 1
	cp "\$1" "$dir/b-root/\${2#*:/root/}"
}
ssh() {
	[ "\$1" = router-b ] || return 1
	shift
	ip netns exec $B unshare -m sh -c 'mount --bind "\$0" /root && exec "\$@"' \\
		"$dir/b-root" "\$@"
}
EOF
check "example 3 runs" ip netns exec $R bash -e -c \
	". '$dir/shims' && . '$dir/ex.3'"
check_eq "example 3: the file is private" 600 "$(stat -c %a /root/pair.plctl)"
check_eq "example 3: router-b has the configuration and the hash key" \
	"$($P save | grep -v '^#')" "$(plctl -n $B save | grep -v '^#')"
check "example 3: the hash key is in it" grep -q '^limit set .* hash-key ' \
	/root/pair.plctl

# 4. the monitor pipeline, in its own process group, until killed
setsid ip netns exec $R bash "$dir/ex.4" >"$dir/mon" 2>"$dir/mon.err" &
mpid=$!
at_exit "kill -TERM -- -$mpid"
flip() {	# events: one AZ change (not shown), a reject and an accept
	$P az set use1-az1 state up && $P endpoint reject vpce-1 &&
		$P endpoint accept vpce-1 && grep -q endpoint-accept "$dir/mon"
}
check "example 4: the monitor prints the endpoint events" wait_for 30 flip
# it listens now: a reject and an accept show, in that order
$P endpoint reject vpce-1 >/dev/null && $P endpoint accept vpce-1 >/dev/null
check "example 4: a reject, then an accept" wait_for 20 sh -c \
	"grep -A1 '\"event\":\"endpoint-reject\"' '$dir/mon' | tail -n1 | grep -q '\"event\":\"endpoint-accept\"'"
kill -TERM -- -$mpid 2>/dev/null
wait $mpid 2>/dev/null
check_eq "example 4: each line is an endpoint event of vpce-1" "" \
	"$(grep -v '^{"event":"endpoint-[a-z]*","endpoint":{"name":"vpce-1",.*}}$' "$dir/mon")"
check_eq "example 4: no errors" "" "$(cat "$dir/mon.err")"
done_testing
