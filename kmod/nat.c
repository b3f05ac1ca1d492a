// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: the translation of new flows to ENIs, on nf_conntrack/nf_nat.
 *
 * privlink_nat() is registered in nf_nat's PRE_ROUTING lookup chains
 * (nf_nat_ipv4_register_fn() and nf_nat_ipv6_register_fn()), so nf_nat
 * calls it only for a connection that has no DNAT binding yet: once per
 * flow.  A flow keeps its family: an IPv6 flow to an ENI's IPv6 address
 * goes to an IPv6 target from the NLB node's IPv6 address.  It binds both manips at
 * once: DNAT to the chosen target, SNAT to the service's NLB node in the
 * ENI's AZ.  From then on nf_nat translates every packet (both directions,
 * ICMP errors included) without privlink.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/siphash.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_reject.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_count.h>
#include <net/netfilter/nf_nat.h>

#include "privlink.h"

static const struct privlink_listener *
privlink_listener_find(const struct privlink_service *svc, u8 proto,
		       __be16 port)
{
	unsigned int i;

	for (i = 0; i < svc->n_listeners; i++)
		if (svc->listeners[i].proto == proto &&
		    svc->listeners[i].port == port)
			return &svc->listeners[i];
	return NULL;
}

/* The address of family @pf of @svc's NLB node in @az, into @addr. */
static void privlink_nlb_addr(const struct privlink_service *svc,
			      const struct privlink_az *az, u8 pf,
			      union nf_inet_addr *addr)
{
	unsigned int i;

	for (i = 0; i < svc->n_nlb_nodes; i++) {
		if (svc->nlb_nodes[i].az != az)
			continue;
		if (pf == NFPROTO_IPV4)
			addr->ip = svc->nlb_nodes[i].addr;
		else
			addr->in6 = svc->nlb_nodes[i].addr6;
		return;
	}
}

/* Answer a new flow to no listener as a host would: RST / unreachable. */
static void privlink_refuse(struct sk_buff *skb,
			    const struct nf_hook_state *state, u8 proto)
{
	if (state->pf == NFPROTO_IPV4) {
		if (proto == IPPROTO_TCP)
			nf_send_reset(state->net, state->sk, skb, state->hook);
		else if (proto == IPPROTO_UDP)
			nf_send_unreach(skb, ICMP_PORT_UNREACH, state->hook);
	} else {
		if (proto == IPPROTO_TCP)
			nf_send_reset6(state->net, state->sk, skb, state->hook);
		else if (proto == IPPROTO_UDP)
			nf_send_unreach6(state->net, skb, ICMPV6_PORT_UNREACH,
					 state->hook);
	}
}

/* A new flow to @eni refused: counted on the namespace, endpoint and ENI. */
static unsigned int privlink_drop(struct privlink_net *pn,
				  struct privlink_eni *eni,
				  enum privlink_stat why)
{
	privlink_stats_inc(pn, why);
	privlink_obj_drop(&eni->endpoint->stats);
	privlink_obj_drop(&eni->stats);
	return NF_DROP;
}

/*
 * Is there room for one more flow through @ep?  Counted with nf_conncount
 * (the machinery behind connlimit), keyed by the endpoint's id and by 0 for
 * the whole namespace; only while a limit is set.
 */
static bool privlink_within_limits(struct privlink_net *pn,
				   const struct privlink_endpoint *ep,
				   struct sk_buff *skb, struct net *net, u8 pf)
{
	u32 ep_max = READ_ONCE(ep->max_flows);
	u32 ns_max = READ_ONCE(pn->max_flows);
	u32 key;

	if (ep_max) {
		key = ep->id;
		if (nf_conncount_count_skb(net, skb, pf,
					   pn->conncount, &key) > ep_max)
			return false;
	}
	if (ns_max) {
		key = 0;
		if (nf_conncount_count_skb(net, skb, pf,
					   pn->conncount, &key) > ns_max)
			return false;
	}
	return true;
}

/*
 * The flow's hash for target selection: SipHash, keyed with the
 * namespace's secret (see privlink_net.hash_key), so that a consumer cannot
 * pick its target by picking its source port.
 */
static u32 privlink_flow_hash(const struct privlink_net *pn,
			      const struct nf_conntrack_tuple *orig, u16 zone)
{
	siphash_key_t key = { .key = { READ_ONCE(pn->hash_key.key[0]),
				       READ_ONCE(pn->hash_key.key[1]) } };
	struct {
		struct in6_addr src, dst;
		u32 ports, proto_zone;
	} v6;
	u64 h;

	if (orig->src.l3num == NFPROTO_IPV4) {
		h = siphash_4u32((__force u32)orig->src.u3.ip,
				 (__force u32)orig->dst.u3.ip,
				 ((__force u32)orig->src.u.all << 16) |
				 (__force u32)orig->dst.u.all,
				 orig->dst.protonum | ((u32)zone << 8), &key);
	} else {
		v6.src = orig->src.u3.in6;
		v6.dst = orig->dst.u3.in6;
		v6.ports = ((__force u32)orig->src.u.all << 16) |
			   (__force u32)orig->dst.u.all;
		v6.proto_zone = orig->dst.protonum | ((u32)zone << 8);
		h = siphash(&v6, sizeof(v6), &key);
	}
	return (u32)h ^ (u32)(h >> 32);
}

