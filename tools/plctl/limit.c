// SPDX-License-Identifier: GPL-2.0
/*
 * plctl limit: the namespace-wide settings (GET_INFO / SET_INFO): the limit
 * on the live flows of all endpoints together, the limit on configuration
 * objects, and the secret key of target selection.
 *
 * "limit set" is parsed into a struct limit_set (limit_set_parse()), which
 * limit_set_put() encodes as the INFO nest of one SET_INFO: several settings
 * on one line change together or not at all.
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
		"Usage: plctl limit set { max-flows N | max-objects M | hash-key KEY }...\n"
		"       plctl limit show\n"
		"N := 0..%u (live flows through all endpoints of the namespace;\n"
		"     0: no limit)\n"
		"M := 1..%u (AZs, VPCs, services, targets, endpoints and ENIs of\n"
		"     the namespace together)\n"
		"KEY := %d hexadecimal digits (the secret key of target selection)\n",
		UINT32_MAX, UINT32_MAX, 2 * PRIVLINK_HASH_KEY_LEN);
}

static struct nla_policy info_policy[PRIVLINK_INFO_A_MAX + 1] = {
	[PRIVLINK_INFO_A_MAX_FLOWS]	= { .type = NLA_U32 },
	[PRIVLINK_INFO_A_MAX_OBJECTS]	= { .type = NLA_U32 },
	[PRIVLINK_INFO_A_HASH_KEY]	= { .minlen = PRIVLINK_HASH_KEY_LEN,
					    .maxlen = PRIVLINK_HASH_KEY_LEN },
};

int limit_print(const struct nlattr *nest, int flags)
{
	return limit_print_key(nest, NULL, flags);
}

int limit_print_key(const struct nlattr *nest, const char *key, int flags)
{
	struct nlattr *tb[PRIVLINK_INFO_A_MAX + 1];

	if (nla_parse_nested(tb, PRIVLINK_INFO_A_MAX, (struct nlattr *)nest,
			     info_policy) < 0 || !tb[PRIVLINK_INFO_A_MAX_FLOWS])
		return -1;
	print_open_object(key);
	print_uint("max_flows", "max-flows %" PRIu64,
		   nla_get_u32(tb[PRIVLINK_INFO_A_MAX_FLOWS]));
	if (tb[PRIVLINK_INFO_A_MAX_OBJECTS])
		print_uint("max_objects", " max-objects %" PRIu64,
			   nla_get_u32(tb[PRIVLINK_INFO_A_MAX_OBJECTS]));
	/* only in replies to CAP_NET_ADMIN */
	if (tb[PRIVLINK_INFO_A_HASH_KEY])
		print_hex("hash_key", " hash-key %s",
			  nla_data(tb[PRIVLINK_INFO_A_HASH_KEY]),
			  PRIVLINK_HASH_KEY_LEN);
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
		fprintf(stderr, "Error: the module reports no limits (too old?)\n");
		return EXIT_FAIL;
	}
	return 0;
}

int limit_set_parse(int argc, char **argv, struct limit_set *ls)
{
	memset(ls, 0, sizeof(*ls));
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "max-flows")) {
			NEXT_ARG();
			if (ls->has_max_flows)
				return err_duplicate("max-flows"), EXIT_USAGE;
			if (arg_u32("max-flows", *argv, 0, UINT32_MAX,
				    &ls->max_flows))
				return EXIT_USAGE;
			ls->has_max_flows = 1;
		} else if (!strcmp(*argv, "max-objects")) {
			NEXT_ARG();
			if (ls->has_max_objects)
				return err_duplicate("max-objects"), EXIT_USAGE;
			if (arg_u32("max-objects", *argv, 1, UINT32_MAX,
				    &ls->max_objects))
				return EXIT_USAGE;
			ls->has_max_objects = 1;
		} else if (!strcmp(*argv, "hash-key")) {
			NEXT_ARG();
			if (ls->has_hash_key)
				return err_duplicate("hash-key"), EXIT_USAGE;
			if (arg_hex("hash-key", *argv, ls->hash_key,
				    sizeof(ls->hash_key)))
				return EXIT_USAGE;
			ls->has_hash_key = 1;
		} else {
			return err_unknown(*argv), EXIT_USAGE;
		}
	}
	if (!ls->has_max_flows && !ls->has_max_objects && !ls->has_hash_key) {
		fprintf(stderr, "Error: \"set\" needs at least one of \"max-flows\", \"max-objects\", \"hash-key\"\n");
		return EXIT_USAGE;
	}
	return 0;
}

int limit_set_put(struct nl_msg *msg, const struct limit_set *ls)
{
	struct nlattr *nest = nla_nest_start(msg, PRIVLINK_A_INFO);

	if (!nest ||
	    (ls->has_max_flows &&
	     nla_put_u32(msg, PRIVLINK_INFO_A_MAX_FLOWS, ls->max_flows)) ||
	    (ls->has_max_objects &&
	     nla_put_u32(msg, PRIVLINK_INFO_A_MAX_OBJECTS, ls->max_objects)) ||
	    (ls->has_hash_key &&
	     nla_put(msg, PRIVLINK_INFO_A_HASH_KEY, sizeof(ls->hash_key),
		     ls->hash_key)))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

static int limit_set(int argc, char **argv)
{
	struct limit_set ls;
	struct nl_msg *msg;
	int rc;

	rc = limit_set_parse(argc, argv, &ls);
	if (rc)
		return rc;
	msg = cmd_msg(PRIVLINK_CMD_SET_INFO, 0, 0);
	if (!msg)
		return EXIT_FAIL;
	msg = cmd_msg_end(msg, limit_set_put(msg, &ls) < 0);
	return limit_request(msg, plctl_opts.echo);
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
