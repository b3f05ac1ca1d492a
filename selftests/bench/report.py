#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# report.py SAMPLES.jsonl OUT.json [KEY=VALUE...]: summarise the samples of
# selftests/bench/run: a table and the targets on stdout, everything (every
# sample, the summary, the targets, the parameters) in OUT.json.
import json
import os
import platform
import statistics
import sys
import time

samples = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
params = dict(a.split("=", 1) for a in sys.argv[3:])


def values(stage, contender, metric):
    return [s["value"] for s in samples
            if s["stage"] == stage and s["contender"] == contender and s["metric"] == metric]


def stats(v):
    if not v:
        return None
    return {"median": statistics.median(v), "min": min(v), "max": max(v), "n": len(v)}


def med(stage, contender, metric):
    v = values(stage, contender, metric)
    return statistics.median(v) if v else None


def ratio(a, b):
    return a / b if a is not None and b else None


def slab_objsize(name):
    try:
        for line in open("/proc/slabinfo"):
            f = line.split()
            if f and f[0] == name:
                return int(f[3])
    except OSError:
        pass
    return None


CONTENDERS = ["B0", "P", "PF", "B1", "B2"]
# the ratio columns: privlink (P) and privlink with its fast path (PF)
RATIOS = [("P", "B0"), ("P", "B1"), ("P", "B2"), ("PF", "B0"), ("PF", "B1"), ("PF", "P")]
# IPv6: routing, nft ip6, privlink at a dualstack endpoint's IPv6 address
# (no fast path); P6/P is privlink's IPv6 rate against its IPv4 one
CONTENDERS6 = ["B0-6", "P6", "B1-6"]
RATIOS6 = [("P6", "B0-6"), ("P6", "B1-6"), ("P6", "P")]
METRICS = [("crr", "TCP new flows/s (connect, 1B req/resp, close)", "flows/s"),
           ("udp_flows", "UDP new flows/s (1 datagram + echo)", "flows/s"),
           ("udp_pps", "established UDP pkt/s (iperf3 -l 18)", "pkt/s"),
           ("tcp_bps", "TCP throughput (iperf3)", "Mbit/s")]
METRICS6 = METRICS[:3]  # no TCP throughput over IPv6 (the bench's time)

summary = {"main": {}, "ratios": {}, "config": {}, "scale": {}, "flows": {}, "memory": {}}
for m, _, _ in METRICS:
    six = m in [x[0] for x in METRICS6]
    summary["main"][m] = {c: stats(values("main", c, m)) for c in CONTENDERS + (CONTENDERS6 if six else [])}
    summary["ratios"][m] = {a + "/" + b: ratio(med("main", a, m), med("main", b, m))
                            for a, b in RATIOS + (RATIOS6 if six else [])}
summary["main"]["conntrack_after"] = {c: stats(values("main", c, "conntrack_after"))
                                      for c in CONTENDERS + CONTENDERS6}
summary["main"]["offloaded"] = {c: stats(values("main", c, "offloaded")) for c in CONTENDERS}
for c in ("P", "ip-route"):
    summary["config"][c] = stats(values("config", c, "config_rate"))
summary["config"]["P_batches"] = stats(values("config", "P", "config_batch"))
summary["config"]["P_deletes"] = stats(values("config", "P", "delete_batch"))
levels = params.get("levels", "1").split()
for lvl in levels:
    summary["scale"][lvl] = {m: stats(values("scale", "P@" + lvl, m)) for m in ("crr", "udp_flows")}
for c in ("B1", "P"):
    summary["flows"][c] = {"crr": stats(values("flows", c, "crr")),
                           "live_flows": med("flows", c, "live_flows"),
                           "mem_per_flow": med("flows", c, "mem_per_flow")}
ct_obj = slab_objsize("nf_conntrack")
summary["memory"] = {
    "bytes_per_endpoint_2enis": med("config", "P", "mem_per_endpoint"),
    "bytes_per_route": med("config", "ip-route", "mem_per_route"),
    "bytes_per_flow_P": med("flows", "P", "mem_per_flow"),
    "bytes_per_flow_B1": med("flows", "B1", "mem_per_flow"),
    "nf_conntrack_objsize": ct_obj,
}
mp, mb = summary["memory"]["bytes_per_flow_P"], summary["memory"]["bytes_per_flow_B1"]
summary["memory"]["bytes_per_flow_P_beyond_nft"] = mp - mb if mp is not None and mb is not None else None
summary["memory"]["bytes_per_flow_P_beyond_conntrack_object"] = mp - ct_obj if mp is not None and ct_obj else None

first, last = levels[0], levels[-1]
scale_r = ratio(med("scale", "P@" + last, "crr"), med("scale", "P@" + first, "crr"))
scale_ru = ratio(med("scale", "P@" + last, "udp_flows"), med("scale", "P@" + first, "udp_flows"))
cfg_r = ratio(med("config", "P", "config_rate"), med("config", "ip-route", "config_rate"))
R = summary["ratios"]
targets = [
    ("TCP new flows/s  P >= 1.10 x B1 (nft)", R["crr"]["P/B1"], 1.10),
    ("TCP new flows/s  P >= 0.85 x B0 (routing)", R["crr"]["P/B0"], 0.85),
    ("UDP new flows/s  P >= 1.10 x B1 (nft)", R["udp_flows"]["P/B1"], 1.10),
    ("UDP new flows/s  P >= 0.85 x B0 (routing)", R["udp_flows"]["P/B0"], 0.85),
    ("small-packet rate P >= 1.10 x B1 (nft)", R["udp_pps"]["P/B1"], 1.10),
    ("small-packet rate P >= 1.00 x B0 (routing)", R["udp_pps"]["P/B0"], 1.00),
    ("small-packet rate PF >= 1.10 x B1 (nft)", R["udp_pps"]["PF/B1"], 1.10),
    ("small-packet rate PF >= 1.00 x B0 (routing)", R["udp_pps"]["PF/B0"], 1.00),
    ("TCP new flows/s with %s endpoints >= 0.95 x with %s" % (last, first), scale_r, 0.95),
    ("UDP new flows/s with %s endpoints >= 0.95 x with %s" % (last, first), scale_ru, 0.95),
    ("config rate plctl -b >= 1.00 x ip -batch routes", cfg_r, 1.00),
]
tlist = [{"target": t, "ratio": r, "goal": g, "met": (r is not None and r >= g)} for t, r, g in targets]

