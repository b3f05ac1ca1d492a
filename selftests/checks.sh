#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Health checks as the kernel keeps them (uapi "Health checks"): a service's
# check (defaults, every member, show in text and JSON, set replaces it,
# none removes it, save/restore round trip), and a target's verdict as a
# checker reports it (TARGET_SET with a HEALTH nest, sent raw by
# lib/target_health_raw.py, as plhealthd sends it): a verdict sets the state,
# never over an operator's "draining"; a new target of a checked service
# starts unhealthy/initial; a new check starts every verdict over; verdicts
# without a check, with a weight or in TARGET_ADD are refused with the exact
# text, and need CAP_NET_ADMIN; each is an event.  The probing itself is
# plhealthd's (health.sh).
#
#   pl-chk-r (the router): dummy p0 (provider 172.16.0.0/16)
#     az use1-az1; service svc1 (tcp/80) with targets 172.16.1.10 and .11
. "$(dirname "$0")/lib/common.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload

netns_new NS=pl-chk-r NS2=pl-chk-r2
ip -n $NS link add p0 type dummy
P="plctl -n $NS"
RAW="ip netns exec $NS python3 $(dirname "$(readlink -f "$0")")/lib/target_health_raw.py"
show() { $P "$@" 2>&1; }
dir=$(mktemp -d)
at_exit rm -rf "$dir"

check "provider VPC, AZ" sh -c "$P az add use1-az1 &&
	$P vpc add provider account 222222222222 cidr 172.16.0.0/16 dev p0"
SVC="svc1 vpc provider listener tcp/80 nlb use1-az1 172.16.0.20"
BASE="svc1 vpc provider listener tcp/80 nlb use1-az1 172.16.0.20 acceptance required cross-zone off idle-timeout 350"

# --- a service's check ---------------------------------------------------------
check "service add with check tcp (defaults)" $P service add $SVC check tcp
check_eq "the defaults are AWS's (text)" \
	"$BASE check tcp check-port traffic-port check-interval 30 check-timeout 10 healthy-threshold 5 unhealthy-threshold 2 endpoints 0" \
	"$(show service show svc1)"
check_eq "the defaults are AWS's (JSON)" \
	'{"protocol":"tcp","port":0,"interval":30,"timeout":10,"healthy_threshold":5,"unhealthy_threshold":2}' \
	"$(show -j service show svc1 | json_eval 'json.dumps(j[0]["health_check"], separators=(",", ":"))')"
check "service set: an HTTP check, every member" \
	$P service set svc1 check http check-port 8080 check-path /health?full=1 \
	check-codes 200,202-299 check-interval 10 check-timeout 5 \
	healthy-threshold 3 unhealthy-threshold 4
check_eq "set replaced it (text)" \
	"$BASE check http check-port 8080 check-path /health?full=1 check-codes 200,202-299 check-interval 10 check-timeout 5 healthy-threshold 3 unhealthy-threshold 4 endpoints 0" \
	"$(show service show svc1)"
check_eq "set replaced it (JSON)" \
	'{"protocol":"http","port":8080,"path":"/health?full=1","codes":"200,202-299","interval":10,"timeout":5,"healthy_threshold":3,"unhealthy_threshold":4}' \
	"$(show -j service show svc1 | json_eval 'json.dumps(j[0]["health_check"], separators=(",", ":"))')"
check "service set: only some members" $P service set svc1 check http check-interval 20
check_eq "members left out take the defaults again" \
	"$BASE check http check-port traffic-port check-path / check-codes 200-399 check-interval 20 check-timeout 10 healthy-threshold 5 unhealthy-threshold 2 endpoints 0" \
	"$(show service show svc1)"
check_fail "a refused check changes nothing" 1 \
	"Error: a health check's timeout may not exceed its interval" \
	$P service set svc1 check tcp check-interval 5 acceptance auto
check_eq "... not even the acceptance given with it" \
	"$BASE check http check-port traffic-port check-path / check-codes 200-399 check-interval 20 check-timeout 10 healthy-threshold 5 unhealthy-threshold 2 endpoints 0" \
	"$(show service show svc1)"

# --- targets and verdicts ------------------------------------------------------
check "target add (no state given)" $P target add svc1 172.16.1.10 az use1-az1
check "target add state healthy" $P target add svc1 172.16.1.11 az use1-az1 state healthy
check_eq "a new target of a checked service starts unhealthy, health initial" \
	"svc1 172.16.1.10 az use1-az1 weight 1 state unhealthy health initial reason initial
svc1 172.16.1.11 az use1-az1 weight 1 state healthy health initial reason initial" \
	"$(show target show svc1)"
check_eq "JSON: health" '{"state":"initial","reason":"initial","code":0}' \
	"$(show -j target show svc1 | json_eval 'json.dumps(j[0]["health"], separators=(",", ":"))')"

$P -j monitor >"$dir/events" 2>&1 &
mon=$!
at_exit "kill $mon"
listening() {
	$P service set svc1 acceptance required >/dev/null 2>&1
	grep -q '"event":"service-set"' "$dir/events"
}
check "the monitor is listening" wait_for 20 listening

# enum privlink_health_state: 0 initial 1 healthy 2 unhealthy;
# enum privlink_health_reason: 0 passed 1 initial 2 timeout 3 refused ...
# 5 code-mismatch
check_eq "verdict healthy" 0 "$($RAW svc1 172.16.1.10 0 1 0 200)"
check_eq "... makes the target healthy, with the last probe's code" \
	"svc1 172.16.1.10 az use1-az1 weight 1 state healthy health healthy reason passed code 200" \
	"$(show target show svc1 | head -1)"
