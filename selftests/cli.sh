#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# plctl's command line, as iproute2 users expect it: a table of wrong
# command lines, per object and verb, each with the exact message plctl
# prints and its exit status.  A usage error exits 2 with one line,
# "Error: ..." (or the usage, when there is no command at all); a refusal by
# the kernel exits 1 with "Error: <its extack text>"; nothing is printed on
# stdout either way, and no wrong line changes the configuration.
#
# Where plctl checks a value itself (names, accounts, zones, prefixes,
# ports, weights, timeouts, limits, keys, list lengths), its bounds are the
# kernel's: the last value plctl accepts is accepted by the kernel too (the
# "kernel takes" rows), the next one plctl refuses (the kernel's policy
# refuses it as well: see kmod/*.c).
#
# One table, two runs.  Usage errors happen before plctl opens a socket, so
# "cli.sh --usage" checks the rows of exit status 2 (and the option rows)
# on the build host, in "make unit", without a kernel and in a second;
# "cli.sh", in the guest, checks those that reach the kernel: its refusals
# and the "kernel takes" rows (a process start costs ~0.4 s under TCG).
#
#   pl-cli: dummy c0 (consumer-a 10.0.0.0/24), p0 (provider 172.16.0.0/16),
#           d1..d16 (spare)
#     az use1-az1; svc1 (tcp/443, principal 111111111111), target
#     172.16.1.10; endpoint vpce-1 with an ENI in use1-az1
. "$(dirname "$0")/lib/common.sh"

usage_only=0
[ "${1:-}" = --usage ] && usage_only=1
dir=$(mktemp -d)
at_exit rm -rf "$dir"
if [ $usage_only = 1 ]; then
	P=plctl		# -n would open the namespace before the parser runs
else
	# The checkout reaches the guest over uncached 9p: plctl and the
	# module from tmpfs (insmod and modinfo would read it twice).
	mkdir "$dir/bin" && cp "$PLCTL" "$dir/bin/plctl" &&
		export PATH=$dir/bin:$PATH
	cp "$MODULE" "$dir/" && MODULE=$dir/privlink.ko
	module_load || { diag "cannot load the module"; exit 1; }
	at_exit module_unload
	netns_new NS=pl-cli
	printf 'link add %s type dummy\n' c0 p0 d{1..16} | ip -n $NS -batch -
	P="plctl -n $NS"
fi

if [ $usage_only = 0 ]; then
	$P az add use1-az1 &&
	$P vpc add consumer-a account 111111111111 cidr 10.0.0.0/24 dev c0 &&
	$P vpc add provider account 222222222222 cidr 172.16.0.0/16 dev p0 &&
	$P service add svc1 vpc provider listener tcp/443 nlb use1-az1 172.16.0.10 \
		principal 111111111111 &&
	$P target add svc1 172.16.1.10 az use1-az1 &&
	$P endpoint add vpce-1 vpc consumer-a service svc1 eni use1-az1 10.0.0.100 ||
		{ diag "cannot build the configuration"; exit 1; }
fi
if [ $usage_only = 0 ]; then
	saved=$($P save | grep -v -e '^#' -e '^limit set')
	limits=$($P limit show | cut -d' ' -f1-4)
fi

# Each row is one plctl started in the background (a process start is the
# cost of a row under TCG: no other fork per row), up to four at a time;
# _drain waits for them and judges them in order, in this shell.  "takes"
# rows change the configuration: they drain first and run alone.
_i=0
_pending=()
declare -A _pid _wrc _want _desc
_drain() {
	local n rc err
	for n in "${_pending[@]}"; do
		wait "${_pid[$n]}"
		rc=$?
		err=
		IFS= read -r -d '' err <"$dir/e.$n"
		err=${err%$'\n'}
		if [ "$rc" = "${_wrc[$n]}" ] && [ ! -s "$dir/o.$n" ] &&
		   [ "$err" = "${_want[$n]}" ]; then
			_t_result ok "${_desc[$n]}"
		else
			diag "command: ${_desc[$n]}" \
				"exit status: $rc (wanted ${_wrc[$n]})" \
				"wanted stderr: ${_want[$n]}" "stderr: $err" \
				"stdout: $(cat "$dir/o.$n")"
			_t_result fail "${_desc[$n]}"
		fi
	done
	_pending=()
}

