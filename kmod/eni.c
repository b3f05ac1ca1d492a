// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: ENIs, an endpoint's addresses in the consumer VPC (one per AZ).
 * privlink_net.enis maps (consumer VPC zone, IPv4 address) to the ENI, and
 * privlink_net.enis6 (zone, IPv6 address): the tables the packet path
 * consults for a new flow.  An ENI has one address of each family of its
 * endpoint's IP address type (fixed), so it is in one table or both.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "privlink.h"

const struct nla_policy privlink_eni_policy[PRIVLINK_ENI_A_MAX + 1] = {
	[PRIVLINK_ENI_A_ENDPOINT] = { .type = NLA_NUL_STRING,
				      .len = PRIVLINK_NAME_MAX - 1 },
	[PRIVLINK_ENI_A_AZ]       = { .type = NLA_NUL_STRING,
				      .len = PRIVLINK_NAME_MAX - 1 },
	[PRIVLINK_ENI_A_ADDR]     = { .type = NLA_BE32 },
	[PRIVLINK_ENI_A_VPC]      = { .type = NLA_REJECT },
	[PRIVLINK_ENI_A_STATS]    = { .type = NLA_REJECT },
	[PRIVLINK_ENI_A_ADDR6]    = NLA_POLICY_EXACT_LEN(PRIVLINK_ADDR6_LEN),
};

const struct rhashtable_params privlink_eni_params = {
	.key_len     = sizeof(struct privlink_eni_key),
	.key_offset  = offsetof(struct privlink_eni, key),
	.head_offset = offsetof(struct privlink_eni, hnode),
	.automatic_shrinking = true,
};

const struct rhashtable_params privlink_eni6_params = {
	.key_len     = sizeof(struct privlink_eni_key6),
	.key_offset  = offsetof(struct privlink_eni6, key),
	.head_offset = offsetof(struct privlink_eni6, hnode),
	.automatic_shrinking = true,
};

/* The AZ and address of @e, inside the caller's nest. */
int privlink_eni_fill_brief(struct sk_buff *skb, const struct privlink_eni *e)
{
	u8 types = e->endpoint->ip_type;

	if (nla_put_string(skb, PRIVLINK_ENI_A_AZ, e->az->name) ||
	    ((types & PRIVLINK_IP_V4) &&
	     nla_put_be32(skb, PRIVLINK_ENI_A_ADDR, e->key.addr)) ||
	    ((types & PRIVLINK_IP_V6) &&
	     nla_put_in6_addr(skb, PRIVLINK_ENI_A_ADDR6, &e->v6->key.addr)))
		return -EMSGSIZE;
	return 0;
}

