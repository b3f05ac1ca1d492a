#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every verb of every object kind (az, vpc, service, target, endpoint, eni):
# add, show (text and JSON, checked exactly), set, accept/reject, del; names
# generated for "service add" and "endpoint add" without a NAME (vpce-svc-…
# and vpce-… with 17 hex digits); the counts of "plctl -j version" follow,
# and deleting everything gives every object back (objects_live).
#
#   pl-obj (the router): dummy c0 c1 (consumer-a), p0 (provider)
#     az use1-az1, use1-az2
#     vpc consumer-a 10.0.0.0/24, provider 172.16.0.0/16
#     service svc1 -> targets; endpoint vpce-1 with ENIs in both AZs
. "$(dirname "$0")/lib/common.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload

netns_new NS=pl-obj
for d in c0 c1 p0; do ip -n $NS link add $d type dummy; done
P="plctl -n $NS"
live0=$(pl_info objects_live)

show() { $P "$@" 2>&1; }

# --- az ---------------------------------------------------------------------
check "az add use1-az1" $P az add use1-az1
check "az add use1-az2 state down" $P az add use1-az2 state down
check_eq "az show (text)" "use1-az1 state up
use1-az2 state down" "$(show az show)"
check_eq "az show (JSON)" \
	'[{"name":"use1-az1","state":"up"},{"name":"use1-az2","state":"down"}]' \
	"$(show -j az show)"
check_eq "az show NAME" "use1-az2 state down" "$(show az show use1-az2)"
check "az set use1-az2 state up" $P az set use1-az2 state up
check_eq "az show after set" "use1-az2 state up" "$(show az show use1-az2)"
check_eq "az set -e echoes the AZ" "use1-az2 state down" \
	"$(show -e az set use1-az2 state down)"
check "az set back up" $P az set use1-az2 state up
check "az add use1-az3" $P az add use1-az3
check "az del use1-az3" $P az del use1-az3
check_eq "az show after del" "use1-az1 state up
use1-az2 state up" "$(show az show)"

# --- vpc --------------------------------------------------------------------
check "vpc add consumer-a" \
	$P vpc add consumer-a account 111111111111 cidr 10.0.0.0/24 dev c0
check "vpc add provider (zone 7)" \
	$P vpc add provider account 222222222222 cidr 172.16.0.0/16 dev p0 zone 7
check_eq "vpc show (text)" \
	"consumer-a account 111111111111 cidr 10.0.0.0/24 dev c0 zone 1
provider account 222222222222 cidr 172.16.0.0/16 dev p0 zone 7" \
	"$(show vpc show)"
check_eq "vpc show (JSON)" \
	'[{"name":"consumer-a","account":"111111111111","cidr":"10.0.0.0/24","devices":["c0"],"zone":1},{"name":"provider","account":"222222222222","cidr":"172.16.0.0/16","devices":["p0"],"zone":7}]' \
	"$(show -j vpc show)"
check "vpc set consumer-a dev c0 dev c1" $P vpc set consumer-a dev c0 dev c1
check_eq "vpc show NAME lists both devices" \
	"consumer-a account 111111111111 cidr 10.0.0.0/24 dev c0 dev c1 zone 1" \
	"$(show vpc show consumer-a)"
check "vpc set consumer-a nodev" $P vpc set consumer-a nodev
check_eq "vpc show NAME without devices (text)" \
	"consumer-a account 111111111111 cidr 10.0.0.0/24 zone 1" \
	"$(show vpc show consumer-a)"
check_eq "vpc show NAME without devices (JSON)" \
	'[{"name":"consumer-a","account":"111111111111","cidr":"10.0.0.0/24","devices":[],"zone":1}]' \
	"$(show -j vpc show consumer-a)"
check "vpc set consumer-a dev c0" $P vpc set consumer-a dev c0
check "vpc add scratch (lowest free zone)" \
	$P vpc add scratch account 333333333333 cidr 192.168.0.0/16
check_eq "scratch got zone 2" \
	"scratch account 333333333333 cidr 192.168.0.0/16 zone 2" \
	"$(show vpc show scratch)"
check "vpc del scratch" $P vpc del scratch
check_fail "vpc show of a deleted VPC" 1 "Error: no VPC with this name" \
	$P vpc show scratch

# --- service ----------------------------------------------------------------
check "service add svc1" \
	$P service add svc1 vpc provider listener tcp/443:8443 \
	nlb use1-az1 172.16.0.10 nlb use1-az2 172.16.0.11 \
	principal 111111111111
