// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: VPCs, the networks attached to the router, and the table that
 * maps an arriving packet's interface to its VPC (privlink_net.ifaces,
 * ifindex -> privlink_vpc_if, read under RCU by the packet path).
 *
 * Zones: each VPC has a conntrack zone of its own, 1..65535 (0 is
 * conntrack's default zone: unzoned traffic and every flow's reply
 * direction).  privlink_net.vpc_zones, an allocating xarray, is both the
 * zone -> VPC map the packet path reads with xa_load() and the allocator: a
 * VPC added without a zone gets the lowest free one with xa_alloc(), in
 * O(log n) whatever the number of VPCs.
 *
 * Changes are all-or-nothing.  A VPC add or set that fails leaves the
 * namespace exactly as it was: no interface entry, zone, name, hook, VRF
 * count or allocation stays behind.  Everything that can fail is done
 * before the interfaces are published (privlink_net.ifaces is what makes
 * packets see a VPC), and a set inserts the interfaces that come before it
 * removes those that go, leaving those that stay untouched, so their
 * packets are classified into the VPC's zone throughout.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <net/ipv6.h>
#include <net/l3mdev.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_zones.h>

#include "privlink.h"

const struct nla_policy privlink_vpc_policy[PRIVLINK_VPC_A_MAX + 1] = {
	[PRIVLINK_VPC_A_NAME]      = { .type = NLA_NUL_STRING,
				       .len = PRIVLINK_NAME_MAX - 1 },
	[PRIVLINK_VPC_A_ACCOUNT]   = { .type = NLA_NUL_STRING,
				       .len = PRIVLINK_NAME_MAX - 1 },
	[PRIVLINK_VPC_A_CIDR_ADDR] = { .type = NLA_BE32 },
	[PRIVLINK_VPC_A_CIDR_PLEN] =
		NLA_POLICY_RANGE(NLA_U8, PRIVLINK_VPC_PLEN_MIN, 32),
	[PRIVLINK_VPC_A_IFACES]    = { .type = NLA_NESTED,
				       .nested_policy = privlink_vpc_policy,
				       .len = PRIVLINK_VPC_A_MAX },
	[PRIVLINK_VPC_A_IFINDEX]   = NLA_POLICY_MIN(NLA_U32, 1),
	/*
	 * 1..65535: privlink_vpc_add() refuses 0 itself, with a message that
	 * says why (a range policy would only say "integer out of range").
	 */
	[PRIVLINK_VPC_A_ZONE]      = { .type = NLA_U16 },
	[PRIVLINK_VPC_A_CIDR6_ADDR] = NLA_POLICY_EXACT_LEN(PRIVLINK_ADDR6_LEN),
	[PRIVLINK_VPC_A_CIDR6_PLEN] =
		NLA_POLICY_RANGE(NLA_U8, PRIVLINK_VPC_PLEN6_MIN, 128),
};

const struct rhashtable_params privlink_vpc_name_params = {
	.key_len     = PRIVLINK_NAME_MAX,
	.key_offset  = offsetof(struct privlink_vpc, name),
	.head_offset = offsetof(struct privlink_vpc, hnode),
	.automatic_shrinking = true,
};

const struct rhashtable_params privlink_iface_params = {
	.key_len     = sizeof(int),
	.key_offset  = offsetof(struct privlink_vpc_if, ifindex),
	.head_offset = offsetof(struct privlink_vpc_if, hnode),
	.automatic_shrinking = true,
};

/* The VPC named by @attr, or NULL with the extack set. */
struct privlink_vpc *privlink_vpc_lookup(struct privlink_net *pn,
					 const struct nlattr *attr,
					 struct netlink_ext_ack *extack)
{
	char name[PRIVLINK_NAME_MAX];
	struct privlink_vpc *vpc;

	lockdep_assert_held(&pn->lock);
	if (privlink_nl_get_name(attr, name, extack))
		return NULL;
	vpc = rhashtable_lookup_fast(&pn->vpc_names, name,
				     privlink_vpc_name_params);
	if (!vpc)
		NL_SET_ERR_MSG_ATTR(extack, attr, "no VPC with this name");
	return vpc;
}

void privlink_vpc_put(struct privlink_vpc *vpc)
{
	if (refcount_dec_and_test(&vpc->ref)) {
		atomic64_dec(&privlink_live_objects);
		kfree_rcu(vpc, rcu);
	}
}

/* The VPC's IPv4 CIDR and IPv6 prefix, those the request gives. */
static int privlink_vpc_prefixes(struct privlink_vpc *vpc, struct nlattr **tb,
				 struct netlink_ext_ack *extack)
{
	struct in6_addr net6;

