// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: what all configuration objects share: allocation accounting,
 * names, address checks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/inetdevice.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "privlink.h"

/* Objects allocated and not yet released, module-wide (a leak check). */
atomic64_t privlink_live_objects = ATOMIC64_INIT(0);

/*
 * Endpoints and ENIs are the objects there are 100k of: own caches, so they
 * take their exact size rather than the next kmalloc size.  Freed with
 * call_rcu() (rcu_barrier() at module exit precedes the caches' destruction).
 */
struct kmem_cache *privlink_endpoint_cache __read_mostly;
struct kmem_cache *privlink_eni_cache __read_mostly;

int __init privlink_caches_init(void)
{
	privlink_endpoint_cache = KMEM_CACHE(privlink_endpoint, SLAB_ACCOUNT);
	privlink_eni_cache = KMEM_CACHE(privlink_eni, SLAB_ACCOUNT);
	if (!privlink_endpoint_cache || !privlink_eni_cache) {
		privlink_caches_exit();
		return -ENOMEM;
	}
	return 0;
}

void privlink_caches_exit(void)
{
	kmem_cache_destroy(privlink_eni_cache);
	kmem_cache_destroy(privlink_endpoint_cache);
}

void *privlink_cache_alloc(struct kmem_cache *cache)
{
	void *obj = kmem_cache_zalloc(cache, GFP_KERNEL_ACCOUNT);

	if (obj)
		atomic64_inc(&privlink_live_objects);
	return obj;
}

void *privlink_obj_alloc(size_t size)
{
	void *obj = kzalloc(size, GFP_KERNEL_ACCOUNT);

	if (obj)
		atomic64_inc(&privlink_live_objects);
	return obj;
}

/*
 * Configuration objects allowed per netns (see "Limits" in the uapi header):
 * each namespace copies it into privlink_net.max_objects when privlink sets
 * it up (at module load for those that exist, at creation for the others).
 */
unsigned int privlink_max_objects_param = PRIVLINK_MAX_OBJECTS_DEFAULT;
module_param_named(max_objects, privlink_max_objects_param, uint, 0644);
MODULE_PARM_DESC(max_objects,
		 "configuration objects (AZs, VPCs, services, targets, endpoints, ENIs) allowed per network namespace (read when privlink sets a namespace up)");

/*
 * Room for @n more configuration objects in @pn: true, or false with the
 * extack set (the caller fails with -ENOSPC).  Under privlink_net.lock, as
 * the counts and the limit are.
 */
bool privlink_objects_room(struct privlink_net *pn, unsigned int n,
			   struct netlink_ext_ack *extack)
{
	u64 used;

	lockdep_assert_held(&pn->lock);
	used = (u64)pn->n_azs + pn->n_vpcs + pn->n_services + pn->n_targets +
	       pn->n_endpoints + pn->n_enis;
	if (used + n <= pn->max_objects)
		return true;
	NL_SET_ERR_MSG(extack,
		       "the namespace's object limit (max_objects) is reached; delete objects first");
	return false;
}

/* The number of attributes nested in @nest (0 for none), e.g. an add's ENIs. */
unsigned int privlink_nla_count(const struct nlattr *nest)
{
	const struct nlattr *a;
	unsigned int n = 0;
	int rem;

	if (nest)
		nla_for_each_nested(a, nest, rem)
			n++;
	return n;
}

/* Names: 1..PRIVLINK_NAME_MAX-1 characters of [A-Za-z0-9._:-]. */
bool privlink_name_valid(const char *name, struct netlink_ext_ack *extack)
{
	const char *c;

	if (!*name) {
		NL_SET_ERR_MSG(extack, "name must not be empty");
		return false;
	}
	for (c = name; *c; c++) {
		/* the kernel's isalnum() takes Latin-1 letters too */
		if ((isascii(*c) && isalnum(*c)) || *c == '.' || *c == '_' ||
		    *c == ':' || *c == '-')
			continue;
		NL_SET_ERR_MSG(extack,
			       "names may only contain letters, digits and . _ : -");
		return false;
	}
	return true;
}

/*
 * An AWS-style id: @prefix and 17 hex digits ("vpce-0a1b2c3d4e5f67890"),
 * random and unused in this netns.  Called under privlink_net.lock.
 */
void privlink_name_generate(struct privlink_net *pn, const char *prefix,
			    privlink_name_used_t used, char *name)
{
	do {
		snprintf(name, PRIVLINK_NAME_MAX, "%s0%016llx", prefix,
			 get_random_u64());
	} while (used(pn, name));
}

bool privlink_addr_in(__be32 addr, __be32 net, u8 plen)
{
	__be32 mask = inet_make_mask(plen);

	return (addr & mask) == (net & mask);
}

bool privlink_addr6_in(const struct in6_addr *addr,
		       const struct in6_addr *net, u8 plen)
{
	return ipv6_prefix_equal(addr, net, plen);
}
