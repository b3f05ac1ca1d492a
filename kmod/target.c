// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: a service's targets.  Each is on its service's list
 * (privlink_service.targets) and on privlink_net.targets, both under
 * privlink_net.lock; (address, port) is unique within a service.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "privlink.h"

const struct nla_policy privlink_target_policy[PRIVLINK_TARGET_A_MAX + 1] = {
	[PRIVLINK_TARGET_A_SERVICE] = { .type = NLA_NUL_STRING,
					.len = PRIVLINK_NAME_MAX - 1 },
	[PRIVLINK_TARGET_A_ADDR]    = { .type = NLA_BE32 },
	[PRIVLINK_TARGET_A_PORT]    = { .type = NLA_U16 },
	[PRIVLINK_TARGET_A_AZ]      = { .type = NLA_NUL_STRING,
					.len = PRIVLINK_NAME_MAX - 1 },
	[PRIVLINK_TARGET_A_WEIGHT]  =
		NLA_POLICY_RANGE(NLA_U16, 1, PRIVLINK_MAX_WEIGHT),
	[PRIVLINK_TARGET_A_STATE]   =
		NLA_POLICY_MAX(NLA_U8, PRIVLINK_TARGET_DRAINING),
	[PRIVLINK_TARGET_A_STATS]   = { .type = NLA_REJECT },
	[PRIVLINK_TARGET_A_HEALTH]  = { .type = NLA_NESTED,
					.nested_policy = privlink_health_policy,
					.len = PRIVLINK_HEALTH_A_MAX },
	[PRIVLINK_TARGET_A_ADDR6]   = NLA_POLICY_EXACT_LEN(PRIVLINK_ADDR6_LEN),
};