# _start STATUS MESSAGE CMD...: start CMD as row N (see bad).
_start() {
	local msg n=$((_i += 1))
	_wrc[$n]=$1
	_want[$n]=$2
	case $2 in @*) _msg "$2"; _want[$n]=$msg ;; esac
	shift 2
	_desc[$n]="$* -> ${_wrc[$n]}"
	"$@" >"$dir/o.$n" 2>"$dir/e.$n" &
	_pid[$n]=$!
	_pending+=("$n")
	[ ${#_pending[@]} -lt 4 ] || _drain
}

# Message specs: "@unknown x" is unknown's message for x, ... (no fork).
N63=$(printf 'n%.0s' $(seq 63))
N64=${N63}n
NAMEMSG='(1 to 63 characters of A-Z a-z 0-9 . _ : -)'
_msg() {	# SPEC: the message in $msg
	local a b c
	read -r kind a b c <<<"${1#@}"
	case $kind in
	not_name) msg="Error: argument \"$a\" is not a valid name $NAMEMSG" ;;
	not_account) msg="Error: argument \"$a\" is not a valid account $NAMEMSG" ;;
	unknown) msg="Error: unknown keyword \"$a\"" ;;
	verb) msg="Error: command \"$a\" is unknown, try \"plctl $b help\"." ;;
	range) msg="Error: \"$a\" needs a number between $b and $c" ;;
	needs) msg="Error: \"$a\" needs an argument" ;;
	required) msg="Error: \"$a\" is required" ;;
	twice) msg="Error: \"$a\" is given twice" ;;
	not_ipv4) msg="Error: argument \"$a\" is not a valid IPv4 address" ;;
	not_addr) msg="Error: argument \"$a\" is not a valid address (A.B.C.D[:PORT])" ;;
	not_listener) msg="Error: argument \"$a\" is not a valid listener ({ tcp | udp }/PORT[:TARGETPORT])" ;;
	*) msg="(bad spec $1)" ;;
	esac
}

# bad STATUS MESSAGE ARGS...: "plctl -n pl-cli ARGS" exits STATUS and
# prints exactly MESSAGE (or the message of the spec "@kind ARG...") on
# stderr, nothing on stdout.
bad() {
	# exit status 2: --usage's; anything else: the guest's
	[ $(($1 == 2)) = $usage_only ] || return 0
	_start "$1" "$2" $P "${@:3}"
}

# bad_raw: as bad, for "plctl ARGS" without -n (these fail before plctl
# opens a socket, so the namespace it runs in does not matter).
bad_raw() { [ $usage_only = 0 ] || _start "$1" "$2" plctl "${@:3}"; }

# takes ARGS...: the kernel accepts what plctl accepted (exit 0).
takes() {
	[ $usage_only = 0 ] || return 0
	_drain
	check "kernel takes: plctl $1 $2 $3" $P "$@"
}

# --- options and objects ----------------------------------------------------
if [ $usage_only = 1 ]; then
	plctl >"$dir/out" 2>"$dir/err"
	rc=$?
	check_eq "no command: exit status 2" 2 $rc
	check_eq "no command: the usage on stderr, nothing on stdout" \
		"Usage: plctl [OPTIONS] OBJECT { COMMAND | help }|" \
		"$(head -n1 "$dir/err")|$(cat "$dir/out")"
fi
bad_raw 2 'Error: option "-x" is unknown, try "plctl -help".' -x version
bad_raw 2 'Error: option "-x" is unknown, try "plctl -help".' -jx version
bad_raw 2 'Error: option "-frob" is unknown, try "plctl -help".' -frob version
bad_raw 2 'Error: option "-n" needs an argument' -n
bad_raw 2 'Error: option "-netns" needs an argument' -netns
bad_raw 2 'Error: option "-b" needs an argument' -b
bad_raw 1 'Error: cannot open network namespace "nope": No such file or directory' \
	-n nope version
