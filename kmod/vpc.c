// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: VPCs, the networks attached to the router, and the table that
 * maps an arriving packet's interface to its VPC (privlink_net.ifaces,
 * ifindex -> privlink_vpc_if, read under RCU by the packet path).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/inetdevice.h>
#include <linux/netdevice.h>
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
	[PRIVLINK_VPC_A_CIDR_PLEN] = NLA_POLICY_RANGE(NLA_U8, 8, 32),
	[PRIVLINK_VPC_A_IFACES]    = { .type = NLA_NESTED,
				       .nested_policy = privlink_vpc_policy,
				       .len = PRIVLINK_VPC_A_MAX },
	[PRIVLINK_VPC_A_IFINDEX]   = NLA_POLICY_MIN(NLA_U32, 1),
	[PRIVLINK_VPC_A_ZONE]      = { .type = NLA_U16 },
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

static int privlink_vpc_fill(struct sk_buff *skb, const void *obj)
{
	const struct privlink_vpc *vpc = obj;
	struct nlattr *nest, *ifs;
	unsigned int i;

	nest = nla_nest_start(skb, PRIVLINK_A_VPC);
	if (!nest ||
	    nla_put_string(skb, PRIVLINK_VPC_A_NAME, vpc->name) ||
	    nla_put_string(skb, PRIVLINK_VPC_A_ACCOUNT, vpc->account) ||
	    nla_put_be32(skb, PRIVLINK_VPC_A_CIDR_ADDR, vpc->cidr) ||
	    nla_put_u8(skb, PRIVLINK_VPC_A_CIDR_PLEN, vpc->plen) ||
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

static void privlink_vpc_if_remove(struct net *net, struct privlink_net *pn,
				   struct privlink_vpc_if *vif)
{
	privlink_fastpath_detach(net, vif);
	rhashtable_remove_fast(&pn->ifaces, &vif->hnode, privlink_iface_params);
	privlink_obj_free(vif);
}

static void privlink_vpc_ifaces_clear(struct net *net, struct privlink_net *pn,
				      struct privlink_vpc *vpc)
{
	while (vpc->n_ifaces)
		privlink_vpc_if_remove(net, pn, vpc->ifaces[--vpc->n_ifaces]);
}

/*
 * The device @vpc's traffic is routed by (steer.c): its VRF when one of its
 * interfaces is a VRF or enslaved to one, else its first interface.
 */
static void privlink_vpc_route_dev(struct net *net, struct privlink_net *pn,
				   struct privlink_vpc *vpc)
{
	bool was = vpc->vrf, vrf = false;
	int ifindex = 0, master;
	struct net_device *dev;
	unsigned int i;

	rcu_read_lock();
	for (i = 0; i < vpc->n_ifaces; i++) {
		dev = dev_get_by_index_rcu(net, vpc->ifaces[i]->ifindex);
		if (!dev)
			continue;
		master = netif_is_l3_master(dev) ? dev->ifindex :
			 netif_is_l3_slave(dev) ?
			 l3mdev_master_ifindex_rcu(dev) : 0;
		if (master) {
			ifindex = master;
			vrf = true;
			break;
		}
		if (!ifindex)
			ifindex = dev->ifindex;
	}
	rcu_read_unlock();
	WRITE_ONCE(vpc->route_ifindex, ifindex);
	WRITE_ONCE(vpc->vrf, vrf);
	if (vrf != was)
		WRITE_ONCE(pn->vrf_vpcs, pn->vrf_vpcs + (vrf ? 1 : -1));
}

/*
 * Give @vpc exactly the interfaces listed in @ifaces (a validated IFACES
 * nest).  All-or-nothing: on error @vpc keeps its old interfaces.
 */
static int privlink_vpc_ifaces_set(struct net *net, struct privlink_net *pn,
				   struct privlink_vpc *vpc,
				   const struct nlattr *ifaces,
				   struct netlink_ext_ack *extack)
{
	struct privlink_vpc_if *new[PRIVLINK_MAX_IFACES];
	int idx[PRIVLINK_MAX_IFACES];
	struct privlink_vpc_if *vif;
	unsigned int n = 0, i, j;
	const struct nlattr *a;
	int rem, err;

	nla_for_each_nested(a, ifaces, rem) {
		bool exists;

		if (nla_type(a) != PRIVLINK_VPC_A_IFINDEX) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "the interface list may only hold interface indexes");
			return -EINVAL;
		}
		if (n == PRIVLINK_MAX_IFACES) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "a VPC can have at most 16 interfaces");
			return -ENOSPC;
		}
		idx[n] = nla_get_u32(a);
		rcu_read_lock();
		exists = dev_get_by_index_rcu(net, idx[n]);
		rcu_read_unlock();
		if (!exists) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "no interface with this index in the namespace");
			return -ENODEV;
		}
		vif = rhashtable_lookup_fast(&pn->ifaces, &idx[n],
					     privlink_iface_params);
		if (vif && vif->vpc != vpc) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "the interface already belongs to another VPC");
			return -EBUSY;
		}
		for (j = 0; j < n; j++) {
			if (idx[j] == idx[n]) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "the interface is listed twice");
				return -EINVAL;
			}
		}
		n++;
	}
	for (i = 0; i < n; i++) {
		new[i] = privlink_obj_alloc(sizeof(*vif));
		if (!new[i]) {
			while (i--)
				privlink_obj_free(new[i]);
			return -ENOMEM;
		}
		new[i]->ifindex = idx[i];
		new[i]->vpc = vpc;
	}

	/* Validated: swap the old set for the new one. */
	privlink_vpc_ifaces_clear(net, pn, vpc);
	for (i = 0; i < n; i++) {
		err = rhashtable_insert_fast(&pn->ifaces, &new[i]->hnode,
					     privlink_iface_params);
		if (err) {
			for (j = i; j < n; j++)
				privlink_obj_free(new[j]);
			NL_SET_ERR_MSG(extack,
				       "out of memory inserting the interfaces");
			return err;
		}
		vpc->ifaces[vpc->n_ifaces++] = new[i];
		privlink_fastpath_attach(net, pn, new[i]);
	}
	privlink_vpc_route_dev(net, pn, vpc);
	return 0;
}