	if (tb[PRIVLINK_VPC_A_CIDR_ADDR]) {
		vpc->cidr = nla_get_be32(tb[PRIVLINK_VPC_A_CIDR_ADDR]);
		vpc->plen = nla_get_u8(tb[PRIVLINK_VPC_A_CIDR_PLEN]);
		if (vpc->cidr & ~inet_make_mask(vpc->plen)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PRIVLINK_VPC_A_CIDR_ADDR],
					    "the CIDR has host bits set (give the network address)");
			return -EINVAL;
		}
		vpc->families |= PRIVLINK_IP_V4;
	}
	if (tb[PRIVLINK_VPC_A_CIDR6_ADDR]) {
		vpc->cidr6 = nla_get_in6_addr(tb[PRIVLINK_VPC_A_CIDR6_ADDR]);
		vpc->plen6 = nla_get_u8(tb[PRIVLINK_VPC_A_CIDR6_PLEN]);
		ipv6_addr_prefix(&net6, &vpc->cidr6, vpc->plen6);
		if (!ipv6_addr_equal(&net6, &vpc->cidr6)) {
			NL_SET_ERR_MSG_ATTR(extack,
					    tb[PRIVLINK_VPC_A_CIDR6_ADDR],
					    "the IPv6 prefix has host bits set (give the network address)");
			return -EINVAL;
		}
		/* global unicast 2000::/3 or unique local fc00::/7 */
		if ((vpc->cidr6.s6_addr[0] & 0xe0) != 0x20 &&
		    (vpc->cidr6.s6_addr[0] & 0xfe) != 0xfc) {
			NL_SET_ERR_MSG_ATTR(extack,
					    tb[PRIVLINK_VPC_A_CIDR6_ADDR],
					    "a VPC's IPv6 prefix is a global or unique local unicast prefix");
			return -EINVAL;
		}
		vpc->families |= PRIVLINK_IP_V6;
	}
	return 0;
}

