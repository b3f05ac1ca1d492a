// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: the "privlink" generic netlink family and the helpers every
 * object kind uses to reply, notify and dump.  The protocol is documented in
 * include/uapi/linux/privlink.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>
#include <uapi/linux/privlink.h>

#include "privlink.h"

/* Replies and events of one object; services are the largest. */
#define PRIVLINK_MSG_SIZE (2 * NLMSG_GOODSIZE)

enum { PRIVLINK_MCGRP_EVENTS };

/*
 * Events carry every tenant's accounts and principals: only CAP_NET_ADMIN
 * over the namespace may subscribe (genl_bind() checks it in 6.1).
 */
static const struct genl_multicast_group privlink_mcgrps[] = {
	[PRIVLINK_MCGRP_EVENTS] = { .name = PRIVLINK_GENL_MCGRP_EVENTS,
				    .flags = GENL_MCAST_CAP_NET_ADMIN },
};

/*
 * Parse the object nest @attr of a request into @tb (already validated by
 * the family policy, recursively).
 */
int privlink_nl_nest(struct genl_info *info, int attr, struct nlattr **tb,
		     int maxtype, const struct nla_policy *policy)
{
	if (!info->attrs[attr]) {
		NL_SET_ERR_MSG_ATTR(info->extack, NULL,
				    "the request carries no object of the kind its command needs");
		return -EINVAL;
	}
	return nla_parse_nested(tb, maxtype, info->attrs[attr], policy,
				info->extack);
}

/* Copy a name attribute into a zero-padded PRIVLINK_NAME_MAX buffer. */
int privlink_nl_get_name(const struct nlattr *attr, char *name,
			 struct netlink_ext_ack *extack)
{
	memset(name, 0, PRIVLINK_NAME_MAX);
	nla_strscpy(name, attr, PRIVLINK_NAME_MAX);
	if (!privlink_name_valid(name, extack)) {
		NL_SET_BAD_ATTR(extack, attr);
		return -EINVAL;
	}
	return 0;
}

static struct sk_buff *privlink_nl_build(u32 portid, u32 seq, u8 cmd,
					 privlink_fill_t fill, const void *obj)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(PRIVLINK_MSG_SIZE, GFP_KERNEL);
	if (!msg)
		return NULL;
	hdr = genlmsg_put(msg, portid, seq, &privlink_genl_family, 0, cmd);
	if (!hdr || fill(msg, obj)) {
		nlmsg_free(msg);
		return NULL;
	}
	genlmsg_end(msg, hdr);
	return msg;
}

/* Answer a request with one object, in a message of the request's command. */
int privlink_nl_reply(struct genl_info *info, privlink_fill_t fill,
		      const void *obj)
{
	struct sk_buff *msg;

	msg = privlink_nl_build(info->snd_portid, info->snd_seq,
				info->genlhdr->cmd, fill, obj);
	if (!msg)
		return -ENOMEM;
	return genlmsg_reply(msg, info);
}

/* Tell the "events" group of @net about a change (see the uapi header). */
void privlink_nl_notify(struct net *net, u8 cmd, privlink_fill_t fill,
			const void *obj)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&privlink_genl_family, net,
				PRIVLINK_MCGRP_EVENTS))
		return;
	msg = privlink_nl_build(0, 0, cmd, fill, obj);
	if (!msg) {
		/* Listeners see ENOBUFS on their socket, as with rtnetlink. */
		netlink_set_err(net->genl_sock, 0,
				privlink_genl_family.mcgrp_offset +
				PRIVLINK_MCGRP_EVENTS, -ENOBUFS);
		return;
	}
	genlmsg_multicast_netns(&privlink_genl_family, net, msg, 0,
				PRIVLINK_MCGRP_EVENTS, GFP_KERNEL);
}

/*
 * Dump every object on @head (a privlink_net list; @node_off is the offset
 * of the list_head in the object) that @match accepts (all when NULL).
 *
 * Each round holds privlink_net.lock.  cb->args: [0] objects already looked
 * at, [1] the generation seen by the last round, [2] the last list node
 * dumped.  When nothing changed since the last round, it resumes at [2];
 * otherwise it skips [0] objects, and genl_dump_check_consistent() marks the
 * dump NLM_F_DUMP_INTR so that userspace retries it.
 */
