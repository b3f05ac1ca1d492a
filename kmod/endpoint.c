// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: interface endpoints and their acceptance workflow.  Named in
 * privlink_net.endpoint_names.  ep->state is written under
 * privlink_net.lock with WRITE_ONCE() and read by the packet path under RCU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "privlink.h"

const struct nla_policy privlink_endpoint_policy[PRIVLINK_ENDPOINT_A_MAX + 1] = {
	[PRIVLINK_ENDPOINT_A_NAME]    = { .type = NLA_NUL_STRING,
					  .len = PRIVLINK_NAME_MAX - 1 },
	[PRIVLINK_ENDPOINT_A_VPC]     = { .type = NLA_NUL_STRING,
					  .len = PRIVLINK_NAME_MAX - 1 },
	[PRIVLINK_ENDPOINT_A_SERVICE] = { .type = NLA_NUL_STRING,
					  .len = PRIVLINK_NAME_MAX - 1 },
	[PRIVLINK_ENDPOINT_A_STATE]   = { .type = NLA_REJECT },
	[PRIVLINK_ENDPOINT_A_ACCOUNT] = { .type = NLA_REJECT },
	[PRIVLINK_ENDPOINT_A_ENIS]    = { .type = NLA_NESTED,
					  .nested_policy = privlink_endpoint_policy,
					  .len = PRIVLINK_ENDPOINT_A_MAX },
	[PRIVLINK_ENDPOINT_A_ENI]     = { .type = NLA_NESTED,
					  .nested_policy = privlink_eni_policy,
					  .len = PRIVLINK_ENI_A_MAX },
	[PRIVLINK_ENDPOINT_A_MAX_FLOWS] = { .type = NLA_U32 },
	[PRIVLINK_ENDPOINT_A_STATS]   = { .type = NLA_REJECT },
	[PRIVLINK_ENDPOINT_A_IP_TYPE] =
		NLA_POLICY_RANGE(NLA_U8, PRIVLINK_IP_V4, PRIVLINK_IP_DUALSTACK),
};

const struct rhashtable_params privlink_endpoint_name_params = {
	.key_len     = PRIVLINK_NAME_MAX,
	.key_offset  = offsetof(struct privlink_endpoint, name),
	.head_offset = offsetof(struct privlink_endpoint, hnode),
	.automatic_shrinking = true,
};

static struct privlink_endpoint *
privlink_endpoint_find(struct privlink_net *pn, const char *name)
{
	return rhashtable_lookup_fast(&pn->endpoint_names, name,
				      privlink_endpoint_name_params);
}

static bool privlink_endpoint_name_used(struct privlink_net *pn,
					const char *name)
{
	return privlink_endpoint_find(pn, name);
}

/* The endpoint named by @attr, or NULL with the extack set. */
struct privlink_endpoint *privlink_endpoint_lookup(struct privlink_net *pn,
						   const struct nlattr *attr,
						   struct netlink_ext_ack *ext)
{
	char name[PRIVLINK_NAME_MAX];
	struct privlink_endpoint *ep;

	if (privlink_nl_get_name(attr, name, ext))
		return NULL;
	ep = privlink_endpoint_find(pn, name);
	if (!ep)
		NL_SET_ERR_MSG_ATTR(ext, attr, "no endpoint with this name");
	return ep;
}

static void privlink_endpoint_free_rcu(struct rcu_head *head)
{
	struct privlink_endpoint *ep =
		container_of(head, struct privlink_endpoint, rcu);

	free_percpu(ep->stats);
	kmem_cache_free(privlink_endpoint_cache, ep);
}

void privlink_endpoint_put(struct privlink_endpoint *ep)
{
	if (refcount_dec_and_test(&ep->ref)) {
		atomic64_dec(&privlink_live_objects);
		call_rcu(&ep->rcu, privlink_endpoint_free_rcu);
	}
}

/*
 * The new endpoint's IP address type: the request's (@attr), which the
 * service must support and the consumer VPC have, or by default IPv4 when
 * both have it, else IPv6 (uapi, "Dual stack").
 */
static int privlink_endpoint_ip_type(struct privlink_endpoint *ep,
				     const struct privlink_vpc *vpc,
				     const struct privlink_service *svc,
				     const struct nlattr *attr,
				     struct netlink_ext_ack *extack)
{
	u8 both = vpc->families & svc->ip_types;