check_eq "verdict unhealthy (code-mismatch 500)" 0 "$($RAW svc1 172.16.1.10 0 2 5 500)"
check_eq "... makes it unhealthy" \
	"svc1 172.16.1.10 az use1-az1 weight 1 state unhealthy health unhealthy reason code-mismatch code 500" \
	"$(show target show svc1 | head -1)"
check_eq "a failed probe below the threshold (healthy, reason timeout)" 0 \
	"$($RAW svc1 172.16.1.11 0 1 2 0)"
check_eq "... keeps it healthy and shows why the last probe failed" \
	"svc1 172.16.1.11 az use1-az1 weight 1 state healthy health healthy reason timeout" \
	"$(show target show svc1 | tail -1)"
check "the operator drains 172.16.1.10" $P target set svc1 172.16.1.10 state draining
check_eq "verdict healthy on a draining target" 0 "$($RAW svc1 172.16.1.10 0 1 0 200)"
check_eq "... leaves it draining (the verdict is kept)" \
	"svc1 172.16.1.10 az use1-az1 weight 1 state draining health healthy reason passed code 200" \
	"$(show target show svc1 | head -1)"
check_eq "verdict unhealthy on a draining target" 0 "$($RAW svc1 172.16.1.10 0 2 3 0)"
check_eq "... leaves it draining too" \
	"svc1 172.16.1.10 az use1-az1 weight 1 state draining health unhealthy reason refused" \
	"$(show target show svc1 | head -1)"
check "the operator hands it back (state healthy)" $P target set svc1 172.16.1.10 state healthy
check_eq "verdict initial changes no state" 0 "$($RAW svc1 172.16.1.10 0 0 1 0)"
check_eq "... (healthy, as the operator left it)" \
	"svc1 172.16.1.10 az use1-az1 weight 1 state healthy health initial reason initial" \
	"$(show target show svc1 | head -1)"
check_eq "verdict unhealthy applies again" 0 "$($RAW svc1 172.16.1.10 0 2 2 0)"
check_eq "... unhealthy" \
	"svc1 172.16.1.10 az use1-az1 weight 1 state unhealthy health unhealthy reason timeout" \
	"$(show target show svc1 | head -1)"

# --- refusals ------------------------------------------------------------------------
check_eq "a verdict needs its state" "-22 a health verdict needs its state" \
	"$($RAW svc1 172.16.1.10 0 - 2 0)"
check_eq "a verdict comes alone" \
	"-22 a health verdict comes alone, without a weight or a state" \
	"$($RAW svc1 172.16.1.10 0 1 0 200 weight)"
check_eq "a verdict is no part of TARGET_ADD" \
	"-22 a health verdict is for an existing target (TARGET_SET)" \
	"$($RAW svc1 172.16.1.12 0 1 0 200 add)"
check_eq "an out-of-range reason is refused by the policy" "-34" \
	"$($RAW svc1 172.16.1.10 0 1 99 0 | cut -d' ' -f1)"
check_eq "nobody may report a verdict" "-1" \
	"$(ip netns exec $NS setpriv --reuid=65534 --regid=65534 --clear-groups \
		python3 "$(dirname "$(readlink -f "$0")")/lib/target_health_raw.py" \
		svc1 172.16.1.10 0 1 0 200)"
check_eq "... and it changed nothing" \
	"svc1 172.16.1.10 az use1-az1 weight 1 state unhealthy health unhealthy reason timeout" \
	"$(show target show svc1 | head -1)"

# --- a new check, no check -----------------------------------------------------------
check "service set: a new check" $P service set svc1 check tcp check-interval 5 check-timeout 2
check_eq "every verdict starts over; the states stay" \
	"svc1 172.16.1.10 az use1-az1 weight 1 state unhealthy health initial reason initial
svc1 172.16.1.11 az use1-az1 weight 1 state healthy health initial reason initial" \
	"$(show target show svc1)"
check_eq "save carries the check" \
	"service add svc1 vpc provider listener tcp/80 nlb use1-az1 172.16.0.20 acceptance required cross-zone off idle-timeout 350 check tcp check-port traffic-port check-interval 5 check-timeout 2 healthy-threshold 5 unhealthy-threshold 2" \
	"$($P save | grep '^service add')"
$P save >"$dir/saved"
ip -n $NS2 link add p0 type dummy
check "restore into another namespace" plctl -n $NS2 restore "$dir/saved"
check_eq "... the same configuration (targets' states included)" \
	"$(cat "$dir/saved")" "$(plctl -n $NS2 save)"
check "service set: check none" $P service set svc1 check none
check_eq "no check, no health; the states stay" \
	"$BASE endpoints 0
svc1 172.16.1.10 az use1-az1 weight 1 state unhealthy
svc1 172.16.1.11 az use1-az1 weight 1 state healthy" \
	"$(show service show svc1; show target show svc1)"
check_eq "a verdict without a check is refused" \
	"-22 the target's service has no health check" \
	"$($RAW svc1 172.16.1.10 0 1 0 200)"
check "target add without a check: healthy" $P target add svc1 172.16.1.12 az use1-az1
check_eq "... as before" "svc1 172.16.1.12 az use1-az1 weight 1 state healthy" \
	"$(show target show svc1 | tail -1)"

# --- events ------------------------------------------------------------------------
events() { [ "$(grep -c '"event":"target-set"' "$dir/events")" -ge 9 ]; }
wait_for 10 events
check_eq "each verdict and operator change is one target-set event" 9 \
	"$(grep -c '"event":"target-set"' "$dir/events")"
check "an event carries the verdict" grep -q \
	'"health":{"state":"unhealthy","reason":"code-mismatch","code":500}' "$dir/events"

done_testing
