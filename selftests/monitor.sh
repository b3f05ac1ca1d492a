#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "plctl monitor" prints one line per event, "<object>-<verb> <show line>",
# for every kind of change (az/vpc/service/target add, set, del; endpoint add,
# accept, reject, set, del; eni add, del; limit set, without the hash key),
# and "plctl -j monitor" one JSON object
# per line with the same events in the same order.  Deleting an endpoint
# sends its ENIs' eni-del before its own endpoint-del (state deleting);
# deleting a service sends its targets' target-del first.  SIGTERM ends a
# monitor cleanly.
#
#   pl-mon: dummy c0 c1 p0; monitors (text, JSON) writing to files
. "$(dirname "$0")/lib/common.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload

netns_new NS=pl-mon
for d in c0 c1 p0; do ip -n $NS link add $d type dummy; done
P="plctl -n $NS"
dir=$(mktemp -d)
at_exit rm -rf "$dir"
TXT=$dir/text JSON=$dir/json

$P az add probe || { diag "cannot add the probe AZ"; exit 1; }
$P monitor >"$TXT" 2>"$TXT.err" &
tpid=$!
$P -j monitor >"$JSON" 2>"$JSON.err" &
jpid=$!
at_exit "kill $tpid $jpid"

# The monitors are listening once they report a change of the probe AZ.
probe() {
	$P az set probe state up >/dev/null 2>&1
	grep -q '^az-set probe' "$TXT" && grep -q '"event":"az-set"' "$JSON"
}
check "both monitors are listening" wait_for 20 probe
if ! kill -0 $tpid 2>/dev/null; then
	diag "the text monitor died:" "$(cat "$TXT.err")"
fi

# One change of each kind.
steps=(
	"az add use1-az1"
	"az add use1-az2 state down"
	"az set use1-az2 state up"
	"vpc add consumer-a account 111111111111 cidr 10.0.0.0/24 dev c0"
	"vpc add provider account 222222222222 cidr 172.16.0.0/16 dev p0"
	"vpc set consumer-a dev c0 dev c1"
	"service add svc1 vpc provider listener tcp/443:8443 nlb use1-az1 172.16.0.10 nlb use1-az2 172.16.0.11 principal 111111111111"
	"service set svc1 cross-zone on"
	"target add svc1 172.16.1.10 az use1-az1"
	"target add svc1 172.16.1.11:8444 az use1-az1"
	"target set svc1 172.16.1.10 weight 3"
	"target del svc1 172.16.1.10"
	"endpoint add vpce-1 vpc consumer-a service svc1 eni use1-az1 10.0.0.100"
	"endpoint accept vpce-1"
	"endpoint reject vpce-1"
	"endpoint set vpce-1 max-flows 5"
	"eni add vpce-1 az use1-az2 addr 10.0.0.101"
	"eni del vpce-1 az use1-az2"
	"eni add vpce-1 az use1-az2 addr 10.0.0.102"
	"endpoint del vpce-1"
	"service del svc1"
	"vpc del consumer-a"
	"az del use1-az2"
)
ok=1
for s in "${steps[@]}"; do
	$P $s || { diag "step failed: $s"; ok=0; }
done
check "all changes succeed" test $ok = 1

