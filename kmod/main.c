// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: module entry and exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>
#include <uapi/linux/privlink.h>

#include "privlink.h"

static int __init privlink_init(void)
{
	int err;

	err = privlink_caches_init();
	if (err)
		return err;
	err = privlink_classify_init();
	if (err)
		goto caches;
	err = privlink_netns_register();
	if (err)
		goto classify;
	err = privlink_genl_register();
	if (err)
		goto netns;
	pr_info("version %s loaded\n", PRIVLINK_VERSION);
	return 0;

netns:
	privlink_netns_unregister();
	rcu_barrier();
classify:
	privlink_classify_exit();
caches:
	privlink_caches_exit();
	return err;
}

static void __exit privlink_exit(void)
{
	/* No new requests after this; then every netns is torn down. */
	privlink_genl_unregister();
	privlink_netns_unregister();
	privlink_classify_exit();	/* the hooks are gone */
	/* Every object was released above; their memory goes by kfree_rcu. */
	rcu_barrier();
	WARN(atomic64_read(&privlink_live_objects),
	     "privlink: %lld objects leaked\n",
	     atomic64_read(&privlink_live_objects));
	privlink_caches_exit();
	pr_info("unloaded\n");
}

module_init(privlink_init);
module_exit(privlink_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("PrivateLink-style endpoint NAT for Linux routers");
MODULE_VERSION(PRIVLINK_VERSION);
/*
 * No MODULE_ALIAS_GENL_FAMILY: resolving the "privlink" family must not let
 * any local user load the module; the administrator loads it (modprobe).
 */