svc1_text="svc1 vpc provider listener tcp/443:8443 nlb use1-az1 172.16.0.10 nlb use1-az2 172.16.0.11 acceptance required principal 111111111111 cross-zone off idle-timeout 350 endpoints 0"
svc1_json='{"name":"svc1","vpc":"provider","listeners":[{"proto":"tcp","port":443,"target_port":8443}],"nlb_nodes":[{"az":"use1-az1","addr":"172.16.0.10"},{"az":"use1-az2","addr":"172.16.0.11"}],"acceptance":"required","principals":["111111111111"],"cross_zone":false,"idle_timeout":350,"ip_types":"ipv4","endpoints":0}'
check_eq "service show svc1 (text, defaults)" "$svc1_text" \
	"$(show service show svc1)"
check_eq "service show svc1 (JSON)" "[$svc1_json]" \
	"$(show -j service show svc1)"
out=$(show service add vpc provider listener udp/53 listener tcp/80 \
	nlb use1-az1 172.16.0.20 acceptance auto principal '*' \
	cross-zone on idle-timeout 60)
gen=${out%% *}
check "service add without NAME prints a vpce-svc- id" \
	grep -qE '^vpce-svc-[0-9a-f]{17}$' <<<"$gen"
check_eq "the generated service (text)" \
	"$gen vpc provider listener udp/53 listener tcp/80 nlb use1-az1 172.16.0.20 acceptance auto principal * cross-zone on idle-timeout 60 endpoints 0" \
	"$(show service show "$gen")"
check_eq "the generated service (JSON)" \
	"[{\"name\":\"$gen\",\"vpc\":\"provider\",\"listeners\":[{\"proto\":\"udp\",\"port\":53,\"target_port\":53},{\"proto\":\"tcp\",\"port\":80,\"target_port\":80}],\"nlb_nodes\":[{\"az\":\"use1-az1\",\"addr\":\"172.16.0.20\"}],\"acceptance\":\"auto\",\"principals\":[\"*\"],\"cross_zone\":true,\"idle_timeout\":60,\"ip_types\":\"ipv4\",\"endpoints\":0}]" \
	"$(show -j service show "$gen")"
check_eq "service show lists both" "svc1
$gen" "$(show service show | cut -d' ' -f1)"
check "service set svc1 acceptance auto cross-zone on idle-timeout 3600 principal 111111111111 principal 444444444444" \
	$P service set svc1 acceptance auto cross-zone on idle-timeout 3600 \
	principal 111111111111 principal 444444444444
check_eq "service show after set" \
	"svc1 vpc provider listener tcp/443:8443 nlb use1-az1 172.16.0.10 nlb use1-az2 172.16.0.11 acceptance auto principal 111111111111 principal 444444444444 cross-zone on idle-timeout 3600 endpoints 0" \
	"$(show service show svc1)"
check "service set svc1 back" $P service set svc1 acceptance required \
	cross-zone off idle-timeout 350 principal 111111111111
check_eq "service show after setting it back" "$svc1_text" \
	"$(show service show svc1)"
check "service del (generated)" $P service del "$gen"
check_fail "service show of a deleted service" 1 \
	"Error: no service with this name" $P service show "$gen"

# --- target -----------------------------------------------------------------
check "target add svc1 172.16.1.10:8443 az use1-az1" \
	$P target add svc1 172.16.1.10:8443 az use1-az1
check "target add svc1 172.16.2.10 az use1-az2 weight 5 state draining" \
	$P target add svc1 172.16.2.10 az use1-az2 weight 5 state draining
check_eq "target show (text)" \
	"svc1 172.16.1.10:8443 az use1-az1 weight 1 state healthy
svc1 172.16.2.10 az use1-az2 weight 5 state draining" "$(show target show)"
check_eq "target show SERVICE (JSON)" \
	'[{"service":"svc1","addr":"172.16.1.10","port":8443,"az":"use1-az1","weight":1,"state":"healthy"},{"service":"svc1","addr":"172.16.2.10","port":0,"az":"use1-az2","weight":5,"state":"draining"}]' \
	"$(show -j target show svc1)"
check "target set weight and state" \
	$P target set svc1 172.16.2.10 weight 100 state unhealthy
check "target set state only" $P target set svc1 172.16.1.10:8443 state draining
check "target set weight only" $P target set svc1 172.16.1.10:8443 weight 2
check_eq "target show after set" \
	"svc1 172.16.1.10:8443 az use1-az1 weight 2 state draining
svc1 172.16.2.10 az use1-az2 weight 100 state unhealthy" "$(show target show svc1)"
check "target add a third" $P target add svc1 172.16.1.11 az use1-az1
check "target del" $P target del svc1 172.16.1.11
check_eq "target show after del" 2 "$(show target show | wc -l)"

# --- endpoint ---------------------------------------------------------------
check "endpoint add vpce-1 with two ENIs" \
	$P endpoint add vpce-1 vpc consumer-a service svc1 \
	eni use1-az1 10.0.0.100 eni use1-az2 10.0.0.101