static int privlink_target_fill(struct sk_buff *skb, const void *obj)
{
	const struct privlink_target *t = obj;
	struct nlattr *nest;

	nest = nla_nest_start(skb, PRIVLINK_A_TARGET);
	if (!nest ||
	    nla_put_string(skb, PRIVLINK_TARGET_A_SERVICE, t->service->name) ||
	    (t->family == NFPROTO_IPV4 ?
	     nla_put_be32(skb, PRIVLINK_TARGET_A_ADDR, t->addr.ip) :
	     nla_put_in6_addr(skb, PRIVLINK_TARGET_A_ADDR6, &t->addr.in6)) ||
	    nla_put_u16(skb, PRIVLINK_TARGET_A_PORT, ntohs(t->port)) ||
	    nla_put_string(skb, PRIVLINK_TARGET_A_AZ, t->az->name) ||
	    nla_put_u16(skb, PRIVLINK_TARGET_A_WEIGHT, READ_ONCE(t->weight)) ||
	    nla_put_u8(skb, PRIVLINK_TARGET_A_STATE, READ_ONCE(t->state)) ||
	    privlink_obj_stats_fill(skb, PRIVLINK_TARGET_A_STATS, READ_ONCE(t->stats),
				    true) ||
	    privlink_health_fill(skb, t))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static struct privlink_target *
privlink_target_find(const struct privlink_service *svc, u8 family,
		     const union nf_inet_addr *addr, __be16 port)
{
	struct privlink_target *t;

	list_for_each_entry(t, &svc->targets, svc_node)
		if (t->family == family && t->port == port &&
		    nf_inet_addr_cmp(&t->addr, addr))
			return t;
	return NULL;
}

static void privlink_target_free_rcu(struct rcu_head *head)
{
	struct privlink_target *t =
		container_of(head, struct privlink_target, rcu);

	free_percpu(t->stats);
	kfree(t);
}

static void privlink_target_put(struct privlink_target *t)
{
	if (refcount_dec_and_test(&t->ref)) {
		atomic64_dec(&privlink_live_objects);
		call_rcu(&t->rcu, privlink_target_free_rcu);
	}
}

/*
 * Unlink @t and drop the configuration's reference; an event when @net.
 * Its flows go into @fb (room reserved) when it carried any; NULL at netns
 * exit, which ends every flow.
 */
void privlink_target_remove(struct privlink_net *pn, struct net *net,
			    struct privlink_target *t,
			    struct privlink_flow_batch *fb)
{
	lockdep_assert_held(&pn->lock);
	WRITE_ONCE(t->dead, true);
	if (net)
		privlink_nl_notify(net, PRIVLINK_CMD_TARGET_DEL,
				   privlink_target_fill, t);
	list_del(&t->node);
	list_del_rcu(&t->svc_node);
	if (fb)
		privlink_flow_batch_target(fb, t);
	pn->n_targets--;
	t->service->n_targets--;
	t->az->users--;
	privlink_changed(pn);
	privlink_az_put(t->az);
	privlink_service_put(t->service);
	privlink_target_put(t);
}

/*
 * Parse the request's TARGET nest; find its service (always) and the target
 * it names (when @want_target).
 */
/* A target request's address: ADDR or ADDR6, not both. */
struct privlink_target_addr {
	union nf_inet_addr addr;	/* the rest zeroed */
	u8 family;
	const struct nlattr *attr;
};

static int privlink_target_req(struct genl_info *info, struct nlattr **tb,
			       struct privlink_service **svc,
			       struct privlink_target **t,
			       struct privlink_target_addr *a,
			       bool want_target)
{
	struct privlink_net *pn = privlink_pernet(genl_info_net(info));
	__be16 port = 0;
	int err;

	err = privlink_nl_nest(info, PRIVLINK_A_TARGET, tb,
			       PRIVLINK_TARGET_A_MAX, privlink_target_policy);
	if (err)
		return err;
	if (privlink_missing(info, PRIVLINK_A_TARGET, tb,
			     PRIVLINK_TARGET_A_SERVICE,
			     "the target's service is missing"))
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	if (tb[PRIVLINK_TARGET_A_ADDR] && tb[PRIVLINK_TARGET_A_ADDR6]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_TARGET_A_ADDR6],
				    "a target has one address, IPv4 or IPv6");
		return -EINVAL;
	} else if (tb[PRIVLINK_TARGET_A_ADDR]) {
		a->attr = tb[PRIVLINK_TARGET_A_ADDR];
		a->family = NFPROTO_IPV4;
		a->addr.ip = nla_get_be32(a->attr);
	} else if (tb[PRIVLINK_TARGET_A_ADDR6]) {
		a->attr = tb[PRIVLINK_TARGET_A_ADDR6];
		a->family = NFPROTO_IPV6;
		a->addr.in6 = nla_get_in6_addr(a->attr);
	} else if (privlink_missing(info, PRIVLINK_A_TARGET, tb,
				    PRIVLINK_TARGET_A_ADDR,
				    "the target's address is missing")) {
		return -EINVAL;
	}
	*svc = privlink_service_lookup(pn, tb[PRIVLINK_TARGET_A_SERVICE],
				       info->extack);
	if (!*svc)
		return -ENOENT;
	if (tb[PRIVLINK_TARGET_A_PORT])
		port = htons(nla_get_u16(tb[PRIVLINK_TARGET_A_PORT]));
	*t = privlink_target_find(*svc, a->family, &a->addr, port);
	if (want_target && !*t) {
		NL_SET_ERR_MSG_ATTR(info->extack, a->attr,
				    "the service has no target with this address and port");
		return -ENOENT;
	}
	if (!want_target && *t) {
		NL_SET_ERR_MSG_ATTR(info->extack, a->attr,
				    "the service already has a target with this address and port");
		return -EEXIST;
	}
	return 0;
}

/* Is the new target's address one the service and its VPC can have? */
static bool privlink_target_addr_ok(const struct privlink_service *svc,
				    const struct privlink_target_addr *a,
				    struct netlink_ext_ack *extack)
{
	const struct privlink_vpc *vpc = svc->vpc;

