#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "plctl -b FILE" and "plctl -b -" run one command per line as "ip -batch"
# does: comments and blank lines are skipped; the first failing line stops
# the batch with "Command failed FILE:LINE" and exit status 1, and the lines
# after it do not run.  "plctl save | plctl -b -" restores a configuration
# exactly into a fresh namespace (identical save output and identical
# "show -j" of every kind), endpoints in pendingAcceptance, available and
# rejected states, auto and required services, changed principals, an AZ
# that is down, an endpoint's flow limit and the namespace's, its object
# limit and its hash key included (the settings first, in one "limit set"
# line).  1000 endpoints with two ENIs each load in one batch.
#
#   pl-bat-a (original) --save--> pl-bat-b (restored); pl-bat-c (1000 endpoints)
. "$(dirname "$0")/lib/common.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload

netns_new NA=pl-bat-a NB=pl-bat-b NC=pl-bat-c
for ns in $NA $NB; do
	for d in c0 c1 c2 p0; do ip -n $ns link add $d type dummy; done
	# consumer-b overlaps consumer-a: it is routed by a VRF of its own
	ip -n $ns link add vrf-b type vrf table 40
	ip -n $ns link set dev c2 master vrf-b
done
dir=$(mktemp -d)
at_exit rm -rf "$dir"
A="plctl -n $NA"

# --- comments, blank lines, stopping at the first error ---------------------
cat >"$dir/ok.batch" <<'B'
# a comment

   # an indented comment
az add b1
	az add b2 state down   # a trailing comment
az add "b3"
B
check "a batch with comments and blank lines" $A -b "$dir/ok.batch"
check_eq "its AZs" "b1 state up
b2 state down
b3 state up" "$($A az show 2>&1)"

cat >"$dir/bad.batch" <<'B'
# line 1
az add b4

az add b1
az add b5
B
out=$($A -b "$dir/bad.batch" 2>&1)
check_eq "a failing line stops the batch with exit status 1" 1 $?
check "the kernel's error is shown" \
	grep -qxF "Error: an AZ with this name already exists" <<<"$out"
check "and the file and line are named" \
	grep -qxF "Command failed $dir/bad.batch:4" <<<"$out"
check "the line before it ran" $A az show b4
check_fail "the line after it did not" 1 "Error: no AZ with this name" \
	$A az show b5
check_fail "-b - names stdin as -" 1 "Command failed -:2" \
	sh -c "printf 'az add b6\naz add b6\naz add b7\n' | $A -b -"
check_fail "a usage error stops a batch too" 1 "Command failed -:1" \
	sh -c "printf 'az frob\naz add b8\n' | $A -b -"
check_fail "and the lines after it do not run" 1 "Error: no AZ with this name" \
	$A az show b8
check_fail "a missing file" 1 "cannot open" $A -b "$dir/nope"
check "clean up" sh -c "printf 'az del %s\n' b1 b2 b3 b4 b6 | $A -b -"

# --- save | -b - round trip ----------------------------------------------
cat >"$dir/config.batch" <<'B'
limit set max-objects 100 hash-key 00112233445566778899AABBCCDDEEFF
az add use1-az1
az add use1-az2
az add use1-az3 state down
vpc add consumer-a account 111111111111 cidr 10.0.0.0/24 dev c0 dev c1
vpc add consumer-b account 333333333333 cidr 10.0.0.0/24 dev c2 zone 40
vpc add consumer-c account 555555555555 cidr 10.8.0.0/16
vpc add provider account 222222222222 cidr 172.16.0.0/16 dev p0 zone 7
service add svc-req vpc provider listener tcp/443:8443 listener udp/53 nlb use1-az1 172.16.0.10 nlb use1-az2 172.16.0.11 nlb use1-az3 172.16.0.12 principal 111111111111 principal 333333333333 idle-timeout 120
service add svc-auto vpc provider listener tcp/80 nlb use1-az2 172.16.0.20 acceptance auto principal * cross-zone on
service add svc-closed vpc provider listener tcp/22 nlb use1-az1 172.16.0.30 acceptance auto principal 555555555555
target add svc-req 172.16.1.10:8443 az use1-az1
target add svc-req 172.16.1.11 az use1-az2 weight 7 state draining
target add svc-req 172.16.1.12:9000 az use1-az3 weight 100 state unhealthy
target add svc-auto 172.16.2.10 az use1-az2
endpoint add ep-pending vpc consumer-a service svc-req eni use1-az1 10.0.0.10 eni use1-az3 10.0.0.11
endpoint add ep-available vpc consumer-b service svc-req eni use1-az1 10.0.0.10 eni use1-az2 10.0.0.12 max-flows 100
endpoint add ep-rejected vpc consumer-a service svc-req eni use1-az2 10.0.0.20
endpoint add ep-re-accepted vpc consumer-b service svc-req
endpoint add ep-auto vpc consumer-c service svc-auto eni use1-az2 10.8.255.254
endpoint add ep-auto-rejected vpc consumer-a service svc-auto
endpoint add ep-closed vpc consumer-c service svc-closed eni use1-az1 10.8.0.1
endpoint accept ep-available
endpoint reject ep-rejected
endpoint reject ep-re-accepted
endpoint accept ep-re-accepted
endpoint reject ep-auto-rejected
service set svc-req principal 111111111111
service set svc-closed noprincipal
limit set max-flows 5000
B
check "load a configuration with -b FILE" $A -b "$dir/config.batch"
check "endpoint add without a name (a generated id)" \
	$A endpoint add vpc consumer-c service svc-auto