static int privlink_eni_fill(struct sk_buff *skb, const void *obj)
{
	const struct privlink_eni *e = obj;
	struct nlattr *nest;

	nest = nla_nest_start(skb, PRIVLINK_A_ENI);
	if (!nest ||
	    nla_put_string(skb, PRIVLINK_ENI_A_ENDPOINT, e->endpoint->name) ||
	    privlink_eni_fill_brief(skb, e) ||
	    nla_put_string(skb, PRIVLINK_ENI_A_VPC, e->endpoint->vpc->name) ||
	    privlink_obj_stats_fill(skb, PRIVLINK_ENI_A_STATS,
				    READ_ONCE(e->stats), true))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static void privlink_eni_free_rcu(struct rcu_head *head)
{
	struct privlink_eni *e = container_of(head, struct privlink_eni, rcu);

	free_percpu(e->stats);
	kfree(e->v6);
	kmem_cache_free(privlink_eni_cache, e);
}

static void privlink_eni_put(struct privlink_eni *e)
{
	if (refcount_dec_and_test(&e->ref)) {
		atomic64_dec(&privlink_live_objects);
		call_rcu(&e->rcu, privlink_eni_free_rcu);
	}
}

/*
 * The addresses of a new ENI of @ep from its nest @tb into @key and @key6:
 * those of the endpoint's IP address type, no other.
 */
static int privlink_eni_addrs(struct privlink_net *pn,
			      const struct privlink_endpoint *ep,
			      struct nlattr **tb, struct privlink_eni_key *key,
			      struct privlink_eni_key6 *key6,
			      struct netlink_ext_ack *extack)
{
	const struct privlink_vpc *vpc = ep->vpc;
	u8 has = (tb[PRIVLINK_ENI_A_ADDR] ? PRIVLINK_IP_V4 : 0) |
		 (tb[PRIVLINK_ENI_A_ADDR6] ? PRIVLINK_IP_V6 : 0);

	if (has != ep->ip_type) {
		if (ep->ip_type == PRIVLINK_IP_DUALSTACK)
			NL_SET_ERR_MSG(extack,
				       "the endpoint is dualstack: its ENIs need an IPv4 and an IPv6 address");
		else if (ep->ip_type == PRIVLINK_IP_V6)
			NL_SET_ERR_MSG(extack,
				       "the endpoint's IP address type is ipv6: its ENIs need an IPv6 address and no IPv4 one");
		else if (!has)
			NL_SET_ERR_MSG(extack, "an ENI needs an AZ and an address");
		else
			NL_SET_ERR_MSG(extack,
				       "the endpoint's IP address type is ipv4: its ENIs need an IPv4 address and no IPv6 one");
		return -EINVAL;
	}
	if (has & PRIVLINK_IP_V4) {
		key->addr = nla_get_be32(tb[PRIVLINK_ENI_A_ADDR]);
		key->zone = vpc->zone;
		if (!privlink_addr_in(key->addr, vpc->cidr, vpc->plen)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PRIVLINK_ENI_A_ADDR],
					    "the ENI address is outside the consumer VPC's CIDR");
			return -EINVAL;
		}
		if (vpc->plen <= 30 &&
		    (key->addr == vpc->cidr ||
		     key->addr == (vpc->cidr | htonl(~0U >> vpc->plen)))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PRIVLINK_ENI_A_ADDR],
					    "the ENI address is the VPC's network or broadcast address");
			return -EINVAL;
		}
		if (rhashtable_lookup_fast(&pn->enis, key,
					   privlink_eni_params)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PRIVLINK_ENI_A_ADDR],
					    "another ENI in this VPC has this address");
			return -EEXIST;
		}
	}
	if (has & PRIVLINK_IP_V6) {
		key6->addr = nla_get_in6_addr(tb[PRIVLINK_ENI_A_ADDR6]);
		key6->zone = vpc->zone;
		if (!privlink_addr6_in(&key6->addr, &vpc->cidr6, vpc->plen6)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PRIVLINK_ENI_A_ADDR6],
					    "the ENI's IPv6 address is outside the consumer VPC's IPv6 prefix");
			return -EINVAL;
		}
		if (vpc->plen6 <= 126 &&
		    ipv6_addr_equal(&key6->addr, &vpc->cidr6)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PRIVLINK_ENI_A_ADDR6],
					    "the ENI's IPv6 address is the prefix's subnet-router anycast address");
			return -EINVAL;
		}
		if (rhashtable_lookup_fast(&pn->enis6, key6,
					   privlink_eni6_params)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PRIVLINK_ENI_A_ADDR6],
					    "another ENI in this VPC has this address");
			return -EEXIST;
		}
	}
	return 0;
}

/* Take @e out of the address tables of its endpoint's families. */
static void privlink_eni_unpublish(struct privlink_net *pn,
				   struct privlink_eni *e, u8 types)
{
	if (types & PRIVLINK_IP_V4)
		rhashtable_remove_fast(&pn->enis, &e->hnode,
				       privlink_eni_params);
	if (types & PRIVLINK_IP_V6)
		rhashtable_remove_fast(&pn->enis6, &e->v6->hnode,
				       privlink_eni6_params);
}

/*
 * Create an ENI of @ep from a parsed ENI nest @tb (AZ, ADDR and/or ADDR6)
 * and publish it in the tables.  Under privlink_net.lock.
 */
