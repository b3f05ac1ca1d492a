// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: the "privlink" generic netlink family.  The protocol is
 * documented in include/uapi/linux/privlink.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>
#include <uapi/linux/privlink.h>

#include "privlink.h"

static struct genl_family privlink_genl_family;

static int privlink_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct privlink_net *pn = privlink_pernet(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &privlink_genl_family, 0,
				PRIVLINK_CMD_GET_INFO);
	if (!hdr)
		goto nospace;
	if (nla_put_string(msg, PRIVLINK_A_INFO_VERSION, PRIVLINK_VERSION) ||
	    nla_put_u8(msg, PRIVLINK_A_INFO_HOOKS, READ_ONCE(pn->hooks_on)))
		goto nospace;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static const struct nla_policy privlink_info_policy[PRIVLINK_A_MAX + 1] = {
};

static const struct genl_ops privlink_genl_ops[] = {
	{
		.cmd     = PRIVLINK_CMD_GET_INFO,
		.doit    = privlink_get_info,
		.policy  = privlink_info_policy,
		.maxattr = PRIVLINK_A_MAX,
	},
};

static struct genl_family privlink_genl_family __ro_after_init = {
	.name     = PRIVLINK_GENL_NAME,
	.version  = PRIVLINK_GENL_VERSION,
	.maxattr  = PRIVLINK_A_MAX,
	.netnsok  = true,
	.module   = THIS_MODULE,
	.ops      = privlink_genl_ops,
	.n_ops    = ARRAY_SIZE(privlink_genl_ops),
};

int __init privlink_genl_register(void)
{
	return genl_register_family(&privlink_genl_family);
}

void privlink_genl_unregister(void)
{
	genl_unregister_family(&privlink_genl_family);
}
