// SPDX-License-Identifier: GPL-2.0
/*
 * plctl az: availability zones.
 */
#include <stdio.h>
#include <string.h>

#include <linux/privlink.h>
#include "names.h"
#include "parse.h"
#include "plctl.h"
#include "print.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: plctl az add NAME [state { up | down }]\n"
		"       plctl az del NAME\n"
		"       plctl az set NAME state { up | down }\n"
		"       plctl az show [NAME]\n");
}

static struct nla_policy policy[PRIVLINK_AZ_A_MAX + 1] = {
	[PRIVLINK_AZ_A_NAME]	= { .type = NLA_STRING },
	[PRIVLINK_AZ_A_STATE]	= { .type = NLA_U8 },
};

int az_print(const struct nlattr *nest, const char *key, int flags)
{
	struct nlattr *tb[PRIVLINK_AZ_A_MAX + 1];
	unsigned int state = 0;

	if (nla_parse_nested(tb, PRIVLINK_AZ_A_MAX, (struct nlattr *)nest,
			     policy) < 0 || !tb[PRIVLINK_AZ_A_NAME])
		return -1;
	if (tb[PRIVLINK_AZ_A_STATE])
		state = nla_get_u8(tb[PRIVLINK_AZ_A_STATE]);
	print_open_object(key);
	print_str("name", "%s", nla_get_string(tb[PRIVLINK_AZ_A_NAME]));
	print_str("state", " state %s", enum_name(az_state_names, state));
	if (!(flags & PR_SAVE))
		print_nl();
	print_close_object();
	return 0;
}

/* az { add | set } NAME [state STATE] */
static int az_modify(int cmd, int argc, char **argv)
{
	const char *name;
	struct nl_msg *msg;
	struct nlattr *nest;
	int state = -1, bad;

	if (argc < 1)
		return err_needs_arg(cmd == PRIVLINK_CMD_AZ_ADD ? "add" : "set"),
		       EXIT_USAGE;
	name = *argv;
	if (arg_name(name))
		return EXIT_USAGE;
	while (NEXT_ARGS()) {
		if (!strcmp(*argv, "state")) {
			NEXT_ARG();
			state = arg_keyword("state", *argv, az_state_names);
			if (state < 0)
				return EXIT_USAGE;
		} else {
			return err_unknown(*argv), EXIT_USAGE;
		}
	}
	if (cmd == PRIVLINK_CMD_AZ_SET && state < 0)
		return err_missing("state"), EXIT_USAGE;

	msg = cmd_msg(cmd, 0, 0);
	if (!msg)
		return EXIT_FAIL;
	nest = nla_nest_start(msg, PRIVLINK_A_AZ);
	bad = !nest || nla_put_string(msg, PRIVLINK_AZ_A_NAME, name);
	if (!bad && state >= 0)
		bad = nla_put_u8(msg, PRIVLINK_AZ_A_STATE, state);
	if (!bad)
		nla_nest_end(msg, nest);
	return cmd_request(cmd_msg_end(msg, bad), plctl_opts.echo);
}

int do_az(int argc, char **argv)
{
	if (argc < 1)
		return cmd_name(PRIVLINK_CMD_AZ_GET, PRIVLINK_A_AZ,
				PRIVLINK_AZ_A_NAME, 0, argv, CN_OPTIONAL | CN_SHOW);
	if (matches(*argv, "add"))
		return az_modify(PRIVLINK_CMD_AZ_ADD, argc - 1, argv + 1);
	if (matches(*argv, "delete"))
		return cmd_name(PRIVLINK_CMD_AZ_DEL, PRIVLINK_A_AZ,
				PRIVLINK_AZ_A_NAME, argc - 1, argv + 1, 0);
	if (matches(*argv, "show") || matches(*argv, "list"))
		return cmd_name(PRIVLINK_CMD_AZ_GET, PRIVLINK_A_AZ,
				PRIVLINK_AZ_A_NAME, argc - 1, argv + 1,
				CN_OPTIONAL | CN_SHOW);
	if (matches(*argv, "set"))
		return az_modify(PRIVLINK_CMD_AZ_SET, argc - 1, argv + 1);
	if (matches(*argv, "help")) {
		usage(stdout);
		return 0;
	}
	return cmd_unknown("az", *argv);
}
