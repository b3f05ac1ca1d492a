// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: netfilter hook registration, per network namespace.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>

#include "privlink.h"

static unsigned int privlink_prerouting(void *priv, struct sk_buff *skb,
					const struct nf_hook_state *state)
{
	return NF_ACCEPT;
}

static const struct nf_hook_ops privlink_hook_ops[] = {
	{
		.hook     = privlink_prerouting,
		.pf       = NFPROTO_IPV4,
		.hooknum  = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_NAT_DST,
	},
};

/* Called with the netns being set up, or under privlink_net.lock. */
int privlink_hooks_enable(struct net *net)
{
	struct privlink_net *pn = privlink_pernet(net);
	int err;

	if (pn->hooks_on)
		return 0;
	err = nf_register_net_hooks(net, privlink_hook_ops,
				    ARRAY_SIZE(privlink_hook_ops));
	if (err)
		return err;
	WRITE_ONCE(pn->hooks_on, true);
	return 0;
}

void privlink_hooks_disable(struct net *net)
{
	struct privlink_net *pn = privlink_pernet(net);

	if (!pn->hooks_on)
		return;
	nf_unregister_net_hooks(net, privlink_hook_ops,
				ARRAY_SIZE(privlink_hook_ops));
	WRITE_ONCE(pn->hooks_on, false);
}