bad_raw 1 "Error: cannot open \"$dir/nope\": No such file or directory" \
	-b "$dir/nope"
bad 2 'Error: object "frob" is unknown, try "plctl help".' frob
bad 2 'Error: "version" takes no arguments' version x
bad 2 "@unknown x" save x
bad 2 "@unknown x" monitor x

# --- az ------------------------------------------------------------------------
bad 2 "@verb frob az" az frob
bad 2 "@needs add" az add
bad 2 "@not_name a/b" az add a/b
bad 2 "@not_name $N64" az add "$N64"
bad 2 "Error: argument \"\" is not a valid name $NAMEMSG" az add ""
bad 2 "@needs state" az add a state
bad 2 'Error: "state" needs one of "up", "down", not "sideways"' \
	az add a state sideways
bad 2 "@unknown color" az add a color blue
bad 2 "@required state" az set use1-az1
bad 2 "@needs set" az set
bad 2 "@needs del" az del
bad 2 "@unknown b" az del a b
bad 2 "@unknown b" az show a b
bad 1 "Error: an AZ with this name already exists" az add use1-az1
bad 1 "Error: no AZ with this name" az del nope
takes az add "$N63"
takes az del "$N63"

# --- vpc -----------------------------------------------------------------------
bad 2 "@verb frob vpc" vpc frob
bad 2 "@needs add" vpc add
bad 2 "@required account" vpc add x cidr 10.1.0.0/24
bad 1 "Error: a VPC needs an IPv4 CIDR, an IPv6 prefix or both" vpc add x account 1
bad 2 "Error: argument \"a b\" is not a valid account $NAMEMSG" vpc add x account 'a b' cidr 10.1.0.0/24
bad 2 "@not_account a/b" vpc add x account a/b cidr 10.1.0.0/24
bad 2 "Error: argument \"é\" is not a valid account $NAMEMSG" vpc add x account 'é' cidr 10.1.0.0/24
bad 2 "@not_account $N64" vpc add x account "$N64" cidr 10.1.0.0/24
bad 2 "@twice account" vpc add x account 1 account 2 cidr 10.1.0.0/24
bad 2 "@twice cidr" vpc add x account 1 cidr 10.1.0.0/24 cidr 10.2.0.0/24
bad 2 'Error: "cidr" needs a prefix length between 8 and 32' \
	vpc add x account 1 cidr 10.0.0.0/7
bad 2 'Error: argument "10.0.0.0/33" is not a valid IPv4 prefix (A.B.C.D/LEN)' \
	vpc add x account 1 cidr 10.0.0.0/33
bad 2 "@range zone 1 65535" vpc add x account 1 cidr 10.1.0.0/24 zone 0
bad 2 "@range zone 1 65535" vpc add x account 1 cidr 10.1.0.0/24 zone 65536
bad 2 "@twice zone" vpc add x account 1 cidr 10.1.0.0/24 zone 5 zone 6
bad 2 "@needs dev" vpc add x account 1 cidr 10.1.0.0/24 dev
bad 2 'Error: at most 16 devices per VPC' \
	vpc add x account 1 cidr 10.1.0.0/24 $(printf 'dev lo%.0s ' {1..17})
bad 1 'Error: cannot find device "nosuch"' \
	vpc add x account 1 cidr 10.1.0.0/24 dev nosuch
bad 1 "Error: the CIDR has host bits set (give the network address)" \
	vpc add x account 1 cidr 10.1.0.1/24
bad 1 "Error: another VPC uses this conntrack zone" \
	vpc add x account 1 cidr 10.1.0.0/24 zone 1
