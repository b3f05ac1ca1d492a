// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: the translation of new flows to ENIs, on nf_conntrack/nf_nat.
 *
 * privlink_nat() is registered in nf_nat's PRE_ROUTING lookup chain
 * (nf_nat_ipv4_register_fn()), so nf_nat calls it only for a connection
 * that has no DNAT binding yet: once per flow.  It binds both manips at
 * once: DNAT to the chosen target, SNAT to the service's NLB node in the
 * ENI's AZ.  From then on nf_nat translates every packet (both directions,
 * ICMP errors included) without privlink.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/siphash.h>
#include <net/netfilter/ipv4/nf_reject.h>
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

static __be32 privlink_nlb_addr(const struct privlink_service *svc,
				const struct privlink_az *az)
{
	unsigned int i;

	for (i = 0; i < svc->n_nlb_nodes; i++)
		if (svc->nlb_nodes[i].az == az)
			return svc->nlb_nodes[i].addr;
	return 0;
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
				   struct sk_buff *skb, struct net *net)
{
	u32 ep_max = READ_ONCE(ep->max_flows);
	u32 ns_max = READ_ONCE(pn->max_flows);
	u32 key;

	if (ep_max) {
		key = ep->id;
		if (nf_conncount_count_skb(net, skb, NFPROTO_IPV4,
					   pn->conncount, &key) > ep_max)
			return false;
	}
	if (ns_max) {
		key = 0;
		if (nf_conncount_count_skb(net, skb, NFPROTO_IPV4,
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
	u64 h;

	h = siphash_4u32((__force u32)orig->src.u3.ip,
			 (__force u32)orig->dst.u3.ip,
			 ((__force u32)orig->src.u.all << 16) |
			 (__force u32)orig->dst.u.all,
			 orig->dst.protonum | ((u32)zone << 8), &key);
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
	struct privlink_eni_key key = {};
	struct privlink_target *t;
	struct privlink_eni *eni;
	struct nf_nat_range2 range = {};
	enum ip_conntrack_info ctinfo;
	const struct privlink_vpc *vpc;
	struct nf_conn *ct;
	__be32 nlb;
	u32 hash;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || ctinfo != IP_CT_NEW)
		return NF_ACCEPT;
	vpc = privlink_vpc_of_dev(pn, state->in);
	if (!vpc)
		return NF_ACCEPT;
	orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	key.addr = orig->dst.u3.ip;
	key.zone = vpc->zone;
	eni = rhashtable_lookup(&pn->enis, &key, privlink_eni_params);
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
		/* Answer as a host would: RST / port unreachable. */
		if (orig->dst.protonum == IPPROTO_TCP)
			nf_send_reset(state->net, state->sk, skb, state->hook);
		else if (orig->dst.protonum == IPPROTO_UDP)
			nf_send_unreach(skb, ICMP_PORT_UNREACH, state->hook);
		return privlink_drop(pn, eni, PRIVLINK_STAT_DROP_NO_LISTENER);
	}
	hash = privlink_flow_hash(pn, orig, vpc->zone);
	t = privlink_select(svc, eni->az, hash);
	if (!t)
		return privlink_drop(pn, eni, PRIVLINK_STAT_DROP_NO_TARGET);
	if (!privlink_within_limits(pn, ep, skb, state->net))
		return privlink_drop(pn, eni, PRIVLINK_STAT_DROP_LIMIT);
	nlb = privlink_nlb_addr(svc, eni->az);

	range.flags = NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED;
	range.min_addr.ip = t->addr;
	range.max_addr.ip = t->addr;
	range.min_proto.all = t->port ?: l->target_port;
	range.max_proto.all = range.min_proto.all;
	privlink_timeout_attach(ct, svc, orig->dst.protonum);
	if (nf_nat_setup_info(ct, &range, NF_NAT_MANIP_DST) != NF_ACCEPT)
		goto nat_failed;

	memset(&range, 0, sizeof(range));
	range.flags = NF_NAT_RANGE_MAP_IPS;
	range.min_addr.ip = nlb;
	range.max_addr.ip = nlb;
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
	privlink_stats_inc(pn, PRIVLINK_STAT_NEW_FLOWS);
	privlink_obj_new_flow(&eni->endpoint->stats);
	privlink_obj_new_flow(&eni->stats);
	privlink_obj_new_flow(&t->stats);
	/* removing them walks the conntrack table only if this was ever set */
	if (!READ_ONCE(eni->used))
		WRITE_ONCE(eni->used, true);
	if (!READ_ONCE(t->used))
		WRITE_ONCE(t->used, true);
	return NF_ACCEPT;

nat_failed:
	/* e.g. the NLB node's ports towards this target are exhausted */
	privlink_obj_drop(&t->stats);
	net_warn_ratelimited("privlink: %s: cannot bind a flow to %pI4:%u via NLB node %pI4 (source ports exhausted?)\n",
			     svc->name, &t->addr,
			     ntohs(t->port ?: l->target_port), &nlb);
	return privlink_drop(pn, eni, PRIVLINK_STAT_DROP_NAT_FAILED);
}

/*
 * Ending flows.  A flow is privlink's when its original direction is in a
 * VPC's zone (ORIG only), nf_nat translated its destination, and (for a
 * target's flows) its reply goes to one of the service's NLB nodes.
 */
static int privlink_flow_match(struct nf_conn *ct, void *data)
{
	const struct privlink_flow_match *m = data;
	const struct nf_conntrack_zone *zone = nf_ct_zone(ct);
	const struct nf_conntrack_tuple *o, *r;
	unsigned int i;

	if (zone->dir != NF_CT_ZONE_DIR_ORIG || !(ct->status & IPS_DST_NAT))
		return 0;
	if (m->zone >= 0 && zone->id != m->zone)
		return 0;
	if (m->zones && !xa_load(m->zones, zone->id))
		return 0;
	o = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	r = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	if (m->eni && o->dst.u3.ip != m->eni)
		return 0;
	if (m->taddr && r->src.u3.ip != m->taddr)
		return 0;
	if (m->tport && r->src.u.all != m->tport)
		return 0;
	if (m->svc) {
		for (i = 0; i < m->svc->n_nlb_nodes; i++)
			if (r->dst.u3.ip == m->svc->nlb_nodes[i].addr)
				return 1;
		return 0;
	}
	return 1;
}

/*
 * Delete the conntrack entries of the flows @m matches: their packets then
 * meet no translation (clients see resets or time out).  Nothing to do in a
 * dying namespace: conntrack empties it.  Under privlink_net.lock.
 *
 * The caller has unpublished the object (removed it from its table or list,
 * or changed its state) already.  A packet may have found it just before
 * and be setting up a flow to it: that flow is unconfirmed, invisible to the
 * walk, until conntrack confirms it at POST_ROUTING.  The whole path from
 * PRE_ROUTING to the confirmation runs inside one RCU read-side section
 * (softirq, or netif_receive_skb()'s rcu_read_lock()), so after a grace
 * period every such flow is confirmed (or dropped) and the walk sees it.
 * Callers kill only for objects that carried flows (their "used" flag), so
 * removing objects that never did waits for no grace period.
 */
void privlink_flows_kill(struct net *net, const struct privlink_flow_match *m)
{
	struct nf_ct_iter_data d = { .net = net, .data = (void *)m };

	if (!check_net(net))
		return;
	synchronize_rcu();
	nf_ct_iterate_cleanup_net(privlink_flow_match, &d);
}