static int privlink_vpc_fill(struct sk_buff *skb, const void *obj)
{
	const struct privlink_vpc *vpc = obj;
	struct nlattr *nest, *ifs;
	unsigned int i;

	nest = nla_nest_start(skb, PRIVLINK_A_VPC);
	if (!nest ||
	    nla_put_string(skb, PRIVLINK_VPC_A_NAME, vpc->name) ||
	    nla_put_string(skb, PRIVLINK_VPC_A_ACCOUNT, vpc->account) ||
	    (vpc->plen &&
	     (nla_put_be32(skb, PRIVLINK_VPC_A_CIDR_ADDR, vpc->cidr) ||
	      nla_put_u8(skb, PRIVLINK_VPC_A_CIDR_PLEN, vpc->plen))) ||
	    (vpc->plen6 &&
	     (nla_put_in6_addr(skb, PRIVLINK_VPC_A_CIDR6_ADDR, &vpc->cidr6) ||
	      nla_put_u8(skb, PRIVLINK_VPC_A_CIDR6_PLEN, vpc->plen6))) ||
	    nla_put_u16(skb, PRIVLINK_VPC_A_ZONE, vpc->zone))
		return -EMSGSIZE;
	ifs = nla_nest_start(skb, PRIVLINK_VPC_A_IFACES);
	if (!ifs)
		return -EMSGSIZE;
	for (i = 0; i < vpc->n_ifaces; i++)
		if (nla_put_u32(skb, PRIVLINK_VPC_A_IFINDEX,
				vpc->ifaces[i]->ifindex))
			return -EMSGSIZE;
	nla_nest_end(skb, ifs);
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * Unpublish @vif: packets that found it may still use it (and its VPC)
 * until a grace period ends, so it is freed after one.
 */
static void privlink_vpc_if_remove(struct net *net, struct privlink_net *pn,
				   struct privlink_vpc_if *vif)
{
	lockdep_assert_held(&pn->lock);
	privlink_fastpath_detach(net, vif);
	rhashtable_remove_fast(&pn->ifaces, &vif->hnode, privlink_iface_params);
	privlink_obj_free(vif);
}

static void privlink_vpc_set_vrf(struct privlink_net *pn,
				 struct privlink_vpc *vpc, bool vrf)
{
	if (vrf == vpc->vrf)
		return;
	WRITE_ONCE(vpc->vrf, vrf);
	WRITE_ONCE(pn->vrf_vpcs, pn->vrf_vpcs + (vrf ? 1 : -1));
}

/*
 * The routing table a VPC with the interfaces @vifs is in: the VRF's (its
 * ifindex, > 0) when one of them is a VRF or a port of one, else the main
 * table (0); -1 when it has no interface (it is routed nowhere).
 * *@route_ifindex gets the device steer.c routes its flows by: that VRF,
 * else the first interface.  Under @lock (the list) and RCU (the devices).
 */
static int privlink_vifs_table(struct net *net,
			       struct privlink_vpc_if *const *vifs,
			       unsigned int n, int *route_ifindex)
{
	int route = 0, table = -1, master;
	struct net_device *dev;
	unsigned int i;

	for (i = 0; i < n; i++) {
		dev = dev_get_by_index_rcu(net, vifs[i]->ifindex);
		if (!dev)
			continue;
		master = netif_is_l3_master(dev) ? dev->ifindex :
			 netif_is_l3_slave(dev) ?
			 l3mdev_master_ifindex_rcu(dev) : 0;
		if (master) {
			route = master;
			table = master;
			break;
		}
		if (!route)
			route = dev->ifindex;
		table = 0;
	}
	*route_ifindex = route;
	return table;
}

/* privlink_vifs_table() of @vpc's interfaces as they are.  Under @lock. */
static int privlink_vpc_table(struct net *net, const struct privlink_vpc *vpc,
			      int *route_ifindex)
{
	int table;

	lockdep_assert_held(&privlink_pernet(net)->lock);
	rcu_read_lock();
	table = privlink_vifs_table(net, vpc->ifaces, vpc->n_ifaces,
				    route_ifindex);
	rcu_read_unlock();
	return table;
}

/*
 * Recompute the device @vpc's traffic is routed by (steer.c) and whether it
 * is attached through a VRF, after its interfaces changed or one of them
 * joined or left a VRF.  Keeps privlink_net.vrf_vpcs counting the VPCs
 * whose vrf flag is set.
 */
static void privlink_vpc_route_dev(struct net *net, struct privlink_net *pn,
				   struct privlink_vpc *vpc)
{
	int ifindex, table;

	lockdep_assert_held(&pn->lock);
	table = privlink_vpc_table(net, vpc, &ifindex);
	WRITE_ONCE(vpc->route_ifindex, ifindex);
	privlink_vpc_set_vrf(pn, vpc, table > 0);
}

/*
 * Does @vpc's CIDR overlap that of another VPC routed by @table (see
 * privlink_vifs_table())?  One routing table cannot tell two such VPCs
 * apart: the replies of one would be routed into the other (and dropped by
 * privlink_forward()).  Under @lock.
 */
static bool privlink_vpc_overlaps(struct privlink_net *pn,
				  const struct privlink_vpc *vpc, int table)
{
	const struct privlink_vpc *o;

	lockdep_assert_held(&pn->lock);
	if (table < 0)
		return false;
	list_for_each_entry(o, &pn->vpcs, node) {
		if (o == vpc || !o->n_ifaces ||
		    (o->vrf ? o->route_ifindex : 0) != table)
			continue;
		if (o->plen && vpc->plen &&
		    privlink_addr_in(o->cidr, vpc->cidr, min(o->plen, vpc->plen)))
			return true;
		if (o->plen6 && vpc->plen6 &&
		    privlink_addr6_in(&o->cidr6, &vpc->cidr6,
				      min(o->plen6, vpc->plen6)))
			return true;
	}
	return false;
}

/*
 * The netdevice notifier saw @ifindex join or leave a master device (a VRF
 * among others): if it is a VPC's interface, the table the VPC is routed
 * by may have changed.  An overlap this creates cannot be refused here
 * (plctl(8), ROUTING, says so).  Under RTNL, then @lock.
 */
void privlink_vpc_iface_moved(struct net *net, int ifindex)
{
	struct privlink_net *pn = privlink_pernet(net);
	struct privlink_vpc_if *vif;

	mutex_lock(&pn->lock);
	vif = rhashtable_lookup_fast(&pn->ifaces, &ifindex,
				     privlink_iface_params);
	if (vif)
		privlink_vpc_route_dev(net, pn, vif->vpc);
	mutex_unlock(&pn->lock);
}

/*
 * A VPC's next interface list, checked and allocated by
 * privlink_vpc_ifaces_prepare() and then either applied by
 * privlink_vpc_ifaces_commit() or dropped by privlink_vpc_ifaces_abort().
 * @vifs holds the list in request order: the VPC's own privlink_vpc_if for
 * an interface it keeps, a new one (@fresh) for an interface it gains.
 */
struct privlink_vpc_ifaces {
	unsigned int n;
	struct privlink_vpc_if *vifs[PRIVLINK_MAX_IFACES];
	bool fresh[PRIVLINK_MAX_IFACES];
};

/*
 * Drop a prepared list: its new entries are not (any more) in
 * privlink_net.ifaces; packets may have found them, so they go after a
 * grace period.
 */
static void privlink_vpc_ifaces_abort(struct privlink_vpc_ifaces *next)
{
	unsigned int i;

	for (i = 0; i < next->n; i++)
		if (next->fresh[i])
			privlink_obj_free(next->vifs[i]);
	next->n = 0;
}

/*
 * Check the IFACES nest @ifaces (its policy validated its members' types
 * and values) for @vpc and allocate what it lacks, changing nothing
 * anyone can see.  0, or an error with the extack set and nothing
 * allocated.
 */
static int privlink_vpc_ifaces_prepare(struct net *net,
				       struct privlink_net *pn,
				       struct privlink_vpc *vpc,
				       const struct nlattr *ifaces,
				       struct privlink_vpc_ifaces *next,
				       struct netlink_ext_ack *extack)
{
	struct privlink_vpc_if *vif;
	const struct nlattr *a;
	unsigned int i;
	int rem, ifindex, table, err;
	bool exists;

	lockdep_assert_held(&pn->lock);
	next->n = 0;
	nla_for_each_nested(a, ifaces, rem) {
		if (nla_type(a) != PRIVLINK_VPC_A_IFINDEX) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "the interface list may only hold interface indexes");
			err = -EINVAL;
			goto abort;
		}
		if (next->n == PRIVLINK_MAX_IFACES) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "a VPC can have at most 16 interfaces");
			err = -ENOSPC;
			goto abort;
		}
		ifindex = nla_get_u32(a);
		rcu_read_lock();
		exists = dev_get_by_index_rcu(net, ifindex);
		rcu_read_unlock();
		if (!exists) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "no interface with this index in the namespace");
			err = -ENODEV;
			goto abort;
		}
		for (i = 0; i < next->n; i++) {
			if (next->vifs[i]->ifindex == ifindex) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "the interface is listed twice");
				err = -EINVAL;
				goto abort;
			}
		}
		vif = rhashtable_lookup_fast(&pn->ifaces, &ifindex,
					     privlink_iface_params);
		if (vif && vif->vpc != vpc) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "the interface already belongs to another VPC");
			err = -EBUSY;
			goto abort;
		}
		next->fresh[next->n] = !vif;
		if (!vif) {
			vif = privlink_obj_alloc(sizeof(*vif));
			if (!vif) {
				err = -ENOMEM;
				goto abort;
			}
			vif->ifindex = ifindex;
			vif->vpc = vpc;
		}
		next->vifs[next->n++] = vif;
	}
	rcu_read_lock();
	table = privlink_vifs_table(net, next->vifs, next->n, &ifindex);
	rcu_read_unlock();
	if (privlink_vpc_overlaps(pn, vpc, table)) {
		NL_SET_ERR_MSG_ATTR(extack, ifaces,
				    "the VPC's CIDR overlaps another VPC's routed by the same table (the main one or one VRF's): attach each of them through a VRF of its own");
		err = -EEXIST;
		goto abort;
	}
	return 0;