bad 2 'Error: nothing to change: give "dev", "nodev", "cidr" or "ipv6-cidr"' vpc set consumer-a
bad 2 'Error: "nodev" and "dev" exclude each other' vpc set consumer-a nodev dev lo
bad 2 "@twice nodev" vpc set consumer-a nodev nodev
bad 2 "@unknown zone" vpc set consumer-a zone 3
bad 1 "Error: no VPC with this name" vpc del nope
bad 1 "Error: the interface already belongs to another VPC" vpc set consumer-a dev p0
takes vpc add "$N63" account "$N63" cidr 11.0.0.0/8 zone 65535 $(printf 'dev d%s ' {1..16})
takes vpc del "$N63"
takes vpc add x2 account a.b_c:d-9 cidr 12.0.0.1/32 zone 1000
takes vpc del x2
# dual stack
bad 2 'Error: "ipv6-cidr" needs a prefix length between 8 and 128' \
	vpc add x account 1 ipv6-cidr fd00::/7
bad 2 'Error: argument "fd00::/129" is not a valid IPv6 prefix (X:X::X/LEN)' \
	vpc add x account 1 ipv6-cidr fd00::/129
bad 2 "@twice ipv6-cidr" vpc add x account 1 ipv6-cidr fd00::/64 ipv6-cidr fd01::/64
bad 1 "Error: the IPv6 prefix has host bits set (give the network address)" \
	vpc add x account 1 ipv6-cidr fd00::1/64
bad 1 "Error: a VPC's IPv6 prefix is a global or unique local unicast prefix" \
	vpc add x account 1 ipv6-cidr ff00::/8
bad 1 "Error: a VPC's IPv6 prefix is a global or unique local unicast prefix" \
	vpc add x account 1 ipv6-cidr ::/8
bad 1 "Error: a VPC's IPv6 prefix is a global or unique local unicast prefix" \
	vpc add x account 1 ipv6-cidr fec0::/10
takes vpc add x3 account 1 ipv6-cidr fd00::/8
takes vpc add x4 account 1 cidr 13.0.0.0/8 ipv6-cidr fd01::1/128
takes vpc del x3
takes vpc del x4
# vpc set: the prefix of a family the VPC lacks
bad 2 "@twice ipv6-cidr" vpc set consumer-a ipv6-cidr fd00::/64 ipv6-cidr fd01::/64
bad 2 "@twice cidr" vpc set consumer-a cidr 10.1.0.0/24 cidr 10.2.0.0/24
bad 2 'Error: "ipv6-cidr" needs a prefix length between 8 and 128' \
	vpc set consumer-a ipv6-cidr fd00::/7
bad 2 "@needs ipv6-cidr" vpc set consumer-a ipv6-cidr
bad 1 "Error: the VPC has an IPv4 CIDR already, and a VPC's prefixes cannot change (delete and re-add it)" \
	vpc set consumer-a cidr 10.0.0.0/24
bad 1 "Error: a VPC's IPv6 prefix is a global or unique local unicast prefix" \
	vpc set consumer-a ipv6-cidr ff00::/8
bad 1 "Error: no VPC with this name" vpc set nope ipv6-cidr fd00::/64
takes vpc add x5 account 1 ipv6-cidr fd05::/64
takes vpc set x5 cidr 14.0.0.1/32
takes vpc add x6 account 1 cidr 15.0.0.0/8
takes vpc set x6 ipv6-cidr fd06::1/128 nodev
takes vpc del x5
takes vpc del x6

# --- service -------------------------------------------------------------------
L="vpc provider listener tcp/80"
bad 2 "@verb frob service" service frob
bad 2 "@required vpc" service add
bad 2 "@required listener" service add s vpc provider nlb use1-az1 172.16.0.20
bad 2 "@required nlb" service add s $L
bad 2 "@not_name a/b" service add a/b $L nlb use1-az1 172.16.0.20
bad 2 "@needs listener" service add s vpc provider listener
bad 2 "@not_listener sctp/80" service add s vpc provider listener sctp/80
bad 2 "@not_listener tcp/0" service add s vpc provider listener tcp/0
bad 2 "@not_listener tcp/65536" service add s vpc provider listener tcp/65536
bad 2 "@not_listener tcp/80:0" service add s vpc provider listener tcp/80:0
bad 2 "@not_listener tcp" service add s vpc provider listener tcp
bad 2 'Error: at most 16 listeners per service' \
	service add s vpc provider listener $(printf 'tcp/%s ' {1..17})
