// SPDX-License-Identifier: GPL-2.0
/*
 * plctl version: the versions of plctl and of the loaded module.
 */
#include <stdio.h>
#include <string.h>

#include <linux/privlink.h>
#include "plctl.h"
#include "print.h"

struct info {
	char version[64];
	int hooks;
};

static int info_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[PRIVLINK_A_MAX + 1];
	struct info *info = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PRIVLINK_A_MAX, NULL) < 0)
		return NL_SKIP;
	if (tb[PRIVLINK_A_INFO_VERSION])
		snprintf(info->version, sizeof(info->version), "%s",
			 nla_get_string(tb[PRIVLINK_A_INFO_VERSION]));
	if (tb[PRIVLINK_A_INFO_HOOKS])
		info->hooks = nla_get_u8(tb[PRIVLINK_A_INFO_HOOKS]);
	return NL_OK;
}

int do_version(int argc, char **argv)
{
	struct info info = { .version = "" };
	struct plnl *nl;
	struct nl_msg *msg;
	int err;

	(void)argv;
	if (argc > 0) {
		fprintf(stderr, "plctl: version takes no arguments\n");
		return EXIT_USAGE;
	}
	nl = plctl_nl();
	if (!nl)
		return 1;
	msg = plnl_msg(nl, PRIVLINK_CMD_GET_INFO, 0);
	if (!msg)
		return 1;
	err = plnl_call(nl, msg, info_cb, &info);
	if (err) {
		fprintf(stderr, "plctl: cannot read the module version: %s\n",
			nl->errmsg[0] ? nl->errmsg : strerror(-err));
		return 1;
	}
	print_open_object(NULL);
	print_str("plctl", "plctl %s", PLCTL_VERSION);
	print_str("module", ", privlink module %s", info.version);
	print_bool("hooks", ", hooks registered: %s", info.hooks);
	print_nl();
	print_close_object();
	return 0;
}