abort:
	privlink_vpc_ifaces_abort(next);
	return err;
}

static bool privlink_vpc_ifaces_has(const struct privlink_vpc_ifaces *next,
				    const struct privlink_vpc_if *vif)
{
	unsigned int i;

	for (i = 0; i < next->n; i++)
		if (next->vifs[i] == vif)
			return true;
	return false;
}

/*
 * Give @vpc the prepared interface list @next.  The new interfaces are
 * published first, then those that are not in @next any more are removed;
 * those that stay keep their privlink_vpc_if, so packets arriving on them
 * never miss their VPC.  All-or-nothing: on error (the interface table
 * could not grow) the new entries are removed again and freed, @vpc keeps
 * its old interfaces, and the extack says what failed.
 */
static int privlink_vpc_ifaces_commit(struct net *net,
				      struct privlink_net *pn,
				      struct privlink_vpc *vpc,
				      struct privlink_vpc_ifaces *next,
				      struct netlink_ext_ack *extack)
{
	unsigned int i;
	int err;

	lockdep_assert_held(&pn->lock);
	for (i = 0; i < next->n; i++) {
		if (!next->fresh[i])
			continue;
		err = rhashtable_insert_fast(&pn->ifaces, &next->vifs[i]->hnode,
					     privlink_iface_params);
		if (err) {
			while (i--)
				if (next->fresh[i])
					rhashtable_remove_fast(&pn->ifaces,
							       &next->vifs[i]->hnode,
							       privlink_iface_params);
			privlink_vpc_ifaces_abort(next);
			NL_SET_ERR_MSG(extack,
				       "out of memory adding the interfaces to the interface table");
			return err;
		}
	}
	for (i = 0; i < vpc->n_ifaces; i++)
		if (!privlink_vpc_ifaces_has(next, vpc->ifaces[i]))
			privlink_vpc_if_remove(net, pn, vpc->ifaces[i]);
	for (i = 0; i < next->n; i++) {
		vpc->ifaces[i] = next->vifs[i];
		if (next->fresh[i])
			privlink_fastpath_attach(net, pn, next->vifs[i]);
	}
	vpc->n_ifaces = next->n;
	privlink_vpc_route_dev(net, pn, vpc);
	return 0;
}