int privlink_nl_dump_list(struct sk_buff *skb, struct netlink_callback *cb,
			  struct list_head *head, size_t node_off,
			  privlink_fill_t fill,
			  bool (*match)(const void *obj, const void *arg),
			  const void *arg)
{
	struct privlink_net *pn = privlink_pernet(sock_net(skb->sk));
	u8 cmd = ((struct genlmsghdr *)nlmsg_data(cb->nlh))->cmd;
	struct list_head *pos;
	unsigned long idx = 0;
	int err = 0;

	mutex_lock(&pn->lock);
	cb->seq = pn->gen;
	if (cb->args[2] && cb->args[1] == pn->gen) {
		pos = ((struct list_head *)cb->args[2])->next;
		idx = cb->args[0];
	} else {
		pos = head->next;
		while (pos != head && idx < cb->args[0]) {
			pos = pos->next;
			idx++;
		}
	}
	for (; pos != head; pos = pos->next, idx++) {
		const void *obj = (const char *)pos - node_off;
		void *hdr;

		if (match && !match(obj, arg)) {
			cb->args[2] = (unsigned long)pos;
			continue;
		}
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &privlink_genl_family,
				  NLM_F_MULTI, cmd);
		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		genl_dump_check_consistent(cb, hdr);
		if (fill(skb, obj)) {
			genlmsg_cancel(skb, hdr);
			err = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[2] = (unsigned long)pos;
	}
	cb->args[0] = idx;
	cb->args[1] = pn->gen;
	mutex_unlock(&pn->lock);
	if (err == -EMSGSIZE && !skb->len)
		return err;	/* one object does not fit an empty message */
	return skb->len;
}

static int privlink_fill_stats(struct sk_buff *skb, struct privlink_net *pn)
{
	struct privlink_stats sum = {};
	struct nlattr *nest;
	int cpu, i;

	BUILD_BUG_ON(PRIVLINK_STATS_A_NEW_FLOWS + PRIVLINK_STAT_MAX - 1 !=
		     PRIVLINK_STATS_A_MAX);
	for_each_possible_cpu(cpu) {
		const struct privlink_stats *s = per_cpu_ptr(pn->stats, cpu);

		for (i = 0; i < PRIVLINK_STAT_MAX; i++)
			sum.v[i] += READ_ONCE(s->v[i]);
	}
	nest = nla_nest_start(skb, PRIVLINK_INFO_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < PRIVLINK_STAT_MAX; i++)
		if (nla_put_u64_64bit(skb, PRIVLINK_STATS_A_NEW_FLOWS + i,
				      sum.v[i], PRIVLINK_STATS_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* What GET_INFO/SET_INFO answer: @key only to CAP_NET_ADMIN callers. */
struct privlink_info_req {
	const struct net *net;
	bool key;
};

static int privlink_fill_info(struct sk_buff *skb, const void *data)
{
	const struct privlink_info_req *req = data;
	struct privlink_net *pn = privlink_pernet(req->net);
	struct nlattr *nest;

	nest = nla_nest_start(skb, PRIVLINK_A_INFO);
	if (!nest ||
	    nla_put_string(skb, PRIVLINK_INFO_A_VERSION, PRIVLINK_VERSION) ||
	    nla_put_u8(skb, PRIVLINK_INFO_A_HOOKS, READ_ONCE(pn->hooks_on)) ||
	    nla_put_u32(skb, PRIVLINK_INFO_A_GENERATION, pn->gen) ||
	    nla_put_u32(skb, PRIVLINK_INFO_A_AZS, pn->n_azs) ||
	    nla_put_u32(skb, PRIVLINK_INFO_A_VPCS, pn->n_vpcs) ||
	    nla_put_u32(skb, PRIVLINK_INFO_A_SERVICES, pn->n_services) ||
	    nla_put_u32(skb, PRIVLINK_INFO_A_TARGETS, pn->n_targets) ||
	    nla_put_u32(skb, PRIVLINK_INFO_A_ENDPOINTS, pn->n_endpoints) ||
	    nla_put_u32(skb, PRIVLINK_INFO_A_ENIS, pn->n_enis) ||
	    nla_put_u64_64bit(skb, PRIVLINK_INFO_A_OBJECTS_LIVE,
			      atomic64_read(&privlink_live_objects),
			      PRIVLINK_INFO_A_UNSPEC) ||
	    nla_put_u32(skb, PRIVLINK_INFO_A_MAX_FLOWS,
			READ_ONCE(pn->max_flows)) ||
	    nla_put_u32(skb, PRIVLINK_INFO_A_MAX_OBJECTS, pn->max_objects) ||
	    (req->key && nla_put(skb, PRIVLINK_INFO_A_HASH_KEY,
				 sizeof(pn->hash_key), &pn->hash_key)) ||
	    privlink_fill_stats(skb, pn))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int privlink_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct privlink_info_req req = {
		.net = net,
		.key = netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN),
	};
	int err;

	mutex_lock(&pn->lock);
	err = privlink_nl_reply(info, privlink_fill_info, &req);
	mutex_unlock(&pn->lock);
	return err;
}

static const struct nla_policy privlink_info_policy[PRIVLINK_INFO_A_MAX + 1] = {
	[PRIVLINK_INFO_A_MAX_FLOWS] = { .type = NLA_U32 },
	[PRIVLINK_INFO_A_HASH_KEY] = NLA_POLICY_EXACT_LEN(PRIVLINK_HASH_KEY_LEN),
	[PRIVLINK_INFO_A_MAX_OBJECTS] = NLA_POLICY_MIN(NLA_U32, 1),
};

/*
 * SET_INFO: the namespace-wide flow limit, the target-selection key, the
 * object limit.  All or nothing.  Raising the object limit needs
 * CAP_NET_ADMIN in the initial user namespace: it protects the host from
 * the namespace's own administrator.
 */
static int privlink_set_info(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct privlink_info_req req = { .net = net, .key = true };
	struct nlattr *tb[PRIVLINK_INFO_A_MAX + 1];
	u64 key[2];
	int err;

	BUILD_BUG_ON(sizeof(key) != PRIVLINK_HASH_KEY_LEN ||
		     sizeof(pn->hash_key) != PRIVLINK_HASH_KEY_LEN);
	err = privlink_nl_nest(info, PRIVLINK_A_INFO, tb, PRIVLINK_INFO_A_MAX,
			       privlink_info_policy);
	if (err)
		return err;
	if (!tb[PRIVLINK_INFO_A_MAX_FLOWS] && !tb[PRIVLINK_INFO_A_HASH_KEY] &&
	    !tb[PRIVLINK_INFO_A_MAX_OBJECTS]) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to change: give a flow limit, a hash key or an object limit");
		return -EINVAL;
	}
	mutex_lock(&pn->lock);
	if (tb[PRIVLINK_INFO_A_MAX_OBJECTS] &&
	    nla_get_u32(tb[PRIVLINK_INFO_A_MAX_OBJECTS]) > pn->max_objects &&
	    !netlink_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_INFO_A_MAX_OBJECTS],
				    "only the host's administrator (CAP_NET_ADMIN in the initial user namespace) may raise the object limit");
		err = -EPERM;
		goto out;
	}
	if (tb[PRIVLINK_INFO_A_MAX_FLOWS])
		WRITE_ONCE(pn->max_flows,
			   nla_get_u32(tb[PRIVLINK_INFO_A_MAX_FLOWS]));
	if (tb[PRIVLINK_INFO_A_MAX_OBJECTS])
		pn->max_objects = nla_get_u32(tb[PRIVLINK_INFO_A_MAX_OBJECTS]);
	if (tb[PRIVLINK_INFO_A_HASH_KEY]) {
		nla_memcpy(key, tb[PRIVLINK_INFO_A_HASH_KEY], sizeof(key));
		WRITE_ONCE(pn->hash_key.key[0], key[0]);
		WRITE_ONCE(pn->hash_key.key[1], key[1]);
	}
	privlink_changed(pn);
	/* the event, as every change's; the key is not in it */
	req.key = false;
	privlink_nl_notify(net, PRIVLINK_CMD_SET_INFO, privlink_fill_info,
			   &req);
	req.key = true;
	err = privlink_nl_reply(info, privlink_fill_info, &req);