	if (a->family == NFPROTO_IPV4) {
		if (!(svc->ip_types & PRIVLINK_IP_V4)) {
			NL_SET_ERR_MSG_ATTR(extack, a->attr,
					    "the service does not support IPv4 (its IP address types are ipv6)");
			return false;
		}
		if (!privlink_addr_in(a->addr.ip, vpc->cidr, vpc->plen)) {
			NL_SET_ERR_MSG_ATTR(extack, a->attr,
					    "the target address is outside the provider VPC's CIDR");
			return false;
		}
		return true;
	}
	if (!(svc->ip_types & PRIVLINK_IP_V6)) {
		NL_SET_ERR_MSG_ATTR(extack, a->attr,
				    "the service does not support IPv6 (its IP address types are ipv4)");
		return false;
	}
	if (!privlink_addr6_in(&a->addr.in6, &vpc->cidr6, vpc->plen6)) {
		NL_SET_ERR_MSG_ATTR(extack, a->attr,
				    "the target's IPv6 address is outside the provider VPC's IPv6 prefix");
		return false;
	}
	return true;
}

int privlink_target_add(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_TARGET_A_MAX + 1];
	struct privlink_service *svc;
	struct privlink_target_addr a;
	struct privlink_target *t;
	struct privlink_az *az;
	int err;

	mutex_lock(&pn->lock);
	err = privlink_target_req(info, tb, &svc, &t, &a, false);
	if (err)
		goto out;
	if (privlink_missing(info, PRIVLINK_A_TARGET, tb, PRIVLINK_TARGET_A_AZ,
			     "the target's AZ is missing")) {
		err = -EINVAL;
		goto out;
	}
	if (tb[PRIVLINK_TARGET_A_HEALTH]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_TARGET_A_HEALTH],
				    "a health verdict is for an existing target (TARGET_SET)");
		err = -EINVAL;
		goto out;
	}
	az = privlink_az_lookup(pn, tb[PRIVLINK_TARGET_A_AZ], info->extack);
	if (!az) {
		err = -ENOENT;
		goto out;
	}
	if (!privlink_service_serves(svc, az)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_TARGET_A_AZ],
				    "the service does not serve this AZ (it has no NLB node there)");
		err = -EINVAL;
		goto out;
	}
	if (!privlink_target_addr_ok(svc, &a, info->extack)) {
		err = -EINVAL;
		goto out;
	}
	if (svc->n_targets >= PRIVLINK_MAX_TARGETS) {
		NL_SET_ERR_MSG(info->extack,
			       "the service already has the maximum number of targets (1024)");
		err = -ENOSPC;
		goto out;
	}
	if (!privlink_objects_room(pn, 1, info->extack)) {
		err = -ENOSPC;
		goto out;
	}
	t = privlink_obj_alloc(sizeof(*t));
	if (!t) {
		err = -ENOMEM;
		goto out;
	}
	refcount_set(&t->ref, 1);
	t->addr = a.addr;
	t->family = a.family;
	if (tb[PRIVLINK_TARGET_A_PORT])
		t->port = htons(nla_get_u16(tb[PRIVLINK_TARGET_A_PORT]));
	t->weight = 1;
	if (tb[PRIVLINK_TARGET_A_WEIGHT])
		t->weight = nla_get_u16(tb[PRIVLINK_TARGET_A_WEIGHT]);
	if (tb[PRIVLINK_TARGET_A_STATE])
		t->state = nla_get_u8(tb[PRIVLINK_TARGET_A_STATE]);
	t->service = svc;
	privlink_health_init(t, tb[PRIVLINK_TARGET_A_STATE]);
	refcount_inc(&svc->ref);
	t->az = az;
	refcount_inc(&az->ref);
	az->users++;
	svc->n_targets++;
	list_add_tail_rcu(&t->svc_node, &svc->targets);
	list_add_tail(&t->node, &pn->targets);
	pn->n_targets++;
	privlink_changed(pn);
	privlink_nl_notify(net, PRIVLINK_CMD_TARGET_ADD, privlink_target_fill, t);
	err = privlink_nl_reply(info, privlink_target_fill, t);