bad 2 'Error: "nlb" needs an AZ and an address' service add s $L nlb use1-az1
bad 2 "@not_ipv4 172.16.0" service add s $L nlb use1-az1 172.16.0
bad 2 "@not_name a/b" service add s $L nlb a/b 172.16.0.20
bad 2 'Error: "acceptance" needs one of "auto", "required", not "maybe"' \
	service add s $L nlb use1-az1 172.16.0.20 acceptance maybe
bad 2 'Error: "ip-types" needs one of "ipv4", "ipv6", "dualstack", not "both"' \
	service add s $L nlb use1-az1 172.16.0.20 ip-types both
bad 2 'Error: argument "172.16.0.20,172.16.0.21" has two IPv4 addresses' \
	service add s $L nlb use1-az1 172.16.0.20,172.16.0.21
bad 1 "Error: the NLB node's IPv6 address is outside the provider VPC's IPv6 prefix" \
	service add s $L nlb use1-az1 fd00::5
bad 1 "Error: the provider VPC has no IPv6 prefix" \
	service add s $L nlb use1-az1 172.16.0.20 ip-types dualstack
bad 2 "@not_account a/b" service add s $L nlb use1-az1 172.16.0.20 principal a/b
bad 2 'Error: at most 64 principals per service' \
	service add s $L nlb use1-az1 172.16.0.20 $(printf 'principal a%s ' {1..65})
bad 2 'Error: "cross-zone" needs one of "off", "on", not "yes"' \
	service add s $L nlb use1-az1 172.16.0.20 cross-zone yes
bad 2 "@range idle-timeout 10 86400" \
	service add s $L nlb use1-az1 172.16.0.20 idle-timeout 9
bad 2 "@range idle-timeout 10 86400" \
	service add s $L nlb use1-az1 172.16.0.20 idle-timeout 86401
bad 2 "@twice vpc" service add s $L vpc provider nlb use1-az1 172.16.0.20
bad 2 'Error: "set" needs at least one of "acceptance", "principal", "noprincipal", "cross-zone", "idle-timeout", "check"' \
	service set svc1
bad 2 'Error: "check" needs one of "none", "tcp", "http", not "udp"' \
	service set svc1 check udp
bad 2 "@needs check" service set svc1 check
bad 2 "@twice check" service set svc1 check tcp check http
bad 2 "@range check-port 1 65535" service set svc1 check tcp check-port 0
bad 2 "@range check-interval 1 300" service set svc1 check tcp check-interval 0
bad 2 "@range check-interval 1 300" service set svc1 check tcp check-interval 301
bad 2 "@range check-timeout 1 120" service set svc1 check tcp check-timeout 121
bad 2 "@range healthy-threshold 2 10" service set svc1 check tcp healthy-threshold 1
bad 2 "@range unhealthy-threshold 2 10" service set svc1 check tcp unhealthy-threshold 11
bad 2 'Error: "check-path" takes 1 to 1023 characters' \
	service set svc1 check http check-path "/$(printf 'p%.0s' $(seq 1023))"
bad 2 'Error: "check-codes" takes 1 to 63 characters' \
	service set svc1 check http check-codes "$(printf '2%.0s' $(seq 64))"
bad 2 'Error: "check-port" needs "check"' service set svc1 check-port 80
bad 2 'Error: "check none" takes no "check-interval"' \
	service set svc1 check none check-interval 5
bad 2 'Error: "check-path" needs "check http"' service set svc1 check tcp check-path /x
bad 2 'Error: "check-codes" needs "check http"' \
	service add s $L nlb use1-az1 172.16.0.20 check tcp check-codes 200
bad 1 "Error: a health check's timeout may not exceed its interval" \
	service set svc1 check tcp check-interval 5 check-timeout 6
bad 1 "Error: a health check's timeout may not exceed its interval" \
	service set svc1 check tcp check-interval 5
bad 1 "Error: a health check path starts with '/' and holds printable ASCII characters without spaces" \
	service set svc1 check http check-path health
bad 1 "Error: a health check path starts with '/' and holds printable ASCII characters without spaces" \
	service set svc1 check http check-path '/a b'
