// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: endpoint services, with their listeners, NLB nodes (one per AZ
 * served) and allowed principals.  Named in privlink_net.service_names.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/slab.h>

#include "privlink.h"

static const struct nla_policy
privlink_listener_policy[PRIVLINK_LISTENER_A_MAX + 1] = {
	[PRIVLINK_LISTENER_A_PROTO]       = { .type = NLA_U8 },
	[PRIVLINK_LISTENER_A_PORT]        = NLA_POLICY_MIN(NLA_U16, 1),
	[PRIVLINK_LISTENER_A_TARGET_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
};

static const struct nla_policy
privlink_nlb_node_policy[PRIVLINK_NLB_NODE_A_MAX + 1] = {
	[PRIVLINK_NLB_NODE_A_AZ]   = { .type = NLA_NUL_STRING,
				       .len = PRIVLINK_NAME_MAX - 1 },
	[PRIVLINK_NLB_NODE_A_ADDR] = { .type = NLA_BE32 },
	[PRIVLINK_NLB_NODE_A_ADDR6] = NLA_POLICY_EXACT_LEN(PRIVLINK_ADDR6_LEN),
};

static struct netlink_range_validation privlink_idle_timeout_range = {
	.min = PRIVLINK_IDLE_TIMEOUT_MIN,
	.max = PRIVLINK_IDLE_TIMEOUT_MAX,
};

const struct nla_policy privlink_service_policy[PRIVLINK_SERVICE_A_MAX + 1] = {
	[PRIVLINK_SERVICE_A_NAME]         = { .type = NLA_NUL_STRING,
					      .len = PRIVLINK_NAME_MAX - 1 },
	[PRIVLINK_SERVICE_A_VPC]          = { .type = NLA_NUL_STRING,
					      .len = PRIVLINK_NAME_MAX - 1 },
	[PRIVLINK_SERVICE_A_LISTENERS]    = { .type = NLA_NESTED,
					      .nested_policy = privlink_service_policy,
					      .len = PRIVLINK_SERVICE_A_MAX },
	[PRIVLINK_SERVICE_A_LISTENER]     = NLA_POLICY_NESTED(privlink_listener_policy),
	[PRIVLINK_SERVICE_A_NLB_NODES]    = { .type = NLA_NESTED,
					      .nested_policy = privlink_service_policy,
					      .len = PRIVLINK_SERVICE_A_MAX },
	[PRIVLINK_SERVICE_A_NLB_NODE]     = NLA_POLICY_NESTED(privlink_nlb_node_policy),
	[PRIVLINK_SERVICE_A_ACCEPTANCE]   =
		NLA_POLICY_MAX(NLA_U8, PRIVLINK_ACCEPTANCE_REQUIRED),
	[PRIVLINK_SERVICE_A_PRINCIPALS]   = { .type = NLA_NESTED,
					      .nested_policy = privlink_service_policy,
					      .len = PRIVLINK_SERVICE_A_MAX },
	[PRIVLINK_SERVICE_A_PRINCIPAL]    = { .type = NLA_NUL_STRING,
					      .len = PRIVLINK_NAME_MAX - 1 },
	[PRIVLINK_SERVICE_A_CROSS_ZONE]   = NLA_POLICY_MAX(NLA_U8, 1),
	[PRIVLINK_SERVICE_A_IDLE_TIMEOUT] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &privlink_idle_timeout_range),
	[PRIVLINK_SERVICE_A_ENDPOINTS]    = { .type = NLA_REJECT },
	[PRIVLINK_SERVICE_A_HEALTH_CHECK] = { .type = NLA_NESTED,
					      .nested_policy = privlink_check_policy,
					      .len = PRIVLINK_CHECK_A_MAX },
	[PRIVLINK_SERVICE_A_IP_TYPES]     =
		NLA_POLICY_RANGE(NLA_U8, PRIVLINK_IP_V4, PRIVLINK_IP_DUALSTACK),
};

const struct rhashtable_params privlink_service_name_params = {
	.key_len     = PRIVLINK_NAME_MAX,
	.key_offset  = offsetof(struct privlink_service, name),
	.head_offset = offsetof(struct privlink_service, hnode),
	.automatic_shrinking = true,
};

