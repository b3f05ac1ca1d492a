// SPDX-License-Identifier: GPL-2.0
/*
 * plctl limit: the namespace-wide settings (GET_INFO / SET_INFO), today the
 * limit on the live flows of all endpoints together.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/privlink.h>
#include "parse.h"
#include "plctl.h"
#include "print.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: plctl limit set max-flows N\n"
		"       plctl limit show\n"
		"N := 0..%u (live flows through all endpoints of the namespace;\n"
		"     0: no limit)\n", UINT32_MAX);
}

int limit_print(const struct nlattr *nest, int flags)
{
	struct nlattr *a;
	uint32_t max_flows;

	a = nla_find(nla_data(nest), nla_len(nest), PRIVLINK_INFO_A_MAX_FLOWS);
	if (!a || nla_len(a) < (int)sizeof(uint32_t))
		return -1;
	max_flows = nla_get_u32(a);
	print_open_object(NULL);
	print_uint("max_flows", "max-flows %" PRIu64, max_flows);
	if (!(flags & PR_SAVE))
		print_nl();
	print_close_object();
	return 0;
}

static int limit_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[PRIVLINK_A_MAX + 1];
	int *printed = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PRIVLINK_A_MAX, NULL) < 0 ||
	    !tb[PRIVLINK_A_INFO] || limit_print(tb[PRIVLINK_A_INFO], 0) < 0)
		return NL_SKIP;
	*printed = 1;
	return NL_OK;
}

/* Send @msg (GET_INFO or SET_INFO); print the reply when @print. */
static int limit_request(struct nl_msg *msg, int print)
{
	struct plnl *nl = plctl_nl();
	int err, printed = 0;

	if (!msg)
		return EXIT_FAIL;
	err = plnl_call(nl, msg, print ? limit_cb : NULL, &printed);
	if (err) {
		cmd_perror(nl, err);
		return EXIT_FAIL;
	}
	if (print && !printed) {
		fprintf(stderr, "Error: the module reports no flow limit (too old?)\n");
		return EXIT_FAIL;
	}
	return 0;
}

static int limit_set(int argc, char **argv)
{
	uint32_t max_flows = 0;
	int has_max = 0, bad;
	struct nl_msg *msg;
	struct nlattr *nest;

	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "max-flows")) {
			NEXT_ARG();
			if (has_max)
				return err_duplicate("max-flows"), EXIT_USAGE;
			if (arg_u32("max-flows", *argv, 0, UINT32_MAX,
				    &max_flows))
				return EXIT_USAGE;
			has_max = 1;
		} else {
			return err_unknown(*argv), EXIT_USAGE;
		}
	}
	if (!has_max)
		return err_missing("max-flows"), EXIT_USAGE;
	msg = cmd_msg(PRIVLINK_CMD_SET_INFO, 0, 0);
	if (!msg)
		return EXIT_FAIL;
	nest = nla_nest_start(msg, PRIVLINK_A_INFO);
	bad = !nest || nla_put_u32(msg, PRIVLINK_INFO_A_MAX_FLOWS, max_flows);
	if (!bad)
		nla_nest_end(msg, nest);
	return limit_request(cmd_msg_end(msg, bad), plctl_opts.echo);
}

static int limit_show(int argc, char **argv)
{
	if (argc > 0)
		return err_unknown(*argv), EXIT_USAGE;
	return limit_request(cmd_msg(PRIVLINK_CMD_GET_INFO, 0, 0), 1);
}

int do_limit(int argc, char **argv)
{
	if (argc < 1)
		return limit_show(0, argv);
	if (matches(*argv, "show") || matches(*argv, "list"))
		return limit_show(argc - 1, argv + 1);
	if (matches(*argv, "set"))
		return limit_set(argc - 1, argv + 1);
	if (matches(*argv, "help")) {
		usage(stdout);
		return 0;
	}
	return cmd_unknown("limit", *argv);
}
