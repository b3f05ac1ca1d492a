// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: a service's idle timeout, applied to its flows through
 * conntrack's own timeout policies (struct nf_ct_timeout, the objects behind
 * "nft ct timeout" and nfnetlink_cttimeout).
 *
 * A service owns one policy for TCP and one for UDP: the namespace's
 * conntrack defaults with TCP ESTABLISHED and UDP "replied" (stream) set to
 * the idle timeout.  Each new flow takes a reference (nf_ct_timeout_ext_add()
 * while the flow is still unconfirmed); conntrack drops it when the flow is
 * freed, and frees the policy (kfree_rcu) with the last reference - so a
 * policy may outlive its service and even the module.  A changed idle
 * timeout applies to new flows; existing ones keep theirs.
 *
 * The pointers in privlink_service.timeouts are RCU: replaced under
 * privlink_net.lock, read by privlink_nat().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <net/netfilter/nf_conntrack_l4proto.h>
#include <net/netfilter/nf_conntrack_timeout.h>

#include "privlink.h"

static struct nf_ct_timeout *privlink_timeout_new(struct net *net, u8 proto,
						  u32 idle)
{
	const struct nf_conntrack_l4proto *l4 = nf_ct_l4proto_find(proto);
	struct nf_ct_timeout *t;
	unsigned int *v;
	size_t size;

	if (!l4 || l4->l4proto != proto)
		return NULL;
	size = proto == IPPROTO_TCP ?
	       sizeof(nf_tcp_pernet(net)->timeouts) :
	       sizeof(nf_udp_pernet(net)->timeouts);
	t = kzalloc(sizeof(*t) + size, GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	refcount_set(&t->refcnt, 1);
	/*
	 * One policy for both families: conntrack reads only the l4 data of
	 * an attached policy (nf_ct_timeout_data()); l3num is checked only by
	 * nf_ct_set_timeout() and shown by nfnetlink_cttimeout, neither of
	 * which sees privlink's policies.
	 */
	t->l3num = NFPROTO_INET;
	t->l4proto = l4;
	v = (unsigned int *)t->data;
	if (proto == IPPROTO_TCP) {
		memcpy(v, nf_tcp_pernet(net)->timeouts, size);
		v[TCP_CONNTRACK_ESTABLISHED] = idle * HZ;
	} else {
		memcpy(v, nf_udp_pernet(net)->timeouts, size);
		v[UDP_CT_REPLIED] = idle * HZ;
	}
	return t;
}

static void privlink_timeout_put(struct nf_ct_timeout *t)
{
	if (t && refcount_dec_and_test(&t->refcnt))
		kfree_rcu(t, rcu);
}

/* New policies for @svc->idle_timeout.  Under privlink_net.lock. */
int privlink_timeouts_set(struct net *net, struct privlink_service *svc)
{
	struct nf_ct_timeout *tcp, *udp, *old_tcp, *old_udp;

	tcp = privlink_timeout_new(net, IPPROTO_TCP, svc->idle_timeout);
	udp = privlink_timeout_new(net, IPPROTO_UDP, svc->idle_timeout);
	if (!tcp || !udp) {
		privlink_timeout_put(tcp);
		privlink_timeout_put(udp);
		return -ENOMEM;
	}
	old_tcp = rcu_replace_pointer(svc->timeouts[0], tcp, true);
	old_udp = rcu_replace_pointer(svc->timeouts[1], udp, true);
	privlink_timeout_put(old_tcp);
	privlink_timeout_put(old_udp);
	return 0;
}

/* The service goes: drop its references. */
void privlink_timeouts_release(struct privlink_service *svc)
{
	privlink_timeout_put(rcu_replace_pointer(svc->timeouts[0], NULL, true));
	privlink_timeout_put(rcu_replace_pointer(svc->timeouts[1], NULL, true));
}

/* Attach the service's policy to a new, unconfirmed flow.  Under RCU. */
void privlink_timeout_attach(struct nf_conn *ct,
			     const struct privlink_service *svc, u8 proto)
{
	struct nf_ct_timeout *t;

	t = rcu_dereference(svc->timeouts[proto == IPPROTO_TCP ? 0 : 1]);
	if (t)
		nf_ct_timeout_ext_add(ct, t, GFP_ATOMIC);
}
