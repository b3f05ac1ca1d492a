// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: the established-flow fast path, on the kernel's nf_flow_table
 * (the software flowtable behind nft's "flow add @ft").
 *
 * With the module parameter fastpath=1, every namespace with a VPC owns a
 * flowtable and an ingress hook (nf_flow_offload_ip_hook) on each interface
 * of its VPCs.  Once a privlink flow is established in both directions
 * (TCP: conntrack says established; UDP: a reply was seen), privlink adds it
 * to the flowtable from the FORWARD hook; its later packets are forwarded
 * from ingress - NAT included - without conntrack, routing or netfilter.
 * The flowtable expires idle flows and hands them back to conntrack; a flow
 * whose conntrack entry privlink deletes (target/ENI/endpoint removed,
 * endpoint rejected) leaves the flowtable at its next garbage collection.
 * Flows that involve a VRF-attached VPC are not offloaded.
 *
 * Lifetime: the flowtable lives from the first VPC to the last (hooks.c);
 * ingress hooks live with their privlink_vpc_if (vpc.c), all under
 * privlink_net.lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/tcp.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_extend.h>
#include <net/netfilter/nf_conntrack_l4proto.h>
#include <net/netfilter/nf_conntrack_zones.h>
#include <net/netfilter/nf_flow_table.h>
#include <net/ip.h>

#include "privlink.h"

/*
 * Read when a namespace's hooks are registered (its first VPC): changing
 * /sys/module/privlink/parameters/fastpath applies to namespaces that get
 * their first VPC afterwards.
 */
bool privlink_fastpath_param;
module_param_named(fastpath, privlink_fastpath_param, bool, 0644);
MODULE_PARM_DESC(fastpath,
		 "offload established flows to an nf_flow_table fast path (read when a namespace gets its first VPC)");

static struct nf_flowtable_type privlink_ft_type = {
	.family = NFPROTO_IPV4,
	.init   = nf_flow_table_init,
	.free   = nf_flow_table_free,
	.hook   = nf_flow_offload_ip_hook,
	.owner  = THIS_MODULE,
};

/* Under privlink_net.lock, with the hooks being registered. */
int privlink_fastpath_init(struct net *net, struct privlink_net *pn)
{
	int err;

	if (!READ_ONCE(privlink_fastpath_param))
		return 0;
	pn->ft.type = &privlink_ft_type;
	write_pnet(&pn->ft.net, net);
	err = nf_flow_table_init(&pn->ft);
	if (err)
		return err;
	pn->ft_on = true;
	return 0;
}

/* After every ingress hook is gone. */
void privlink_fastpath_fini(struct privlink_net *pn)
{
	if (!pn->ft_on)
		return;
	nf_flow_table_free(&pn->ft);
	pn->ft_on = false;
}

/* Hook the flowtable into @vif's device (not into VRF devices). */
void privlink_fastpath_attach(struct net *net, struct privlink_net *pn,
			      struct privlink_vpc_if *vif)
{
	struct net_device *dev;

	if (!pn->ft_on)
		return;
	dev = dev_get_by_index(net, vif->ifindex);
	if (!dev)
		return;
	if (netif_is_l3_master(dev)) {
		dev_put(dev);
		return;
	}
	vif->ingress.pf = NFPROTO_NETDEV;
	vif->ingress.hooknum = NF_NETDEV_INGRESS;
	vif->ingress.priority = 0;
	vif->ingress.hook = nf_flow_offload_ip_hook;
	vif->ingress.priv = &pn->ft;
	vif->ingress.dev = dev;
	if (!nf_register_net_hook(net, &vif->ingress))
		vif->ingress_on = true;
	/* the netdevice notifier detaches before @dev goes away */
	dev_put(dev);
}

void privlink_fastpath_detach(struct net *net, struct privlink_vpc_if *vif)
{
	if (!vif->ingress_on)
		return;
	nf_unregister_net_hook(net, &vif->ingress);
	nf_flow_table_cleanup(vif->ingress.dev);
	vif->ingress_on = false;
}

/* Both directions' routes, as nft's flow offload builds them. */
static int privlink_fastpath_route(struct net *net, struct sk_buff *skb,
				   const struct nf_conn *ct,
				   enum ip_conntrack_dir dir,
				   const struct net_device *in,
				   struct nf_flow_route *route)
{
	struct dst_entry *this_dst = skb_dst(skb), *other_dst = NULL;
	struct flowi fl = {};

	fl.u.ip4.daddr = ct->tuplehash[dir].tuple.src.u3.ip;
	fl.u.ip4.saddr = ct->tuplehash[!dir].tuple.src.u3.ip;
	fl.u.ip4.flowi4_oif = in->ifindex;
	fl.u.ip4.flowi4_iif = this_dst->dev->ifindex;
	fl.u.ip4.flowi4_tos = RT_TOS(ip_hdr(skb)->tos);
	fl.u.ip4.flowi4_mark = skb->mark;
	fl.u.ip4.flowi4_flags = FLOWI_FLAG_ANYSRC;
	if (!dst_hold_safe(this_dst))
		return -ENOENT;
	nf_route(net, &other_dst, &fl, false, NFPROTO_IPV4);
	if (!other_dst) {
		dst_release(this_dst);
		return -ENOENT;
	}
	route->tuple[!dir].in.ifindex = this_dst->dev->ifindex;
	route->tuple[dir].dst = this_dst;
	route->tuple[dir].xmit_type = FLOW_OFFLOAD_XMIT_NEIGH;
	route->tuple[dir].in.ifindex = other_dst->dev->ifindex;
	route->tuple[!dir].dst = other_dst;
	route->tuple[!dir].xmit_type = FLOW_OFFLOAD_XMIT_NEIGH;
	return 0;
}

/* FORWARD: offload an established privlink flow.  Under RCU. */
unsigned int privlink_fastpath_offload(void *priv, struct sk_buff *skb,
				       const struct nf_hook_state *state)
{
	struct privlink_net *pn = privlink_pernet(state->net);
	struct nf_flow_route route = {};
	enum ip_conntrack_info ctinfo;
	struct flow_offload *flow;
	enum ip_conntrack_dir dir;
	struct tcphdr _th, *th;
	struct privlink_flow f;
	struct nf_conn *ct;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || !(ct->status & IPS_DST_NAT) ||
	    test_bit(IPS_OFFLOAD_BIT, &ct->status) || !nf_ct_is_confirmed(ct) ||
	    !test_bit(IPS_SEEN_REPLY_BIT, &ct->status) ||
	    (ct->status & (IPS_SEQ_ADJUST | IPS_NAT_CLASH)) ||
	    nf_ct_ext_exist(ct, NF_CT_EXT_HELPER) ||
	    skb_sec_path(skb) || IPCB(skb)->opt.optlen)
		return NF_ACCEPT;
	switch (nf_ct_protonum(ct)) {
	case IPPROTO_TCP:
		th = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(_th), &_th);
		if (!th || th->fin || th->rst ||
		    !nf_conntrack_tcp_established(ct))
			return NF_ACCEPT;
		break;
	case IPPROTO_UDP:
		break;
	default:
		return NF_ACCEPT;
	}
	/* privlink's flows on plain interfaces only (flow.c) */
	if (!privlink_flow_get(pn, ct, &f) || READ_ONCE(f.consumer->vrf) ||
	    READ_ONCE(f.provider->vrf) || !pn->ft_on)
		return NF_ACCEPT;

	if (test_and_set_bit(IPS_OFFLOAD_BIT, &ct->status))
		return NF_ACCEPT;
	dir = CTINFO2DIR(ctinfo);
	if (privlink_fastpath_route(state->net, skb, ct, dir, state->in,
				    &route) < 0)
		goto clear;
	flow = flow_offload_alloc(ct);
	if (!flow)
		goto release;
	flow_offload_route_init(flow, &route);
	if (nf_ct_protonum(ct) == IPPROTO_TCP) {
		/* conntrack will not see every packet any more */
		spin_lock_bh(&ct->lock);
		ct->proto.tcp.seen[0].flags |= IP_CT_TCP_FLAG_BE_LIBERAL;
		ct->proto.tcp.seen[1].flags |= IP_CT_TCP_FLAG_BE_LIBERAL;
		spin_unlock_bh(&ct->lock);
	}
	if (flow_offload_add(&pn->ft, flow) < 0) {
		flow_offload_free(flow);
		goto clear;
	}
	return NF_ACCEPT;

release:
	dst_release(route.tuple[dir].dst);
	dst_release(route.tuple[!dir].dst);
clear:
	clear_bit(IPS_OFFLOAD_BIT, &ct->status);
	return NF_ACCEPT;
}