/*
 * Reserve the conntrack zone of a new VPC: the one @attr asks for (1..65535,
 * checked by the caller), else the lowest free one.  The slot holds a
 * reserved entry, which xa_load() reads as NULL, until the caller stores the
 * VPC there; xa_erase() releases it either way.
 */
static int privlink_zone_reserve(struct privlink_net *pn,
				 const struct nlattr *attr, u16 *zone,
				 struct netlink_ext_ack *extack)
{
	u32 id;
	int err;

	lockdep_assert_held(&pn->lock);
	if (attr) {
		id = nla_get_u16(attr);
		err = xa_insert(&pn->vpc_zones, id, NULL, GFP_KERNEL);
		if (err == -EBUSY) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "another VPC uses this conntrack zone");
			err = -EEXIST;
		}
	} else {
		err = xa_alloc(&pn->vpc_zones, &id, NULL,
			       XA_LIMIT(1, U16_MAX), GFP_KERNEL);
		if (err == -EBUSY) {
			NL_SET_ERR_MSG(extack,
				       "no free conntrack zone: all 65535 are in use");
			err = -ENOSPC;
		}
	}
	if (err == -ENOMEM)
		NL_SET_ERR_MSG(extack, "out of memory reserving the conntrack zone");
	if (!err)
		*zone = id;
	return err;
}

/* Each prefix address the request gives has its length, and each length its address. */
static bool privlink_vpc_prefix_pairs(struct genl_info *info, struct nlattr **tb)
{
	return (tb[PRIVLINK_VPC_A_CIDR_ADDR] &&
		privlink_missing(info, PRIVLINK_A_VPC, tb,
				 PRIVLINK_VPC_A_CIDR_PLEN,
				 "the VPC's CIDR prefix length is missing")) ||
	       (tb[PRIVLINK_VPC_A_CIDR_PLEN] &&
		privlink_missing(info, PRIVLINK_A_VPC, tb,
				 PRIVLINK_VPC_A_CIDR_ADDR,
				 "the VPC's CIDR address is missing")) ||
	       (tb[PRIVLINK_VPC_A_CIDR6_ADDR] &&
		privlink_missing(info, PRIVLINK_A_VPC, tb,
				 PRIVLINK_VPC_A_CIDR6_PLEN,
				 "the VPC's IPv6 prefix length is missing")) ||
	       (tb[PRIVLINK_VPC_A_CIDR6_PLEN] &&
		privlink_missing(info, PRIVLINK_A_VPC, tb,
				 PRIVLINK_VPC_A_CIDR6_ADDR,
				 "the VPC's IPv6 prefix address is missing"));
}

