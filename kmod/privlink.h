/* SPDX-License-Identifier: GPL-2.0 */
/*
 * privlink: module-internal declarations shared between the kmod/ files.
 */
#ifndef _PRIVLINK_H
#define _PRIVLINK_H

#include <linux/mutex.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#define PRIVLINK_VERSION "0.1.0"

/*
 * struct privlink_net - privlink's state in one network namespace.
 *
 * Allocated and zeroed by the pernet core (privlink_net_ops.size) before
 * privlink_net_init() runs and freed after privlink_net_exit(); it lives
 * exactly as long as the namespace.
 *
 * @lock:        serialises every writer of this namespace's configuration
 *               (generic netlink requests, hook registration).
 * @hooks_on:    netfilter hooks registered in this netns; written under
 *               @lock, read locklessly (READ_ONCE) for reporting.
 */
struct privlink_net {
	struct mutex lock;	/* see @lock above */
	bool hooks_on;
};

extern unsigned int privlink_net_id;

static inline struct privlink_net *privlink_pernet(const struct net *net)
{
	return net_generic(net, privlink_net_id);
}

int privlink_netns_register(void);
void privlink_netns_unregister(void);

int privlink_genl_register(void);
void privlink_genl_unregister(void);

int privlink_hooks_enable(struct net *net);
void privlink_hooks_disable(struct net *net);

#endif /* _PRIVLINK_H */
