// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: availability zones.  A netns has at most PRIVLINK_MAX_AZS of
 * them, so they live on a plain list (privlink_net.azs) and lookups by name
 * walk it under privlink_net.lock.  The packet path reaches an AZ only
 * through an object that points to it, and reads az->state with READ_ONCE().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "privlink.h"

const struct nla_policy privlink_az_policy[PRIVLINK_AZ_A_MAX + 1] = {
	[PRIVLINK_AZ_A_NAME]  = { .type = NLA_NUL_STRING,
				  .len = PRIVLINK_NAME_MAX - 1 },
	[PRIVLINK_AZ_A_STATE] = NLA_POLICY_MAX(NLA_U8, PRIVLINK_AZ_DOWN),
};

struct privlink_az *privlink_az_find(struct privlink_net *pn,
				     const char *name)
{
	struct privlink_az *az;

	lockdep_assert_held(&pn->lock);
	list_for_each_entry(az, &pn->azs, node)
		if (!strcmp(az->name, name))
			return az;
	return NULL;
}

/* The AZ named by @attr, or NULL with the extack set. */
struct privlink_az *privlink_az_lookup(struct privlink_net *pn,
				       const struct nlattr *attr,
				       struct netlink_ext_ack *extack)
{
	char name[PRIVLINK_NAME_MAX];
	struct privlink_az *az;

	if (privlink_nl_get_name(attr, name, extack))
		return NULL;
	az = privlink_az_find(pn, name);
	if (!az)
		NL_SET_ERR_MSG_ATTR(extack, attr, "no AZ with this name");
	return az;
}

void privlink_az_put(struct privlink_az *az)
{
	if (refcount_dec_and_test(&az->ref))
		privlink_obj_free(az);
}

static int privlink_az_fill(struct sk_buff *skb, const void *obj)
{
	const struct privlink_az *az = obj;
	struct nlattr *nest;

	nest = nla_nest_start(skb, PRIVLINK_A_AZ);
	if (!nest ||
	    nla_put_string(skb, PRIVLINK_AZ_A_NAME, az->name) ||
	    nla_put_u8(skb, PRIVLINK_AZ_A_STATE, READ_ONCE(az->state)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Parse the request's AZ nest and find the AZ it names. */
static struct privlink_az *privlink_az_from_req(struct genl_info *info,
						struct nlattr **tb)
{
	struct privlink_net *pn = privlink_pernet(genl_info_net(info));

	if (privlink_nl_nest(info, PRIVLINK_A_AZ, tb, PRIVLINK_AZ_A_MAX,
			     privlink_az_policy))
		return ERR_PTR(-EINVAL);
	if (privlink_missing(info, PRIVLINK_A_AZ, tb, PRIVLINK_AZ_A_NAME,
			     "the AZ name is missing"))
		return ERR_PTR(-EINVAL);
	return privlink_az_lookup(pn, tb[PRIVLINK_AZ_A_NAME], info->extack) ?:
	       ERR_PTR(-ENOENT);
}

int privlink_az_add(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_AZ_A_MAX + 1];
	char name[PRIVLINK_NAME_MAX];
	struct privlink_az *az;
	int err;

	err = privlink_nl_nest(info, PRIVLINK_A_AZ, tb, PRIVLINK_AZ_A_MAX,
			       privlink_az_policy);
	if (err)
		return err;
	if (privlink_missing(info, PRIVLINK_A_AZ, tb, PRIVLINK_AZ_A_NAME,
			     "the AZ name is missing"))
		return -EINVAL;
	err = privlink_nl_get_name(tb[PRIVLINK_AZ_A_NAME], name, info->extack);
	if (err)
		return err;

	mutex_lock(&pn->lock);
	if (privlink_az_find(pn, name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_AZ_A_NAME],
				    "an AZ with this name already exists");
		err = -EEXIST;
		goto out;
	}
	if (pn->n_azs >= PRIVLINK_MAX_AZS) {
		NL_SET_ERR_MSG(info->extack,
			       "this namespace already has the maximum number of AZs (32)");
		err = -ENOSPC;
		goto out;
	}
	if (!privlink_objects_room(pn, 1, info->extack)) {
		err = -ENOSPC;
		goto out;
	}
	az = privlink_obj_alloc(sizeof(*az));
	if (!az) {
		err = -ENOMEM;
		goto out;
	}
	memcpy(az->name, name, sizeof(name));
	if (tb[PRIVLINK_AZ_A_STATE])
		az->state = nla_get_u8(tb[PRIVLINK_AZ_A_STATE]);
	refcount_set(&az->ref, 1);
	list_add_tail(&az->node, &pn->azs);
	pn->n_azs++;
	privlink_changed(pn);
	privlink_nl_notify(net, PRIVLINK_CMD_AZ_ADD, privlink_az_fill, az);
	err = privlink_nl_reply(info, privlink_az_fill, az);
out:
	mutex_unlock(&pn->lock);
	return err;
}

static void privlink_az_remove(struct privlink_net *pn,
			       struct privlink_az *az)
{
	lockdep_assert_held(&pn->lock);
	list_del(&az->node);
	pn->n_azs--;
	privlink_changed(pn);
	privlink_az_put(az);
}

int privlink_az_del(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_AZ_A_MAX + 1];
	struct privlink_az *az;
	int err = 0;

	mutex_lock(&pn->lock);
	az = privlink_az_from_req(info, tb);
	if (IS_ERR(az)) {
		err = PTR_ERR(az);
		goto out;
	}
	if (az->users) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PRIVLINK_AZ_A_NAME],
				    "the AZ is in use by NLB nodes, targets or ENIs; delete them first");
		err = -EBUSY;
		goto out;
	}
	privlink_nl_notify(net, PRIVLINK_CMD_AZ_DEL, privlink_az_fill, az);
	privlink_az_remove(pn, az);
