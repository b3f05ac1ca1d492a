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
#include <linux/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_zones.h>

#include "privlink.h"

/*
 * The ENI with address @addr of family @pf (NFPROTO_IPV4/6) in the VPC of
 * conntrack zone @zone, if any.  Under RCU.
 */
struct privlink_eni *privlink_eni_find(struct privlink_net *pn, u8 pf,
				       const union nf_inet_addr *addr,
				       u16 zone)
{
	struct privlink_eni_key6 key6 = { .zone = zone };
	struct privlink_eni_key key = { .zone = zone };
	const struct privlink_eni6 *e6;

	if (pf == NFPROTO_IPV4) {
		key.addr = addr->ip;
		return rhashtable_lookup(&pn->enis, &key, privlink_eni_params);
	}
	key6.addr = addr->in6;
	e6 = rhashtable_lookup(&pn->enis6, &key6, privlink_eni6_params);
	return e6 ? e6->eni : NULL;
}

/* The NLB node with address @addr of family @pf, if any.  Under RCU. */
const struct privlink_nlb_node *
privlink_nlb_find(struct privlink_net *pn, u8 pf,
		  const union nf_inet_addr *addr)
{
	if (pf == NFPROTO_IPV4)
		return rhashtable_lookup(&pn->nlbs, &addr->ip,
					 privlink_nlb_params);
	return rhashtable_lookup(&pn->nlbs6, &addr->in6, privlink_nlb6_params);
}

/* The destination address of @skb, an IPv4 or IPv6 packet (@pf). */
void privlink_skb_daddr(u8 pf, const struct sk_buff *skb,
			union nf_inet_addr *addr)
{
	if (pf == NFPROTO_IPV4)
		addr->ip = ip_hdr(skb)->daddr;
	else
		addr->in6 = ipv6_hdr(skb)->daddr;
}

/* Fill @f for @ct and return true if @ct is a privlink flow.  Under RCU. */
bool privlink_flow_get(struct privlink_net *pn, const struct nf_conn *ct,
		       struct privlink_flow *f)
{
	const struct nf_conntrack_zone *zone = nf_ct_zone(ct);
	struct privlink_eni *eni;

	if (zone->dir != NF_CT_ZONE_DIR_ORIG || !zone->id ||
	    !(ct->status & IPS_DST_NAT))
		return false;
	eni = privlink_eni_find(pn, nf_ct_l3num(ct),
				&ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple.dst.u3,
				zone->id);
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
bool privlink_flow_spoofed(struct net *net, struct privlink_net *pn, u8 pf,
			   const struct sk_buff *skb,
			   const struct privlink_vpc *from)
{
	const struct privlink_nlb_node *n;
	struct nf_conntrack_tuple_hash *h;
	struct nf_conntrack_tuple tuple;
	union nf_inet_addr daddr;
	bool reply;

	privlink_skb_daddr(pf, skb, &daddr);
	n = privlink_nlb_find(pn, pf, &daddr);
	if (!n || n->service->vpc == from)
		return false;
	if (!nf_ct_get_tuplepr(skb, skb_network_offset(skb), pf, net, &tuple))
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
bool privlink_flow_stray(struct privlink_net *pn, u8 pf,
			 const struct sk_buff *skb,
			 const struct privlink_vpc *from,
			 struct privlink_eni **eni)
{
	union nf_inet_addr daddr;

	privlink_skb_daddr(pf, skb, &daddr);
	return privlink_vpc_owns(pn, pf, from, &daddr, eni);
}

/*
 * Is @addr (of family @pf) an address privlink answers for in @vpc: an ENI
 * of that VPC (returned in @eni, if not NULL) or an NLB node of a service
 * the VPC provides (*@eni NULL)?  The stray drop above, and the ARP and
 * neighbour answers (arp.c, ndisc.c), ask this.  Under RCU.
 */
bool privlink_vpc_owns(struct privlink_net *pn, u8 pf,
		       const struct privlink_vpc *vpc,
		       const union nf_inet_addr *addr,
		       struct privlink_eni **eni)
{
	const struct privlink_nlb_node *n;
	struct privlink_eni *e;

	e = privlink_eni_find(pn, pf, addr, vpc->zone);
	if (eni)
		*eni = e;
	if (e)
		return true;
	n = privlink_nlb_find(pn, pf, addr);
	return n && n->service->vpc == vpc;
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