int privlink_eni_create(struct privlink_net *pn,
			struct privlink_endpoint *ep, struct nlattr **tb,
			struct netlink_ext_ack *extack,
			struct privlink_eni **out)
{
	struct privlink_eni_key6 key6 = {};
	struct privlink_eni_key key = {};
	struct privlink_eni *e;
	struct privlink_az *az;
	int err;

	if (!tb[PRIVLINK_ENI_A_AZ]) {
		NL_SET_ERR_MSG(extack, "an ENI needs an AZ and an address");
		return -EINVAL;
	}
	az = privlink_az_lookup(pn, tb[PRIVLINK_ENI_A_AZ], extack);
	if (!az)
		return -ENOENT;
	if (!privlink_service_serves(ep->service, az)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PRIVLINK_ENI_A_AZ],
				    "the endpoint's service does not serve this AZ (it has no NLB node there)");
		return -EINVAL;
	}
	list_for_each_entry(e, &ep->enis, ep_node) {
		if (e->az == az) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PRIVLINK_ENI_A_AZ],
					    "the endpoint already has an ENI in this AZ");
			return -EEXIST;
		}
	}
	err = privlink_eni_addrs(pn, ep, tb, &key, &key6, extack);
	if (err)
		return err;

	e = privlink_cache_alloc(privlink_eni_cache);
	if (!e)
		return -ENOMEM;
	refcount_set(&e->ref, 1);
	e->key = key;
	e->az = az;
	e->endpoint = ep;
	if (ep->ip_type & PRIVLINK_IP_V6) {
		e->v6 = kzalloc(sizeof(*e->v6), GFP_KERNEL_ACCOUNT);
		if (!e->v6) {
			privlink_eni_put(e);
			return -ENOMEM;
		}
		e->v6->key = key6;
		e->v6->eni = e;
	}
	err = (ep->ip_type & PRIVLINK_IP_V4) ?
	      rhashtable_insert_fast(&pn->enis, &e->hnode,
				     privlink_eni_params) : 0;
	if (!err && (ep->ip_type & PRIVLINK_IP_V6)) {
		err = rhashtable_insert_fast(&pn->enis6, &e->v6->hnode,
					     privlink_eni6_params);
		if (err)
			privlink_eni_unpublish(pn, e,
					       ep->ip_type & PRIVLINK_IP_V4);
	}
	if (err) {
		privlink_eni_put(e);
		return err;
	}
	refcount_inc(&az->ref);
	az->users++;
	refcount_inc(&ep->ref);
	list_add_tail(&e->ep_node, &ep->enis);
	list_add_tail(&e->node, &pn->eni_list);
	pn->n_enis++;
	privlink_changed(pn);
	if (out)
		*out = e;
	return 0;
}

/*
 * Unpublish @e and drop the configuration's reference; an event when @net.
 * Its flows go into @fb (room reserved) when it carried any; a NULL @fb
 * when none can be left (netns exit ends them all; a failed endpoint add
 * was never available).
 */
void privlink_eni_remove(struct privlink_net *pn, struct net *net,
			 struct privlink_eni *e, struct privlink_flow_batch *fb)
{
	lockdep_assert_held(&pn->lock);
	WRITE_ONCE(e->dead, true);
	if (net)
		privlink_nl_notify(net, PRIVLINK_CMD_ENI_DEL, privlink_eni_fill,
				   e);
	privlink_eni_unpublish(pn, e, e->endpoint->ip_type);
	if (fb)
		privlink_flow_batch_eni(fb, e);
	list_del(&e->ep_node);
	list_del(&e->node);
	pn->n_enis--;
	privlink_changed(pn);
	e->az->users--;
	privlink_az_put(e->az);
	privlink_endpoint_put(e->endpoint);
	privlink_eni_put(e);
}

/* Parse the ENI nest of a request and find its endpoint. */
static int privlink_eni_req(struct genl_info *info, struct nlattr **tb,
			    struct privlink_endpoint **ep)
{
	struct privlink_net *pn = privlink_pernet(genl_info_net(info));
	int err;

