// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: per-network-namespace state, its setup and teardown, and the
 * netdevice notifier that drops vanished interfaces from their VPC.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/random.h>
#include <net/net_namespace.h>

#include "privlink.h"

unsigned int privlink_net_id __read_mostly;

static int __net_init privlink_net_init(struct net *net)
{
	struct privlink_net *pn = privlink_pernet(net);
	int err;

	mutex_init(&pn->lock);
	pn->gen = 1;
	INIT_LIST_HEAD(&pn->azs);
	INIT_LIST_HEAD(&pn->vpcs);
	INIT_LIST_HEAD(&pn->services);
	INIT_LIST_HEAD(&pn->targets);
	INIT_LIST_HEAD(&pn->endpoints);
	INIT_LIST_HEAD(&pn->eni_list);
	err = rhashtable_init(&pn->vpc_names, &privlink_vpc_name_params);
	if (err)
		return err;
	err = rhashtable_init(&pn->service_names,
			      &privlink_service_name_params);
	if (err)
		goto free_vpc;
	err = rhashtable_init(&pn->endpoint_names,
			      &privlink_endpoint_name_params);
	if (err)
		goto free_svc;
	err = rhashtable_init(&pn->ifaces, &privlink_iface_params);
	if (err)
		goto free_ep;
	err = rhashtable_init(&pn->enis, &privlink_eni_params);
	if (err)
		goto free_if;
	err = rhashtable_init(&pn->nlbs, &privlink_nlb_params);
	if (err)
		goto free_eni;
	err = rhashtable_init(&pn->enis6, &privlink_eni6_params);
	if (err)
		goto free_nlb;
	err = rhashtable_init(&pn->nlbs6, &privlink_nlb6_params);
	if (err)
		goto free_eni6;
	get_random_bytes(&pn->hash_key, sizeof(pn->hash_key));
	xa_init_flags(&pn->vpc_zones, XA_FLAGS_ALLOC1);
	pn->max_objects = READ_ONCE(privlink_max_objects_param);
	pn->stats = alloc_percpu(struct privlink_stats);
	if (!pn->stats) {
		err = -ENOMEM;
		goto free_nlb6;
	}
	return 0;

free_nlb6:
	rhashtable_destroy(&pn->nlbs6);
free_eni6:
	rhashtable_destroy(&pn->enis6);
free_nlb:
	rhashtable_destroy(&pn->nlbs);
free_eni:
	rhashtable_destroy(&pn->enis);
free_if:
	rhashtable_destroy(&pn->ifaces);
free_ep:
	rhashtable_destroy(&pn->endpoint_names);
free_svc:
	rhashtable_destroy(&pn->service_names);
free_vpc:
	rhashtable_destroy(&pn->vpc_names);
	return err;
}

/*
 * The namespace is going away (or the module is unloading): release the whole
 * configuration, dependents first.  No events: nobody is left to hear them.
 *
 * Module unload with the namespace alive: privlink's flows end too, every
 * flow of every VPC's zone, in one walk after the unlock.  The hooks go
 * first (privlink_hooks_disable() waits for packets in flight), so no
 * packet can set up a new privlink flow after the walk (a walk before the
 * unhooking could miss a flow set up meanwhile).
 */
static void __net_exit privlink_net_exit(struct net *net)
{
	struct privlink_net *pn = privlink_pernet(net);
	struct privlink_flow_batch fb = {};
	struct privlink_vpc *vpc;

	mutex_lock(&pn->lock);
	if (pn->hooks_on) {
		privlink_hooks_disable(net);
		list_for_each_entry(vpc, &pn->vpcs, node)
			privlink_flow_batch_zone(&fb, vpc->zone);
		fb.quiesced = true;	/* privlink_hooks_disable() waited */
	}
	privlink_endpoint_flush(pn);
	privlink_service_flush(pn);
	privlink_vpc_flush(net, pn);	/* the last VPC unhooks */
	privlink_az_flush(pn);
	mutex_unlock(&pn->lock);
	privlink_flows_end(net, &fb);
	free_percpu(pn->stats);
	xa_destroy(&pn->vpc_zones);
	rhashtable_destroy(&pn->nlbs6);
	rhashtable_destroy(&pn->enis6);
	rhashtable_destroy(&pn->nlbs);
	rhashtable_destroy(&pn->enis);
	rhashtable_destroy(&pn->ifaces);
	rhashtable_destroy(&pn->endpoint_names);
	rhashtable_destroy(&pn->service_names);
	rhashtable_destroy(&pn->vpc_names);
}

static struct pernet_operations privlink_net_ops = {
	.init = privlink_net_init,
	.exit = privlink_net_exit,
	.id   = &privlink_net_id,
	.size = sizeof(struct privlink_net),
};

/*
 * An interface that is unregistered leaves its VPC: its ifindex may be
 * reused by an unrelated device later.  One that joins or leaves a VRF
 * moves its VPC to another routing table (steer.c).  Runs under RTNL; takes
 * privlink_net.lock (the order is always RTNL, then privlink_net.lock).
 */
static int privlink_netdev_event(struct notifier_block *nb,
				 unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (event == NETDEV_UNREGISTER)
		privlink_vpc_iface_gone(dev_net(dev), dev->ifindex);
	else if (event == NETDEV_CHANGEUPPER)
		privlink_vpc_iface_moved(dev_net(dev), dev->ifindex);
	return NOTIFY_DONE;
}

static struct notifier_block privlink_netdev_nb = {
	.notifier_call = privlink_netdev_event,
};

int __init privlink_netns_register(void)
{
	int err;

	err = register_pernet_subsys(&privlink_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&privlink_netdev_nb);
	if (err)
		unregister_pernet_subsys(&privlink_net_ops);
	return err;
}

void privlink_netns_unregister(void)
{
	unregister_netdevice_notifier(&privlink_netdev_nb);
	unregister_pernet_subsys(&privlink_net_ops);
}