want=(
	"az-add use1-az1 state up"
	"az-add use1-az2 state down"
	"az-set use1-az2 state up"
	"vpc-add consumer-a account 111111111111 cidr 10.0.0.0/24 dev c0 zone 1"
	"vpc-add provider account 222222222222 cidr 172.16.0.0/16 dev p0 zone 2"
	"vpc-set consumer-a account 111111111111 cidr 10.0.0.0/24 dev c0 dev c1 zone 1"
	"service-add svc1 vpc provider listener tcp/443:8443 nlb use1-az1 172.16.0.10 nlb use1-az2 172.16.0.11 acceptance required principal 111111111111 cross-zone off idle-timeout 350 endpoints 0"
	"service-set svc1 vpc provider listener tcp/443:8443 nlb use1-az1 172.16.0.10 nlb use1-az2 172.16.0.11 acceptance required principal 111111111111 cross-zone on idle-timeout 350 endpoints 0"
	"target-add svc1 172.16.1.10 az use1-az1 weight 1 state healthy"
	"target-add svc1 172.16.1.11:8444 az use1-az1 weight 1 state healthy"
	"target-set svc1 172.16.1.10 az use1-az1 weight 3 state healthy"
	"target-del svc1 172.16.1.10 az use1-az1 weight 3 state healthy"
	"endpoint-add vpce-1 vpc consumer-a service svc1 state pendingAcceptance account 111111111111 eni use1-az1 10.0.0.100"
	"endpoint-accept vpce-1 vpc consumer-a service svc1 state available account 111111111111 eni use1-az1 10.0.0.100"
	"endpoint-reject vpce-1 vpc consumer-a service svc1 state rejected account 111111111111 eni use1-az1 10.0.0.100"
	"endpoint-set vpce-1 vpc consumer-a service svc1 state rejected account 111111111111 max-flows 5 eni use1-az1 10.0.0.100"
	"eni-add vpce-1 az use1-az2 addr 10.0.0.101 vpc consumer-a"
	"eni-del vpce-1 az use1-az2 addr 10.0.0.101 vpc consumer-a"
	"eni-add vpce-1 az use1-az2 addr 10.0.0.102 vpc consumer-a"
	"eni-del vpce-1 az use1-az1 addr 10.0.0.100 vpc consumer-a"
	"eni-del vpce-1 az use1-az2 addr 10.0.0.102 vpc consumer-a"
	"endpoint-del vpce-1 vpc consumer-a service svc1 state deleting account 111111111111 max-flows 5"
	"target-del svc1 172.16.1.11:8444 az use1-az1 weight 1 state healthy"
	"service-del svc1 vpc provider listener tcp/443:8443 nlb use1-az1 172.16.0.10 nlb use1-az2 172.16.0.11 acceptance required principal 111111111111 cross-zone on idle-timeout 350 endpoints 0"
	"vpc-del consumer-a account 111111111111 cidr 10.0.0.0/24 dev c0 dev c1 zone 1"
	"az-del use1-az2 state up"
)
last=${want[${#want[@]}-1]}
check "the last event arrives" wait_for 20 file_has_line "$TXT" "$last"
for w in "${want[@]}"; do
	check "event: ${w:0:60}" file_has_line "$TXT" "$w"
done
# The events after the probe, in order, are exactly the wanted ones.
got=$(grep -v '^az-set probe' "$TXT")
check_eq "the events arrive in order, nothing else" \
	"$(printf '%s\n' "${want[@]}")" "$got"
line() { grep -nxF -- "$1" "$TXT" | head -n1 | cut -d: -f1; }
check "eni-del comes before endpoint-del" test \
	"$(line "${want[20]}")" -lt "$(line "${want[21]}")"
check "target-del comes before service-del" test \
	"$(line "${want[22]}")" -lt "$(line "${want[23]}")"

# JSON: the same events, each line an object with the event and the object
check "the JSON monitor saw the last event" wait_for 20 sh -c \
	"grep -v '\"name\":\"probe\"' '$JSON' | grep -c . | grep -qx ${#want[@]}"
events=$(python3 - "$JSON" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    kind = e["event"].split("-")[0]
    assert set(e) == {"event", kind}, e
    name = e[kind].get("name") or e[kind].get("endpoint") or e[kind].get("service")
    if e["event"] == "az-set" and name == "probe":
        continue
    print(e["event"], name)
PY
)
check_eq "JSON monitor: same events in the same order" \
	"$(printf '%s\n' "${want[@]}" | awk '{print $1, $2}')" "$events"
check_eq "JSON endpoint-accept event" \
	'{"event":"endpoint-accept","endpoint":{"name":"vpce-1","vpc":"consumer-a","service":"svc1","state":"available","account":"111111111111","ip_type":"ipv4","enis":[{"az":"use1-az1","addr":"10.0.0.100"}]}}' \
	"$(grep '"endpoint-accept"' "$JSON")"
check_eq "JSON endpoint-del event says deleting" deleting \
	"$(grep '"endpoint-del"' "$JSON" | json_eval 'j["endpoint"]["state"]')"

# "limit set" is an event too: the settings after it, never the hash key.
$P limit set max-flows 7 hash-key 000102030405060708090a0b0c0d0e0f ||
	diag "limit set failed"
check "limit-set event (text)" wait_for 20 file_has_line "$TXT" \
	"limit-set max-flows 7 max-objects 1000000"
check "limit-set event (JSON)" wait_for 20 file_has_line "$JSON" \
	'{"event":"limit-set","limit":{"max_flows":7,"max_objects":1000000}}'
check_eq "no event shows the hash key" 0 \
	"$(cat "$TXT" "$JSON" | grep -c -e 0001020304 -e hash)"

kill -TERM $tpid 2>/dev/null
wait $tpid
check_eq "SIGTERM ends the text monitor with status 0" 0 $?
kill -TERM $jpid 2>/dev/null
wait $jpid
check_eq "SIGTERM ends the JSON monitor with status 0" 0 $?
check_eq "no monitor errors" "" "$(cat "$TXT.err" "$JSON.err")"
done_testing