static struct privlink_service *privlink_service_find(struct privlink_net *pn,
						      const char *name)
{
	return rhashtable_lookup_fast(&pn->service_names, name,
				      privlink_service_name_params);
}

static bool privlink_service_name_used(struct privlink_net *pn,
				       const char *name)
{
	return privlink_service_find(pn, name);
}

/* The service named by @attr, or NULL with the extack set. */
struct privlink_service *privlink_service_lookup(struct privlink_net *pn,
						 const struct nlattr *attr,
						 struct netlink_ext_ack *extack)
{
	char name[PRIVLINK_NAME_MAX];
	struct privlink_service *svc;

	if (privlink_nl_get_name(attr, name, extack))
		return NULL;
	svc = privlink_service_find(pn, name);
	if (!svc)
		NL_SET_ERR_MSG_ATTR(extack, attr, "no service with this name");
	return svc;
}

/* Does @svc have an NLB node in @az? */
bool privlink_service_serves(const struct privlink_service *svc,
			     const struct privlink_az *az)
{
	unsigned int i;

	for (i = 0; i < svc->n_nlb_nodes; i++)
		if (svc->nlb_nodes[i].az == az)
			return true;
	return false;
}

bool privlink_service_allows(const struct privlink_service *svc,
			     const char *account)
{
	unsigned int i;

	for (i = 0; i < svc->n_principals; i++)
		if (!strcmp(svc->principals[i], "*") ||
		    !strcmp(svc->principals[i], account))
			return true;
	return false;
}

void privlink_service_put(struct privlink_service *svc)
{
	if (refcount_dec_and_test(&svc->ref)) {
		/* principals and check: under privlink_net.lock only */
		kfree(svc->principals);
		kfree(svc->check);
		privlink_obj_free(svc);
	}
}

