// SPDX-License-Identifier: GPL-2.0
/*
 * plctl target: the backends of a service.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/privlink.h>
#include "check.h"
#include "names.h"
#include "parse.h"
#include "plctl.h"
#include "print.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: plctl target add SERVICE TARGET az AZ [weight WEIGHT]\n"
		"                        [state { healthy | unhealthy | draining }]\n"
		"       plctl target del SERVICE TARGET\n"
		"       plctl target set SERVICE TARGET [weight WEIGHT]\n"
		"                        [state { healthy | unhealthy | draining }]\n"
		"       plctl target show [-s[tats]] [SERVICE]\n"
		"TARGET := { A.B.C.D[:PORT] | X:X::X | [X:X::X]:PORT }\n"
		"WEIGHT := 1..%d\n", PRIVLINK_MAX_WEIGHT);
}

static struct nla_policy policy[PRIVLINK_TARGET_A_MAX + 1] = {
	[PRIVLINK_TARGET_A_SERVICE]	= { .type = NLA_STRING },
	[PRIVLINK_TARGET_A_ADDR]	= { .type = NLA_U32 },
	[PRIVLINK_TARGET_A_PORT]	= { .type = NLA_U16 },
	[PRIVLINK_TARGET_A_AZ]		= { .type = NLA_STRING },
	[PRIVLINK_TARGET_A_WEIGHT]	= { .type = NLA_U16 },
	[PRIVLINK_TARGET_A_STATE]	= { .type = NLA_U8 },
	[PRIVLINK_TARGET_A_STATS]	= { .type = NLA_NESTED },
	[PRIVLINK_TARGET_A_HEALTH]	= { .type = NLA_NESTED },
	[PRIVLINK_TARGET_A_ADDR6]	= NLA_POLICY_ADDR6,
};

int target_print(const struct nlattr *nest, const char *key, int flags)
{
	struct nlattr *tb[PRIVLINK_TARGET_A_MAX + 1];
	struct ip_addr addr = { .family = AF_INET };
	uint16_t port = 0;

	if (nla_parse_nested(tb, PRIVLINK_TARGET_A_MAX, (struct nlattr *)nest,
			     policy) < 0 || !tb[PRIVLINK_TARGET_A_SERVICE] ||
	    (!tb[PRIVLINK_TARGET_A_ADDR] == !tb[PRIVLINK_TARGET_A_ADDR6]))
		return -1;
	if (tb[PRIVLINK_TARGET_A_ADDR]) {
		addr.v4 = nla_get_u32(tb[PRIVLINK_TARGET_A_ADDR]);
	} else {
		addr.family = AF_INET6;
		memcpy(&addr.v6, nla_data(tb[PRIVLINK_TARGET_A_ADDR6]),
		       sizeof(addr.v6));
	}
	if (tb[PRIVLINK_TARGET_A_PORT])
		port = nla_get_u16(tb[PRIVLINK_TARGET_A_PORT]);
	print_open_object(key);
	print_str("service", "%s", nla_get_string(tb[PRIVLINK_TARGET_A_SERVICE]));
	/* " 172.16.1.10:8080", " [fd01::10]:8080"; no port when it is 0 */
	print_ip_port("addr", "port", " %s", &addr, port, port != 0);
	print_str("az", " az %s", tb[PRIVLINK_TARGET_A_AZ] ?
		  nla_get_string(tb[PRIVLINK_TARGET_A_AZ]) : "");
	print_uint("weight", " weight %" PRIu64, tb[PRIVLINK_TARGET_A_WEIGHT] ?
		   nla_get_u16(tb[PRIVLINK_TARGET_A_WEIGHT]) : 1);
	print_str("state", " state %s",
		  enum_name(target_state_names, tb[PRIVLINK_TARGET_A_STATE] ?
			    nla_get_u8(tb[PRIVLINK_TARGET_A_STATE]) : 0));
	if (!(flags & PR_SAVE))
		health_print(tb[PRIVLINK_TARGET_A_HEALTH]);
	if ((flags & PR_STATS) && !(flags & PR_SAVE))
		print_obj_stats(tb[PRIVLINK_TARGET_A_STATS]);
	if (!(flags & PR_SAVE))
		print_nl();
	print_close_object();
	return 0;
}

