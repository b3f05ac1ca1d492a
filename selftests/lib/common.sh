# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by the selftests/*.sh scripts.  Source it first thing:
#
#   . "$(dirname "$0")/lib/common.sh"
#
# A test script is a sequence of checks; each prints one KTAP result line
# ("ok N desc" / "not ok N desc" / "ok N desc # SKIP why") and the script
# ends with the plan and its exit status (0 all passed, 1 something failed,
# 4 everything skipped: the kselftest convention).  Diagnostics are "# "
# lines.  Each script creates its own namespaces through netns_new, which
# names them uniquely and registers them for the cleanup trap.  Topologies
# (veth links, routers, servers, data-plane counters) are in topology.sh.

set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PLCTL=$TOP/tools/plctl/plctl
MODULE=$TOP/kmod/privlink.ko
export PATH=$TOP/tools/plctl:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# The suffix of every namespace this run creates (netns_new): the script's
# PID, so that two runs at the same time on one machine (two suites, or one
# script twice) never use the same names.
PL_RUN=$$

_t_n=0
_t_fail=0
_t_skip=0
_t_netns=()
_t_cleanups=()

echo "TAP version 13"

# Register a command to run at exit (in reverse order), before the netns go.
at_exit() { _t_cleanups+=("$*"); }

_t_cleanup() {
	local i
	for ((i = ${#_t_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_t_cleanups[i]}" >/dev/null 2>&1
	done
	for ns in "${_t_netns[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
}
trap _t_cleanup EXIT

_t_result() {	# status desc [directive]
	_t_n=$((_t_n + 1))
	case $1 in
	ok) echo "ok $_t_n $2${3:+ # $3}" ;;
	*) echo "not ok $_t_n $2"; _t_fail=$((_t_fail + 1)) ;;
	esac
}

diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

# check DESC CMD...: passes when CMD exits 0; shows its output otherwise.
check() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc = 0 ]; then
		_t_result ok "$desc"
	else
		diag "command: $*" "exit status: $rc" "$out"
		_t_result fail "$desc"
	fi
}

# check_fail DESC STATUS TEXT CMD...: CMD must exit with STATUS and print
# TEXT (a fixed string) on stdout/stderr.
check_fail() {
	local desc=$1 want_rc=$2 want=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" = "$want_rc" ] && grep -qF -- "$want" <<<"$out"; then
		_t_result ok "$desc"
	else
		diag "command: $*" "exit status: $rc (wanted $want_rc)" \
			"wanted text: $want" "output:" "$out"
		_t_result fail "$desc"
	fi
}

# check_eq DESC WANT GOT
check_eq() {
	if [ "$2" = "$3" ]; then
		_t_result ok "$1"
	else
		diag "wanted: $2" "got:    $3"
		_t_result fail "$1"
	fi
}

skip() { _t_n=$((_t_n + 1)); _t_skip=$((_t_skip + 1)); echo "ok $_t_n $1 # SKIP $2"; }

# wait_for SECONDS CMD...: poll CMD until it succeeds, at most SECONDS.
wait_for() {
	local limit=$1 end
	shift
	end=$(($(date +%s) + limit))
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.05
	done
}

# netns_new VAR=BASE...: a fresh namespace "BASE-$PL_RUN" for each, lo up,
# removed at exit; its name is put in the shell variable VAR and exported,
# so that commands run by "sh -c '...'" can use $VAR too.  BASE is
# "pl-<test>-<role>" (pl-udp-r: the router of udp.sh).
netns_new() {
	local arg ns
	for arg in "$@"; do
		case $arg in
		[A-Za-z_]*=?*)
			ns=${arg#*=}-$PL_RUN
			printf -v "${arg%%=*}" '%s' "$ns"
			export "${arg%%=*}"
			;;
		*) echo "netns_new: $arg: not VAR=BASE" >&2; return 1 ;;
		esac
		ip netns del "$ns" 2>/dev/null
		ip netns add "$ns" || return 1
		_t_netns+=("$ns")
		ip -n "$ns" link set lo up
	done
}

# module_load: load privlink.ko (and what it depends on).
module_load() {
	local deps
	lsmod | grep -q '^privlink ' && return 0
	deps=$(modinfo -F depends "$MODULE" | tr ',' ' ')
	[ -n "$deps" ] && modprobe -a $deps
	insmod "$MODULE"
}

module_unload() {
	lsmod | grep -q '^privlink ' || return 0
	rmmod privlink
}

# done_testing: print the plan, exit with the kselftest status.
done_testing() {
	echo "1..$_t_n"
	[ $_t_fail -gt 0 ] && exit 1
	[ $_t_n -gt 0 ] && [ $_t_skip = $_t_n ] && exit 4
	exit 0
}

# --- control-plane helpers (objects, errors, netns, batch, scale, ...) ------

# pl_info [NS] KEY: one member of "plctl -j version", in NS when given
# (objects_live is module-wide; the counts are the namespace's).
pl_info() {
	local ns=()
	if [ $# -ge 2 ]; then
		[ -n "$1" ] && ns=(-n "$1")
		shift
	fi
	plctl "${ns[@]}" -j version |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

# json_eval EXPR: print the value of the python expression EXPR, in which j
# is the JSON document read from stdin.
json_eval() {
	python3 -c 'import json,sys; j=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}

# pl_info_is NS KEY VALUE: for wait_for (NS "" is the current namespace).
pl_info_is() { [ "$(pl_info "$1" "$2" 2>/dev/null)" = "$3" ]; }

# file_has_line FILE LINE: FILE has LINE (exactly, as a whole line).
file_has_line() { grep -qxF -- "$2" "$1"; }