out:
	mutex_unlock(&pn->lock);
	return err;
}

/* Requests carry one object nest; each nest has its own strict policy. */
static const struct nla_policy privlink_policy[PRIVLINK_A_MAX + 1] = {
	[PRIVLINK_A_INFO] = { .type = NLA_NESTED,
			      .nested_policy = privlink_info_policy,
			      .len = PRIVLINK_INFO_A_MAX },
	[PRIVLINK_A_AZ] = { .type = NLA_NESTED,
			    .nested_policy = privlink_az_policy,
			    .len = PRIVLINK_AZ_A_MAX },
	[PRIVLINK_A_VPC] = { .type = NLA_NESTED,
			     .nested_policy = privlink_vpc_policy,
			     .len = PRIVLINK_VPC_A_MAX },
	[PRIVLINK_A_SERVICE] = { .type = NLA_NESTED,
				 .nested_policy = privlink_service_policy,
				 .len = PRIVLINK_SERVICE_A_MAX },
	[PRIVLINK_A_TARGET] = { .type = NLA_NESTED,
				.nested_policy = privlink_target_policy,
				.len = PRIVLINK_TARGET_A_MAX },
	[PRIVLINK_A_ENDPOINT] = { .type = NLA_NESTED,
				  .nested_policy = privlink_endpoint_policy,
				  .len = PRIVLINK_ENDPOINT_A_MAX },
	[PRIVLINK_A_ENI] = { .type = NLA_NESTED,
			     .nested_policy = privlink_eni_policy,
			     .len = PRIVLINK_ENI_A_MAX },
};