static int privlink_service_fill(struct sk_buff *skb, const void *obj)
{
	const struct privlink_service *svc = obj;
	struct nlattr *nest, *list, *item;
	unsigned int i;

	nest = nla_nest_start(skb, PRIVLINK_A_SERVICE);
	if (!nest ||
	    nla_put_string(skb, PRIVLINK_SERVICE_A_NAME, svc->name) ||
	    nla_put_string(skb, PRIVLINK_SERVICE_A_VPC, svc->vpc->name) ||
	    nla_put_u8(skb, PRIVLINK_SERVICE_A_ACCEPTANCE, svc->acceptance) ||
	    nla_put_u8(skb, PRIVLINK_SERVICE_A_CROSS_ZONE, svc->cross_zone) ||
	    nla_put_u32(skb, PRIVLINK_SERVICE_A_IDLE_TIMEOUT,
			svc->idle_timeout) ||
	    nla_put_u32(skb, PRIVLINK_SERVICE_A_ENDPOINTS, svc->endpoints) ||
	    nla_put_u8(skb, PRIVLINK_SERVICE_A_IP_TYPES, svc->ip_types) ||
	    privlink_check_fill(skb, svc->check))
		return -EMSGSIZE;

	list = nla_nest_start(skb, PRIVLINK_SERVICE_A_LISTENERS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < svc->n_listeners; i++) {
		const struct privlink_listener *l = &svc->listeners[i];

		item = nla_nest_start(skb, PRIVLINK_SERVICE_A_LISTENER);
		if (!item ||
		    nla_put_u8(skb, PRIVLINK_LISTENER_A_PROTO, l->proto) ||
		    nla_put_u16(skb, PRIVLINK_LISTENER_A_PORT, ntohs(l->port)) ||
		    nla_put_u16(skb, PRIVLINK_LISTENER_A_TARGET_PORT,
				ntohs(l->target_port)))
			return -EMSGSIZE;
		nla_nest_end(skb, item);
	}
	nla_nest_end(skb, list);

	list = nla_nest_start(skb, PRIVLINK_SERVICE_A_NLB_NODES);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < svc->n_nlb_nodes; i++) {
		const struct privlink_nlb_node *n = &svc->nlb_nodes[i];

		item = nla_nest_start(skb, PRIVLINK_SERVICE_A_NLB_NODE);
		if (!item ||
		    nla_put_string(skb, PRIVLINK_NLB_NODE_A_AZ, n->az->name) ||
		    ((svc->ip_types & PRIVLINK_IP_V4) &&
		     nla_put_be32(skb, PRIVLINK_NLB_NODE_A_ADDR, n->addr)) ||
		    ((svc->ip_types & PRIVLINK_IP_V6) &&
		     nla_put_in6_addr(skb, PRIVLINK_NLB_NODE_A_ADDR6, &n->addr6)))
			return -EMSGSIZE;
		nla_nest_end(skb, item);
	}
	nla_nest_end(skb, list);

	list = nla_nest_start(skb, PRIVLINK_SERVICE_A_PRINCIPALS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < svc->n_principals; i++)
		if (nla_put_string(skb, PRIVLINK_SERVICE_A_PRINCIPAL,
				   svc->principals[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, list);
	nla_nest_end(skb, nest);
	return 0;
}

static int privlink_listeners_parse(struct privlink_service *svc,
				    const struct nlattr *list,
				    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PRIVLINK_LISTENER_A_MAX + 1];
	const struct nlattr *a;
	unsigned int i;
	int rem, err;

	nla_for_each_nested(a, list, rem) {
		struct privlink_listener *l;

		if (nla_type(a) != PRIVLINK_SERVICE_A_LISTENER) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "the listener list may only hold listeners");
			return -EINVAL;
		}
		if (svc->n_listeners == PRIVLINK_MAX_LISTENERS) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "a service can have at most 16 listeners");
			return -ENOSPC;
		}
		err = nla_parse_nested(tb, PRIVLINK_LISTENER_A_MAX, a,
				       privlink_listener_policy, extack);
		if (err)
			return err;
		if (!tb[PRIVLINK_LISTENER_A_PROTO] ||
		    !tb[PRIVLINK_LISTENER_A_PORT]) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "a listener needs a protocol and a port");
			return -EINVAL;
		}
		l = &svc->listeners[svc->n_listeners];
		l->proto = nla_get_u8(tb[PRIVLINK_LISTENER_A_PROTO]);
		if (l->proto != IPPROTO_TCP && l->proto != IPPROTO_UDP) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PRIVLINK_LISTENER_A_PROTO],
					    "listeners are TCP or UDP");
			return -EINVAL;
		}
		l->port = htons(nla_get_u16(tb[PRIVLINK_LISTENER_A_PORT]));
		l->target_port = tb[PRIVLINK_LISTENER_A_TARGET_PORT] ?
			htons(nla_get_u16(tb[PRIVLINK_LISTENER_A_TARGET_PORT])) :
			l->port;
		for (i = 0; i < svc->n_listeners; i++) {
			if (svc->listeners[i].proto == l->proto &&
			    svc->listeners[i].port == l->port) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "two listeners on the same protocol and port");
				return -EINVAL;
			}
		}
		svc->n_listeners++;
	}
	if (!svc->n_listeners) {
		NL_SET_ERR_MSG_ATTR(extack, list, "a service needs a listener");
		return -EINVAL;
	}
	return 0;
}

/*
 * The addresses of one NLB node (its nest @a, parsed in @tb) into @n: one
 * of each family of svc->ip_types, or, while that is still 0 (the request
 * gave no IP_TYPES and this is the first node), of the families this node
 * has, which then become the service's.
 */
static int privlink_nlb_node_addrs(struct privlink_service *svc,
				   struct privlink_nlb_node *n,
				   const struct nlattr *a, struct nlattr **tb,
				   struct netlink_ext_ack *extack)
{
	const struct privlink_vpc *vpc = svc->vpc;
	u8 has = (tb[PRIVLINK_NLB_NODE_A_ADDR] ? PRIVLINK_IP_V4 : 0) |
		 (tb[PRIVLINK_NLB_NODE_A_ADDR6] ? PRIVLINK_IP_V6 : 0);
	unsigned int i;