check_eq "the states it has" \
	"pendingAcceptance available rejected available available rejected available available" \
	"$($A -j endpoint show | json_eval '" ".join(e["state"] for e in j)')"

$A save >"$dir/save.a" 2>&1
check "save" test -s "$dir/save.a"
check_eq "save: first the settings, in one line" \
	"limit set max-flows 5000 max-objects 100 hash-key 00112233445566778899aabbccddeeff" \
	"$(sed -n 2p "$dir/save.a")"
diag "$(cat "$dir/save.a")"
check "restore it with save | -b - into a fresh namespace" \
	sh -c "plctl -n $NA save | plctl -n $NB -b -"
check_eq "save of the restored namespace is identical" \
	"$(cat "$dir/save.a")" "$(plctl -n $NB save 2>&1)"
for k in az vpc service target endpoint eni limit; do
	check_eq "$k show -j is identical" "$($A -j $k show 2>&1)" \
		"$(plctl -n $NB -j $k show 2>&1)"
done
check_eq "version -j counts are identical" \
	"$($A -j version | json_eval '[j[k] for k in ("azs","vpcs","services","targets","endpoints","enis","max_flows","max_objects")]')" \
	"$(plctl -n $NB -j version | json_eval '[j[k] for k in ("azs","vpcs","services","targets","endpoints","enis","max_flows","max_objects")]')"
check "save is idempotent: restoring into a namespace that has it fails" \
	sh -c "! plctl -n $NA save | plctl -n $NB -b - 2>/dev/null"

# --- 1000 endpoints with two ENIs each ------------------------------------
C="plctl -n $NC"
python3 - >"$dir/big.batch" <<'PY'
print("az add a1\naz add a2")
print("vpc add con account 1 cidr 10.0.0.0/16")
print("vpc add prov account 2 cidr 172.16.0.0/16")
print("service add svc vpc prov listener tcp/443 nlb a1 172.16.0.1 nlb a2 172.16.0.2 principal 1 acceptance auto")
for i in range(1000):
    a, b = 2 * i + 1, 2 * i + 2
    print(f"endpoint add ep{i} vpc con service svc eni a1 10.0.{a >> 8}.{a & 255} eni a2 10.0.{b >> 8}.{b & 255}")
PY
check "load 1000 endpoints with 2 ENIs each" $C -b "$dir/big.batch"
check_eq "endpoint show lists 1000" 1000 "$($C endpoint show | wc -l)"
check_eq "eni show lists 2000" 2000 "$($C eni show | wc -l)"
check_eq "each endpoint has two ENIs" 1000 "$($C endpoint show | grep -c ' eni a1 10\.0\.[0-9.]* eni a2 10\.0\.')"
check_eq "version -j counts" "1000 2000" \
	"$($C -j version | json_eval 'str(j["endpoints"]) + " " + str(j["enis"])')"
check_eq "JSON lists 1000 distinct names" 1000 \
	"$($C -j endpoint show | json_eval 'len(set(e["name"] for e in j))')"
done_testing