unsigned int privlink_nat(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state)
{
	struct privlink_net *pn = privlink_pernet(state->net);
	const struct nf_conntrack_tuple *orig;
	const struct privlink_listener *l;
	const struct privlink_service *svc;
	const struct privlink_endpoint *ep;
	union nf_inet_addr nlb = {};
	struct privlink_target *t;
	struct privlink_eni *eni;
	struct nf_nat_range2 range = {};
	enum ip_conntrack_info ctinfo;
	const struct privlink_vpc *vpc;
	u8 pf = state->pf;
	struct nf_conn *ct;
	u32 hash;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || ctinfo != IP_CT_NEW)
		return NF_ACCEPT;
	vpc = privlink_vpc_of_dev(pn, state->in);
	if (!vpc)
		return NF_ACCEPT;
	orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	eni = privlink_eni_find(pn, pf, &orig->dst.u3, vpc->zone);
	if (!eni)
		return NF_ACCEPT;		/* not for privlink */

	ep = eni->endpoint;
	svc = ep->service;
	if (READ_ONCE(ep->state) != PRIVLINK_ENDPOINT_AVAILABLE)
		return privlink_drop(pn, eni, PRIVLINK_STAT_DROP_NOT_ACCEPTED);
	if (READ_ONCE(eni->az->state) != PRIVLINK_AZ_UP)
		return privlink_drop(pn, eni, PRIVLINK_STAT_DROP_AZ_DOWN);
	l = privlink_listener_find(svc, orig->dst.protonum, orig->dst.u.all);
	if (!l) {
		privlink_refuse(skb, state, orig->dst.protonum);
		return privlink_drop(pn, eni, PRIVLINK_STAT_DROP_NO_LISTENER);
	}
	hash = privlink_flow_hash(pn, orig, vpc->zone);
	t = privlink_select(svc, eni->az, pf, hash);
	if (!t)
		return privlink_drop(pn, eni, PRIVLINK_STAT_DROP_NO_TARGET);
	if (!privlink_within_limits(pn, ep, skb, state->net, pf))
		return privlink_drop(pn, eni, PRIVLINK_STAT_DROP_LIMIT);
	privlink_nlb_addr(svc, eni->az, pf, &nlb);

	range.flags = NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED;
	range.min_addr = t->addr;
	range.max_addr = t->addr;
	range.min_proto.all = t->port ?: l->target_port;
	range.max_proto.all = range.min_proto.all;
	privlink_timeout_attach(ct, svc, orig->dst.protonum);
	if (nf_nat_setup_info(ct, &range, NF_NAT_MANIP_DST) != NF_ACCEPT)
		goto nat_failed;

	memset(&range, 0, sizeof(range));
	range.flags = NF_NAT_RANGE_MAP_IPS;
	range.min_addr = nlb;
	range.max_addr = nlb;
	if (nf_nat_setup_info(ct, &range, NF_NAT_MANIP_SRC) != NF_ACCEPT)
		goto nat_failed;
	/*
	 * nf_nat gives up after a bounded search and leaves a tuple that is
	 * in use: every source port of the NLB node towards this target is
	 * taken.  The flow could never be confirmed (conntrack would drop it
	 * silently at POST_ROUTING): refuse it here, counted and logged.
	 */
	if (nf_conntrack_tuple_taken(&ct->tuplehash[IP_CT_DIR_REPLY].tuple, ct))
		goto nat_failed;
	/* "used", unless the ENI or target is going meanwhile (flow_end.c) */
	switch (privlink_flow_claim(eni, t)) {
	case PRIVLINK_STAT_NEW_FLOWS:
		break;
	case PRIVLINK_STAT_DROP_NO_TARGET:
		privlink_obj_drop(&t->stats);
		return privlink_drop(pn, eni, PRIVLINK_STAT_DROP_NO_TARGET);
	default:
		return privlink_drop(pn, eni, PRIVLINK_STAT_DROP_NOT_ACCEPTED);
	}
	privlink_stats_inc(pn, PRIVLINK_STAT_NEW_FLOWS);
	privlink_obj_new_flow(&eni->endpoint->stats);
	privlink_obj_new_flow(&eni->stats);
	privlink_obj_new_flow(&t->stats);
	return NF_ACCEPT;

nat_failed:
	/* e.g. the NLB node's ports towards this target are exhausted */
	privlink_obj_drop(&t->stats);
	if (pf == NFPROTO_IPV4)
		net_warn_ratelimited("privlink: %s: cannot bind a flow to %pI4:%u via NLB node %pI4 (source ports exhausted?)\n",
				     svc->name, &t->addr.ip,
				     ntohs(t->port ?: l->target_port), &nlb.ip);
	else
		net_warn_ratelimited("privlink: %s: cannot bind a flow to [%pI6c]:%u via NLB node %pI6c (source ports exhausted?)\n",
				     svc->name, &t->addr.in6,
				     ntohs(t->port ?: l->target_port), &nlb.in6);
	return privlink_drop(pn, eni, PRIVLINK_STAT_DROP_NAT_FAILED);
}