/* Lowest conntrack zone >= 1 that no VPC of this netns uses. */
static bool privlink_zone_used(struct privlink_net *pn, u16 zone)
{
	struct privlink_vpc *vpc;

	list_for_each_entry(vpc, &pn->vpcs, node)
		if (vpc->zone == zone)
			return true;
	return false;
}

static int privlink_zone_alloc(struct privlink_net *pn)
{
	u32 zone;

	for (zone = 1; zone <= U16_MAX; zone++)
		if (!privlink_zone_used(pn, zone))
			return zone;
	return -ENOSPC;
}

int privlink_vpc_add(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_VPC_A_MAX + 1];
	struct privlink_vpc *vpc;
	int err, zone;

	err = privlink_nl_nest(info, PRIVLINK_A_VPC, tb, PRIVLINK_VPC_A_MAX,
			       privlink_vpc_policy);
	if (err)
		return err;
	if (privlink_missing(info, PRIVLINK_A_VPC, tb, PRIVLINK_VPC_A_NAME,
			     "the VPC name is missing") ||
	    privlink_missing(info, PRIVLINK_A_VPC, tb, PRIVLINK_VPC_A_ACCOUNT,
			     "the VPC's owner account is missing") ||
	    privlink_missing(info, PRIVLINK_A_VPC, tb, PRIVLINK_VPC_A_CIDR_ADDR,
			     "the VPC's CIDR is missing") ||
	    privlink_missing(info, PRIVLINK_A_VPC, tb, PRIVLINK_VPC_A_CIDR_PLEN,
			     "the VPC's CIDR prefix length is missing"))
		return -EINVAL;

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
	vpc->cidr = nla_get_be32(tb[PRIVLINK_VPC_A_CIDR_ADDR]);
	vpc->plen = nla_get_u8(tb[PRIVLINK_VPC_A_CIDR_PLEN]);
	if (vpc->cidr & ~inet_make_mask(vpc->plen)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_VPC_A_CIDR_ADDR],
				    "the CIDR has host bits set (give the network address)");
		err = -EINVAL;
		goto free;
	}

	mutex_lock(&pn->lock);
	if (rhashtable_lookup_fast(&pn->vpc_names, vpc->name,
				   privlink_vpc_name_params)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_VPC_A_NAME],
				    "a VPC with this name already exists");
		err = -EEXIST;
		goto unlock;
	}
	if (tb[PRIVLINK_VPC_A_ZONE]) {
		zone = nla_get_u16(tb[PRIVLINK_VPC_A_ZONE]);
		if (privlink_zone_used(pn, zone)) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_VPC_A_ZONE],
					    "another VPC uses this conntrack zone");
			err = -EEXIST;
			goto unlock;
		}
	} else {
		zone = privlink_zone_alloc(pn);
		if (zone < 0) {
			NL_SET_ERR_MSG(info->extack, "no free conntrack zone");
			err = zone;
			goto unlock;
		}
	}
	vpc->zone = zone;
	if (!pn->n_vpcs) {
		err = privlink_hooks_enable(net);
		if (err) {
			NL_SET_ERR_MSG(info->extack,
				       "cannot register privlink's netfilter hooks");
			goto unlock;
		}
	}
	if (tb[PRIVLINK_VPC_A_IFACES]) {
		err = privlink_vpc_ifaces_set(net, pn, vpc,
					      tb[PRIVLINK_VPC_A_IFACES],
					      info->extack);
		if (err)
			goto unhook;
	}
	err = rhashtable_insert_fast(&pn->vpc_names, &vpc->hnode,
				     privlink_vpc_name_params);
	if (err) {
		privlink_vpc_ifaces_clear(net, pn, vpc);
		goto unhook;
	}
	err = xa_err(xa_store(&pn->vpc_zones, vpc->zone, vpc, GFP_KERNEL));
	if (err) {
		rhashtable_remove_fast(&pn->vpc_names, &vpc->hnode,
				       privlink_vpc_name_params);
		privlink_vpc_ifaces_clear(net, pn, vpc);
		goto unhook;
	}
	list_add_tail(&vpc->node, &pn->vpcs);
	pn->n_vpcs++;
	privlink_changed(pn);
	privlink_nl_notify(net, PRIVLINK_CMD_VPC_ADD, privlink_vpc_fill, vpc);
	err = privlink_nl_reply(info, privlink_vpc_fill, vpc);
	mutex_unlock(&pn->lock);
	return err;

