// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: routing privlink flows between VPCs attached through VRFs.
 *
 * Consumer VPCs with overlapping addresses are attached through one VRF
 * each (the Linux way to keep identical routes apart).  A VRF's routing table
 * knows nothing of the provider, and after de-NAT a reply's destination is an
 * address that several consumer VRFs may use.  So when a flow involves a VRF,
 * privlink routes each of its packets itself, right after nf_nat translated
 * it in PRE_ROUTING: as if the packet had arrived on the device of the VPC it
 * goes to (the provider's for the original direction, the consumer's - the
 * one of the flow's zone - for replies).  Flows between VPCs on plain
 * interfaces are routed by the main table as usual and cost nothing here.
 *
 * Runs under RCU; the VPC found via privlink_net.vpc_zones is RCU-freed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/netdevice.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_zones.h>
#include <net/route.h>

#include "privlink.h"

unsigned int privlink_steer(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	struct privlink_net *pn = privlink_pernet(state->net);
	const struct nf_conntrack_zone *zone;
	const struct privlink_vpc *cons, *prov, *to;
	struct privlink_eni_key key = {};
	const struct privlink_eni *eni;
	enum ip_conntrack_info ctinfo;
	const struct iphdr *iph;
	struct net_device *dev;
	struct nf_conn *ct;

	if (!READ_ONCE(pn->vrf_vpcs) || skb_dst(skb))
		return NF_ACCEPT;
	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || !(ct->status & IPS_DST_NAT))
		return NF_ACCEPT;
	zone = nf_ct_zone(ct);
	if (zone->dir != NF_CT_ZONE_DIR_ORIG)
		return NF_ACCEPT;
	cons = xa_load(&pn->vpc_zones, zone->id);
	if (!cons)
		return NF_ACCEPT;
	key.addr = ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple.dst.u3.ip;
	key.zone = zone->id;
	eni = rhashtable_lookup(&pn->enis, &key, privlink_eni_params);
	if (!eni)
		return NF_ACCEPT;
	prov = eni->endpoint->service->vpc;
	if (!READ_ONCE(cons->vrf) && !READ_ONCE(prov->vrf))
		return NF_ACCEPT;
	to = CTINFO2DIR(ctinfo) == IP_CT_DIR_ORIGINAL ? prov : cons;
	dev = dev_get_by_index_rcu(state->net, READ_ONCE(to->route_ifindex));
	if (!dev)
		return NF_ACCEPT;
	iph = ip_hdr(skb);
	if (ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos, dev))
		return NF_DROP;
	return NF_ACCEPT;
}