/* Changes need CAP_NET_ADMIN over the netns (its owning user namespace). */
#define PRIVLINK_WRITE(c, fn) \
	{ .cmd = (c), .doit = (fn), .flags = GENL_UNS_ADMIN_PERM }
#define PRIVLINK_READ(c, fn, dump) \
	{ .cmd = (c), .doit = (fn), .dumpit = (dump) }

static const struct genl_small_ops privlink_genl_ops[] = {
	PRIVLINK_READ(PRIVLINK_CMD_GET_INFO, privlink_get_info, NULL),
	PRIVLINK_WRITE(PRIVLINK_CMD_AZ_ADD, privlink_az_add),
	PRIVLINK_WRITE(PRIVLINK_CMD_AZ_DEL, privlink_az_del),
	PRIVLINK_WRITE(PRIVLINK_CMD_AZ_SET, privlink_az_set),
	PRIVLINK_READ(PRIVLINK_CMD_AZ_GET, privlink_az_get, privlink_az_dump),
	PRIVLINK_WRITE(PRIVLINK_CMD_VPC_ADD, privlink_vpc_add),
	PRIVLINK_WRITE(PRIVLINK_CMD_VPC_DEL, privlink_vpc_del),
	PRIVLINK_WRITE(PRIVLINK_CMD_VPC_SET, privlink_vpc_set),
	PRIVLINK_READ(PRIVLINK_CMD_VPC_GET, privlink_vpc_get,
		      privlink_vpc_dump),
	PRIVLINK_WRITE(PRIVLINK_CMD_SERVICE_ADD, privlink_service_add),
	PRIVLINK_WRITE(PRIVLINK_CMD_SERVICE_DEL, privlink_service_del),
	PRIVLINK_WRITE(PRIVLINK_CMD_SERVICE_SET, privlink_service_set),
	PRIVLINK_READ(PRIVLINK_CMD_SERVICE_GET, privlink_service_get,
		      privlink_service_dump),
	PRIVLINK_WRITE(PRIVLINK_CMD_TARGET_ADD, privlink_target_add),
	PRIVLINK_WRITE(PRIVLINK_CMD_TARGET_DEL, privlink_target_del),
	PRIVLINK_WRITE(PRIVLINK_CMD_TARGET_SET, privlink_target_set),
	PRIVLINK_READ(PRIVLINK_CMD_TARGET_GET, NULL, privlink_target_dump),
	PRIVLINK_WRITE(PRIVLINK_CMD_ENDPOINT_ADD, privlink_endpoint_add),
	PRIVLINK_WRITE(PRIVLINK_CMD_ENDPOINT_DEL, privlink_endpoint_del),
	PRIVLINK_READ(PRIVLINK_CMD_ENDPOINT_GET, privlink_endpoint_get,
		      privlink_endpoint_dump),
	PRIVLINK_WRITE(PRIVLINK_CMD_ENDPOINT_ACCEPT, privlink_endpoint_accept),
	PRIVLINK_WRITE(PRIVLINK_CMD_ENDPOINT_REJECT, privlink_endpoint_reject),
	PRIVLINK_WRITE(PRIVLINK_CMD_ENI_ADD, privlink_eni_add),
	PRIVLINK_WRITE(PRIVLINK_CMD_ENI_DEL, privlink_eni_del),
	PRIVLINK_READ(PRIVLINK_CMD_ENI_GET, NULL, privlink_eni_dump),
	PRIVLINK_WRITE(PRIVLINK_CMD_SET_INFO, privlink_set_info),
	PRIVLINK_WRITE(PRIVLINK_CMD_ENDPOINT_SET, privlink_endpoint_set),
};

struct genl_family privlink_genl_family __ro_after_init = {
	.name        = PRIVLINK_GENL_NAME,
	.version     = PRIVLINK_GENL_VERSION,
	.maxattr     = PRIVLINK_A_MAX,
	.policy      = privlink_policy,
	.netnsok     = true,
	.parallel_ops = true,	/* no genl_mutex: see privlink.h, Locking */
	.module      = THIS_MODULE,
	.small_ops   = privlink_genl_ops,
	.n_small_ops = ARRAY_SIZE(privlink_genl_ops),
	.mcgrps      = privlink_mcgrps,
	.n_mcgrps    = ARRAY_SIZE(privlink_mcgrps),
};

int __init privlink_genl_register(void)
{
	return genl_register_family(&privlink_genl_family);
}

void privlink_genl_unregister(void)
{
	genl_unregister_family(&privlink_genl_family);
}
