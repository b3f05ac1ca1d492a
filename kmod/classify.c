// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: which VPC a packet comes from, its conntrack zone, and the
 * isolation between VPCs.
 *
 * Zones: every VPC has a conntrack template (privlink_vpc.tmpl) with its
 * zone for the ORIGINAL direction only.  Packets arriving from the VPC get
 * it before conntrack runs, so identical 5-tuples from VPCs with overlapping
 * addresses are different flows.  The reply direction stays in the default
 * zone: replies from providers find their flow, and nf_nat keeps the NLB
 * node's SNAT ports unique across all consumer VPCs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <net/l3mdev.h>
#include <net/netfilter/nf_conntrack.h>

#include "privlink.h"

/* The VPC of @dev, or of the VRF @dev is enslaved to.  Under RCU. */
struct privlink_vpc *privlink_vpc_of_dev(struct privlink_net *pn,
					 const struct net_device *dev)
{
	struct privlink_vpc_if *vif;
	int ifindex;

	if (!dev)
		return NULL;
	ifindex = dev->ifindex;
	vif = rhashtable_lookup(&pn->ifaces, &ifindex, privlink_iface_params);
	if (!vif && netif_is_l3_slave(dev)) {
		ifindex = l3mdev_master_ifindex_rcu(dev);
		vif = rhashtable_lookup(&pn->ifaces, &ifindex,
					privlink_iface_params);
	}
	return vif ? vif->vpc : NULL;
}

unsigned int privlink_classify(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct privlink_net *pn = privlink_pernet(state->net);
	struct privlink_vpc *vpc;

	if (skb_nfct(skb))	/* raw table, notrack, or a VRF's 2nd pass */
		return NF_ACCEPT;
	vpc = privlink_vpc_of_dev(pn, state->in);
	if (vpc && vpc->tmpl) {
		nf_conntrack_get(&vpc->tmpl->ct_general);
		nf_ct_set(skb, vpc->tmpl, IP_CT_NEW);
	}
	return NF_ACCEPT;
}

/*
 * No peering: a new flow from one VPC into another is dropped unless
 * privlink translated it (its original destination is an ENI of the VPC it
 * came from).  Replies and established flows are never looked at.
 */
static bool privlink_may_cross(struct privlink_net *pn,
			       const struct nf_conn *ct,
			       const struct nf_hook_state *state)
{
	struct privlink_vpc *from, *to;
	struct privlink_eni_key key = {};

	from = privlink_vpc_of_dev(pn, state->in);
	to = privlink_vpc_of_dev(pn, state->out);
	if (!from || !to || from == to)
		return true;
	key.addr = ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple.dst.u3.ip;
	key.zone = from->zone;
	return (ct->status & IPS_DST_NAT) &&
	       rhashtable_lookup(&pn->enis, &key, privlink_eni_params);
}

/*
 * FORWARD: isolation for new flows, then the per-object packet and byte
 * counters of privlink's flows (stats.c).
 */
unsigned int privlink_isolate(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct privlink_net *pn = privlink_pernet(state->net);
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct)
		return NF_ACCEPT;
	if (ctinfo == IP_CT_NEW && !privlink_may_cross(pn, ct, state)) {
		privlink_stats_inc(pn, PRIVLINK_STAT_DROP_WRONG_VPC);
		return NF_DROP;
	}
	privlink_account(pn, ct, ctinfo, skb);
	return NF_ACCEPT;
}