	if (!svc->ip_types)
		svc->ip_types = has;
	if (has != svc->ip_types) {
		if (svc->ip_types == PRIVLINK_IP_DUALSTACK)
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "a dualstack service's NLB node needs an IPv4 and an IPv6 address");
		else if (svc->ip_types == PRIVLINK_IP_V4)
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "an IPv4 service's NLB node needs an IPv4 address and no IPv6 one");
		else
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "an IPv6 service's NLB node needs an IPv6 address and no IPv4 one");
		return -EINVAL;
	}
	if (has & PRIVLINK_IP_V4) {
		n->addr = nla_get_be32(tb[PRIVLINK_NLB_NODE_A_ADDR]);
		if (!vpc->plen ||
		    !privlink_addr_in(n->addr, vpc->cidr, vpc->plen)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PRIVLINK_NLB_NODE_A_ADDR],
					    "the NLB node address is outside the provider VPC's CIDR");
			return -EINVAL;
		}
	}
	if (has & PRIVLINK_IP_V6) {
		n->addr6 = nla_get_in6_addr(tb[PRIVLINK_NLB_NODE_A_ADDR6]);
		if (!vpc->plen6 ||
		    !privlink_addr6_in(&n->addr6, &vpc->cidr6, vpc->plen6)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PRIVLINK_NLB_NODE_A_ADDR6],
					    "the NLB node's IPv6 address is outside the provider VPC's IPv6 prefix");
			return -EINVAL;
		}
	}
	for (i = 0; i < svc->n_nlb_nodes; i++) {
		if (((has & PRIVLINK_IP_V4) &&
		     svc->nlb_nodes[i].addr == n->addr) ||
		    ((has & PRIVLINK_IP_V6) &&
		     ipv6_addr_equal(&svc->nlb_nodes[i].addr6, &n->addr6))) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "two NLB nodes with the same address");
			return -EINVAL;
		}
	}
	return 0;
}

/* Takes a reference on, and a use of, each node's AZ. */
static int privlink_nlb_nodes_parse(struct privlink_net *pn,
				    struct privlink_service *svc,
				    const struct nlattr *list,
				    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PRIVLINK_NLB_NODE_A_MAX + 1];
	const struct nlattr *a;
	unsigned int i;
	int rem, err;

	nla_for_each_nested(a, list, rem) {
		struct privlink_nlb_node *n;
		struct privlink_az *az;

		if (nla_type(a) != PRIVLINK_SERVICE_A_NLB_NODE) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "the NLB node list may only hold NLB nodes");
			return -EINVAL;
		}
		err = nla_parse_nested(tb, PRIVLINK_NLB_NODE_A_MAX, a,
				       privlink_nlb_node_policy, extack);
		if (err)
			return err;
		if (!tb[PRIVLINK_NLB_NODE_A_AZ] ||
		    (!tb[PRIVLINK_NLB_NODE_A_ADDR] &&
		     !tb[PRIVLINK_NLB_NODE_A_ADDR6])) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "an NLB node needs an AZ and an address");
			return -EINVAL;
		}
		if (svc->n_nlb_nodes == PRIVLINK_MAX_AZS) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "a service has one NLB node per AZ");
			return -EINVAL;
		}
		n = &svc->nlb_nodes[svc->n_nlb_nodes];
		err = privlink_nlb_node_addrs(svc, n, a, tb, extack);
		if (err)
			return err;
		az = privlink_az_lookup(pn, tb[PRIVLINK_NLB_NODE_A_AZ], extack);
		if (!az)
			return -ENOENT;
		for (i = 0; i < svc->n_nlb_nodes; i++) {
			if (svc->nlb_nodes[i].az == az) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "a service has one NLB node per AZ");
				return -EINVAL;
			}
		}
		svc->n_nlb_nodes++;
		n->az = az;
		n->service = svc;
		refcount_inc(&az->ref);
		az->users++;
	}
	if (!svc->n_nlb_nodes) {
		NL_SET_ERR_MSG_ATTR(extack, list,
				    "a service needs an NLB node in at least one AZ");
		return -EINVAL;
	}
	return 0;
}

const struct rhashtable_params privlink_nlb_params = {
	.key_len     = sizeof(__be32),
	.key_offset  = offsetof(struct privlink_nlb_node, addr),
	.head_offset = offsetof(struct privlink_nlb_node, hnode),
	.automatic_shrinking = true,
};

const struct rhashtable_params privlink_nlb6_params = {
	.key_len     = sizeof(struct in6_addr),
	.key_offset  = offsetof(struct privlink_nlb_node, addr6),
	.head_offset = offsetof(struct privlink_nlb_node, hnode6),
	.automatic_shrinking = true,
};

