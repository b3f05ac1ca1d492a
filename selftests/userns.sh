#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A container's root (CAP_NET_ADMIN in a user namespace that owns a network
# namespace) manages privlink in its own netns and nothing else (uapi
# "Permissions" and "Limits"): it configures its netns, sees only that
# configuration, may subscribe to its events, may lower its object limit but
# not raise it again (only the host's administrator may), and the host's
# netns stays untouched.  The host's root may lower and raise a limit.
#
#   pl-uns (a netns of the host, configured by the host's root)
#   unshare -r -n: the container, a netns owned by a new user namespace
. "$(dirname "$0")/lib/common.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
netns_new NS=pl-uns
plctl -n $NS az add host-az || { diag "cannot configure $NS"; exit 1; }

tmp=$(mktemp -d)
at_exit rm -rf "$tmp"
# What the container's root runs, in its own netns; one result per line.
cat > "$tmp/container.sh" <<'SCRIPT'
ev=$1
r() { local l=$1; shift; "$@" >/dev/null 2>&1 && echo "$l: ok" || echo "$l: failed"; }
ip link add c0 type dummy
r az plctl az add use1-az1
r vpc plctl vpc add consumer account 111111111111 cidr 10.0.0.0/24 dev c0
echo "azs: $(plctl az show | cut -d' ' -f1 | tr '\n' ' ')"
plctl monitor > "$ev" 2>&1 &
mon=$!
for i in $(seq 100); do
	[ -s "$ev" ] && break
	plctl az add probe-$i >/dev/null 2>&1
	plctl az del probe-$i >/dev/null 2>&1
done
kill $mon
r lower plctl limit set max-objects 3
plctl limit set max-objects 4 2>&1 | sed 's/^/raise: /'
r third plctl az add use1-az2
plctl az add use1-az3 2>&1 | sed 's/^/fourth: /'
SCRIPT
modprobe dummy
res=$(unshare -r -n bash "$tmp/container.sh" "$tmp/events" 2>&1)
diag "$res"
has() { grep -qxF -- "$1" <<<"$res"; }
check "the container's root adds an AZ in its own netns" has "az: ok"
check "... and a VPC" has "vpc: ok"
check "it sees only its own configuration" has "azs: use1-az1 "
check "it may subscribe to its own netns's events" grep -q "probe-" "$tmp/events"
check "it may lower its object limit" has "lower: ok"
check "it may not raise it again, with a message saying who may" \
	has "raise: Error: only the host's administrator (CAP_NET_ADMIN in the initial user namespace) may raise the object limit"
check "the third object fits under the limit of 3" has "third: ok"
check "the fourth is refused" \
	has "fourth: Error: the namespace's object limit (max_objects) is reached; delete objects first"
check_eq "the host's netns was not touched" "host-az" "$(plctl -n $NS az show | cut -d' ' -f1)"

check "the host's root may lower and raise a limit" sh -c \
	"plctl -n $NS limit set max-objects 1 && plctl -n $NS limit set max-objects 100"
check_eq "max-objects is 100" 100 "$(plctl -n $NS -j limit show | json_eval 'j["max_objects"]')"
done_testing
