// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: per-network-namespace state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/net_namespace.h>

#include "privlink.h"

unsigned int privlink_net_id __read_mostly;

static int __net_init privlink_net_init(struct net *net)
{
	struct privlink_net *pn = privlink_pernet(net);

	mutex_init(&pn->lock);
	return privlink_hooks_enable(net);
}

static void __net_exit privlink_net_exit(struct net *net)
{
	privlink_hooks_disable(net);
}

static struct pernet_operations privlink_net_ops = {
	.init = privlink_net_init,
	.exit = privlink_net_exit,
	.id   = &privlink_net_id,
	.size = sizeof(struct privlink_net),
};

int privlink_netns_register(void)
{
	return register_pernet_subsys(&privlink_net_ops);
}

void privlink_netns_unregister(void)
{
	unregister_pernet_subsys(&privlink_net_ops);
}