/* Take the first @n of @svc's NLB nodes out of the tables. */
static void privlink_nlb_nodes_unpublish(struct privlink_net *pn,
					 struct privlink_service *svc,
					 unsigned int n)
{
	while (n--) {
		if (svc->ip_types & PRIVLINK_IP_V4)
			rhashtable_remove_fast(&pn->nlbs,
					       &svc->nlb_nodes[n].hnode,
					       privlink_nlb_params);
		if (svc->ip_types & PRIVLINK_IP_V6)
			rhashtable_remove_fast(&pn->nlbs6,
					       &svc->nlb_nodes[n].hnode6,
					       privlink_nlb6_params);
	}
}

/* Put one node's addresses into the tables: all of them, or none. */
static int privlink_nlb_node_publish(struct privlink_net *pn,
				     const struct privlink_service *svc,
				     struct privlink_nlb_node *n)
{
	int err;

	if (svc->ip_types & PRIVLINK_IP_V4) {
		err = rhashtable_lookup_insert_fast(&pn->nlbs, &n->hnode,
						    privlink_nlb_params);
		if (err)
			return err;
	}
	if (svc->ip_types & PRIVLINK_IP_V6) {
		err = rhashtable_lookup_insert_fast(&pn->nlbs6, &n->hnode6,
						    privlink_nlb6_params);
		if (err) {
			if (svc->ip_types & PRIVLINK_IP_V4)
				rhashtable_remove_fast(&pn->nlbs, &n->hnode,
						       privlink_nlb_params);
			return err;
		}
	}
	return 0;
}

/*
 * Put @svc's NLB nodes into privlink_net.nlbs, where the packet path looks
 * up who may send to them (flow.c).  Their addresses are unique in the
 * netns: the replies of every provider share the default conntrack zone.
 */
static int privlink_nlb_nodes_publish(struct privlink_net *pn,
				      struct privlink_service *svc,
				      struct netlink_ext_ack *extack)
{
	unsigned int i;
	int err;

	lockdep_assert_held(&pn->lock);
	for (i = 0; i < svc->n_nlb_nodes; i++) {
		err = privlink_nlb_node_publish(pn, svc, &svc->nlb_nodes[i]);
		if (err) {
			privlink_nlb_nodes_unpublish(pn, svc, i);
			if (err == -EEXIST)
				NL_SET_ERR_MSG(extack,
					       "another service has an NLB node with this address");
			else
				NL_SET_ERR_MSG(extack,
					       "out of memory publishing the NLB nodes");
			return err;
		}
	}
	return 0;
}

static void privlink_nlb_nodes_release(struct privlink_service *svc)
{
	while (svc->n_nlb_nodes) {
		struct privlink_az *az = svc->nlb_nodes[--svc->n_nlb_nodes].az;

		az->users--;
		privlink_az_put(az);
	}
}

/* Parse PRINCIPALS into a new array that replaces svc->principals. */
static int privlink_principals_parse(struct privlink_service *svc,
				     const struct nlattr *list,
				     struct netlink_ext_ack *extack)
{
	char (*p)[PRIVLINK_NAME_MAX];
	const struct nlattr *a;
	unsigned int n = 0, i;
	int rem;

	p = kcalloc(PRIVLINK_MAX_PRINCIPALS, PRIVLINK_NAME_MAX,
		    GFP_KERNEL_ACCOUNT);
	if (!p)
		return -ENOMEM;
	nla_for_each_nested(a, list, rem) {
		if (nla_type(a) != PRIVLINK_SERVICE_A_PRINCIPAL) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "the principal list may only hold principals");
			goto err;
		}
		if (n == PRIVLINK_MAX_PRINCIPALS) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "a service can allow at most 64 principals");
			goto err;
		}
		nla_strscpy(p[n], a, PRIVLINK_NAME_MAX);
		if (strcmp(p[n], "*") && !privlink_name_valid(p[n], extack)) {
			NL_SET_BAD_ATTR(extack, a);
			goto err;
		}
		for (i = 0; i < n; i++) {
			if (!strcmp(p[i], p[n])) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "the principal is listed twice");
				goto err;
			}
		}
		n++;
	}
	kfree(svc->principals);
	svc->principals = p;
	svc->n_principals = n;
	return 0;
err:
	kfree(p);
	return -EINVAL;
}