int privlink_vpc_add(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_VPC_A_MAX + 1];
	struct privlink_vpc_ifaces next = {};
	struct privlink_vpc *vpc;
	int err;

	err = privlink_nl_nest(info, PRIVLINK_A_VPC, tb, PRIVLINK_VPC_A_MAX,
			       privlink_vpc_policy);
	if (err)
		return err;
	if (privlink_missing(info, PRIVLINK_A_VPC, tb, PRIVLINK_VPC_A_NAME,
			     "the VPC name is missing") ||
	    privlink_missing(info, PRIVLINK_A_VPC, tb, PRIVLINK_VPC_A_ACCOUNT,
			     "the VPC's owner account is missing"))
		return -EINVAL;
	if (!tb[PRIVLINK_VPC_A_CIDR_ADDR] && !tb[PRIVLINK_VPC_A_CIDR6_ADDR]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PRIVLINK_A_VPC],
				    "a VPC needs an IPv4 CIDR, an IPv6 prefix or both");
		return -EINVAL;
	}
	if (privlink_vpc_prefix_pairs(info, tb))
		return -EINVAL;
	if (tb[PRIVLINK_VPC_A_ZONE] && !nla_get_u16(tb[PRIVLINK_VPC_A_ZONE])) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_VPC_A_ZONE],
				    "zone 0 is conntrack's default zone; a VPC's zone is 1..65535");
		return -EINVAL;
	}

	vpc = privlink_obj_alloc(sizeof(*vpc));
	if (!vpc)
		return -ENOMEM;
	refcount_set(&vpc->ref, 1);
	err = privlink_nl_get_name(tb[PRIVLINK_VPC_A_NAME], vpc->name,
				   info->extack);
	if (err)
		goto free;
	err = privlink_nl_get_name(tb[PRIVLINK_VPC_A_ACCOUNT], vpc->account,
				   info->extack);
	if (err)
		goto free;
	err = privlink_vpc_prefixes(vpc, tb, info->extack);
	if (err)
		goto free;

	/* Everything that can fail, before packets can see the VPC. */
	mutex_lock(&pn->lock);
	if (rhashtable_lookup_fast(&pn->vpc_names, vpc->name,
				   privlink_vpc_name_params)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_VPC_A_NAME],
				    "a VPC with this name already exists");
		err = -EEXIST;
		goto unlock;
	}
	if (!privlink_objects_room(pn, 1, info->extack)) {
		err = -ENOSPC;
		goto unlock;
	}
	if (tb[PRIVLINK_VPC_A_IFACES]) {
		err = privlink_vpc_ifaces_prepare(net, pn, vpc,
						  tb[PRIVLINK_VPC_A_IFACES],
						  &next, info->extack);
		if (err)
			goto unlock;
	}
	err = privlink_zone_reserve(pn, tb[PRIVLINK_VPC_A_ZONE], &vpc->zone,
				    info->extack);
	if (err)
		goto abort;
	if (!pn->n_vpcs) {
		err = privlink_hooks_enable(net);
		if (err) {
			NL_SET_ERR_MSG(info->extack,
				       "cannot register privlink's netfilter hooks");
			goto release;
		}
	}
	err = rhashtable_insert_fast(&pn->vpc_names, &vpc->hnode,
				     privlink_vpc_name_params);
	if (err) {
		NL_SET_ERR_MSG(info->extack,
			       "out of memory adding the VPC to the name table");
		goto unhook;
	}
	/* replaces the reserved entry: allocates nothing */
	err = xa_err(xa_store(&pn->vpc_zones, vpc->zone, vpc, GFP_KERNEL));
	if (err) {
		NL_SET_ERR_MSG(info->extack,
			       "out of memory reserving the conntrack zone");
		goto unname;
	}
	/* Publish: the zone maps to the VPC before packets get its zone. */
	err = privlink_vpc_ifaces_commit(net, pn, vpc, &next, info->extack);
	if (err)
		goto unname;
	list_add_tail(&vpc->node, &pn->vpcs);
	pn->n_vpcs++;
	privlink_changed(pn);
	privlink_nl_notify(net, PRIVLINK_CMD_VPC_ADD, privlink_vpc_fill, vpc);
	err = privlink_nl_reply(info, privlink_vpc_fill, vpc);
	mutex_unlock(&pn->lock);
	return err;

unname:
	rhashtable_remove_fast(&pn->vpc_names, &vpc->hnode,
			       privlink_vpc_name_params);
unhook:
	if (!pn->n_vpcs)
		privlink_hooks_disable(net);
release:
	xa_erase(&pn->vpc_zones, vpc->zone);
abort:
	privlink_vpc_ifaces_abort(&next);
unlock:
	mutex_unlock(&pn->lock);
free:
	privlink_vpc_put(vpc);	/* after a GP: a reader may have found it */
	return err;
}

static struct privlink_vpc *privlink_vpc_from_req(struct genl_info *info,
						  struct nlattr **tb)
{
	struct privlink_net *pn = privlink_pernet(genl_info_net(info));

	if (privlink_nl_nest(info, PRIVLINK_A_VPC, tb, PRIVLINK_VPC_A_MAX,
			     privlink_vpc_policy))
		return ERR_PTR(-EINVAL);
	if (privlink_missing(info, PRIVLINK_A_VPC, tb, PRIVLINK_VPC_A_NAME,
			     "the VPC name is missing"))
		return ERR_PTR(-EINVAL);
	return privlink_vpc_lookup(pn, tb[PRIVLINK_VPC_A_NAME],
				   info->extack) ?: ERR_PTR(-ENOENT);
}

static void privlink_vpc_remove(struct net *net, struct privlink_net *pn,
				struct privlink_vpc *vpc)
{
	lockdep_assert_held(&pn->lock);
	while (vpc->n_ifaces)
		privlink_vpc_if_remove(net, pn, vpc->ifaces[--vpc->n_ifaces]);
	privlink_vpc_set_vrf(pn, vpc, false);
	xa_erase(&pn->vpc_zones, vpc->zone);
	rhashtable_remove_fast(&pn->vpc_names, &vpc->hnode,
			       privlink_vpc_name_params);
	list_del(&vpc->node);
	pn->n_vpcs--;
	privlink_changed(pn);
	privlink_vpc_put(vpc);
	if (!pn->n_vpcs) {
		/* counts that must have come back with the last VPC */
		WARN_ON_ONCE(pn->vrf_vpcs || atomic_read(&pn->ifaces.nelems) ||
			     (!xa_empty(&pn->vpc_zones) && !pn->zones_ending));
		privlink_hooks_disable(net);
	}
}

