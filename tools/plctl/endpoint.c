// SPDX-License-Identifier: GPL-2.0
/*
 * plctl endpoint: interface endpoints of consumer VPCs.
 */
#include <inttypes.h>
#include <stdint.h>
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
		"Usage: plctl endpoint add [NAME] vpc VPC service SERVICE\n"
		"                          [ip-type { ipv4 | ipv6 | dualstack }]\n"
		"                          [eni AZ ADDR[,ADDR]]... [max-flows N]\n"
		"       plctl endpoint del NAME\n"
		"       plctl endpoint set NAME max-flows N\n"
		"       plctl endpoint { accept | reject } NAME\n"
		"       plctl endpoint show [-s[tats]] [NAME]\n"
		"N := 0..%u (live flows through the endpoint; 0: no limit)\n",
		UINT32_MAX);
}

static struct nla_policy policy[PRIVLINK_ENDPOINT_A_MAX + 1] = {
	[PRIVLINK_ENDPOINT_A_NAME]	= { .type = NLA_STRING },
	[PRIVLINK_ENDPOINT_A_VPC]	= { .type = NLA_STRING },
	[PRIVLINK_ENDPOINT_A_SERVICE]	= { .type = NLA_STRING },
	[PRIVLINK_ENDPOINT_A_STATE]	= { .type = NLA_U8 },
	[PRIVLINK_ENDPOINT_A_ACCOUNT]	= { .type = NLA_STRING },
	[PRIVLINK_ENDPOINT_A_ENIS]	= { .type = NLA_NESTED },
	[PRIVLINK_ENDPOINT_A_MAX_FLOWS]	= { .type = NLA_U32 },
	[PRIVLINK_ENDPOINT_A_STATS]	= { .type = NLA_NESTED },
	[PRIVLINK_ENDPOINT_A_IP_TYPE]	= { .type = NLA_U8 },
};


int endpoint_print(const struct nlattr *nest, const char *key, int flags)
{
	struct nlattr *tb[PRIVLINK_ENDPOINT_A_MAX + 1];
	struct nlattr *etb[PRIVLINK_ENI_A_MAX + 1], *a;
	struct ip_pair addr;
	uint32_t max_flows = 0;
	int rem;

	if (nla_parse_nested(tb, PRIVLINK_ENDPOINT_A_MAX, (struct nlattr *)nest,
			     policy) < 0 || !tb[PRIVLINK_ENDPOINT_A_NAME])
		return -1;
	if (tb[PRIVLINK_ENDPOINT_A_MAX_FLOWS])
		max_flows = nla_get_u32(tb[PRIVLINK_ENDPOINT_A_MAX_FLOWS]);
	print_open_object(key);
	print_str("name", "%s", nla_str_or_empty(tb[PRIVLINK_ENDPOINT_A_NAME]));
	print_str("vpc", " vpc %s", nla_str_or_empty(tb[PRIVLINK_ENDPOINT_A_VPC]));
	print_str("service", " service %s", nla_str_or_empty(tb[PRIVLINK_ENDPOINT_A_SERVICE]));
	if (!(flags & PR_SAVE)) {
		print_str("state", " state %s",
			  enum_name(endpoint_state_names,
				    tb[PRIVLINK_ENDPOINT_A_STATE] ?
				    nla_get_u8(tb[PRIVLINK_ENDPOINT_A_STATE]) : 0));
		print_str("account", " account %s",
			  nla_str_or_empty(tb[PRIVLINK_ENDPOINT_A_ACCOUNT]));
	}
	if (tb[PRIVLINK_ENDPOINT_A_IP_TYPE]) {
		unsigned int t = nla_get_u8(tb[PRIVLINK_ENDPOINT_A_IP_TYPE]);

		/* text: only when not the default, ipv4 (JSON: always) */
		print_str("ip_type", t != PRIVLINK_IP_V4 ? " ip-type %s" : NULL,
			  t ? enum_name(ip_type_names, t) : "unknown");
	}
	/* only when set: 0 (no limit) prints nothing, as before limits */
	if (max_flows)
		print_uint("max_flows", " max-flows %" PRIu64, max_flows);
	print_open_array("enis");
	if (tb[PRIVLINK_ENDPOINT_A_ENIS]) {
		nla_for_each_nested(a, tb[PRIVLINK_ENDPOINT_A_ENIS], rem) {
			if (nla_type(a) != PRIVLINK_ENDPOINT_A_ENI ||
			    nla_parse_nested(etb, PRIVLINK_ENI_A_MAX, a,
					     eni_policy) < 0 ||
			    !etb[PRIVLINK_ENI_A_AZ] ||
			    !nla_get_ip_pair(etb[PRIVLINK_ENI_A_ADDR],
					     etb[PRIVLINK_ENI_A_ADDR6], &addr))
				continue;
			print_open_object(NULL);
			print_str("az", " eni %s",
				  nla_get_string(etb[PRIVLINK_ENI_A_AZ]));
			print_ip_pair("addr", "addr6", " %s", &addr);
			print_close_object();
		}
	}
	print_close_array();
	if ((flags & PR_STATS) && !(flags & PR_SAVE))
		print_obj_stats(tb[PRIVLINK_ENDPOINT_A_STATS]);
	if (!(flags & PR_SAVE))
		print_nl();
	print_close_object();
	return 0;
}

