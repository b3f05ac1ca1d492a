// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: netfilter hook registration, per network namespace.
 *
 * A namespace pays for privlink only while it has a VPC: the first VPC
 * takes a conntrack reference for IPv4 and IPv6 (nf_ct_netns_get() for
 * NFPROTO_INET: conntrack and defrag hooks of both), sets up the flow
 * counting for limits (nf_conncount) and registers privlink's hooks;
 * deleting the last VPC (or the namespace going away) undoes it.  Every
 * inet hook below is registered for IPv4 and for IPv6, with the same
 * function and the IPv6 priority of the same name (NF_IP6_PRI_*); nf_nat
 * has a lookup chain per family (nf_nat_ipv4/ipv6_register_fn()).  Hooks
 * and priorities:
 *
 *   PRE_ROUTING  NF_IP_PRI_CONNTRACK - 2  privlink_ndisc_in (IPv6 only):
 *                                         answers neighbour solicitations
 *                                         for ENI and NLB node addresses
 *   PRE_ROUTING  NF_IP_PRI_CONNTRACK - 1  privlink_classify: packets from a
 *                                         VPC get its conntrack zone
 *   PRE_ROUTING  NF_IP_PRI_NAT_DST        privlink_nat, inside nf_nat's
 *                                         lookup chain (new flows only):
 *                                         ENI -> target DNAT + NLB SNAT
 *   PRE_ROUTING  NF_IP_PRI_NAT_DST + 1    privlink_steer: routes privlink
 *                                         flows that involve a VRF VPC
 *   PRE_ROUTING  NF_IP_PRI_NAT_DST + 2    privlink_stray: what is still
 *                                         addressed to an ENI or NLB node
 *                                         of the VPC it comes from (no
 *                                         flow's) is dropped
 *   PRE_ROUTING  NF_IP_PRI_CONNTRACK - 1  (privlink_classify, also:)
 *                                         packets to NLB node addresses
 *                                         only from their provider VPC
 *   FORWARD      NF_IP_PRI_FILTER - 1     privlink_forward: nothing
 *                                         between VPCs but privlink's
 *                                         flows, each direction only from
 *                                         its side (flow.c); packets and
 *                                         bytes of privlink's flows per
 *                                         endpoint/ENI/target
 *   FORWARD      NF_IP_PRI_FILTER + 1     privlink_fastpath_offload (with
 *                                         fastpath=1, IPv4 only):
 *                                         established flows to the
 *                                         flowtable
 *   NETDEV INGRESS 0, per VPC interface   nf_flow_offload_ip_hook (with
 *                                         fastpath=1)
 *   ARP IN       0                        privlink_arp_in: answers ARP for
 *                                         ENI addresses
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netfilter.h>
#include <linux/netfilter_arp.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_count.h>
#include <net/netfilter/nf_nat.h>

#include "privlink.h"

#define PRIVLINK_HOOK(fn, family, num, prio) {			\
		.hook = (fn), .pf = (family), .hooknum = (num),		\
		.priority = (prio),					\
	}

static const struct nf_hook_ops privlink_hook_ops[] = {
	PRIVLINK_HOOK(privlink_classify, NFPROTO_IPV4, NF_INET_PRE_ROUTING,
		      NF_IP_PRI_CONNTRACK - 1),
	PRIVLINK_HOOK(privlink_steer, NFPROTO_IPV4, NF_INET_PRE_ROUTING,
		      NF_IP_PRI_NAT_DST + 1),
	PRIVLINK_HOOK(privlink_stray, NFPROTO_IPV4, NF_INET_PRE_ROUTING,
		      NF_IP_PRI_NAT_DST + 2),
	PRIVLINK_HOOK(privlink_forward, NFPROTO_IPV4, NF_INET_FORWARD,
		      NF_IP_PRI_FILTER - 1),
	PRIVLINK_HOOK(privlink_ndisc_in, NFPROTO_IPV6, NF_INET_PRE_ROUTING,
		      NF_IP6_PRI_CONNTRACK - 2),
	PRIVLINK_HOOK(privlink_classify, NFPROTO_IPV6, NF_INET_PRE_ROUTING,
		      NF_IP6_PRI_CONNTRACK - 1),
	PRIVLINK_HOOK(privlink_steer, NFPROTO_IPV6, NF_INET_PRE_ROUTING,
		      NF_IP6_PRI_NAT_DST + 1),
	PRIVLINK_HOOK(privlink_stray, NFPROTO_IPV6, NF_INET_PRE_ROUTING,
		      NF_IP6_PRI_NAT_DST + 2),
	PRIVLINK_HOOK(privlink_forward, NFPROTO_IPV6, NF_INET_FORWARD,
		      NF_IP6_PRI_FILTER - 1),
	{
		.hook     = privlink_arp_in,
		.pf       = NFPROTO_ARP,
		.hooknum  = NF_ARP_IN,
		.priority = 0,
	},
};