for codes in 199 600 2000 20 300-200 200, ,200 200,,201 200-299-300 2xx; do
	bad 1 "Error: health check codes are HTTP statuses 200-599 and ranges of them, comma separated (e.g. 200,202-299)" \
		service set svc1 check http check-codes "$codes"
done
bad 2 "@unknown vpc" service set svc1 vpc provider
bad 2 "@unknown listener" service set svc1 listener tcp/80
bad 2 'Error: "noprincipal" and "principal" exclude each other' \
	service set svc1 principal 1 noprincipal
bad 2 'Error: "noprincipal" and "principal" exclude each other' \
	service set svc1 noprincipal principal 1
bad 2 "@needs set" service set
bad 1 "Error: a service with this name already exists" \
	service add svc1 $L nlb use1-az1 172.16.0.20
bad 1 "Error: no VPC with this name" service add s vpc nope listener tcp/80 \
	nlb use1-az1 172.16.0.20
bad 1 "Error: the NLB node address is outside the provider VPC's CIDR" \
	service add s $L nlb use1-az1 10.0.0.20
bad 1 "Error: the principal is listed twice" service set svc1 principal 1 principal 1
takes service add "$N63" vpc provider listener $(printf 'tcp/%s ' {1..15}) \
	listener udp/65535:65535 nlb use1-az1 172.16.0.20 acceptance auto \
	principal '*' $(printf 'principal a%s ' {1..62}) principal "$N63" \
	cross-zone on idle-timeout 86400
takes service set "$N63" idle-timeout 10 noprincipal
takes service set "$N63" check http check-port 65535 \
	check-path "/$(printf 'p%.0s' $(seq 1022))" check-codes 200,202-299,599 \
	check-interval 300 check-timeout 120 healthy-threshold 10 unhealthy-threshold 10
takes service set "$N63" check tcp check-port traffic-port check-interval 1 \
	check-timeout 1 healthy-threshold 2 unhealthy-threshold 2
takes service set "$N63" check none
takes service del "$N63"

# --- target --------------------------------------------------------------------
bad 2 "@verb frob target" target frob
bad 2 "@needs add" target add
bad 2 "@needs add" target add svc1
bad 2 "@required az" target add svc1 172.16.1.11
bad 2 "@not_addr 172.16.1.300" target add svc1 172.16.1.300 az use1-az1
bad 2 "@not_addr 172.16.1.11:0" target add svc1 172.16.1.11:0 az use1-az1
bad 2 "@not_addr 172.16.1.11:65536" target add svc1 172.16.1.11:65536 az use1-az1
bad 2 'Error: argument "[fd00::1]:0" is not a valid address (X:X::X or [X:X::X]:PORT)' \
	target add svc1 [fd00::1]:0 az use1-az1
bad 1 "Error: the service does not support IPv6 (its IP address types are ipv4)" \
	target add svc1 [fd00::1]:80 az use1-az1
bad 2 "@range weight 1 100" target add svc1 172.16.1.11 az use1-az1 weight 0
bad 2 "@range weight 1 100" target set svc1 172.16.1.10 weight 101
bad 2 'Error: "state" needs one of "healthy", "unhealthy", "draining", not "sick"' \
	target set svc1 172.16.1.10 state sick
bad 2 'Error: "set" needs "weight" or "state"' target set svc1 172.16.1.10
bad 2 "@unknown az" target set svc1 172.16.1.10 az use1-az1
bad 2 "@unknown weight" target del svc1 172.16.1.10 weight 2
bad 2 "@twice az" target add svc1 172.16.1.11 az use1-az1 az use1-az1
bad 2 "@unknown b" target show svc1 b
bad 1 "Error: the service has no target with this address and port" \
	target del svc1 172.16.9.9
bad 1 "Error: the service already has a target with this address and port" \
	target add svc1 172.16.1.10 az use1-az1
bad 1 "Error: no service with this name" target add nope 172.16.1.11 az use1-az1
takes target add svc1 172.16.1.11:65535 az use1-az1 weight 100 state draining
takes target set svc1 172.16.1.11:65535 weight 1 state healthy
takes target del svc1 172.16.1.11:65535

