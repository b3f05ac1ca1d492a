#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The endpoint acceptance workflow and principals, as AWS PrivateLink has
# them: "acceptance auto" makes endpoints available at once; "required"
# (the default) makes them pendingAcceptance until the provider accepts;
# accept/reject move pendingAcceptance <-> available <-> rejected; an account
# that is not among the service's principals is refused (EACCES), "*" allows
# everyone, and "service set ... principal" replaces the list (existing
# endpoints stay).
#
#   pl-acc: vpc consumer-a (account 111111111111), consumer-b (333333333333),
#           provider (222222222222); services auto-svc and req-svc
. "$(dirname "$0")/lib/common.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload

netns_new NS=pl-acc
P="plctl -n $NS"
NOTALLOWED="Error: the VPC's account is not an allowed principal of the service"

$P az add use1-az1 &&
$P vpc add consumer-a account 111111111111 cidr 10.0.0.0/24 &&
$P vpc add consumer-b account 333333333333 cidr 10.0.0.0/24 &&
$P vpc add provider account 222222222222 cidr 172.16.0.0/16 ||
	{ diag "cannot build the configuration"; exit 1; }

state() { $P -j endpoint show "$1" | json_eval 'j[0]["state"]'; }

# acceptance auto
check "service add auto-svc acceptance auto" \
	$P service add auto-svc vpc provider listener tcp/443 \
	nlb use1-az1 172.16.0.10 acceptance auto principal 111111111111
check "endpoint add to an auto service" \
	$P endpoint add ep-auto vpc consumer-a service auto-svc eni use1-az1 10.0.0.10
check_eq "auto: available at once" available "$(state ep-auto)"

# acceptance required (the default)
check "service add req-svc (acceptance defaults to required)" \
	$P service add req-svc vpc provider listener tcp/443 \
	nlb use1-az1 172.16.0.11 principal 111111111111
check_eq "req-svc says acceptance required" required \
	"$($P -j service show req-svc | json_eval 'j[0]["acceptance"]')"
check "endpoint add to a required service" \
	$P endpoint add ep-req vpc consumer-a service req-svc
check_eq "required: pendingAcceptance" pendingAcceptance "$(state ep-req)"
check "accept" $P endpoint accept ep-req
check_eq "accepted: available" available "$(state ep-req)"
check "reject an available endpoint" $P endpoint reject ep-req
check_eq "rejected" rejected "$(state ep-req)"
check "accept a rejected endpoint" $P endpoint accept ep-req
check_eq "available again" available "$(state ep-req)"
check "endpoint add another pending one" \
	$P endpoint add ep-req2 vpc consumer-a service req-svc
check "reject a pendingAcceptance endpoint" $P endpoint reject ep-req2
check_eq "rejected from pendingAcceptance" rejected "$(state ep-req2)"
check_eq "accept -e prints the endpoint in its new state" \
	"ep-req2 vpc consumer-a service req-svc state available account 111111111111" \
	"$($P -e endpoint accept ep-req2 2>&1)"

# switching acceptance affects new endpoints only
check "service set req-svc acceptance auto" $P service set req-svc acceptance auto
check "endpoint add after the switch" \
	$P endpoint add ep-req3 vpc consumer-a service req-svc
check_eq "new endpoint of the switched service is available" available \
	"$(state ep-req3)"
check "service set auto-svc acceptance required" \
	$P service set auto-svc acceptance required
check_eq "an existing endpoint keeps its state" available "$(state ep-auto)"

# principals
check_fail "an account that is not a principal is refused" 1 "$NOTALLOWED" \
	$P endpoint add ep-b vpc consumer-b service auto-svc
check_fail "the provider's own account is not implicitly allowed" 1 \
	"$NOTALLOWED" $P endpoint add ep-p vpc provider service auto-svc
check "service add open-svc principal '*'" \
	$P service add open-svc vpc provider listener udp/53 \
	nlb use1-az1 172.16.0.12 principal '*' acceptance auto
check "'*' allows consumer-a" $P endpoint add ep-oa vpc consumer-a service open-svc
check "'*' allows consumer-b" $P endpoint add ep-ob vpc consumer-b service open-svc
check "a service without principals" \
	$P service add closed-svc vpc provider listener tcp/22 nlb use1-az1 172.16.0.13
check_eq "no principals by default" "[]" \
	"$($P -j service show closed-svc | json_eval 'json.dumps(j[0]["principals"])')"
check_fail "no principals: everyone is refused" 1 "$NOTALLOWED" \
	$P endpoint add ep-c vpc consumer-a service closed-svc

check "service set auto-svc principal 333333333333" \
	$P service set auto-svc principal 333333333333
check_eq "the principal list was replaced" '["333333333333"]' \
	"$($P -j service show auto-svc | json_eval 'json.dumps(j[0]["principals"])')"
check "consumer-b is now allowed" \
	$P endpoint add ep-b vpc consumer-b service auto-svc eni use1-az1 10.0.0.10
check_eq "its endpoint is pendingAcceptance (acceptance is required now)" \
	pendingAcceptance "$(state ep-b)"
check_fail "consumer-a no longer is" 1 "$NOTALLOWED" \
	$P endpoint add ep-a2 vpc consumer-a service auto-svc
check_eq "consumer-a's existing endpoint stays" available "$(state ep-auto)"
check "service set auto-svc with two principals" \
	$P service set auto-svc principal 111111111111 principal 333333333333
check "both allowed: consumer-a again" \
	$P endpoint add ep-a2 vpc consumer-a service auto-svc
check "service set closed-svc principal '*'" $P service set closed-svc principal '*'
check "'*' set later allows" $P endpoint add ep-c vpc consumer-a service closed-svc
check_fail "a principal listed twice" 1 "Error: the principal is listed twice" \
	$P service set closed-svc principal 1 principal 1
check_eq "endpoints counted per service" "3 3 2 1" \
	"$($P -j service show | json_eval '" ".join(str(s["endpoints"]) for s in j)')"
done_testing