out:
	mutex_unlock(&pn->lock);
	return err;
}

int privlink_target_del(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_TARGET_A_MAX + 1];
	struct privlink_flow_batch fb = {};
	struct privlink_service *svc;
	struct privlink_target_addr a;
	struct privlink_target *t;
	int err;

	mutex_lock(&pn->lock);
	err = privlink_target_req(info, tb, &svc, &t, &a, true);
	if (!err)
		err = privlink_flow_batch_reserve(&fb, 0, 1, info->extack);
	if (!err)
		privlink_target_remove(pn, net, t, &fb);
	mutex_unlock(&pn->lock);
	privlink_flows_end(net, &fb);
	return err;
}

int privlink_target_set(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_TARGET_A_MAX + 1];
	struct privlink_service *svc;
	struct privlink_target_addr a;
	struct privlink_target *t;
	int err;

	mutex_lock(&pn->lock);
	err = privlink_target_req(info, tb, &svc, &t, &a, true);
	if (err)
		goto out;
	if (tb[PRIVLINK_TARGET_A_AZ]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_TARGET_A_AZ],
				    "a target's AZ cannot change; delete and re-add it");
		err = -EOPNOTSUPP;
		goto out;
	}
	if (tb[PRIVLINK_TARGET_A_HEALTH]) {
		if (tb[PRIVLINK_TARGET_A_WEIGHT] || tb[PRIVLINK_TARGET_A_STATE]) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[PRIVLINK_TARGET_A_HEALTH],
					    "a health verdict comes alone, without a weight or a state");
			err = -EINVAL;
			goto out;
		}
		err = privlink_health_set(pn, t, tb[PRIVLINK_TARGET_A_HEALTH],
					  info->extack);
		if (err)
			goto out;
	} else if (!tb[PRIVLINK_TARGET_A_WEIGHT] &&
		   !tb[PRIVLINK_TARGET_A_STATE]) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to change: give a weight or a state");
		err = -EINVAL;
		goto out;
	}
	if (tb[PRIVLINK_TARGET_A_WEIGHT])
		WRITE_ONCE(t->weight, nla_get_u16(tb[PRIVLINK_TARGET_A_WEIGHT]));
	if (tb[PRIVLINK_TARGET_A_STATE])
		WRITE_ONCE(t->state, nla_get_u8(tb[PRIVLINK_TARGET_A_STATE]));
	privlink_changed(pn);
	privlink_nl_notify(net, PRIVLINK_CMD_TARGET_SET, privlink_target_fill, t);
	err = privlink_nl_reply(info, privlink_target_fill, t);
out:
	mutex_unlock(&pn->lock);
	return err;
}

static bool privlink_target_of(const void *obj, const void *name)
{
	const struct privlink_target *t = obj;

	return !strcmp(t->service->name, name);
}

/* Dump all targets, or those of the service named in the request. */
int privlink_target_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *di = genl_dumpit_info(cb);
	struct privlink_net *pn = privlink_pernet(sock_net(skb->sk));
	struct nlattr *tb[PRIVLINK_TARGET_A_MAX + 1];
	char name[PRIVLINK_NAME_MAX] = "";
	int err;

	if (di->attrs[PRIVLINK_A_TARGET]) {
		err = nla_parse_nested(tb, PRIVLINK_TARGET_A_MAX,
				       di->attrs[PRIVLINK_A_TARGET],
				       privlink_target_policy, cb->extack);
		if (err)
			return err;
		if (tb[PRIVLINK_TARGET_A_SERVICE])
			nla_strscpy(name, tb[PRIVLINK_TARGET_A_SERVICE],
				    sizeof(name));
	}
	return privlink_nl_dump_list(skb, cb, &pn->targets,
				     offsetof(struct privlink_target, node),
				     privlink_target_fill,
				     name[0] ? privlink_target_of : NULL, name);
}