	if (!attr) {
		ep->ip_type = both & PRIVLINK_IP_V4 ?: both;
		if (!ep->ip_type) {
			NL_SET_ERR_MSG(extack,
				       "the VPC and the service have no IP address family in common");
			return -EINVAL;
		}
		return 0;
	}
	ep->ip_type = nla_get_u8(attr);
	if (ep->ip_type & ~svc->ip_types) {
		if (svc->ip_types == PRIVLINK_IP_V4)
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "the service supports IPv4 only");
		else
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "the service supports IPv6 only");
		return -EINVAL;
	}
	if (ep->ip_type & ~vpc->families) {
		if (vpc->families == PRIVLINK_IP_V4)
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "the VPC has no IPv6 prefix");
		else
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "the VPC has no IPv4 CIDR");
		return -EINVAL;
	}
	return 0;
}

static int privlink_endpoint_fill(struct sk_buff *skb, const void *obj)
{
	const struct privlink_endpoint *ep = obj;
	const struct privlink_eni *e;
	struct nlattr *nest, *list, *item;

	nest = nla_nest_start(skb, PRIVLINK_A_ENDPOINT);
	if (!nest ||
	    nla_put_string(skb, PRIVLINK_ENDPOINT_A_NAME, ep->name) ||
	    nla_put_string(skb, PRIVLINK_ENDPOINT_A_VPC, ep->vpc->name) ||
	    nla_put_string(skb, PRIVLINK_ENDPOINT_A_SERVICE,
			   ep->service->name) ||
	    nla_put_u8(skb, PRIVLINK_ENDPOINT_A_STATE, READ_ONCE(ep->state)) ||
	    nla_put_u8(skb, PRIVLINK_ENDPOINT_A_IP_TYPE, ep->ip_type) ||
	    nla_put_string(skb, PRIVLINK_ENDPOINT_A_ACCOUNT, ep->vpc->account) ||
	    nla_put_u32(skb, PRIVLINK_ENDPOINT_A_MAX_FLOWS,
			READ_ONCE(ep->max_flows)) ||
	    privlink_obj_stats_fill(skb, PRIVLINK_ENDPOINT_A_STATS, READ_ONCE(ep->stats),
				    true))
		return -EMSGSIZE;
	list = nla_nest_start(skb, PRIVLINK_ENDPOINT_A_ENIS);
	if (!list)
		return -EMSGSIZE;
	list_for_each_entry(e, &ep->enis, ep_node) {
		item = nla_nest_start(skb, PRIVLINK_ENDPOINT_A_ENI);
		if (!item || privlink_eni_fill_brief(skb, e))
			return -EMSGSIZE;
		nla_nest_end(skb, item);
	}
	nla_nest_end(skb, list);
	nla_nest_end(skb, nest);
	return 0;
}

static unsigned int privlink_endpoint_n_enis(const struct privlink_endpoint *ep)
{
	const struct privlink_eni *e;
	unsigned int n = 0;

	list_for_each_entry(e, &ep->enis, ep_node)
		n++;
	return n;
}

/*
 * Unlink @ep; its ENIs go first, their flows into @fb (room reserved for
 * every ENI; NULL when none can be left: netns exit, a failed add).  Events
 * (when @net): ENIs, then @ep.
 */
static void privlink_endpoint_remove(struct privlink_net *pn, struct net *net,
				     struct privlink_endpoint *ep,
				     struct privlink_flow_batch *fb)
{
	struct privlink_eni *e, *tmp;

	WRITE_ONCE(ep->state, PRIVLINK_ENDPOINT_DELETING);
	list_for_each_entry_safe(e, tmp, &ep->enis, ep_node)
		privlink_eni_remove(pn, net, e, fb);
	if (net)
		privlink_nl_notify(net, PRIVLINK_CMD_ENDPOINT_DEL,
				   privlink_endpoint_fill, ep);
	rhashtable_remove_fast(&pn->endpoint_names, &ep->hnode,
			       privlink_endpoint_name_params);
	list_del(&ep->node);
	pn->n_endpoints--;
	privlink_changed(pn);
	ep->vpc->endpoints--;
	ep->service->endpoints--;
	privlink_vpc_put(ep->vpc);
	privlink_service_put(ep->service);
	privlink_endpoint_put(ep);
}

