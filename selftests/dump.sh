#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Dumps stay consistent while the configuration changes: with 2000 endpoints
# that are never touched and a background loop adding and deleting other
# endpoints, every "plctl -j endpoint show" (and "eni show") either prints a
# complete, consistent dump -- valid JSON, no name twice, every untouched
# endpoint present -- or fails cleanly with the documented "kept changing"
# error; never a torn dump (the kernel flags NLM_F_DUMP_INTR, plctl retries).
#
#   pl-dump: vpc con 10.0.0.0/16, 2000 fixed endpoints fix0..fix1999 with an
#            ENI each; churn endpoints churn* come and go in the background
. "$(dirname "$0")/lib/common.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload

netns_new NS=pl-dump
P="plctl -n $NS"
dir=$(mktemp -d)
at_exit rm -rf "$dir"
N=2000 ROUNDS=${PRIVLINK_DUMP_ROUNDS:-12}

python3 - $N >"$dir/fixed.batch" <<'PY'
import sys
n = int(sys.argv[1])
print("az add a1")
print("vpc add con account 1 cidr 10.0.0.0/16")
print("vpc add prov account 2 cidr 172.16.0.0/16")
print("service add svc vpc prov listener tcp/443 nlb a1 172.16.0.1 principal 1 acceptance auto")
for i in range(n):
    a = i + 1
    print(f"endpoint add fix{i} vpc con service svc eni a1 10.0.{a >> 8}.{a & 255}")
PY
check "load $N endpoints" $P -b "$dir/fixed.batch"

# The churn: add and delete endpoints (with ENIs) until told to stop.
churn() {
	local i=0 a
	while [ ! -e "$dir/stop" ]; do
		a=$((i % 200 + 1))
		$P endpoint add churn$i vpc con service svc eni a1 10.0.100.$a
		$P endpoint del churn$((i - 5)) 2>/dev/null
		i=$((i + 1))
		echo $i >"$dir/churned"
	done
}
churn >/dev/null 2>&1 &
cpid=$!
at_exit "touch $dir/stop; kill $cpid"
check "the churn runs" wait_for 30 test -s "$dir/churned"

# verify FILE KIND: the dump in FILE is complete and consistent
cat >"$dir/verify.py" <<'PY'
import json, sys
path, kind, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
j = json.load(open(path))
key = "name" if kind == "endpoint" else "endpoint"
names = [o[key] for o in j]
if kind == "endpoint":
    dup = len(names) != len(set(names))
else:
    pairs = [(o["endpoint"], o["az"]) for o in j]
    dup = len(pairs) != len(set(pairs))
    addrs = [o["addr"] for o in j]
    dup = dup or len(addrs) != len(set(addrs))
missing = {f"fix{i}" for i in range(n)} - set(names)
other = [x for x in names if not x.startswith(("fix", "churn"))]
if dup or missing or other:
    print(f"dup={dup} missing={sorted(missing)[:5]} ({len(missing)}) other={other[:5]}")
    sys.exit(1)
PY
ok=0 gaveup=0 bad=0
for ((r = 0; r < ROUNDS; r++)); do
	for kind in endpoint eni; do
		$P -j $kind show >"$dir/dump" 2>"$dir/err"
		rc=$?
		if [ $rc = 0 ] && python3 "$dir/verify.py" "$dir/dump" $kind $N >"$dir/why" 2>&1; then
			ok=$((ok + 1))
		elif [ $rc = 1 ] && grep -qx "Error: the configuration kept changing during the dump, try again" "$dir/err"; then
			gaveup=$((gaveup + 1))
		else
			bad=$((bad + 1))
			diag "round $r $kind: exit $rc: $(head -c 300 "$dir/err") $(cat "$dir/why" 2>/dev/null)"
		fi
		rm -f "$dir/why"
	done
done
touch "$dir/stop"
wait $cpid
diag "dumps: $ok complete, $gaveup gave up after retries, $bad torn; $(cat "$dir/churned") churn rounds"
check_eq "no torn or invalid dump" 0 $bad
check "most dumps complete despite the churn" test $ok -ge $ROUNDS
check "the churn changed the configuration meanwhile" \
	test "$(cat "$dir/churned")" -gt 10
check_eq "the fixed endpoints are intact" $N \
	"$($P endpoint show | grep -c '^fix')"
done_testing