int privlink_service_add(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_SERVICE_A_MAX + 1];
	struct privlink_service *svc;
	struct privlink_vpc *vpc;
	int err;

	err = privlink_nl_nest(info, PRIVLINK_A_SERVICE, tb,
			       PRIVLINK_SERVICE_A_MAX, privlink_service_policy);
	if (err)
		return err;
	if (privlink_missing(info, PRIVLINK_A_SERVICE, tb,
			     PRIVLINK_SERVICE_A_VPC,
			     "the service's provider VPC is missing") ||
	    privlink_missing(info, PRIVLINK_A_SERVICE, tb,
			     PRIVLINK_SERVICE_A_LISTENERS,
			     "a service needs a listener") ||
	    privlink_missing(info, PRIVLINK_A_SERVICE, tb,
			     PRIVLINK_SERVICE_A_NLB_NODES,
			     "a service needs an NLB node in at least one AZ"))
		return -EINVAL;

	svc = privlink_obj_alloc(sizeof(*svc));
	if (!svc)
		return -ENOMEM;
	refcount_set(&svc->ref, 1);
	INIT_LIST_HEAD(&svc->targets);
	svc->acceptance = PRIVLINK_ACCEPTANCE_REQUIRED;
	svc->idle_timeout = PRIVLINK_IDLE_TIMEOUT_DEFAULT;
	if (tb[PRIVLINK_SERVICE_A_ACCEPTANCE])
		svc->acceptance = nla_get_u8(tb[PRIVLINK_SERVICE_A_ACCEPTANCE]);
	if (tb[PRIVLINK_SERVICE_A_CROSS_ZONE])
		svc->cross_zone = nla_get_u8(tb[PRIVLINK_SERVICE_A_CROSS_ZONE]);
	if (tb[PRIVLINK_SERVICE_A_IDLE_TIMEOUT])
		svc->idle_timeout =
			nla_get_u32(tb[PRIVLINK_SERVICE_A_IDLE_TIMEOUT]);
	if (tb[PRIVLINK_SERVICE_A_IP_TYPES])	/* else the NLB nodes' */
		svc->ip_types = nla_get_u8(tb[PRIVLINK_SERVICE_A_IP_TYPES]);
	if (tb[PRIVLINK_SERVICE_A_NAME]) {
		err = privlink_nl_get_name(tb[PRIVLINK_SERVICE_A_NAME],
					   svc->name, info->extack);
		if (err)
			goto free;
	}
	err = privlink_listeners_parse(svc, tb[PRIVLINK_SERVICE_A_LISTENERS],
				       info->extack);
	if (err)
		goto free;
	if (tb[PRIVLINK_SERVICE_A_PRINCIPALS]) {
		err = privlink_principals_parse(svc,
						tb[PRIVLINK_SERVICE_A_PRINCIPALS],
						info->extack);
		if (err)
			goto free;
	}
	if (tb[PRIVLINK_SERVICE_A_HEALTH_CHECK]) {
		err = privlink_check_parse(tb[PRIVLINK_SERVICE_A_HEALTH_CHECK],
					   &svc->check, info->extack);
		if (err)
			goto free;
	}

	mutex_lock(&pn->lock);
	vpc = privlink_vpc_lookup(pn, tb[PRIVLINK_SERVICE_A_VPC], info->extack);
	if (!vpc) {
		err = -ENOENT;
		goto unlock;
	}
	svc->vpc = vpc;
	if (svc->ip_types & ~vpc->families) {
		if (vpc->families == PRIVLINK_IP_V4)
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[PRIVLINK_SERVICE_A_IP_TYPES],
					    "the provider VPC has no IPv6 prefix");
		else
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[PRIVLINK_SERVICE_A_IP_TYPES],
					    "the provider VPC has no IPv4 CIDR");
		err = -EINVAL;
		goto unlock;
	}
	if (!svc->name[0]) {
		privlink_name_generate(pn, "vpce-svc-",
				       privlink_service_name_used, svc->name);
	} else if (privlink_service_find(pn, svc->name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_SERVICE_A_NAME],
				    "a service with this name already exists");
		err = -EEXIST;
		goto unlock;
	}
	if (!privlink_objects_room(pn, 1, info->extack)) {
		err = -ENOSPC;
		goto unlock;
	}
	err = privlink_nlb_nodes_parse(pn, svc,
				       tb[PRIVLINK_SERVICE_A_NLB_NODES],
				       info->extack);
	if (err)
		goto release;
	err = privlink_timeouts_set(net, svc);
	if (err)
		goto release;
	err = privlink_nlb_nodes_publish(pn, svc, info->extack);
	if (err)
		goto release;
	err = rhashtable_insert_fast(&pn->service_names, &svc->hnode,
				     privlink_service_name_params);
	if (err) {
		privlink_nlb_nodes_unpublish(pn, svc, svc->n_nlb_nodes);
		goto release;
	}
	refcount_inc(&vpc->ref);
	vpc->services++;
	list_add_tail_rcu(&svc->node, &pn->services);
	pn->n_services++;
	privlink_changed(pn);
	privlink_nl_notify(net, PRIVLINK_CMD_SERVICE_ADD,
			   privlink_service_fill, svc);
	err = privlink_nl_reply(info, privlink_service_fill, svc);
	mutex_unlock(&pn->lock);
	return err;

