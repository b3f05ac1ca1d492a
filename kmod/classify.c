// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: which VPC a packet comes from, its conntrack zone, the drop of
 * stray packets to privlink's addresses, and the FORWARD hooks: isolation
 * between VPCs, then the per-object counters.  The hooks are registered for
 * IPv4 and IPv6 alike (state->pf tells them apart).  The rules themselves
 * are in flow.c.
 *
 * Zones: packets arriving from a VPC get a conntrack template with the
 * VPC's zone for the ORIGINAL direction only before conntrack runs, so
 * identical 5-tuples from VPCs with overlapping addresses are different
 * flows.  As nft's "ct zone set" does, the template is a per-CPU one whose
 * zone is written per packet: conntrack drops the packet's reference on it
 * within the same hook traversal, so the next packet on this CPU finds it
 * free (refcount 1) and no reference count is shared between CPUs.  Should
 * it still be held (a packet queued in between), a template is allocated
 * for that packet alone.  The templates live from module load to unload
 * (privlink_classify_init/exit()).  The reply direction stays in the default
 * zone: replies from providers find their flow, and nf_nat keeps the NLB
 * node's SNAT ports unique across all consumer VPCs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/l3mdev.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_zones.h>

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

/*
 * The VPC a packet comes from, in PRE_ROUTING or FORWARD.  A packet that
 * arrived on a port of a VRF passes the VRF's own PRE_ROUTING and then
 * FORWARD with the VRF as its input device (vrf_ip_rcv() and vrf_ip6_rcv()
 * set skb->dev); the port it arrived on stays in the control
 * block's iif (ip_rcv_core(), ip6_rcv_core()), set by the kernel, not by
 * the packet.  The port's VPC, else its VRF's, is the one it comes from -
 * as privlink_classify() saw it on the port before the VRF's own pass
 * through PRE_ROUTING.  Under RCU.
 */
static struct privlink_vpc *privlink_vpc_from(struct privlink_net *pn,
					      const struct sk_buff *skb,
					      const struct nf_hook_state *state)
{
	struct net_device *port;
	int iif;

	if (state->in && netif_is_l3_master(state->in)) {
		iif = state->pf == NFPROTO_IPV4 ? IPCB(skb)->iif :
						   IP6CB(skb)->iif;
		port = dev_get_by_index_rcu(state->net, iif);
		if (port)
			return privlink_vpc_of_dev(pn, port);
	}
	return privlink_vpc_of_dev(pn, state->in);
}

static DEFINE_PER_CPU(struct nf_conn *, privlink_tmpl);

int __init privlink_classify_init(void)
{
	struct nf_conn *tmpl;
	int cpu;

	for_each_possible_cpu(cpu) {
		tmpl = nf_ct_tmpl_alloc(&init_net, &nf_ct_zone_dflt,
					GFP_KERNEL);
		if (!tmpl) {
			privlink_classify_exit();
			return -ENOMEM;
		}
		__set_bit(IPS_CONFIRMED_BIT, &tmpl->status);
		per_cpu(privlink_tmpl, cpu) = tmpl;
	}
	return 0;
}

/* After the hooks are gone: the last put frees each template. */
void privlink_classify_exit(void)
{
	struct nf_conn *tmpl;
	int cpu;

	for_each_possible_cpu(cpu) {
		tmpl = per_cpu(privlink_tmpl, cpu);
		if (tmpl)
			nf_ct_put(tmpl);
		per_cpu(privlink_tmpl, cpu) = NULL;
	}
}

/*
 * PRE_ROUTING, before conntrack (and after defragmentation): a packet that
 * would be taken for a reply of a live flow, from anywhere but the flow's
 * provider VPC, is dropped before conntrack sees it (flow.c); a packet from
 * a VPC gets the VPC's zone.
 */