static const char *const add_keywords[] = {
	"vpc", "service", "ip-type", "eni", "max-flows", NULL
};

static int endpoint_add(int argc, char **argv)
{
	const char *name = NULL, *vpc = NULL, *service = NULL;
	const char *eni_az[PRIVLINK_MAX_AZS];
	struct ip_pair eni_addr[PRIVLINK_MAX_AZS];
	struct nlattr *nest, *list, *item;
	uint32_t max_flows = 0;
	struct nl_msg *msg;
	int neni = 0, has_max = 0, ip_type = -1, bad, i;

	if (argc > 0 && parse_keyword(*argv, add_keywords) < 0) {
		if (arg_name(*argv))
			return EXIT_USAGE;
		name = *argv;
		argc--, argv++;
	}
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "vpc")) {
			NEXT_ARG();
			if (vpc)
				return err_duplicate("vpc"), EXIT_USAGE;
			if (arg_name(*argv))
				return EXIT_USAGE;
			vpc = *argv;
		} else if (!strcmp(*argv, "service")) {
			NEXT_ARG();
			if (service)
				return err_duplicate("service"), EXIT_USAGE;
			if (arg_name(*argv))
				return EXIT_USAGE;
			service = *argv;
		} else if (!strcmp(*argv, "eni")) {
			if (argc < 3)
				return err_needs_args("eni", "an AZ and an address"),
				       EXIT_USAGE;
			NEXT_ARG();
			if (neni == PRIVLINK_MAX_AZS) {
				fprintf(stderr, "Error: at most %d ENIs per endpoint\n",
					PRIVLINK_MAX_AZS);
				return EXIT_USAGE;
			}
			if (arg_name(*argv))
				return EXIT_USAGE;
			eni_az[neni] = *argv;
			NEXT_ARG();
			if (arg_ip_pair(*argv, &eni_addr[neni]))
				return EXIT_USAGE;
			neni++;
		} else if (!strcmp(*argv, "ip-type")) {
			NEXT_ARG();
			if (ip_type >= 0)
				return err_duplicate("ip-type"), EXIT_USAGE;
			ip_type = arg_keyword("ip-type", *argv, ip_type_names);
			if (ip_type < 0)
				return EXIT_USAGE;
		} else if (!strcmp(*argv, "max-flows")) {
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
	if (!vpc)
		return err_missing("vpc"), EXIT_USAGE;
	if (!service)
		return err_missing("service"), EXIT_USAGE;

	msg = cmd_msg(PRIVLINK_CMD_ENDPOINT_ADD, 0, 0);
	if (!msg)
		return EXIT_FAIL;
	nest = nla_nest_start(msg, PRIVLINK_A_ENDPOINT);
	bad = !nest || (name && nla_put_string(msg, PRIVLINK_ENDPOINT_A_NAME, name)) ||
	      nla_put_string(msg, PRIVLINK_ENDPOINT_A_VPC, vpc) ||
	      nla_put_string(msg, PRIVLINK_ENDPOINT_A_SERVICE, service) ||
	      (has_max && nla_put_u32(msg, PRIVLINK_ENDPOINT_A_MAX_FLOWS,
				      max_flows)) ||
	      (ip_type >= 0 && nla_put_u8(msg, PRIVLINK_ENDPOINT_A_IP_TYPE,
					  ip_type));
	if (!bad && neni) {
		list = nla_nest_start(msg, PRIVLINK_ENDPOINT_A_ENIS);
		bad = !list;
		for (i = 0; !bad && i < neni; i++) {
			item = nla_nest_start(msg, PRIVLINK_ENDPOINT_A_ENI);
			bad = !item ||
			      nla_put_string(msg, PRIVLINK_ENI_A_AZ, eni_az[i]) ||
			      nla_put_ip_pair(msg, PRIVLINK_ENI_A_ADDR,
					      PRIVLINK_ENI_A_ADDR6,
					      &eni_addr[i]);
			if (!bad)
				nla_nest_end(msg, item);
		}
		if (!bad)
			nla_nest_end(msg, list);
	}
	if (!bad)
		nla_nest_end(msg, nest);
	return cmd_request(cmd_msg_end(msg, bad), plctl_opts.echo || !name);
}

