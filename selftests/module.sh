#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module loads and unloads (twice, also with a namespace alive), registers
# the "privlink" generic netlink family, and plctl talks to it.
. "$(dirname "$0")/lib/common.sh"

module_unload
check_fail "plctl says the module is not loaded" 1 \
	"the privlink kernel module is not loaded" plctl version

# plctl and the module are one release (PRIVLINK_RELEASE in the uapi header)
rel=$(sed -n 's/^#define PRIVLINK_RELEASE[[:space:]]*"\(.*\)"$/\1/p' \
	"$TOP/include/uapi/linux/privlink.h")
for round in 1 2; do
	check "load #$round" module_load
	check "generic netlink family registered #$round" \
		sh -c 'genl ctrl get name privlink | grep -q "Name: privlink"'
	out=$(plctl version 2>&1)
	check_eq "plctl version #$round" \
		"plctl $rel, privlink module $rel, hooks registered: false" "$out"
	check "unload #$round" module_unload
	check "family gone after unload #$round" \
		sh -c '! genl ctrl get name privlink 2>/dev/null'
done

netns_new NS=pl-mod
check "load with a namespace alive" module_load
check "plctl -n works in the namespace" plctl -n $NS version
out=$(plctl -j version | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["plctl"], d["module"], d["hooks"], d["vpcs"])')
check_eq "plctl -j version" "$rel $rel False 0" "$out"
check "unload with a namespace alive" module_unload
check "the namespace outlives the module" ip netns exec $NS true

check "plctl -h spells out every object's commands" sh -c '
	h=$(plctl -h)
	for w in "plctl az add" "plctl vpc set" "plctl service add" "plctl target set" \
		"plctl endpoint { accept | reject }" "plctl eni del" "plctl flow show" \
		"plctl limit set"; do
		printf "%s\n" "$h" | grep -qF "$w" || { echo "missing: $w"; exit 1; }
	done'
check_fail "unknown object is a usage error" 2 'object "frob" is unknown' \
	plctl frob
check_fail "unknown netns is reported" 1 'cannot open network namespace "nope"' \
	plctl -n nope version
done_testing