unhook:
	if (!pn->n_vpcs)
		privlink_hooks_disable(net);
unlock:
	mutex_unlock(&pn->lock);
free:
	privlink_vpc_put(vpc);
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
	privlink_vpc_ifaces_clear(net, pn, vpc);
	if (vpc->vrf)
		pn->vrf_vpcs--;
	xa_erase(&pn->vpc_zones, vpc->zone);
	rhashtable_remove_fast(&pn->vpc_names, &vpc->hnode,
			       privlink_vpc_name_params);
	list_del(&vpc->node);
	pn->n_vpcs--;
	privlink_changed(pn);
	privlink_vpc_put(vpc);
	if (!pn->n_vpcs)
		privlink_hooks_disable(net);
}

int privlink_vpc_del(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_VPC_A_MAX + 1];
	struct privlink_vpc *vpc;
	int err = 0;

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
	privlink_vpc_remove(net, pn, vpc);
out:
	mutex_unlock(&pn->lock);
	return err;
}

int privlink_vpc_set(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_VPC_A_MAX + 1];
	struct privlink_vpc *vpc;
	int err;

	mutex_lock(&pn->lock);
	vpc = privlink_vpc_from_req(info, tb);
	if (IS_ERR(vpc)) {
		err = PTR_ERR(vpc);
		goto out;
	}
	if (tb[PRIVLINK_VPC_A_ACCOUNT] || tb[PRIVLINK_VPC_A_CIDR_ADDR] ||
	    tb[PRIVLINK_VPC_A_CIDR_PLEN] || tb[PRIVLINK_VPC_A_ZONE]) {
		NL_SET_ERR_MSG(info->extack,
			       "only a VPC's interfaces can change; delete and re-add it to change the rest");
		err = -EOPNOTSUPP;
		goto out;
	}
	if (privlink_missing(info, PRIVLINK_A_VPC, tb, PRIVLINK_VPC_A_IFACES,
			     "nothing to change: the interface list is missing")) {
		err = -EINVAL;
		goto out;
	}
	err = privlink_vpc_ifaces_set(net, pn, vpc, tb[PRIVLINK_VPC_A_IFACES],
				      info->extack);
	if (err)
		goto out;
	privlink_changed(pn);
	privlink_nl_notify(net, PRIVLINK_CMD_VPC_SET, privlink_vpc_fill, vpc);
	err = privlink_nl_reply(info, privlink_vpc_fill, vpc);
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
		vpc->ifaces[i] = vpc->ifaces[--vpc->n_ifaces];
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

	list_for_each_entry_safe(vpc, tmp, &pn->vpcs, node)
		privlink_vpc_remove(net, pn, vpc);
}