doc = {
    "meta": {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "kernel": platform.release(),
        "cpus": os.cpu_count(),
        "mem_total_kB": int(open("/proc/meminfo").readline().split()[1]),
        "params": params,
    },
    "summary": summary,
    "targets": tlist,
    "samples": samples,
}
with open(sys.argv[2], "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")


def fmt(v, unit=""):
    if v is None:
        return "-"
    if unit == "Mbit/s":
        v = v / 1e6
    if abs(v) >= 100:
        return "%.0f" % v
    return "%.2f" % v


def cell(st, unit):
    if not st:
        return "-"
    return "%s [%s-%s]" % (fmt(st["median"], unit), fmt(st["min"], unit), fmt(st["max"], unit))


def r(v):
    return "-" if v is None else "%.2f" % v


out = []
out.append("privlink benchmark  %s  kernel %s  %s vCPU  (%s)" % (
    doc["meta"]["date"], doc["meta"]["kernel"], doc["meta"]["cpus"],
    "smoke" if params.get("smoke") == "1" else "%s rounds x %ss" % (params.get("rounds"), params.get("secs"))))
if params.get("note"):
    out.append("note: " + params["note"])
out.append("")
out.append("median [min-max] per contender; B0 routing, B1 nft map DNAT+SNAT, B2 IPVS NAT, P privlink, "
           "PF privlink fastpath=1; IPv6: B0-6 routing, B1-6 nft ip6 map DNAT+SNAT, P6 privlink "
           "(dualstack endpoint)")
w = 22
out.append("%-44s" % "metric" + "".join("%-*s" % (w, c) for c in CONTENDERS) +
           " ".join("%-6s" % (a + "/" + b) for a, b in RATIOS))
for m, desc, unit in METRICS:
    row = "%-44s" % (desc[:43])
    row += "".join("%-*s" % (w, cell(summary["main"][m][c], unit)) for c in CONTENDERS)
    row += " ".join("%-6s" % r(R[m][a + "/" + b]) for a, b in RATIOS)
    out.append(row)
out.append("IPv6 metric".ljust(44) + "".join("%-*s" % (w, c) for c in CONTENDERS6) +
           " ".join("%-8s" % (a + "/" + b) for a, b in RATIOS6))
for m, desc, unit in METRICS6:
    row = "%-44s" % (desc[:43])
    row += "".join("%-*s" % (w, cell(summary["main"][m][c], unit)) for c in CONTENDERS6)
    row += " ".join("%-8s" % r(R[m][a + "/" + b]) for a, b in RATIOS6)
    out.append(row)
ct = summary["main"]["conntrack_after"]
out.append("%-44s%s" % ("conntrack -C after B0, B0-6 samples (max)", "  ".join(
    "%s %s" % (c, "-" if not ct[c] else "%d" % ct[c]["max"]) for c in ("B0", "B0-6"))))
off = summary["main"]["offloaded"]
out.append("%-44s%s" % ("[OFFLOAD] flows after iperf3 -u (min)", "  ".join(
    "%s %s" % (c, "-" if not off[c] else "%d" % off[c]["min"]) for c in ("P", "PF"))))
out.append("")
out.append("scale (privlink, TCP / UDP new flows/s, median [min-max]):")
for lvl in levels:
    s = summary["scale"][lvl]
    out.append("  %7s endpoints   %-26s %s" % (lvl, cell(s["crr"], ""), cell(s["udp_flows"], "")))
for c in ("B1", "P"):
    f = summary["flows"][c]
    out.append("  %s with %s live flows: TCP new flows/s %s" % (
        c, fmt(f["live_flows"]), cell(f["crr"], "")))
out.append("")
out.append("configuration (%s objects, objects/s): plctl -b endpoints %s   ip -batch routes %s   ratio %s" % (
    params.get("cfg_n"), cell(summary["config"]["P"], ""), cell(summary["config"]["ip-route"], ""), r(cfg_r)))
out.append("  (plctl -b per batch %s; deletes %s objects/s)" % (
    cell(summary["config"]["P_batches"], ""), cell(summary["config"]["P_deletes"], "")))
M = summary["memory"]
out.append("memory: %s B per endpoint with 2 ENIs; %s B per route; per flow: P %s B, B1 %s B "
           "(P - B1 = %s B; nf_conntrack object %s B)" % (
               fmt(M["bytes_per_endpoint_2enis"]), fmt(M["bytes_per_route"]), fmt(M["bytes_per_flow_P"]),
               fmt(M["bytes_per_flow_B1"]), fmt(M["bytes_per_flow_P_beyond_nft"]), fmt(ct_obj)))
out.append("")
out.append("targets (reported, not asserted):")
for t in tlist:
    out.append("  %-58s measured %-6s %s" % (t["target"], r(t["ratio"]), "met" if t["met"] else "NOT MET"))
print("\n".join(out))