# --- endpoint ------------------------------------------------------------------
E="vpc consumer-a service svc1"
bad 2 "@verb frob endpoint" endpoint frob
bad 2 "@required vpc" endpoint add
bad 2 "@required service" endpoint add e vpc consumer-a
bad 2 "@not_name a/b" endpoint add a/b $E
bad 2 'Error: "eni" needs an AZ and an address' endpoint add e $E eni use1-az1
bad 2 "@not_ipv4 10.0.0.300" endpoint add e $E eni use1-az1 10.0.0.300
bad 2 'Error: argument "fd00::1,fd00::2" has two IPv6 addresses' \
	endpoint add e $E eni use1-az1 fd00::1,fd00::2
bad 2 'Error: "ip-type" needs one of "ipv4", "ipv6", "dualstack", not "v6"' \
	endpoint add e $E ip-type v6
bad 1 "Error: the service supports IPv4 only" endpoint add e $E ip-type dualstack
bad 2 "@range max-flows 0 4294967295" endpoint add e $E max-flows 4294967296
bad 2 "@range max-flows 0 4294967295" endpoint add e $E max-flows -1
bad 2 "@twice service" endpoint add e $E service svc1
bad 2 "@required max-flows" endpoint set vpce-1
bad 2 "@unknown vpc" endpoint set vpce-1 vpc consumer-a
bad 2 "@needs accept" endpoint accept
bad 2 "@unknown b" endpoint reject vpce-1 b
bad 2 "@unknown b" endpoint show -s vpce-1 b
bad 1 "Error: an endpoint with this name already exists" endpoint add vpce-1 $E
bad 1 "Error: no endpoint with this name" endpoint accept nope
bad 1 "Error: the ENI address is outside the consumer VPC's CIDR" \
	endpoint add e $E eni use1-az1 10.9.0.1
takes endpoint set vpce-1 max-flows 4294967295
takes endpoint set vpce-1 max-flows 0

# --- eni -----------------------------------------------------------------------
bad 2 "@verb frob eni" eni frob
bad 2 "@needs add" eni add
bad 2 "@required az" eni add vpce-1 addr 10.0.0.101
bad 2 "@required addr" eni add vpce-1 az use1-az1
bad 2 "@unknown addr" eni del vpce-1 addr 10.0.0.100
bad 2 "@not_ipv4 10.0.0" eni add vpce-1 az use1-az1 addr 10.0.0
bad 1 "Error: the endpoint already has an ENI in this AZ" \
	eni add vpce-1 az use1-az1 addr 10.0.0.101
bad 1 "Error: the ENI address is the VPC's network or broadcast address" \
	endpoint add e $E eni use1-az1 10.0.0.255

# --- flow, limit ---------------------------------------------------------------
bad 2 "@verb frob flow" flow frob
bad 2 "@needs endpoint" flow show endpoint
bad 2 "@unknown x" flow show x
bad 1 "Error: no endpoint with this name" flow show endpoint nope
bad 2 "@verb frob limit" limit frob
bad 2 'Error: "set" needs at least one of "max-flows", "max-objects", "hash-key"' \
	limit set
bad 2 "@range max-objects 1 4294967295" limit set max-objects 0
bad 2 "@range max-flows 0 4294967295" limit set max-flows 4294967296
bad 2 'Error: "hash-key" needs exactly 32 hexadecimal digits' \
	limit set hash-key 0123456789abcdef0123456789abcde
bad 2 "@unknown x" limit show x
takes limit set max-flows 4294967295 max-objects 4294967295 \
	hash-key 0123456789ABCDEF0123456789abcdef
takes limit set max-flows 0 max-objects 1000000

# Nothing above changed the configuration: the "takes" rows undid
# themselves, and the rows that failed changed nothing (the hash key aside,
# which a "takes" row set).
_drain
if [ $usage_only = 0 ]; then
	check_eq "the configuration is as it was" "$saved" \
		"$($P save | grep -v -e '^#' -e '^limit set')"
	check_eq "the same limits" "$limits" "$($P limit show | cut -d' ' -f1-4)"
fi
done_testing