unsigned int privlink_classify(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct privlink_net *pn = privlink_pernet(state->net);
	struct nf_conntrack_zone zone = { .dir = NF_CT_ZONE_DIR_ORIG };
	struct privlink_vpc *vpc;
	struct nf_conn *tmpl;
	int old;

	vpc = privlink_vpc_from(pn, skb, state);	/* a VRF's 2nd pass too */
	if (privlink_flow_spoofed(state->net, pn, state->pf, skb, vpc)) {
		privlink_stats_inc(pn, PRIVLINK_STAT_DROP_SPOOFED);
		return NF_DROP;
	}
	if (!vpc || skb_nfct(skb))	/* raw, notrack, a VRF's 2nd pass */
		return NF_ACCEPT;
	zone.id = vpc->zone;
	if (unlikely(!READ_ONCE(vpc->tracked)))
		WRITE_ONCE(vpc->tracked, true);
	tmpl = this_cpu_read(privlink_tmpl);
	__refcount_inc(&tmpl->ct_general.use, &old);
	if (likely(old == 1)) {
		nf_ct_zone_add(tmpl, &zone);
	} else {
		refcount_dec(&tmpl->ct_general.use);
		tmpl = nf_ct_tmpl_alloc(state->net, &zone, GFP_ATOMIC);
		if (!tmpl)	/* without its zone the flow could mix VPCs */
			return NF_DROP;
		__set_bit(IPS_CONFIRMED_BIT, &tmpl->status);
	}
	nf_ct_set(skb, tmpl, IP_CT_NEW);
	return NF_ACCEPT;
}

/*
 * PRE_ROUTING, after nf_nat (NF_IP_PRI_NAT_DST + 2): a packet from a VPC to
 * an address of privlink's there - an ENI of that VPC, an NLB node of a
 * service it provides - is dropped, counted in DROP_INVALID (flow.c,
 * privlink_flow_stray()).  After nf_nat no packet of a privlink flow has
 * such a destination any more (DNAT gave the original direction the
 * target's, de-SNAT the replies the consumer's, and ICMP errors about a
 * flow were translated with it), so what is left is what conntrack judged
 * invalid or left untracked, and flows privlink did not translate.  Dropped
 * here, before routing: routed, the packet would go back out towards an
 * address nobody answers for, and ip_forward() would first answer the
 * sender with an ICMP redirect.  Passed: replies to connections the router
 * opened itself (plhealthd's probes from NLB node addresses), whose
 * conntrack entry sees them in its reply direction.
 */
unsigned int privlink_stray(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	struct privlink_net *pn = privlink_pernet(state->net);
	const struct privlink_vpc *from;
	enum ip_conntrack_info ctinfo;
	struct privlink_eni *eni;

	from = privlink_vpc_from(pn, skb, state);	/* a VRF's 2nd pass too */
	if (!from || !privlink_flow_stray(pn, state->pf, skb, from, &eni))
		return NF_ACCEPT;
	if (nf_ct_get(skb, &ctinfo) && CTINFO2DIR(ctinfo) == IP_CT_DIR_REPLY)
		return NF_ACCEPT;
	privlink_stats_inc(pn, PRIVLINK_STAT_DROP_INVALID);
	if (eni) {
		privlink_obj_drop(&eni->endpoint->stats);
		privlink_obj_drop(&eni->stats);
	}
	return NF_DROP;
}

/*
 * FORWARD: a packet of a privlink flow passes only from its side to
 * the other (flow.c) and is counted; any other packet between two
 * different VPCs is dropped, whatever conntrack made of it: new flows,
 * packets of flows that are not privlink's, and packets conntrack left
 * untracked (invalid ones, e.g. unsolicited ICMP echo replies).  Packets
 * between an interface of no VPC and anything else are routed as usual.
 */
unsigned int privlink_forward(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct privlink_net *pn = privlink_pernet(state->net);
	const struct privlink_vpc *from, *to;
	enum ip_conntrack_info ctinfo;
	enum ip_conntrack_dir dir;
	struct privlink_flow f;
	struct nf_conn *ct;

	from = privlink_vpc_from(pn, skb, state);
	to = privlink_vpc_of_dev(pn, state->out);
	ct = nf_ct_get(skb, &ctinfo);
	if (ct && privlink_flow_get(pn, ct, &f)) {
		dir = CTINFO2DIR(ctinfo);
		if (from != privlink_flow_side(&f, dir)) {
			privlink_stats_inc(pn, PRIVLINK_STAT_DROP_SPOOFED);
			return NF_DROP;
		}
		if (to != privlink_flow_side(&f, !dir)) {	/* misrouted */
			privlink_stats_inc(pn, PRIVLINK_STAT_DROP_WRONG_VPC);
			return NF_DROP;
		}
		privlink_account(&f, ct, ctinfo, skb);
		return NF_ACCEPT;
	}
	if (from && to && from != to) {
		privlink_stats_inc(pn, PRIVLINK_STAT_DROP_WRONG_VPC);
		return NF_DROP;
	}
	return NF_ACCEPT;
}