ep1="vpce-1 vpc consumer-a service svc1 state pendingAcceptance account 111111111111 eni use1-az1 10.0.0.100 eni use1-az2 10.0.0.101"
check_eq "endpoint show NAME (text)" "$ep1" "$(show endpoint show vpce-1)"
check_eq "endpoint show NAME (JSON)" \
	'[{"name":"vpce-1","vpc":"consumer-a","service":"svc1","state":"pendingAcceptance","account":"111111111111","ip_type":"ipv4","enis":[{"az":"use1-az1","addr":"10.0.0.100"},{"az":"use1-az2","addr":"10.0.0.101"}]}]' \
	"$(show -j endpoint show vpce-1)"
out=$(show endpoint add vpc consumer-a service svc1)
gen=${out%% *}
check "endpoint add without NAME prints a vpce- id" \
	grep -qE '^vpce-[0-9a-f]{17}$' <<<"$gen"
check_eq "the generated endpoint (text)" \
	"$gen vpc consumer-a service svc1 state pendingAcceptance account 111111111111" \
	"$(show endpoint show "$gen")"
check_eq "the generated endpoint (JSON)" \
	"[{\"name\":\"$gen\",\"vpc\":\"consumer-a\",\"service\":\"svc1\",\"state\":\"pendingAcceptance\",\"account\":\"111111111111\",\"ip_type\":\"ipv4\",\"enis\":[]}]" \
	"$(show -j endpoint show "$gen")"
check_eq "endpoint show lists both" "vpce-1
$gen" "$(show endpoint show | cut -d' ' -f1)"
check_eq "the service counts its endpoints" 2 \
	"$(show -j service show svc1 | json_eval 'j[0]["endpoints"]')"
check "endpoint accept" $P endpoint accept vpce-1
check_eq "accepted: available" available \
	"$(show -j endpoint show vpce-1 | json_eval 'j[0]["state"]')"
check_eq "endpoint reject -e echoes the endpoint" \
	"vpce-1 vpc consumer-a service svc1 state rejected account 111111111111 eni use1-az1 10.0.0.100 eni use1-az2 10.0.0.101" \
	"$(show -e endpoint reject vpce-1)"
check "endpoint del (generated)" $P endpoint del "$gen"
check_fail "endpoint show of a deleted endpoint" 1 \
	"Error: no endpoint with this name" $P endpoint show "$gen"

# --- eni --------------------------------------------------------------------
check_eq "eni show (text)" \
	"vpce-1 az use1-az1 addr 10.0.0.100 vpc consumer-a
vpce-1 az use1-az2 addr 10.0.0.101 vpc consumer-a" "$(show eni show)"
check "eni del vpce-1 az use1-az2" $P eni del vpce-1 az use1-az2
check_eq "eni show ENDPOINT (JSON)" \
	'[{"endpoint":"vpce-1","az":"use1-az1","addr":"10.0.0.100","vpc":"consumer-a"}]' \
	"$(show -j eni show vpce-1)"
check "eni add vpce-1 az use1-az2 addr 10.0.0.102" \
	$P eni add vpce-1 az use1-az2 addr 10.0.0.102
check_eq "eni show ENDPOINT after add" \
	"vpce-1 az use1-az1 addr 10.0.0.100 vpc consumer-a
vpce-1 az use1-az2 addr 10.0.0.102 vpc consumer-a" "$(show eni show vpce-1)"
check_eq "the endpoint lists the new ENI" \
	"vpce-1 vpc consumer-a service svc1 state rejected account 111111111111 eni use1-az1 10.0.0.100 eni use1-az2 10.0.0.102" \
	"$(show endpoint show vpce-1)"

# --- counts and teardown ----------------------------------------------------
check_eq "version -j counts" "2 2 1 2 1 2" \
	"$(show -j version | json_eval '" ".join(str(j[k]) for k in ("azs","vpcs","services","targets","endpoints","enis"))')"
check_eq "objects_live counts this config" $((live0 + 2 + 2 + 2 + 1 + 2 + 1 + 2)) \
	"$(pl_info objects_live)"
check "endpoint del vpce-1 (its ENIs go with it)" $P endpoint del vpce-1
check_eq "eni show is empty" "" "$(show eni show)"
check "service del svc1 (its targets go with it)" $P service del svc1
check_eq "target show is empty" "" "$(show target show)"
check_eq "target show JSON is an empty array" "[]" "$(show -j target show)"
check "vpc del consumer-a" $P vpc del consumer-a
check "vpc del provider" $P vpc del provider
check "az del use1-az1" $P az del use1-az1
check "az del use1-az2" $P az del use1-az2
check_eq "version -j counts are zero" "0 0 0 0 0 0" \
	"$(show -j version | json_eval '" ".join(str(j[k]) for k in ("azs","vpcs","services","targets","endpoints","enis"))')"
check_eq "objects_live is back where it was" "$live0" "$(pl_info objects_live)"
done_testing