/*
 * Deleting a VPC ends every conntrack entry of its zone, as unloading the
 * module does (flow_end.c): an entry left there would be taken for a flow
 * of the next VPC given that zone.  Only for a VPC that ever had a packet
 * (@tracked), so that deleting thousands of VPCs that never carried
 * traffic costs no grace period and no walk.  (A VPC's very first packet,
 * racing with its delete, may set @tracked after the delete read it: that
 * one entry is left to conntrack's timeouts.)  The zone stays reserved in
 * vpc_zones (xa_reserve: no add can take it) until the walk is over, and
 * the walk comes after packets that may still classify into the zone are
 * gone: privlink_flows_end() waits for a grace period first, unless this
 * was the namespace's last VPC, whose unhooking waited for one already.
 * Both after pn->lock is released.
 */
int privlink_vpc_del(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_VPC_A_MAX + 1];
	struct privlink_flow_batch fb = {};
	struct privlink_vpc *vpc;
	bool tracked, held;
	int err = 0;
	u16 zone;

	mutex_lock(&pn->lock);
	vpc = privlink_vpc_from_req(info, tb);
	if (IS_ERR(vpc)) {
		err = PTR_ERR(vpc);
		goto out;
	}
	if (vpc->services || vpc->endpoints) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_VPC_A_NAME],
				    "the VPC has services or endpoints; delete them first");
		err = -EBUSY;
		goto out;
	}
	privlink_nl_notify(net, PRIVLINK_CMD_VPC_DEL, privlink_vpc_fill, vpc);
	zone = vpc->zone;
	tracked = READ_ONCE(vpc->tracked);
	privlink_vpc_remove(net, pn, vpc);
	if (!tracked)
		goto out;
	/* without memory for the reservation, the walk is still made */
	held = !xa_reserve(&pn->vpc_zones, zone, GFP_KERNEL);
	if (held)
		pn->zones_ending++;
	mutex_unlock(&pn->lock);

	fb.quiesced = !READ_ONCE(pn->hooks_on);	/* the unhooking waited */
	privlink_flow_batch_zone(&fb, zone);
	privlink_flows_end(net, &fb);
	if (held) {
		mutex_lock(&pn->lock);
		xa_release(&pn->vpc_zones, zone);
		pn->zones_ending--;
		mutex_unlock(&pn->lock);
	}
	return 0;
out:
	mutex_unlock(&pn->lock);
	return err;
}

/*
 * VPC_SET: the interface list (IFACES), and the prefix of a family the VPC
 * does not have yet (AWS's "associate a CIDR block").  A prefix it has
 * cannot change or go: ENIs, NLB nodes and targets were checked against it.
 * The new prefix is checked as at VPC_ADD, and for overlap in the table the
 * VPC is routed by after the request.  No packet reads a VPC's prefixes
 * (only requests, under @lock), so it is written in place and put back if
 * the request fails.
 */