release:
	privlink_timeouts_release(svc);
	privlink_nlb_nodes_release(svc);
unlock:
	mutex_unlock(&pn->lock);
free:
	kfree(svc->principals);
	kfree(svc->check);
	privlink_obj_free(svc);
	return err;
}

static struct privlink_service *
privlink_service_from_req(struct genl_info *info, struct nlattr **tb)
{
	struct privlink_net *pn = privlink_pernet(genl_info_net(info));

	if (privlink_nl_nest(info, PRIVLINK_A_SERVICE, tb,
			     PRIVLINK_SERVICE_A_MAX, privlink_service_policy))
		return ERR_PTR(-EINVAL);
	if (privlink_missing(info, PRIVLINK_A_SERVICE, tb,
			     PRIVLINK_SERVICE_A_NAME,
			     "the service name is missing"))
		return ERR_PTR(-EINVAL);
	return privlink_service_lookup(pn, tb[PRIVLINK_SERVICE_A_NAME],
				       info->extack) ?: ERR_PTR(-ENOENT);
}

/*
 * Unlink @svc; its targets go first, each with an event when @net, their
 * flows into @fb (room reserved for all of them; NULL at netns exit).
 */
static void privlink_service_remove(struct privlink_net *pn, struct net *net,
				    struct privlink_service *svc,
				    struct privlink_flow_batch *fb)
{
	struct privlink_target *t, *tmp;

	list_for_each_entry_safe(t, tmp, &svc->targets, svc_node)
		privlink_target_remove(pn, net, t, fb);
	if (net)
		privlink_nl_notify(net, PRIVLINK_CMD_SERVICE_DEL,
				   privlink_service_fill, svc);
	rhashtable_remove_fast(&pn->service_names, &svc->hnode,
			       privlink_service_name_params);
	list_del_rcu(&svc->node);
	pn->n_services--;
	privlink_changed(pn);
	privlink_timeouts_release(svc);
	privlink_nlb_nodes_unpublish(pn, svc, svc->n_nlb_nodes);
	privlink_nlb_nodes_release(svc);
	svc->vpc->services--;
	privlink_vpc_put(svc->vpc);
	privlink_service_put(svc);
}

int privlink_service_del(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_SERVICE_A_MAX + 1];
	struct privlink_flow_batch fb = {};
	struct privlink_service *svc;
	int err = 0;

	mutex_lock(&pn->lock);
	svc = privlink_service_from_req(info, tb);
	if (IS_ERR(svc)) {
		err = PTR_ERR(svc);
		goto out;
	}
	if (svc->endpoints) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_SERVICE_A_NAME],
				    "the service has endpoints; delete or reject and delete them first");
		err = -EBUSY;
		goto out;
	}
	err = privlink_flow_batch_reserve(&fb, 0, svc->n_targets, info->extack);
	if (!err)
		privlink_service_remove(pn, net, svc, &fb);
out:
	mutex_unlock(&pn->lock);
	privlink_flows_end(net, &fb);	/* all its targets' at once */
	return err;
}