/* Create the ENIs listed in an ENIS nest of an ENDPOINT_ADD. */
static int privlink_endpoint_enis(struct privlink_net *pn,
				  struct privlink_endpoint *ep,
				  const struct nlattr *list,
				  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PRIVLINK_ENI_A_MAX + 1];
	const struct nlattr *a;
	int rem, err;

	nla_for_each_nested(a, list, rem) {
		if (nla_type(a) != PRIVLINK_ENDPOINT_A_ENI) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "the ENI list may only hold ENIs");
			return -EINVAL;
		}
		err = nla_parse_nested(tb, PRIVLINK_ENI_A_MAX, a,
				       privlink_eni_policy, extack);
		if (err)
			return err;
		if (tb[PRIVLINK_ENI_A_ENDPOINT]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PRIVLINK_ENI_A_ENDPOINT],
					    "ENIs inside an endpoint name no endpoint");
			return -EINVAL;
		}
		err = privlink_eni_create(pn, ep, tb, extack, NULL);
		if (err)
			return err;
	}
	return 0;
}

int privlink_endpoint_add(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_ENDPOINT_A_MAX + 1];
	struct privlink_service *svc;
	struct privlink_endpoint *ep;
	struct privlink_vpc *vpc;
	int err;

	err = privlink_nl_nest(info, PRIVLINK_A_ENDPOINT, tb,
			       PRIVLINK_ENDPOINT_A_MAX,
			       privlink_endpoint_policy);
	if (err)
		return err;
	if (privlink_missing(info, PRIVLINK_A_ENDPOINT, tb,
			     PRIVLINK_ENDPOINT_A_VPC,
			     "the endpoint's VPC is missing") ||
	    privlink_missing(info, PRIVLINK_A_ENDPOINT, tb,
			     PRIVLINK_ENDPOINT_A_SERVICE,
			     "the endpoint's service is missing"))
		return -EINVAL;

	ep = privlink_cache_alloc(privlink_endpoint_cache);
	if (!ep)
		return -ENOMEM;
	refcount_set(&ep->ref, 1);
	INIT_LIST_HEAD(&ep->enis);
	if (tb[PRIVLINK_ENDPOINT_A_MAX_FLOWS])
		ep->max_flows = nla_get_u32(tb[PRIVLINK_ENDPOINT_A_MAX_FLOWS]);
	if (tb[PRIVLINK_ENDPOINT_A_NAME]) {
		err = privlink_nl_get_name(tb[PRIVLINK_ENDPOINT_A_NAME],
					   ep->name, info->extack);
		if (err) {
			privlink_endpoint_put(ep);
			return err;
		}
	}

	mutex_lock(&pn->lock);
	vpc = privlink_vpc_lookup(pn, tb[PRIVLINK_ENDPOINT_A_VPC],
				  info->extack);
	svc = vpc ? privlink_service_lookup(pn, tb[PRIVLINK_ENDPOINT_A_SERVICE],
					    info->extack) : NULL;
	if (!svc) {
		err = -ENOENT;
		goto unlock;
	}
	if (!privlink_service_allows(svc, vpc->account)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_ENDPOINT_A_VPC],
				    "the VPC's account is not an allowed principal of the service");
		err = -EACCES;
		goto unlock;
	}
	err = privlink_endpoint_ip_type(ep, vpc, svc,
					tb[PRIVLINK_ENDPOINT_A_IP_TYPE],
					info->extack);
	if (err)
		goto unlock;
	if (!ep->name[0]) {
		privlink_name_generate(pn, "vpce-", privlink_endpoint_name_used,
				       ep->name);
	} else if (privlink_endpoint_find(pn, ep->name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_ENDPOINT_A_NAME],
				    "an endpoint with this name already exists");
		err = -EEXIST;
		goto unlock;
	}
	if (!privlink_objects_room(pn, 1 +
				   privlink_nla_count(tb[PRIVLINK_ENDPOINT_A_ENIS]),
				   info->extack)) {
		err = -ENOSPC;
		goto unlock;
	}
	err = rhashtable_insert_fast(&pn->endpoint_names, &ep->hnode,
				     privlink_endpoint_name_params);
	if (err)
		goto unlock;
	ep->vpc = vpc;
	ep->service = svc;
	if (!++pn->next_endpoint_id)	/* 0 is the netns-wide key */
		++pn->next_endpoint_id;
	ep->id = pn->next_endpoint_id;
	refcount_inc(&vpc->ref);
	refcount_inc(&svc->ref);
	vpc->endpoints++;
	svc->endpoints++;
	/*
	 * Its ENIs are published one by one and a later one may fail: until
	 * the add cannot fail any more the endpoint is not available, so no
	 * flow goes through an ENI that a failed add removes again (and
	 * there are no flows to end).
	 */
	ep->state = PRIVLINK_ENDPOINT_PENDING_ACCEPTANCE;
	list_add_tail(&ep->node, &pn->endpoints);
	pn->n_endpoints++;
	if (tb[PRIVLINK_ENDPOINT_A_ENIS]) {
		err = privlink_endpoint_enis(pn, ep, tb[PRIVLINK_ENDPOINT_A_ENIS],
					     info->extack);
		if (err) {
			privlink_endpoint_remove(pn, NULL, ep, NULL);
			goto out;
		}
	}
	if (svc->acceptance == PRIVLINK_ACCEPTANCE_AUTO)
		WRITE_ONCE(ep->state, PRIVLINK_ENDPOINT_AVAILABLE);
	privlink_changed(pn);
	privlink_nl_notify(net, PRIVLINK_CMD_ENDPOINT_ADD,
			   privlink_endpoint_fill, ep);
	err = privlink_nl_reply(info, privlink_endpoint_fill, ep);
