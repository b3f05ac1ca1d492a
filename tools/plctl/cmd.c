// SPDX-License-Identifier: GPL-2.0
/*
 * plctl: what every object command shares: sending a request, reporting its
 * error, printing the objects of replies.
 */
#include <inttypes.h>
#include <string.h>

#include <linux/privlink.h>
#include "parse.h"
#include "plctl.h"
#include "print.h"

const char *nla_str_or_empty(struct nlattr *a)
{
	return a ? nla_get_string(a) : "";
}

_Static_assert(sizeof(struct in6_addr) == PRIVLINK_ADDR6_LEN,
	       "an IPv6 address attribute is a struct in6_addr");

int nla_get_ip_pair(struct nlattr *a4, struct nlattr *a6, struct ip_pair *p)
{
	memset(p, 0, sizeof(*p));
	if (a4) {
		p->has4 = 1;
		p->v4 = nla_get_u32(a4);
	}
	if (a6) {
		p->has6 = 1;
		memcpy(&p->v6, nla_data(a6), sizeof(p->v6));
	}
	return p->has4 || p->has6;
}

int nla_put_ip_pair(struct nl_msg *msg, int t4, int t6,
		    const struct ip_pair *p)
{
	if (p->has4 && nla_put_u32(msg, t4, p->v4))
		return -1;
	if (p->has6 && nla_put(msg, t6, sizeof(p->v6), &p->v6))
		return -1;
	return 0;
}

void cmd_perror(struct plnl *nl, int err)
{
	if (err == PLNL_EDUMPINTR)
		fprintf(stderr, "Error: the configuration kept changing during the dump, try again\n");
	else if (nl->errmsg[0])
		fprintf(stderr, "Error: %s\n", nl->errmsg);
	else
		fprintf(stderr, "Error: %s\n", strerror(-err));
}

void print_obj_stats(struct nlattr *nest)
{
	static const struct {
		int attr;
		const char *json, *text;
	} counters[] = {
		{ PRIVLINK_OBJ_STATS_A_NEW_FLOWS, "new_flows", " new-flows %" PRIu64 },
		{ PRIVLINK_OBJ_STATS_A_DROPS, "drops", " drops %" PRIu64 },
		{ PRIVLINK_OBJ_STATS_A_PACKETS, "packets", " packets %" PRIu64 },
		{ PRIVLINK_OBJ_STATS_A_BYTES, "bytes", " bytes %" PRIu64 },
	};
	static struct nla_policy policy[PRIVLINK_OBJ_STATS_A_MAX + 1] = {
		[PRIVLINK_OBJ_STATS_A_NEW_FLOWS]	= { .type = NLA_U64 },
		[PRIVLINK_OBJ_STATS_A_DROPS]		= { .type = NLA_U64 },
		[PRIVLINK_OBJ_STATS_A_PACKETS]		= { .type = NLA_U64 },
		[PRIVLINK_OBJ_STATS_A_BYTES]		= { .type = NLA_U64 },
	};
	struct nlattr *tb[PRIVLINK_OBJ_STATS_A_MAX + 1];
	size_t i;

	if (!nest || nla_parse_nested(tb, PRIVLINK_OBJ_STATS_A_MAX, nest,
				      policy) < 0)
		return;
	print_open_object("stats");
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		struct nlattr *a = tb[counters[i].attr];

		print_uint(counters[i].json, counters[i].text,
			   a ? nla_get_u64(a) : 0);
	}
	print_close_object();
}

static const struct {
	const char *kind;
	int (*print)(const struct nlattr *nest, const char *key, int flags);
} objects[] = {
	[PRIVLINK_A_AZ]		= { "az", az_print },
	[PRIVLINK_A_VPC]	= { "vpc", vpc_print },
	[PRIVLINK_A_SERVICE]	= { "service", service_print },
	[PRIVLINK_A_TARGET]	= { "target", target_print },
	[PRIVLINK_A_ENDPOINT]	= { "endpoint", endpoint_print },
	[PRIVLINK_A_ENI]	= { "eni", eni_print },
};

int print_object_msg(struct nl_msg *msg, const char *key, int flags)
{
	struct nlattr *tb[PRIVLINK_A_MAX + 1];
	int i;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PRIVLINK_A_MAX, NULL) < 0)
		return -1;
	if (tb[PRIVLINK_A_INFO])	/* a limit-set event: the settings */
		return limit_print_key(tb[PRIVLINK_A_INFO],
				       (flags & PR_KIND) ? "limit" : key,
				       flags & ~PR_SAVE);
	for (i = PRIVLINK_A_AZ; i <= PRIVLINK_A_ENI; i++) {
		if (!tb[i])
			continue;
		return objects[i].print(tb[i],
					(flags & PR_KIND) ? objects[i].kind : key,
					flags);
	}
	return -1;
}

