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
 * Runs under RCU; which flow is privlink's, and its sides, come from flow.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <net/ip6_route.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_zones.h>
#include <net/route.h>

#include "privlink.h"

/*
 * Route IPv6 @skb as ip6_route_input() would had it arrived on @dev: the
 * lookup sees @dev as the input interface, so a VRF device's l3mdev rule
 * picks the VRF's table.
 */
static void privlink_steer6(struct sk_buff *skb, struct net_device *dev)
{
	const struct ipv6hdr *iph = ipv6_hdr(skb);
	struct flowi6 fl6 = {
		.flowi6_iif = dev->ifindex,
		.daddr = iph->daddr,
		.saddr = iph->saddr,
		.flowlabel = ip6_flowinfo(iph),
		.flowi6_mark = skb->mark,
		.flowi6_proto = iph->nexthdr,
	};

	skb_dst_set(skb, ip6_route_input_lookup(dev_net(dev), dev, &fl6, skb,
						RT6_LOOKUP_F_HAS_SADDR));
}

unsigned int privlink_steer(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	struct privlink_net *pn = privlink_pernet(state->net);
	const struct privlink_vpc *to;
	enum ip_conntrack_info ctinfo;
	const struct iphdr *iph;
	struct privlink_flow f;
	struct net_device *dev;
	struct nf_conn *ct;

	if (!READ_ONCE(pn->vrf_vpcs) || skb_dst(skb))
		return NF_ACCEPT;
	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || !privlink_flow_get(pn, ct, &f))
		return NF_ACCEPT;
	if (!READ_ONCE(f.consumer->vrf) && !READ_ONCE(f.provider->vrf))
		return NF_ACCEPT;
	/* to the other side (FORWARD checks it came from its own) */
	to = privlink_flow_side(&f, CTINFO2DIR(ctinfo) == IP_CT_DIR_ORIGINAL ?
				IP_CT_DIR_REPLY : IP_CT_DIR_ORIGINAL);
	dev = dev_get_by_index_rcu(state->net, READ_ONCE(to->route_ifindex));
	if (!dev)
		return NF_ACCEPT;
	if (state->pf == NFPROTO_IPV6) {
		privlink_steer6(skb, dev);
		return NF_ACCEPT;
	}
	iph = ip_hdr(skb);
	if (ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos, dev))
		return NF_DROP;
	return NF_ACCEPT;
}