out:
	mutex_unlock(&pn->lock);
	return err;

unlock:
	mutex_unlock(&pn->lock);
	privlink_endpoint_put(ep);
	return err;
}

static struct privlink_endpoint *
privlink_endpoint_from_req(struct genl_info *info, struct nlattr **tb)
{
	struct privlink_net *pn = privlink_pernet(genl_info_net(info));

	if (privlink_nl_nest(info, PRIVLINK_A_ENDPOINT, tb,
			     PRIVLINK_ENDPOINT_A_MAX, privlink_endpoint_policy))
		return ERR_PTR(-EINVAL);
	if (privlink_missing(info, PRIVLINK_A_ENDPOINT, tb,
			     PRIVLINK_ENDPOINT_A_NAME,
			     "the endpoint name is missing"))
		return ERR_PTR(-EINVAL);
	return privlink_endpoint_lookup(pn, tb[PRIVLINK_ENDPOINT_A_NAME],
					info->extack) ?: ERR_PTR(-ENOENT);
}

int privlink_endpoint_del(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_ENDPOINT_A_MAX + 1];
	struct privlink_flow_batch fb = {};
	struct privlink_endpoint *ep;
	int err;

	mutex_lock(&pn->lock);
	ep = privlink_endpoint_from_req(info, tb);
	err = PTR_ERR_OR_ZERO(ep);
	if (!err)
		err = privlink_flow_batch_reserve(&fb,
						  privlink_endpoint_n_enis(ep),
						  0, info->extack);
	if (!err)
		privlink_endpoint_remove(pn, net, ep, &fb);
	mutex_unlock(&pn->lock);
	privlink_flows_end(net, &fb);
	return err;
}

/* ACCEPT and REJECT: move @ep to @to if it is in one of the @from states. */
static int privlink_endpoint_move(struct genl_info *info, u8 to,
				  unsigned int from, const char *msg)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_ENDPOINT_A_MAX + 1];
	struct privlink_flow_batch fb = {};
	const struct privlink_eni *e;
	struct privlink_endpoint *ep;
	int err;

	mutex_lock(&pn->lock);
	ep = privlink_endpoint_from_req(info, tb);
	if (IS_ERR(ep)) {
		err = PTR_ERR(ep);
		goto out;
	}
	if (!(from & BIT(ep->state))) {
		/* @msg is a string literal of the callers below */
		NL_SET_BAD_ATTR(info->extack, tb[PRIVLINK_ENDPOINT_A_NAME]);
		info->extack->_msg = msg;
		err = -EINVAL;
		goto out;
	}
	if (to == PRIVLINK_ENDPOINT_REJECTED) {
		err = privlink_flow_batch_reserve(&fb,
						  privlink_endpoint_n_enis(ep),
						  0, info->extack);
		if (err)
			goto out;
	}
	WRITE_ONCE(ep->state, to);
	/* rejected: no new flows (privlink_flow_claim()), the others end */
	if (to == PRIVLINK_ENDPOINT_REJECTED)
		list_for_each_entry(e, &ep->enis, ep_node)
			privlink_flow_batch_eni(&fb, e);
	privlink_changed(pn);
	privlink_nl_notify(net, info->genlhdr->cmd, privlink_endpoint_fill, ep);
	err = privlink_nl_reply(info, privlink_endpoint_fill, ep);