int privlink_service_set(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_SERVICE_A_MAX + 1];
	struct privlink_check *check = NULL;
	struct privlink_service *svc;
	int err;

	mutex_lock(&pn->lock);
	svc = privlink_service_from_req(info, tb);
	if (IS_ERR(svc)) {
		err = PTR_ERR(svc);
		goto out;
	}
	if (tb[PRIVLINK_SERVICE_A_VPC] || tb[PRIVLINK_SERVICE_A_LISTENERS] ||
	    tb[PRIVLINK_SERVICE_A_NLB_NODES] ||
	    tb[PRIVLINK_SERVICE_A_IP_TYPES]) {
		NL_SET_ERR_MSG(info->extack,
			       "a service's VPC, listeners, NLB nodes and IP address types are fixed; create a new service to change them");
		err = -EOPNOTSUPP;
		goto out;
	}
	if (!tb[PRIVLINK_SERVICE_A_ACCEPTANCE] &&
	    !tb[PRIVLINK_SERVICE_A_PRINCIPALS] &&
	    !tb[PRIVLINK_SERVICE_A_CROSS_ZONE] &&
	    !tb[PRIVLINK_SERVICE_A_IDLE_TIMEOUT] &&
	    !tb[PRIVLINK_SERVICE_A_HEALTH_CHECK]) {
		NL_SET_ERR_MSG(info->extack, "nothing to change");
		err = -EINVAL;
		goto out;
	}
	/* parsed before anything of the service changes */
	if (tb[PRIVLINK_SERVICE_A_HEALTH_CHECK]) {
		err = privlink_check_parse(tb[PRIVLINK_SERVICE_A_HEALTH_CHECK],
					   &check, info->extack);
		if (err)
			goto out;
	}
	if (tb[PRIVLINK_SERVICE_A_PRINCIPALS]) {
		err = privlink_principals_parse(svc,
						tb[PRIVLINK_SERVICE_A_PRINCIPALS],
						info->extack);
		if (err)
			goto out;
	}
	if (tb[PRIVLINK_SERVICE_A_ACCEPTANCE])
		svc->acceptance = nla_get_u8(tb[PRIVLINK_SERVICE_A_ACCEPTANCE]);
	if (tb[PRIVLINK_SERVICE_A_CROSS_ZONE])
		WRITE_ONCE(svc->cross_zone,
			   nla_get_u8(tb[PRIVLINK_SERVICE_A_CROSS_ZONE]));
	if (tb[PRIVLINK_SERVICE_A_IDLE_TIMEOUT]) {
		u32 old = svc->idle_timeout;

		svc->idle_timeout =
			nla_get_u32(tb[PRIVLINK_SERVICE_A_IDLE_TIMEOUT]);
		err = privlink_timeouts_set(net, svc);
		if (err) {
			svc->idle_timeout = old;
			goto out;
		}
	}
	if (tb[PRIVLINK_SERVICE_A_HEALTH_CHECK]) {
		privlink_check_replace(pn, svc, check);
		check = NULL;
	}
	privlink_changed(pn);
	privlink_nl_notify(net, PRIVLINK_CMD_SERVICE_SET,
			   privlink_service_fill, svc);
	err = privlink_nl_reply(info, privlink_service_fill, svc);
out:
	mutex_unlock(&pn->lock);
	kfree(check);
	return err;
}

int privlink_service_get(struct sk_buff *skb, struct genl_info *info)
{
	struct privlink_net *pn = privlink_pernet(genl_info_net(info));
	struct nlattr *tb[PRIVLINK_SERVICE_A_MAX + 1];
	struct privlink_service *svc;
	int err;

	mutex_lock(&pn->lock);
	svc = privlink_service_from_req(info, tb);
	err = IS_ERR(svc) ? PTR_ERR(svc) :
	      privlink_nl_reply(info, privlink_service_fill, svc);
	mutex_unlock(&pn->lock);
	return err;
}

int privlink_service_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct privlink_net *pn = privlink_pernet(sock_net(skb->sk));

	return privlink_nl_dump_list(skb, cb, &pn->services,
				     offsetof(struct privlink_service, node),
				     privlink_service_fill, NULL, NULL);
}

/* netns exit: endpoints are gone already; no events. */
void privlink_service_flush(struct privlink_net *pn)
{
	struct privlink_service *svc, *tmp;

	list_for_each_entry_safe(svc, tmp, &pn->services, node)
		privlink_service_remove(pn, NULL, svc, NULL);
}
