// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: ending the flows of removed ENIs and targets (and of an endpoint
 * that is rejected), without stalling anyone else.
 *
 * Ending a flow means deleting its conntrack entry: its packets then meet
 * no translation (clients see resets or time out).  That takes a walk of
 * the whole conntrack table (nf_ct_iterate_cleanup_net(), which holds the
 * global nf_conntrack_mutex and, per bucket, the bucket's spinlock with BHs
 * off) after a grace period (see below).  A request therefore never ends
 * flows while it holds privlink_net.lock, which the netdevice notifier takes
 * under RTNL:
 *
 * 1. Under the lock, each removal marks its object as refusing new flows
 *    (privlink_eni.dead, privlink_target.dead, or the endpoint's state) and
 *    then, if a flow ever went through it, copies what identifies its flows
 *    into a batch of the request's own (privlink_flow_batch_eni(),
 *    privlink_flow_batch_target()): the consumer zone and ENI address; the
 *    target's address and port and its service's NLB node addresses.
 *    Values only: the objects may be freed before the batch is used.
 *    The room is reserved before anything changes
 *    (privlink_flow_batch_reserve()), so a request that cannot get it fails
 *    without a change, and one that got it cannot fail to end its flows.
 * 2. After the unlock, privlink_flows_end() waits for one grace period and
 *    walks the table once, with a match for the whole batch (binary
 *    searches in sorted copies).  A request costs at most one of each,
 *    however many ENIs and targets it removed (a service's 1024 targets),
 *    and both happen outside every lock but conntrack's own.  The request
 *    answers after the walk, so a client that sees the answer sees the
 *    flows gone.
 *
 * The grace period (skipped when the batch says it is quiesced: the caller
 * unhooked privlink and waited for one already): the walk sees confirmed
 * entries only.  A packet may
 * have found the object just before it refused new flows and be setting up
 * a flow through it; that flow stays unconfirmed, invisible to the walk,
 * until conntrack confirms it at POST_ROUTING (or LOCAL_IN).  The whole way
 * from privlink_nat() in PRE_ROUTING to the confirmation runs inside one
 * RCU read-side section (softirq, or netif_receive_skb()'s
 * rcu_read_lock()), so after synchronize_rcu() every such flow is in the
 * table (or was dropped) and the walk finds it.
 *
 * "used": removing an object that never carried a flow must cost neither a
 * grace period nor a walk (bulk deletes of 100k idle endpoints).  A packet
 * that found the object just before its removal, but sets "used" just after
 * the remover read it, would leave a flow behind.  privlink_flow_claim() and
 * the collectors form a store-buffer pair:
 *
 *   packet (privlink_flow_claim)          remover (under the lock)
 *   used = true                           dead = true (or state changed)
 *   smp_mb()                              smp_mb()
 *   if (dead) drop the new flow           if (used) end the object's flows
 *
 * At least one side sees the other's store: either the packet drops its
 * flow, or the remover ends it (after the grace period, when it is
 * confirmed).  A packet that finds "used" already set and skips the store
 * is covered too: smp_mb() is cumulative, so the store it read reaches the
 * remover's CPU before the packet reads "dead".
 *
 * A concurrent re-add: between the unlock and the walk another request
 * may add an ENI with the same zone and address, or a target with the same
 * address and port behind the same NLB node addresses (or accept the
 * endpoint a reject is ending the flows of).  The walk matches values, so
 * it also ends the flows that went through the new object in that window.
 * That is accepted, as the price of not marking every flow with the object
 * that carried it (a conntrack extension per flow): ending the flows is
 * part of the delete, which has not answered yet: the add overlapped it,
 * and the flows it took in that window end as if they had gone through the
 * deleted object.  A client that re-adds after the delete's answer loses
 * nothing, and the requests of one socket (plctl -b) are handled one after
 * the other.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/bsearch.h>
#include <linux/sort.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_zones.h>

#include "privlink.h"

/*
 * Addresses below are of one family each (@family, NFPROTO_IPV4/6), in a
 * union nf_inet_addr whose unused bytes are zero, so that they compare
 * with memcmp() whatever the family.
 */

/*
 * The flows to one ENI address: original direction in @zone, to @addr (an
 * ENI of both families is noted twice, once per address).
 */
struct privlink_flow_eni {
	union nf_inet_addr addr;
	u16 zone;
	u8 family;
};

/*
 * The flows to one target: reply from @addr:@port (any port when 0: the
 * listener's), to one of the NLB node addresses in nlbs[@nlbs].
 */
struct privlink_flow_target {
	union nf_inet_addr addr;
	__be16 port;
	u16 nlbs;
	u8 family;
};

/* A service's NLB node addresses of one family, copied. */
struct privlink_flow_nlbs {
	unsigned int n;
	u8 family;
	union nf_inet_addr addr[PRIVLINK_MAX_AZS];
};

/* @addr of family @family, its unused bytes zeroed, into @to. */
static void privlink_flow_addr(union nf_inet_addr *to, u8 family,
			       const union nf_inet_addr *addr)
{
	memset(to, 0, sizeof(*to));
	if (family == NFPROTO_IPV4)
		to->ip = addr->ip;
	else
		to->in6 = addr->in6;
}

/* Make room for @more elements of @size after the @n in *@arr. */
static int privlink_flow_grow(void **arr, unsigned int *max, unsigned int n,
			      unsigned int more, size_t size)
{
	void *p;

	if (n + more <= *max)
		return 0;
	p = kvmalloc_array(n + more, size, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	if (n)
		memcpy(p, *arr, n * size);
	kvfree(*arr);
	*arr = p;
	*max = n + more;
	return 0;
}

/*
 * Room in @b for @enis more ENIs and @targets more targets (of one
 * service).  Before the request changes anything: 0, or -ENOMEM with the
 * extack set.  Under privlink_net.lock.
 */
int privlink_flow_batch_reserve(struct privlink_flow_batch *b,
				unsigned int enis, unsigned int targets,
				struct netlink_ext_ack *extack)
{
	/* an ENI has up to two addresses */
	if (privlink_flow_grow((void **)&b->enis, &b->max_enis, b->n_enis,
			       2 * enis, sizeof(*b->enis)) ||
	    (targets &&
	     (privlink_flow_grow((void **)&b->targets, &b->max_targets,
				 b->n_targets, targets, sizeof(*b->targets)) ||
	      privlink_flow_grow((void **)&b->nlbs, &b->max_nlbs, b->n_nlbs,
				 2, sizeof(*b->nlbs))))) {
		NL_SET_ERR_MSG(extack,
			       "not enough memory to note the flows to end; nothing changed");
		return -ENOMEM;
	}
	return 0;
}

/*
 * @e takes no new flows any more (it is dead, or its endpoint is no longer
 * available): if a flow ever went through it, @b ends its flows.  Under
 * privlink_net.lock, with the room reserved.
 */
void privlink_flow_batch_eni(struct privlink_flow_batch *b,
			     const struct privlink_eni *e)
{
	u8 types = e->endpoint->ip_type;
	struct privlink_flow_eni *fe;

	smp_mb();	/* dead/state before used: see privlink_flow_claim() */
	if (!READ_ONCE(e->used))
		return;
	if (WARN_ON_ONCE(b->n_enis + 2 > b->max_enis))
		return;
	if (types & PRIVLINK_IP_V4) {
		fe = &b->enis[b->n_enis++];
		memset(fe, 0, sizeof(*fe));
		fe->family = NFPROTO_IPV4;
		fe->zone = e->key.zone;
		fe->addr.ip = e->key.addr;
	}
	if (types & PRIVLINK_IP_V6) {
		fe = &b->enis[b->n_enis++];
		memset(fe, 0, sizeof(*fe));
		fe->family = NFPROTO_IPV6;
		fe->zone = e->v6->key.zone;
		fe->addr.in6 = e->v6->key.addr;
	}
}

/* The address of family @family of an NLB node, zero-padded, into @to. */
static void privlink_flow_nlb(union nf_inet_addr *to, u8 family,
			      const struct privlink_nlb_node *n)
{
	memset(to, 0, sizeof(*to));
	if (family == NFPROTO_IPV4)
		to->ip = n->addr;
	else
		to->in6 = n->addr6;
}

static bool privlink_flow_nlbs_are(const struct privlink_flow_nlbs *s,
				   const struct privlink_service *svc,
				   u8 family)
{
	union nf_inet_addr a;
	unsigned int i;

	if (s->n != svc->n_nlb_nodes || s->family != family)
		return false;
	for (i = 0; i < s->n; i++) {
		privlink_flow_nlb(&a, family, &svc->nlb_nodes[i]);
		if (memcmp(&s->addr[i], &a, sizeof(a)))
			return false;
	}
	return true;
}

/* As privlink_flow_batch_eni(), for a dead target. */
void privlink_flow_batch_target(struct privlink_flow_batch *b,
				const struct privlink_target *t)
{
	const struct privlink_service *svc = t->service;
	struct privlink_flow_target *ft;
	struct privlink_flow_nlbs *s;
	unsigned int i;

	smp_mb();	/* dead before used: see privlink_flow_claim() */
	if (!READ_ONCE(t->used))
		return;
	if (WARN_ON_ONCE(b->n_targets == b->max_targets))
		return;
	/*
	 * A service's targets come in a row: its NLB nodes' addresses are
	 * copied once per family, into one of the last two entries.
	 */
	s = NULL;
	for (i = b->n_nlbs; i > 0 && i + 2 > b->n_nlbs && !s; i--)
		if (privlink_flow_nlbs_are(&b->nlbs[i - 1], svc, t->family))
			s = &b->nlbs[i - 1];
	if (!s) {
		if (WARN_ON_ONCE(b->n_nlbs == b->max_nlbs))
			return;
		s = &b->nlbs[b->n_nlbs++];
		s->n = svc->n_nlb_nodes;
		s->family = t->family;
		for (i = 0; i < s->n; i++)
			privlink_flow_nlb(&s->addr[i], t->family,
					  &svc->nlb_nodes[i]);
	}
	ft = &b->targets[b->n_targets++];
	memset(ft, 0, sizeof(*ft));
	privlink_flow_addr(&ft->addr, t->family, &t->addr);
	ft->family = t->family;
	ft->port = t->port;
	ft->nlbs = s - b->nlbs;
}

/*
 * Every privlink flow in @zone (the namespace or the module goes).  Cannot
 * fail: the 8 KiB bitmap of zones is allocated with __GFP_NOFAIL.
 */
void privlink_flow_batch_zone(struct privlink_flow_batch *b, u16 zone)
{
	if (!b->zones)
		b->zones = kvzalloc(BITS_TO_LONGS(U16_MAX + 1) * sizeof(long),
				    GFP_KERNEL | __GFP_NOFAIL);
	__set_bit(zone, b->zones);
}

static int privlink_flow_eni_cmp(const void *a, const void *b)
{
	const struct privlink_flow_eni *x = a, *y = b;
	int d;

	if (x->zone != y->zone)
		return x->zone < y->zone ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	d = memcmp(&x->addr, &y->addr, sizeof(x->addr));
	return d < 0 ? -1 : d > 0;
}

/* Targets by (family, address, port), the order searched below. */
static int privlink_flow_target_key(const struct privlink_flow_target *t,
				    u8 family, const union nf_inet_addr *addr,
				    __be16 port)
{
	int d;

	if (t->family != family)
		return t->family < family ? -1 : 1;
	d = memcmp(&t->addr, addr, sizeof(*addr));
	if (d)
		return d < 0 ? -1 : 1;
	if (t->port != port)
		return (__force u16)t->port < (__force u16)port ? -1 : 1;
	return 0;
}

static int privlink_flow_target_cmp(const void *a, const void *b)
{
	const struct privlink_flow_target *y = b;

	return privlink_flow_target_key(a, y->family, &y->addr, y->port);
}

/*
 * Is a reply from @addr:@port to @nlb (zero-padded addresses of @family) a
 * flow of a target in @b?
 */
static bool privlink_flow_target_in(const struct privlink_flow_batch *b,
				    u8 family, const union nf_inet_addr *addr,
				    __be16 port, const union nf_inet_addr *nlb)
{
	const struct privlink_flow_target *t, *end = b->targets + b->n_targets;
	unsigned int lo = 0, hi = b->n_targets, mid, i;

	while (lo < hi) {	/* the first target not below (addr, port) */
		mid = lo + (hi - lo) / 2;
		if (privlink_flow_target_key(&b->targets[mid], family, addr,
					     port) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (t = b->targets + lo;
	     t < end && !privlink_flow_target_key(t, family, addr, port);
	     t++) {
		const struct privlink_flow_nlbs *s = &b->nlbs[t->nlbs];

		for (i = 0; i < s->n; i++)
			if (!memcmp(&s->addr[i], nlb, sizeof(*nlb)))
				return true;
	}
	return false;
}

/*
 * Is @ct a flow @data (a batch) ends?  A privlink flow's original direction
 * is in a VPC's zone (ORIG only) and nf_nat translated its destination.
 * When the module goes (b->zones), every flow in a VPC's zone ends,
 * translated or not: privlink gave it that zone, and nothing will once it
 * is gone.  Left behind, such an entry would still hold its reply tuple
 * (in the default zone), so the flow's later packets, now tracked in the
 * default zone, would clash with it at confirmation and be dropped until
 * it expired.  Called by the walk with a conntrack bucket lock held and BHs
 * off.
 */
static int privlink_flow_end_match(struct nf_conn *ct, void *data)
{
	const struct privlink_flow_batch *b = data;
	const struct nf_conntrack_zone *zone = nf_ct_zone(ct);
	const struct nf_conntrack_tuple *o, *r;
	union nf_inet_addr src, dst;
	struct privlink_flow_eni key;
	u8 family = nf_ct_l3num(ct);

	if (zone->dir != NF_CT_ZONE_DIR_ORIG ||
	    (family != NFPROTO_IPV4 && family != NFPROTO_IPV6))
		return 0;
	if (b->zones && test_bit(zone->id, b->zones))
		return 1;
	if (!(ct->status & IPS_DST_NAT))
		return 0;
	o = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	memset(&key, 0, sizeof(key));
	key.zone = zone->id;
	key.family = family;
	privlink_flow_addr(&key.addr, family, &o->dst.u3);
	if (b->n_enis && bsearch(&key, b->enis, b->n_enis, sizeof(key),
				 privlink_flow_eni_cmp))
		return 1;
	if (!b->n_targets)
		return 0;
	r = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	privlink_flow_addr(&src, family, &r->src.u3);
	privlink_flow_addr(&dst, family, &r->dst.u3);
	return privlink_flow_target_in(b, family, &src, r->src.u.all, &dst) ||
	       privlink_flow_target_in(b, family, &src, 0, &dst);
}

/*
 * End the flows @b collected - one grace period and one walk, if it holds
 * anything - and empty it.  Not under privlink_net.lock (nor any lock
 * others need).  Nothing to end in a dying namespace: conntrack empties it.
 */
void privlink_flows_end(struct net *net, struct privlink_flow_batch *b)
{
	struct nf_ct_iter_data d = { .net = net, .data = b };

	lockdep_assert_not_held(&privlink_pernet(net)->lock);
	might_sleep();
	if ((b->zones || b->n_enis || b->n_targets) && check_net(net)) {
		sort(b->enis, b->n_enis, sizeof(*b->enis),
		     privlink_flow_eni_cmp, NULL);
		sort(b->targets, b->n_targets, sizeof(*b->targets),
		     privlink_flow_target_cmp, NULL);
		if (!b->quiesced)
			synchronize_rcu();
		nf_ct_iterate_cleanup_net(privlink_flow_end_match, &d);
	}
	kvfree(b->zones);
	kvfree(b->enis);
	kvfree(b->targets);
	kvfree(b->nlbs);
	memset(b, 0, sizeof(*b));
}

/*
 * privlink_nat() is about to let a new flow through @eni to @t: note that
 * they carried a flow ("used": their removal then ends their flows), then
 * check that neither was removed, nor the endpoint made unavailable, since
 * the packet found them.  Returns PRIVLINK_STAT_NEW_FLOWS when the flow may
 * go, else the reason to drop it.  Under RCU.
 *
 * The smp_mb() costs one full barrier per new flow (not per packet); the
 * stores are skipped once "used" is set, so the objects' cache lines are
 * not written for every flow.
 */
enum privlink_stat privlink_flow_claim(struct privlink_eni *eni,
				       struct privlink_target *t)
{
	if (!READ_ONCE(eni->used))
		WRITE_ONCE(eni->used, true);
	if (!READ_ONCE(t->used))
		WRITE_ONCE(t->used, true);
	smp_mb();	/* used before dead/state: pairs with the collectors */
	if (READ_ONCE(eni->dead) ||
	    READ_ONCE(eni->endpoint->state) != PRIVLINK_ENDPOINT_AVAILABLE)
		return PRIVLINK_STAT_DROP_NOT_ACCEPTED;
	if (READ_ONCE(t->dead))
		return PRIVLINK_STAT_DROP_NO_TARGET;
	return PRIVLINK_STAT_NEW_FLOWS;
}