out:
	mutex_unlock(&pn->lock);
	privlink_flows_end(net, &fb);
	return err;
}

int privlink_endpoint_accept(struct sk_buff *skb, struct genl_info *info)
{
	return privlink_endpoint_move(info, PRIVLINK_ENDPOINT_AVAILABLE,
				      BIT(PRIVLINK_ENDPOINT_PENDING_ACCEPTANCE) |
				      BIT(PRIVLINK_ENDPOINT_REJECTED),
				      "only a pendingAcceptance or rejected endpoint can be accepted");
}

int privlink_endpoint_reject(struct sk_buff *skb, struct genl_info *info)
{
	return privlink_endpoint_move(info, PRIVLINK_ENDPOINT_REJECTED,
				      BIT(PRIVLINK_ENDPOINT_PENDING_ACCEPTANCE) |
				      BIT(PRIVLINK_ENDPOINT_AVAILABLE),
				      "only a pendingAcceptance or available endpoint can be rejected");
}

/* ENDPOINT_SET: the endpoint's flow limit. */
int privlink_endpoint_set(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_ENDPOINT_A_MAX + 1];
	struct privlink_endpoint *ep;
	int err;

	mutex_lock(&pn->lock);
	ep = privlink_endpoint_from_req(info, tb);
	if (IS_ERR(ep)) {
		err = PTR_ERR(ep);
		goto out;
	}
	if (tb[PRIVLINK_ENDPOINT_A_VPC] || tb[PRIVLINK_ENDPOINT_A_SERVICE] ||
	    tb[PRIVLINK_ENDPOINT_A_ENIS] || tb[PRIVLINK_ENDPOINT_A_IP_TYPE]) {
		NL_SET_ERR_MSG(info->extack,
			       "only an endpoint's flow limit can change; its ENIs change with eni add/del");
		err = -EOPNOTSUPP;
		goto out;
	}
	if (privlink_missing(info, PRIVLINK_A_ENDPOINT, tb,
			     PRIVLINK_ENDPOINT_A_MAX_FLOWS,
			     "nothing to change: the flow limit is missing")) {
		err = -EINVAL;
		goto out;
	}
	WRITE_ONCE(ep->max_flows,
		   nla_get_u32(tb[PRIVLINK_ENDPOINT_A_MAX_FLOWS]));
	privlink_changed(pn);
	privlink_nl_notify(net, PRIVLINK_CMD_ENDPOINT_SET,
			   privlink_endpoint_fill, ep);
	err = privlink_nl_reply(info, privlink_endpoint_fill, ep);
out:
	mutex_unlock(&pn->lock);
	return err;
}

int privlink_endpoint_get(struct sk_buff *skb, struct genl_info *info)
{
	struct privlink_net *pn = privlink_pernet(genl_info_net(info));
	struct nlattr *tb[PRIVLINK_ENDPOINT_A_MAX + 1];
	struct privlink_endpoint *ep;
	int err;

	mutex_lock(&pn->lock);
	ep = privlink_endpoint_from_req(info, tb);
	err = IS_ERR(ep) ? PTR_ERR(ep) :
	      privlink_nl_reply(info, privlink_endpoint_fill, ep);
	mutex_unlock(&pn->lock);
	return err;
}

int privlink_endpoint_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct privlink_net *pn = privlink_pernet(sock_net(skb->sk));

	return privlink_nl_dump_list(skb, cb, &pn->endpoints,
				     offsetof(struct privlink_endpoint, node),
				     privlink_endpoint_fill, NULL, NULL);
}

/* netns exit: no events. */
void privlink_endpoint_flush(struct privlink_net *pn)
{
	struct privlink_endpoint *ep, *tmp;

	list_for_each_entry_safe(ep, tmp, &pn->endpoints, node)
		privlink_endpoint_remove(pn, NULL, ep, NULL);
}
