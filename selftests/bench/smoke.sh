#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark still runs: "selftests/bench/run --smoke" (one short round
# of every contender, a small scale stage) prints its table and targets,
# writes valid JSON, and every contender (B0 routing, B1 nft, B2 IPVS, P
# privlink, PF privlink with its fast path; over IPv6 B0-6 routing, B1-6 nft
# ip6, P6 privlink at a dualstack endpoint) produced a sample greater than
# zero, P6 a packet rate too; PF's UDP flow was in the flowtable, P's was
# not; neither routing contender left conntrack entries.  No timing is asserted:
# the numbers belong to "make bench" (Documentation/performance.md).
#
#   plb-c (consumer) -- plb-r (router: B0 | B1 | B2 | P | PF) -- plb-p (provider)
. "$(dirname "$0")/../lib/common.sh"

command -v ipvsadm >/dev/null || { skip "bench smoke" "ipvsadm missing; run make deps"; done_testing; }
dir=$(mktemp -d)
at_exit rm -rf "$dir"
"$TOP/selftests/bench/run" --smoke --out "$dir/smoke.json" >"$dir/out" 2>"$dir/err"
rc=$?
check_eq "bench/run --smoke exits 0" 0 "$rc" || true
[ "$rc" = 0 ] || diag "$(tail -n 20 "$dir/err")"
check "the table is printed" grep -q '^metric .*B0 .*P .*PF .*B1 .*B2' "$dir/out"
check "the IPv6 rows are printed, with the ratios" \
	grep -q '^IPv6 metric .*B0-6 .*P6 .*B1-6 .*P6/B0-6 .*P6/B1-6' "$dir/out"
check "the targets are printed" grep -q 'config rate plctl -b' "$dir/out"
check "the JSON file is valid" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$dir/smoke.json"
for c in B0 P B1 B2 PF B0-6 P6 B1-6; do
	check "contender $c produced a sample > 0" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
ok = [s for s in d["samples"] if s["stage"] == "main" and s["contender"] == sys.argv[2]
      and s["metric"] in ("crr", "udp_flows", "udp_pps", "tcp_bps") and s["value"] > 0]
sys.exit(0 if ok else 1)' "$dir/smoke.json" $c
done
for c in crr udp_flows udp_pps; do
	check "P6 produced a $c sample > 0" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if any(s["stage"] == "main" and s["contender"] == "P6" and s["metric"] == sys.argv[2]
                  and s["value"] > 0 for s in d["samples"]) else 1)' "$dir/smoke.json" $c
done
for c in B0 B0-6; do
	check "$c ran without conntrack entries" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
v = [s["value"] for s in d["samples"] if s["contender"] == sys.argv[2] and s["metric"] == "conntrack_after"]
sys.exit(0 if v and max(v) == 0 else 1)' "$dir/smoke.json" $c
done
offloaded() {	# CONTENDER: the smallest "offloaded" sample
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(min(s["value"] for s in d["samples"] if s["stage"] == "main" and s["contender"] == sys.argv[2]
          and s["metric"] == "offloaded"))' "$dir/smoke.json" "$1"
}
check "PF: the UDP flow was offloaded" test "$(offloaded PF)" -ge 1
check_eq "P: nothing was offloaded" 0 "$(offloaded P)"
check "the scale stage produced samples" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if any(s["stage"] == "scale" and s["value"] > 0 for s in d["samples"]) else 1)' "$dir/smoke.json"
done_testing