	err = privlink_nl_nest(info, PRIVLINK_A_ENI, tb, PRIVLINK_ENI_A_MAX,
			       privlink_eni_policy);
	if (err)
		return err;
	if (privlink_missing(info, PRIVLINK_A_ENI, tb, PRIVLINK_ENI_A_ENDPOINT,
			     "the ENI's endpoint is missing") ||
	    privlink_missing(info, PRIVLINK_A_ENI, tb, PRIVLINK_ENI_A_AZ,
			     "the ENI's AZ is missing"))
		return -EINVAL;
	*ep = privlink_endpoint_lookup(pn, tb[PRIVLINK_ENI_A_ENDPOINT],
				       info->extack);
	return *ep ? 0 : -ENOENT;
}

int privlink_eni_add(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_ENI_A_MAX + 1];
	struct privlink_endpoint *ep;
	struct privlink_eni *e;
	int err;

	mutex_lock(&pn->lock);
	err = privlink_eni_req(info, tb, &ep);
	if (err)
		goto out;
	if (!tb[PRIVLINK_ENI_A_ADDR] && !tb[PRIVLINK_ENI_A_ADDR6] &&
	    privlink_missing(info, PRIVLINK_A_ENI, tb, PRIVLINK_ENI_A_ADDR,
			     "the ENI's address is missing")) {
		err = -EINVAL;
		goto out;
	}
	if (!privlink_objects_room(pn, 1, info->extack)) {
		err = -ENOSPC;
		goto out;
	}
	err = privlink_eni_create(pn, ep, tb, info->extack, &e);
	if (err)
		goto out;
	privlink_nl_notify(net, PRIVLINK_CMD_ENI_ADD, privlink_eni_fill, e);
	err = privlink_nl_reply(info, privlink_eni_fill, e);
out:
	mutex_unlock(&pn->lock);
	return err;
}

int privlink_eni_del(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_ENI_A_MAX + 1];
	struct privlink_flow_batch fb = {};
	struct privlink_endpoint *ep;
	struct privlink_eni *e;
	struct privlink_az *az;
	int err;

	mutex_lock(&pn->lock);
	err = privlink_eni_req(info, tb, &ep);
	if (err)
		goto out;
	az = privlink_az_lookup(pn, tb[PRIVLINK_ENI_A_AZ], info->extack);
	if (!az) {
		err = -ENOENT;
		goto out;
	}
	err = -ENOENT;
	list_for_each_entry(e, &ep->enis, ep_node) {
		if (e->az == az) {
			err = privlink_flow_batch_reserve(&fb, 1, 0,
							  info->extack);
			if (!err)
				privlink_eni_remove(pn, net, e, &fb);
			break;
		}
	}
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_ENI_A_AZ],
				    "the endpoint has no ENI in this AZ");
out:
	mutex_unlock(&pn->lock);
	privlink_flows_end(net, &fb);
	return err;
}

static bool privlink_eni_of(const void *obj, const void *name)
{
	const struct privlink_eni *e = obj;

	return !strcmp(e->endpoint->name, name);
}

/* Dump all ENIs, or those of the endpoint named in the request. */
int privlink_eni_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *di = genl_dumpit_info(cb);
	struct privlink_net *pn = privlink_pernet(sock_net(skb->sk));
	struct nlattr *tb[PRIVLINK_ENI_A_MAX + 1];
	char name[PRIVLINK_NAME_MAX] = "";
	int err;

	if (di->attrs[PRIVLINK_A_ENI]) {
		err = nla_parse_nested(tb, PRIVLINK_ENI_A_MAX,
				       di->attrs[PRIVLINK_A_ENI],
				       privlink_eni_policy, cb->extack);
		if (err)
			return err;
		if (tb[PRIVLINK_ENI_A_ENDPOINT])
			nla_strscpy(name, tb[PRIVLINK_ENI_A_ENDPOINT],
				    sizeof(name));
	}
	return privlink_nl_dump_list(skb, cb, &pn->eni_list,
				     offsetof(struct privlink_eni, node),
				     privlink_eni_fill,
				     name[0] ? privlink_eni_of : NULL, name);
}