out:
	mutex_unlock(&pn->lock);
	return err;
}

int privlink_az_set(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct privlink_net *pn = privlink_pernet(net);
	struct nlattr *tb[PRIVLINK_AZ_A_MAX + 1];
	struct privlink_az *az;
	int err;

	mutex_lock(&pn->lock);
	az = privlink_az_from_req(info, tb);
	if (IS_ERR(az)) {
		err = PTR_ERR(az);
		goto out;
	}
	if (!tb[PRIVLINK_AZ_A_STATE]) {
		NL_SET_ERR_MSG(info->extack, "nothing to change: the AZ state is missing");
		err = -EINVAL;
		goto out;
	}
	WRITE_ONCE(az->state, nla_get_u8(tb[PRIVLINK_AZ_A_STATE]));
	privlink_changed(pn);
	privlink_nl_notify(net, PRIVLINK_CMD_AZ_SET, privlink_az_fill, az);
	err = privlink_nl_reply(info, privlink_az_fill, az);
out:
	mutex_unlock(&pn->lock);
	return err;
}

int privlink_az_get(struct sk_buff *skb, struct genl_info *info)
{
	struct privlink_net *pn = privlink_pernet(genl_info_net(info));
	struct nlattr *tb[PRIVLINK_AZ_A_MAX + 1];
	struct privlink_az *az;
	int err;

	mutex_lock(&pn->lock);
	az = privlink_az_from_req(info, tb);
	err = IS_ERR(az) ? PTR_ERR(az) :
	      privlink_nl_reply(info, privlink_az_fill, az);
	mutex_unlock(&pn->lock);
	return err;
}

int privlink_az_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct privlink_net *pn = privlink_pernet(sock_net(skb->sk));

	return privlink_nl_dump_list(skb, cb, &pn->azs,
				     offsetof(struct privlink_az, node),
				     privlink_az_fill, NULL, NULL);
}

/* netns exit: everything else is gone already. */
void privlink_az_flush(struct privlink_net *pn)
{
	struct privlink_az *az, *tmp;

	list_for_each_entry_safe(az, tmp, &pn->azs, node)
		privlink_az_remove(pn, az);
}
