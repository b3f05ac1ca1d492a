// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: what a privlink flow is, and where its packets may come from.
 *
 * A conntrack entry is a privlink flow when
 *   - its zone applies to the ORIGINAL direction only and is a VPC's zone
 *     (privlink_classify() gave the first packet that VPC's template),
 *   - nf_nat translated its destination (privlink_nat() bound it), and
 *   - its original destination is an ENI of that zone.
 * Everything else follows from the ENI: its endpoint, the endpoint's
 * consumer VPC (the zone's), the service and its provider VPC; the target
 * is the reply's source, the NLB node the reply's destination.  An entry
 * whose ENI is gone (being removed: its flows are about to end) is no
 * privlink flow any more, and its packets get no exemption from isolation.
 *
 * Isolation (see "Isolation" in the uapi header and the threat model in
 * Documentation/architecture.md) rests on two checks:
 *   - privlink_flow_spoofed(), before conntrack: only the service's
 *     provider VPC may send what looks like a reply of a live flow (a
 *     packet to an NLB node address that matches a reply tuple).  Reply
 *     tuples all live in the default zone, which conntrack also searches
 *     for packets from a VPC (its template's zone is for the original
 *     direction only), so a spoofed packet from anywhere else would match,
 *     change the flow's conntrack state (an in-window RST ends it) and be
 *     de-NATed into the consumer VPC.
 *   - privlink_flow_side(), in FORWARD: a packet of a privlink flow
 *     passes only from the side its direction belongs to and towards the
 *     other one: the original direction from the consumer VPC to the
 *     provider VPC, replies (and ICMP errors about them) the other way.
 *     Every other packet between two different VPCs is dropped, including
 *     those conntrack left untracked (invalid packets) and new flows.
 *
 * All functions here run on the packet path under RCU; the objects they
 * return are RCU-freed (privlink.h, "Lifetime").
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_zones.h>

#include "privlink.h"

/* Fill @f for @ct and return true if @ct is a privlink flow.  Under RCU. */
bool privlink_flow_get(struct privlink_net *pn, const struct nf_conn *ct,
		       struct privlink_flow *f)
{
	const struct nf_conntrack_zone *zone = nf_ct_zone(ct);
	struct privlink_eni_key key = {};
	struct privlink_eni *eni;

	if (zone->dir != NF_CT_ZONE_DIR_ORIG || !zone->id ||
	    !(ct->status & IPS_DST_NAT))
		return false;
	key.addr = ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple.dst.u3.ip;
	key.zone = zone->id;
	eni = rhashtable_lookup(&pn->enis, &key, privlink_eni_params);
	if (!eni)
		return false;
	f->eni = eni;
	f->endpoint = eni->endpoint;
	f->consumer = eni->endpoint->vpc;
	f->provider = eni->endpoint->service->vpc;
	return true;
}

/*
 * Before conntrack: would @skb, addressed to an NLB node address while coming
 * from somewhere other than the node's provider VPC (@from: the VPC it
 * arrived from, NULL for an interface of no VPC), be taken for a reply of a
 * live flow?  Packets that merely go to the same address (a consumer host
 * in an overlapping address space may have it) pass on to the FORWARD
 * rules.  The conntrack lookup is paid only by packets to NLB node addresses
 * from the wrong side, which legitimate traffic hardly ever is.  Under RCU.
 */
bool privlink_flow_spoofed(struct net *net, struct privlink_net *pn,
			   const struct sk_buff *skb,
			   const struct privlink_vpc *from)
{
	const struct privlink_nlb_node *n;
	struct nf_conntrack_tuple_hash *h;
	__be32 daddr = ip_hdr(skb)->daddr;
	struct nf_conntrack_tuple tuple;
	bool reply;

	n = rhashtable_lookup(&pn->nlbs, &daddr, privlink_nlb_params);
	if (!n || n->service->vpc == from)
		return false;
	if (!nf_ct_get_tuplepr(skb, skb_network_offset(skb), NFPROTO_IPV4, net,
			       &tuple))
		return false;	/* conntrack cannot parse it either */
	h = nf_conntrack_find_get(net, &nf_ct_zone_dflt, &tuple);
	if (!h)
		return false;
	reply = NF_CT_DIRECTION(h) == IP_CT_DIR_REPLY;
	nf_ct_put(nf_ct_tuplehash_to_ctrack(h));
	return reply;
}

/*
 * In PRE_ROUTING after nf_nat (privlink_stray()): is @skb addressed to an
 * address of privlink's in the VPC it comes from (@from, not NULL) - an
 * ENI of that VPC (returned in @eni, for its counters), or an NLB node of
 * a service the VPC provides (@eni NULL)?  No host has those addresses, and
 * nf_nat has translated every packet of privlink's flows away from them, so
 * such a packet has nowhere to go: conntrack judged it invalid or left it
 * untracked (flag sets no TCP sends, truncated headers, bad checksums, ICMP
 * errors about no flow), or its conntrack entry is not one privlink
 * translated.  The lookups are keyed by the VPC's zone and by the node's
 * provider, so a host of an overlapping address space that has the same
 * address is not affected.  Under RCU.
 */
bool privlink_flow_stray(struct privlink_net *pn, const struct sk_buff *skb,
			 const struct privlink_vpc *from,
			 struct privlink_eni **eni)
{
	struct privlink_eni_key key = { .zone = from->zone };
	const struct privlink_nlb_node *n;
	__be32 daddr = ip_hdr(skb)->daddr;

	key.addr = daddr;
	*eni = rhashtable_lookup(&pn->enis, &key, privlink_eni_params);
	if (*eni)
		return true;
	n = rhashtable_lookup(&pn->nlbs, &daddr, privlink_nlb_params);
	return n && n->service->vpc == from;
}

/*
 * The VPC that sends flow @f's packets in direction @dir: the consumer for
 * the original direction, the provider for replies.  In FORWARD a packet of
 * @f must come from privlink_flow_side(f, dir) and go to the other side.
 */
const struct privlink_vpc *privlink_flow_side(const struct privlink_flow *f,
					      enum ip_conntrack_dir dir)
{
	return dir == IP_CT_DIR_ORIGINAL ? f->consumer : f->provider;
}
