// SPDX-License-Identifier: GPL-2.0
/*
 * plctl eni: an endpoint's network interfaces, one per AZ.
 */
#include <stdio.h>
#include <string.h>

#include <linux/privlink.h>
#include "parse.h"
#include "plctl.h"
#include "print.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: plctl eni add ENDPOINT az AZ addr ADDR[,ADDR]\n"
		"       plctl eni del ENDPOINT az AZ\n"
		"       plctl eni show [-s[tats]] [ENDPOINT]\n");
}

struct nla_policy eni_policy[PRIVLINK_ENI_A_MAX + 1] = {
	[PRIVLINK_ENI_A_ENDPOINT]	= { .type = NLA_STRING },
	[PRIVLINK_ENI_A_AZ]		= { .type = NLA_STRING },
	[PRIVLINK_ENI_A_ADDR]		= { .type = NLA_U32 },
	[PRIVLINK_ENI_A_VPC]		= { .type = NLA_STRING },
	[PRIVLINK_ENI_A_STATS]		= { .type = NLA_NESTED },
	[PRIVLINK_ENI_A_ADDR6]		= NLA_POLICY_ADDR6,
};

int eni_print(const struct nlattr *nest, const char *key, int flags)
{
	struct nlattr *tb[PRIVLINK_ENI_A_MAX + 1];
	struct ip_pair addr;

	if (nla_parse_nested(tb, PRIVLINK_ENI_A_MAX, (struct nlattr *)nest,
			     eni_policy) < 0 || !tb[PRIVLINK_ENI_A_ENDPOINT] ||
	    !tb[PRIVLINK_ENI_A_AZ] ||
	    !nla_get_ip_pair(tb[PRIVLINK_ENI_A_ADDR], tb[PRIVLINK_ENI_A_ADDR6],
			     &addr))
		return -1;
	print_open_object(key);
	print_str("endpoint", "%s", nla_get_string(tb[PRIVLINK_ENI_A_ENDPOINT]));
	print_str("az", " az %s", nla_get_string(tb[PRIVLINK_ENI_A_AZ]));
	print_ip_pair("addr", "addr6", " addr %s", &addr);
	if (!(flags & PR_SAVE)) {
		print_str("vpc", " vpc %s", nla_str_or_empty(tb[PRIVLINK_ENI_A_VPC]));
		if (flags & PR_STATS)
			print_obj_stats(tb[PRIVLINK_ENI_A_STATS]);
		print_nl();
	}
	print_close_object();
	return 0;
}

static int eni_modify(int cmd, int argc, char **argv)
{
	const char *endpoint, *az = NULL;
	struct nl_msg *msg;
	struct nlattr *nest;
	struct ip_pair addr;
	int has_addr = 0, bad;

	if (argc < 1)
		return err_needs_arg(argv[-1]), EXIT_USAGE;
	endpoint = *argv;
	if (arg_name(endpoint))
		return EXIT_USAGE;
	while (NEXT_ARGS()) {
		if (!strcmp(*argv, "az")) {
			NEXT_ARG();
			if (az)
				return err_duplicate("az"), EXIT_USAGE;
			if (arg_name(*argv))
				return EXIT_USAGE;
			az = *argv;
		} else if (cmd == PRIVLINK_CMD_ENI_ADD && !strcmp(*argv, "addr")) {
			NEXT_ARG();
			if (has_addr++)
				return err_duplicate("addr"), EXIT_USAGE;
			if (arg_ip_pair(*argv, &addr))
				return EXIT_USAGE;
		} else {
			return err_unknown(*argv), EXIT_USAGE;
		}
	}
	if (!az)
		return err_missing("az"), EXIT_USAGE;
	if (cmd == PRIVLINK_CMD_ENI_ADD && !has_addr)
		return err_missing("addr"), EXIT_USAGE;

	msg = cmd_msg(cmd, 0, 0);
	if (!msg)
		return EXIT_FAIL;
	nest = nla_nest_start(msg, PRIVLINK_A_ENI);
	bad = !nest || nla_put_string(msg, PRIVLINK_ENI_A_ENDPOINT, endpoint) ||
	      nla_put_string(msg, PRIVLINK_ENI_A_AZ, az) ||
	      (has_addr && nla_put_ip_pair(msg, PRIVLINK_ENI_A_ADDR,
					   PRIVLINK_ENI_A_ADDR6, &addr));
	if (!bad)
		nla_nest_end(msg, nest);
	return cmd_request(cmd_msg_end(msg, bad),
			   cmd == PRIVLINK_CMD_ENI_ADD && plctl_opts.echo);
}

int do_eni(int argc, char **argv)
{
	if (argc < 1)
		return cmd_name(PRIVLINK_CMD_ENI_GET, PRIVLINK_A_ENI,
				PRIVLINK_ENI_A_ENDPOINT, 0, argv,
				CN_OPTIONAL | CN_DUMP | CN_SHOW);
	if (matches(*argv, "add"))
		return eni_modify(PRIVLINK_CMD_ENI_ADD, argc - 1, argv + 1);
	if (matches(*argv, "delete"))
		return eni_modify(PRIVLINK_CMD_ENI_DEL, argc - 1, argv + 1);
	if (matches(*argv, "show") || matches(*argv, "list"))
		return cmd_name(PRIVLINK_CMD_ENI_GET, PRIVLINK_A_ENI,
				PRIVLINK_ENI_A_ENDPOINT, argc - 1, argv + 1,
				CN_OPTIONAL | CN_DUMP | CN_SHOW | CN_STATS);
	if (matches(*argv, "help")) {
		usage(stdout);
		return 0;
	}
	return cmd_unknown("eni", *argv);
}
