// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: the counters of endpoints, ENIs and targets.
 *
 * Each object has a per-CPU block of u64_stats (new flows, refused flows,
 * packets, bytes), allocated when the object first meets a flow, so the
 * hundreds of thousands of endpoints that carry no traffic cost no per-CPU
 * memory.  The pointer is set once (cmpxchg) from the packet path and freed
 * with the object (after its grace period).
 *
 * Packets and bytes: privlink_account() runs in FORWARD for every packet of a
 * privlink flow (both directions; ICMP errors related to a flow are not
 * counted, as conntrack accounting does not count them either), so the byte
 * counts of an endpoint equal the sum of its flows' conntrack accounting.
 * Packets that nf_flow_table forwards (fastpath=1) skip FORWARD and are not
 * counted here (see Documentation/architecture.md).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/percpu.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_zones.h>

#include "privlink.h"

/*
 * The counters behind @slot, allocated on first use; NULL if memory is
 * short (the event then goes uncounted).  Under RCU, any context.
 */
static struct privlink_obj_stats __percpu *
privlink_obj_stats_get(struct privlink_obj_stats __percpu **slot)
{
	struct privlink_obj_stats __percpu *s = READ_ONCE(*slot);
	struct privlink_obj_stats __percpu *old;
	int cpu;

	if (likely(s))
		return s;
	s = alloc_percpu_gfp(struct privlink_obj_stats,
			     GFP_ATOMIC | __GFP_NOWARN);
	if (!s)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(s, cpu)->syncp);
	old = cmpxchg(slot, NULL, s);
	if (old) {		/* another CPU was first */
		free_percpu(s);
		return old;
	}
	return s;
}

/* Count one event of kind @what (an offset into the block) on @slot. */
static void privlink_obj_count(struct privlink_obj_stats __percpu **slot,
			       size_t what)
{
	struct privlink_obj_stats __percpu *stats = privlink_obj_stats_get(slot);
	struct privlink_obj_stats *s;

	if (!stats)
		return;
	s = this_cpu_ptr(stats);
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc((u64_stats_t *)((char *)s + what));
	u64_stats_update_end(&s->syncp);
}

void privlink_obj_new_flow(struct privlink_obj_stats __percpu **slot)
{
	privlink_obj_count(slot, offsetof(struct privlink_obj_stats,
					  new_flows));
}

void privlink_obj_drop(struct privlink_obj_stats __percpu **slot)
{
	privlink_obj_count(slot, offsetof(struct privlink_obj_stats, drops));
}

static void privlink_obj_add_packet(struct privlink_obj_stats __percpu *stats,
				    unsigned int len)
{
	struct privlink_obj_stats *s;

	if (!stats)
		return;
	s = this_cpu_ptr(stats);
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->packets);
	u64_stats_add(&s->bytes, len);
	u64_stats_update_end(&s->syncp);
}

/* The target of @svc a flow's reply comes from (RCU). */
static const struct privlink_target *
privlink_target_of_flow(const struct privlink_service *svc,
			const struct nf_conntrack_tuple *orig,
			const struct nf_conntrack_tuple *reply)
{
	const struct privlink_target *t;
	unsigned int i;

	list_for_each_entry_rcu(t, &svc->targets, svc_node) {
		if (t->family != reply->src.l3num ||
		    !privlink_addr_eq(t->family, &t->addr, &reply->src.u3))
			continue;
		if (t->port) {
			if (t->port == reply->src.u.all)
				return t;
			continue;
		}
		/* port 0: the listener's target port */
		for (i = 0; i < svc->n_listeners; i++)
			if (svc->listeners[i].proto == orig->dst.protonum &&
			    svc->listeners[i].port == orig->dst.u.all)
				break;
		if (i < svc->n_listeners &&
		    svc->listeners[i].target_port == reply->src.u.all)
			return t;
	}
	return NULL;
}

/*
 * Count @skb on the ENI, endpoint and target of its privlink flow @f (see
 * flow.c).  In FORWARD, under RCU.
 */
void privlink_account(const struct privlink_flow *f, const struct nf_conn *ct,
		      enum ip_conntrack_info ctinfo, const struct sk_buff *skb)
{
	const struct privlink_target *t;

	if (ctinfo == IP_CT_RELATED || ctinfo == IP_CT_RELATED_REPLY)
		return;
	privlink_obj_add_packet(READ_ONCE(f->eni->stats), skb->len);
	privlink_obj_add_packet(READ_ONCE(f->endpoint->stats), skb->len);
	t = privlink_target_of_flow(f->endpoint->service,
				    &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple,
				    &ct->tuplehash[IP_CT_DIR_REPLY].tuple);
	if (t)
		privlink_obj_add_packet(READ_ONCE(t->stats), skb->len);
}

/* Summed per-CPU counters of an object, as a STATS nest. */
int privlink_obj_stats_fill(struct sk_buff *skb, int attr,
			    const struct privlink_obj_stats __percpu *stats,
			    bool drops)
{
	u64 new_flows = 0, dropped = 0, packets = 0, bytes = 0;
	struct nlattr *nest;
	unsigned int start;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct privlink_obj_stats *s;
		u64 n, d, p, b;

		if (!stats)
			break;
		s = per_cpu_ptr(stats, cpu);
		do {
			start = u64_stats_fetch_begin(&s->syncp);
			n = u64_stats_read(&s->new_flows);
			d = u64_stats_read(&s->drops);
			p = u64_stats_read(&s->packets);
			b = u64_stats_read(&s->bytes);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		new_flows += n;
		dropped += d;
		packets += p;
		bytes += b;
	}
	nest = nla_nest_start(skb, attr);
	if (!nest ||
	    nla_put_u64_64bit(skb, PRIVLINK_OBJ_STATS_A_NEW_FLOWS, new_flows,
			      PRIVLINK_OBJ_STATS_A_PAD) ||
	    (drops && nla_put_u64_64bit(skb, PRIVLINK_OBJ_STATS_A_DROPS,
					dropped, PRIVLINK_OBJ_STATS_A_PAD)) ||
	    nla_put_u64_64bit(skb, PRIVLINK_OBJ_STATS_A_PACKETS, packets,
			      PRIVLINK_OBJ_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, PRIVLINK_OBJ_STATS_A_BYTES, bytes,
			      PRIVLINK_OBJ_STATS_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}