int privlink_vpc_set(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_VPC_A_MAX + 1];
	struct privlink_vpc_ifaces next;
	struct privlink_vpc *vpc;
	int err, table, ifindex;
	struct in6_addr cidr6;
	u8 plen, plen6, families;
	__be32 cidr;

	mutex_lock(&pn->lock);
	vpc = privlink_vpc_from_req(info, tb);
	if (IS_ERR(vpc)) {
		err = PTR_ERR(vpc);
		goto out;
	}
	if (tb[PRIVLINK_VPC_A_ACCOUNT] || tb[PRIVLINK_VPC_A_ZONE]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    tb[PRIVLINK_VPC_A_ACCOUNT] ?: tb[PRIVLINK_VPC_A_ZONE],
				    "a VPC's account and zone cannot change; delete and re-add it to change them");
		err = -EOPNOTSUPP;
		goto out;
	}
	if (privlink_vpc_prefix_pairs(info, tb)) {
		err = -EINVAL;
		goto out;
	}
	if (!tb[PRIVLINK_VPC_A_IFACES] && !tb[PRIVLINK_VPC_A_CIDR_ADDR] &&
	    !tb[PRIVLINK_VPC_A_CIDR6_ADDR]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PRIVLINK_A_VPC],
				    "nothing to change: give the interface list or the prefix of a family the VPC does not have");
		err = -EINVAL;
		goto out;
	}
	if (tb[PRIVLINK_VPC_A_CIDR_ADDR] && vpc->plen) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_VPC_A_CIDR_ADDR],
				    "the VPC has an IPv4 CIDR already, and a VPC's prefixes cannot change (delete and re-add it)");
		err = -EEXIST;
		goto out;
	}
	if (tb[PRIVLINK_VPC_A_CIDR6_ADDR] && vpc->plen6) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_VPC_A_CIDR6_ADDR],
				    "the VPC has an IPv6 prefix already, and a VPC's prefixes cannot change (delete and re-add it)");
		err = -EEXIST;
		goto out;
	}
	cidr = vpc->cidr;	/* to put back */
	plen = vpc->plen;
	cidr6 = vpc->cidr6;
	plen6 = vpc->plen6;
	families = vpc->families;
	err = privlink_vpc_prefixes(vpc, tb, info->extack);
	if (err)
		goto restore;
	if (tb[PRIVLINK_VPC_A_IFACES]) {
		err = privlink_vpc_ifaces_prepare(net, pn, vpc,
						  tb[PRIVLINK_VPC_A_IFACES],
						  &next, info->extack);
		if (err)
			goto restore;
		err = privlink_vpc_ifaces_commit(net, pn, vpc, &next,
						 info->extack);
		if (err)
			goto restore;
	} else {
		table = privlink_vpc_table(net, vpc, &ifindex);
		if (privlink_vpc_overlaps(pn, vpc, table)) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[PRIVLINK_VPC_A_CIDR_ADDR] ?:
					    tb[PRIVLINK_VPC_A_CIDR6_ADDR],
					    "the new prefix overlaps another VPC's routed by the same table (the main one or one VRF's): attach each of them through a VRF of its own");
			err = -EEXIST;
			goto restore;
		}
	}
	privlink_changed(pn);
	privlink_nl_notify(net, PRIVLINK_CMD_VPC_SET, privlink_vpc_fill, vpc);
	err = privlink_nl_reply(info, privlink_vpc_fill, vpc);
	goto out;
restore:
	vpc->cidr = cidr;
	vpc->plen = plen;
	vpc->cidr6 = cidr6;
	vpc->plen6 = plen6;
	vpc->families = families;
out:
	mutex_unlock(&pn->lock);
	return err;
}

int privlink_vpc_get(struct sk_buff *skb, struct genl_info *info)
{
	struct privlink_net *pn = privlink_pernet(genl_info_net(info));
	struct nlattr *tb[PRIVLINK_VPC_A_MAX + 1];
	struct privlink_vpc *vpc;
	int err;

	mutex_lock(&pn->lock);
	vpc = privlink_vpc_from_req(info, tb);
	err = IS_ERR(vpc) ? PTR_ERR(vpc) :
	      privlink_nl_reply(info, privlink_vpc_fill, vpc);
	mutex_unlock(&pn->lock);
	return err;
}

int privlink_vpc_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct privlink_net *pn = privlink_pernet(sock_net(skb->sk));

	return privlink_nl_dump_list(skb, cb, &pn->vpcs,
				     offsetof(struct privlink_vpc, node),
				     privlink_vpc_fill, NULL, NULL);
}

/* The netdevice notifier saw @ifindex unregister in @net. */
void privlink_vpc_iface_gone(struct net *net, int ifindex)
{
	struct privlink_net *pn = privlink_pernet(net);
	struct privlink_vpc_if *vif;
	struct privlink_vpc *vpc;
	unsigned int i;

	mutex_lock(&pn->lock);
	vif = rhashtable_lookup_fast(&pn->ifaces, &ifindex,
				     privlink_iface_params);
	if (vif) {
		vpc = vif->vpc;
		for (i = 0; i < vpc->n_ifaces; i++)
			if (vpc->ifaces[i] == vif)
				break;
		/* the others keep their order: the first routes (steer.c) */
		vpc->n_ifaces--;
		memmove(&vpc->ifaces[i], &vpc->ifaces[i + 1],
			(vpc->n_ifaces - i) * sizeof(vpc->ifaces[0]));
		privlink_vpc_if_remove(net, pn, vif);
		privlink_vpc_route_dev(net, pn, vpc);
		privlink_changed(pn);
	}
	mutex_unlock(&pn->lock);
}

/* netns exit: services and endpoints are gone already. */
void privlink_vpc_flush(struct net *net, struct privlink_net *pn)
{
	struct privlink_vpc *vpc, *tmp;

	lockdep_assert_held(&pn->lock);
	list_for_each_entry_safe(vpc, tmp, &pn->vpcs, node)
		privlink_vpc_remove(net, pn, vpc);
}