struct nl_msg *cmd_msg(int cmd, int dump, size_t size)
{
	struct plnl *nl = plctl_nl();
	struct nl_msg *msg;

	if (!nl)
		return NULL;
	msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
				 NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK),
				 cmd, PRIVLINK_GENL_VERSION)) {
		fprintf(stderr, "Error: out of memory\n");
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

struct nl_msg *cmd_msg_end(struct nl_msg *msg, int bad)
{
	if (!bad)
		return msg;
	fprintf(stderr, "Error: the request does not fit in a message\n");
	nlmsg_free(msg);
	return NULL;
}

/* Run @msg (dump or doit) and print every object of the replies. */
static int request_print(struct plnl *nl, struct nl_msg *msg)
{
	struct plnl_msgs m = { 0 };
	size_t i;
	int err;

	err = plnl_dump(nl, msg, &m);
	if (err) {
		plnl_msgs_free(&m);
		cmd_perror(nl, err);
		return EXIT_FAIL;
	}
	print_open_array(NULL);
	for (i = 0; i < m.n; i++)
		print_object_msg(m.v[i], NULL,
				 plctl_opts.stats ? PR_STATS : 0);
	print_close_array();
	plnl_msgs_free(&m);
	return 0;
}

int cmd_request(struct nl_msg *msg, int print_reply)
{
	struct plnl *nl = plctl_nl();
	int err;

	if (!msg)
		return EXIT_FAIL;
	if (print_reply)
		return request_print(nl, msg);
	err = plnl_call(nl, msg, NULL, NULL);
	if (err) {
		cmd_perror(nl, err);
		return EXIT_FAIL;
	}
	return 0;
}

int cmd_show(struct nl_msg *msg)
{
	if (!msg)
		return EXIT_FAIL;
	return request_print(plctl_nl(), msg);
}

/* "-s", "-stats", "--stats" (and abbreviations): the global option -s. */
static int is_stats_opt(const char *w)
{
	if (w[0] != '-')
		return 0;
	w += w[1] == '-' ? 2 : 1;
	return matches(w, "stats");
}

static int cmd_name_stats(int cmd, int attr, int name_attr, int argc,
			  char **argv, int flags)
{
	char *av[3];	/* the verb, NAME, one word too many */
	int ac = 0, i, saved = plctl_opts.stats, rc;

	av[0] = argv[-1];
	for (i = 0; i < argc; i++) {
		if (is_stats_opt(argv[i]))
			plctl_opts.stats = 1;
		else if (ac < 2)
			av[1 + ac++] = argv[i];
	}
	rc = cmd_name(cmd, attr, name_attr, ac, av + 1, flags & ~CN_STATS);
	plctl_opts.stats = saved;	/* a batch's next line starts afresh */
	return rc;
}

int cmd_name(int cmd, int attr, int name_attr, int argc, char **argv,
	     int flags)
{
	struct nl_msg *msg;
	struct nlattr *nest;
	int bad = 0;

	if (flags & CN_STATS)
		return cmd_name_stats(cmd, attr, name_attr, argc, argv, flags);

	/* argv[-1] is the verb */
	if (argc < 1 && !(flags & CN_OPTIONAL))
		return err_needs_arg(argv[-1]), EXIT_USAGE;
	if (argc > 1)
		return err_unknown(argv[1]), EXIT_USAGE;
	if (argc && arg_name(*argv))
		return EXIT_USAGE;
	msg = cmd_msg(cmd, (flags & CN_DUMP) || !argc, 0);
	if (!msg)
		return EXIT_FAIL;
	if (argc) {
		nest = nla_nest_start(msg, attr);
		bad = !nest || nla_put_string(msg, name_attr, *argv);
		if (!bad)
			nla_nest_end(msg, nest);
	}
	msg = cmd_msg_end(msg, bad);
	if (flags & CN_SHOW)
		return cmd_show(msg);
	return cmd_request(msg, (flags & CN_ECHO) && plctl_opts.echo);
}

int cmd_unknown(const char *obj, const char *verb)
{
	fprintf(stderr, "Error: command \"%s\" is unknown, try \"plctl %s help\".\n",
		verb, obj);
	return EXIT_USAGE;
}