static const struct nf_hook_ops privlink_offload_ops = {
	.hook     = privlink_fastpath_offload,
	.pf       = NFPROTO_IPV4,
	.hooknum  = NF_INET_FORWARD,
	.priority = NF_IP_PRI_FILTER + 1,
};

static const struct nf_hook_ops privlink_nat_ops =
	PRIVLINK_HOOK(privlink_nat, NFPROTO_IPV4, NF_INET_PRE_ROUTING,
		      NF_IP_PRI_NAT_DST);

static const struct nf_hook_ops privlink_nat6_ops =
	PRIVLINK_HOOK(privlink_nat, NFPROTO_IPV6, NF_INET_PRE_ROUTING,
		      NF_IP6_PRI_NAT_DST);

/* Under privlink_net.lock. */
int privlink_hooks_enable(struct net *net)
{
	struct privlink_net *pn = privlink_pernet(net);
	int err;

	lockdep_assert_held(&pn->lock);
	if (pn->hooks_on)
		return 0;
	err = nf_ct_netns_get(net, NFPROTO_INET);
	if (err)
		return err;
	pn->conncount = nf_conncount_init(net, NFPROTO_INET, sizeof(u32));
	if (IS_ERR(pn->conncount)) {
		err = PTR_ERR(pn->conncount);
		pn->conncount = NULL;
		goto put_ct;
	}
	err = nf_register_net_hooks(net, privlink_hook_ops,
				    ARRAY_SIZE(privlink_hook_ops));
	if (err)
		goto conncount;
	err = nf_nat_ipv4_register_fn(net, &privlink_nat_ops);
	if (err)
		goto unhook;
	err = nf_nat_ipv6_register_fn(net, &privlink_nat6_ops);
	if (err)
		goto unnat;
	err = privlink_fastpath_init(net, pn);
	if (err)
		goto unnat6;
	if (pn->ft_on) {
		err = nf_register_net_hook(net, &privlink_offload_ops);
		if (err)
			goto fastpath;
	}
	WRITE_ONCE(pn->hooks_on, true);
	return 0;

fastpath:
	privlink_fastpath_fini(pn);
unnat6:
	nf_nat_ipv6_unregister_fn(net, &privlink_nat6_ops);
unnat:
	nf_nat_ipv4_unregister_fn(net, &privlink_nat_ops);
unhook:
	nf_unregister_net_hooks(net, privlink_hook_ops,
				ARRAY_SIZE(privlink_hook_ops));
conncount:
	nf_conncount_destroy(net, NFPROTO_INET, pn->conncount);
	pn->conncount = NULL;
put_ct:
	nf_ct_netns_put(net, NFPROTO_INET);
	return err;
}

/* Under privlink_net.lock (netns exit takes it too). */
void privlink_hooks_disable(struct net *net)
{
	struct privlink_net *pn = privlink_pernet(net);

	lockdep_assert_held(&pn->lock);
	if (!pn->hooks_on)
		return;
	if (pn->ft_on)
		nf_unregister_net_hook(net, &privlink_offload_ops);
	nf_nat_ipv6_unregister_fn(net, &privlink_nat6_ops);
	nf_nat_ipv4_unregister_fn(net, &privlink_nat_ops);
	nf_unregister_net_hooks(net, privlink_hook_ops,
				ARRAY_SIZE(privlink_hook_ops));
	/*
	 * In 6.1 the unregistrations do not wait for packets in flight (the
	 * old hook blobs go by call_rcu()): wait for them here, before the
	 * flow counting and the flowtable they may use are freed.  This is
	 * the one grace period of the request that deletes the last VPC.
	 */
	synchronize_net();
	nf_conncount_destroy(net, NFPROTO_INET, pn->conncount);
	pn->conncount = NULL;
	privlink_fastpath_fini(pn);	/* the VPCs' ingress hooks are gone */
	nf_ct_netns_put(net, NFPROTO_INET);
	WRITE_ONCE(pn->hooks_on, false);
}