/* endpoint set NAME max-flows N */
static int endpoint_set(int argc, char **argv)
{
	const char *name;
	uint32_t max_flows = 0;
	int has_max = 0, bad;
	struct nl_msg *msg;
	struct nlattr *nest;

	if (argc < 1)
		return err_needs_arg("set"), EXIT_USAGE;
	name = *argv;
	if (arg_name(name))
		return EXIT_USAGE;
	while (NEXT_ARGS()) {
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

	msg = cmd_msg(PRIVLINK_CMD_ENDPOINT_SET, 0, 0);
	if (!msg)
		return EXIT_FAIL;
	nest = nla_nest_start(msg, PRIVLINK_A_ENDPOINT);
	bad = !nest || nla_put_string(msg, PRIVLINK_ENDPOINT_A_NAME, name) ||
	      nla_put_u32(msg, PRIVLINK_ENDPOINT_A_MAX_FLOWS, max_flows);
	if (!bad)
		nla_nest_end(msg, nest);
	return cmd_request(cmd_msg_end(msg, bad), plctl_opts.echo);
}

int do_endpoint(int argc, char **argv)
{
	if (argc < 1)
		return cmd_name(PRIVLINK_CMD_ENDPOINT_GET, PRIVLINK_A_ENDPOINT,
				PRIVLINK_ENDPOINT_A_NAME, 0, argv,
				CN_OPTIONAL | CN_SHOW);
	if (matches(*argv, "add"))
		return endpoint_add(argc - 1, argv + 1);
	if (matches(*argv, "delete"))
		return cmd_name(PRIVLINK_CMD_ENDPOINT_DEL, PRIVLINK_A_ENDPOINT,
				PRIVLINK_ENDPOINT_A_NAME, argc - 1, argv + 1, 0);
	if (matches(*argv, "show") || matches(*argv, "list"))
		return cmd_name(PRIVLINK_CMD_ENDPOINT_GET, PRIVLINK_A_ENDPOINT,
				PRIVLINK_ENDPOINT_A_NAME, argc - 1, argv + 1,
				CN_OPTIONAL | CN_SHOW | CN_STATS);
	if (matches(*argv, "set"))
		return endpoint_set(argc - 1, argv + 1);
	if (matches(*argv, "accept"))
		return cmd_name(PRIVLINK_CMD_ENDPOINT_ACCEPT, PRIVLINK_A_ENDPOINT,
				PRIVLINK_ENDPOINT_A_NAME, argc - 1, argv + 1,
				CN_ECHO);
	if (matches(*argv, "reject"))
		return cmd_name(PRIVLINK_CMD_ENDPOINT_REJECT, PRIVLINK_A_ENDPOINT,
				PRIVLINK_ENDPOINT_A_NAME, argc - 1, argv + 1,
				CN_ECHO);
	if (matches(*argv, "help")) {
		usage(stdout);
		return 0;
	}
	return cmd_unknown("endpoint", *argv);
}