/* target { add | set | del } SERVICE TARGET ... */
static int target_modify(int cmd, int argc, char **argv)
{
	const char *service, *az = NULL;
	struct ip_addr addr;
	uint32_t weight = 0;
	uint16_t port;
	struct nl_msg *msg;
	struct nlattr *nest;
	int state = -1, bad;

	if (argc < 2)
		return err_needs_arg(argv[-1]), EXIT_USAGE;
	service = argv[0];
	if (arg_name(service))
		return EXIT_USAGE;
	argc--, argv++;
	if (arg_ip_port(*argv, &addr, &port))
		return EXIT_USAGE;
	while (NEXT_ARGS()) {
		if (cmd == PRIVLINK_CMD_TARGET_ADD && !strcmp(*argv, "az")) {
			NEXT_ARG();
			if (az)
				return err_duplicate("az"), EXIT_USAGE;
			if (arg_name(*argv))
				return EXIT_USAGE;
			az = *argv;
		} else if (cmd != PRIVLINK_CMD_TARGET_DEL &&
			   !strcmp(*argv, "weight")) {
			NEXT_ARG();
			if (weight)
				return err_duplicate("weight"), EXIT_USAGE;
			if (arg_u32("weight", *argv, 1, PRIVLINK_MAX_WEIGHT,
				    &weight))
				return EXIT_USAGE;
		} else if (cmd != PRIVLINK_CMD_TARGET_DEL &&
			   !strcmp(*argv, "state")) {
			NEXT_ARG();
			if (state >= 0)
				return err_duplicate("state"), EXIT_USAGE;
			state = arg_keyword("state", *argv, target_state_names);
			if (state < 0)
				return EXIT_USAGE;
		} else {
			return err_unknown(*argv), EXIT_USAGE;
		}
	}
	if (cmd == PRIVLINK_CMD_TARGET_ADD && !az)
		return err_missing("az"), EXIT_USAGE;
	if (cmd == PRIVLINK_CMD_TARGET_SET && !weight && state < 0) {
		fprintf(stderr, "Error: \"set\" needs \"weight\" or \"state\"\n");
		return EXIT_USAGE;
	}

	msg = cmd_msg(cmd, 0, 0);
	if (!msg)
		return EXIT_FAIL;
	nest = nla_nest_start(msg, PRIVLINK_A_TARGET);
	bad = !nest ||
	      nla_put_string(msg, PRIVLINK_TARGET_A_SERVICE, service) ||
	      (addr.family == AF_INET ?
	       nla_put_u32(msg, PRIVLINK_TARGET_A_ADDR, addr.v4) :
	       nla_put(msg, PRIVLINK_TARGET_A_ADDR6, sizeof(addr.v6),
		       &addr.v6)) ||
	      (port && nla_put_u16(msg, PRIVLINK_TARGET_A_PORT, port)) ||
	      (az && nla_put_string(msg, PRIVLINK_TARGET_A_AZ, az)) ||
	      (weight && nla_put_u16(msg, PRIVLINK_TARGET_A_WEIGHT, weight)) ||
	      (state >= 0 && nla_put_u8(msg, PRIVLINK_TARGET_A_STATE, state));
	if (!bad)
		nla_nest_end(msg, nest);
	return cmd_request(cmd_msg_end(msg, bad),
			   cmd != PRIVLINK_CMD_TARGET_DEL && plctl_opts.echo);
}

int do_target(int argc, char **argv)
{
	if (argc < 1)
		return cmd_name(PRIVLINK_CMD_TARGET_GET, PRIVLINK_A_TARGET,
				PRIVLINK_TARGET_A_SERVICE, 0, argv,
				CN_OPTIONAL | CN_DUMP | CN_SHOW);
	if (matches(*argv, "add"))
		return target_modify(PRIVLINK_CMD_TARGET_ADD, argc - 1, argv + 1);
	if (matches(*argv, "delete"))
		return target_modify(PRIVLINK_CMD_TARGET_DEL, argc - 1, argv + 1);
	if (matches(*argv, "show") || matches(*argv, "list"))
		return cmd_name(PRIVLINK_CMD_TARGET_GET, PRIVLINK_A_TARGET,
				PRIVLINK_TARGET_A_SERVICE, argc - 1, argv + 1,
				CN_OPTIONAL | CN_DUMP | CN_SHOW | CN_STATS);
	if (matches(*argv, "set"))
		return target_modify(PRIVLINK_CMD_TARGET_SET, argc - 1, argv + 1);
	if (matches(*argv, "help")) {
		usage(stdout);
		return 0;
	}
	return cmd_unknown("target", *argv);
}
