// SPDX-License-Identifier: GPL-2.0
/*
 * plctl version: the versions of plctl and of the loaded module, and (in
 * JSON) the namespace's generation, object counts and packet counters;
 * with -s the packet counters in text too.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/privlink.h>
#include "plctl.h"
#include "print.h"

static struct nla_policy policy[PRIVLINK_INFO_A_MAX + 1] = {
	[PRIVLINK_INFO_A_VERSION]	= { .type = NLA_STRING },
	[PRIVLINK_INFO_A_HOOKS]		= { .type = NLA_U8 },
	[PRIVLINK_INFO_A_GENERATION]	= { .type = NLA_U32 },
	[PRIVLINK_INFO_A_AZS]		= { .type = NLA_U32 },
	[PRIVLINK_INFO_A_VPCS]		= { .type = NLA_U32 },
	[PRIVLINK_INFO_A_SERVICES]	= { .type = NLA_U32 },
	[PRIVLINK_INFO_A_TARGETS]	= { .type = NLA_U32 },
	[PRIVLINK_INFO_A_ENDPOINTS]	= { .type = NLA_U32 },
	[PRIVLINK_INFO_A_ENIS]		= { .type = NLA_U32 },
	[PRIVLINK_INFO_A_OBJECTS_LIVE]	= { .type = NLA_U64 },
	[PRIVLINK_INFO_A_MAX_FLOWS]	= { .type = NLA_U32 },
	[PRIVLINK_INFO_A_MAX_OBJECTS]	= { .type = NLA_U32 },
#ifdef PRIVLINK_STATS_A_MAX
	[PRIVLINK_INFO_A_STATS]		= { .type = NLA_NESTED },
#endif
};

/* The u32 counters, in JSON member order. */
static const struct {
	int attr;
	const char *key;
} counts[] = {
	{ PRIVLINK_INFO_A_GENERATION,	"generation" },
	{ PRIVLINK_INFO_A_AZS,		"azs" },
	{ PRIVLINK_INFO_A_VPCS,		"vpcs" },
	{ PRIVLINK_INFO_A_SERVICES,	"services" },
	{ PRIVLINK_INFO_A_TARGETS,	"targets" },
	{ PRIVLINK_INFO_A_ENDPOINTS,	"endpoints" },
	{ PRIVLINK_INFO_A_ENIS,		"enis" },
	{ PRIVLINK_INFO_A_MAX_FLOWS,	"max_flows" },	/* plctl limit */
	{ PRIVLINK_INFO_A_MAX_OBJECTS,	"max_objects" },	/* plctl limit */
};

#ifdef PRIVLINK_STATS_A_MAX
/*
 * The packet-path counters (INFO_A_STATS) and their text (-s): the JSON
 * name with dashes.
 */
static const struct {
	const char *json, *text;
} stats_keys[PRIVLINK_STATS_A_MAX + 1] = {
	[PRIVLINK_STATS_A_NEW_FLOWS]		= { "new_flows", "new-flows %" PRIu64 },
	[PRIVLINK_STATS_A_DROP_NOT_ACCEPTED]	= { "drop_not_accepted", " drop-not-accepted %" PRIu64 },
	[PRIVLINK_STATS_A_DROP_NO_LISTENER]	= { "drop_no_listener", " drop-no-listener %" PRIu64 },
	[PRIVLINK_STATS_A_DROP_NO_TARGET]	= { "drop_no_target", " drop-no-target %" PRIu64 },
	[PRIVLINK_STATS_A_DROP_AZ_DOWN]		= { "drop_az_down", " drop-az-down %" PRIu64 },
	[PRIVLINK_STATS_A_DROP_WRONG_VPC]	= { "drop_wrong_vpc", " drop-wrong-vpc %" PRIu64 },
	[PRIVLINK_STATS_A_DROP_NAT_FAILED]	= { "drop_nat_failed", " drop-nat-failed %" PRIu64 },
	[PRIVLINK_STATS_A_ARP_REPLIES]		= { "arp_replies", " arp-replies %" PRIu64 },
	[PRIVLINK_STATS_A_DROP_LIMIT]		= { "drop_limit", " drop-limit %" PRIu64 },
	[PRIVLINK_STATS_A_DROP_SPOOFED]		= { "drop_spoofed", " drop-spoofed %" PRIu64 },
	[PRIVLINK_STATS_A_DROP_INVALID]		= { "drop_invalid", " drop-invalid %" PRIu64 },
	[PRIVLINK_STATS_A_ND_REPLIES]		= { "nd_replies", " nd-replies %" PRIu64 },
};
/* Their order, text and JSON: uapi order, but nd_replies next to arp_replies. */
static const int stats_order[] = {
	PRIVLINK_STATS_A_NEW_FLOWS, PRIVLINK_STATS_A_DROP_NOT_ACCEPTED,
	PRIVLINK_STATS_A_DROP_NO_LISTENER, PRIVLINK_STATS_A_DROP_NO_TARGET,
	PRIVLINK_STATS_A_DROP_AZ_DOWN, PRIVLINK_STATS_A_DROP_WRONG_VPC,
	PRIVLINK_STATS_A_DROP_NAT_FAILED, PRIVLINK_STATS_A_ARP_REPLIES,
	PRIVLINK_STATS_A_ND_REPLIES, PRIVLINK_STATS_A_DROP_LIMIT,
	PRIVLINK_STATS_A_DROP_SPOOFED, PRIVLINK_STATS_A_DROP_INVALID,
};
_Static_assert(sizeof(stats_order) / sizeof(stats_order[0]) ==
	       PRIVLINK_STATS_A_MAX - PRIVLINK_STATS_A_NEW_FLOWS + 1,
	       "every counter of the uapi has its place");
#define NSTATS (PRIVLINK_STATS_A_MAX + 1)
#else
#define NSTATS 1
#endif

struct info {
	char version[64];
	int hooks;
	int has[PRIVLINK_INFO_A_MAX + 1];
	uint64_t val[PRIVLINK_INFO_A_MAX + 1];
	int has_stats;
	int has_stat[NSTATS];
	uint64_t stat[NSTATS];
};

static void parse_stats(struct info *info, struct nlattr *nest)
{
#ifdef PRIVLINK_STATS_A_MAX
	struct nlattr *a;
	int rem;

	info->has_stats = 1;
	nla_for_each_nested(a, nest, rem) {
		int t = nla_type(a);

		if (t > PRIVLINK_STATS_A_MAX || !stats_keys[t].json ||
		    nla_len(a) < 8)
			continue;
		info->has_stat[t] = 1;
		info->stat[t] = nla_get_u64(a);
	}
#else
	(void)info;
	(void)nest;
#endif
}

static void print_stats(const struct info *info)
{
#ifdef PRIVLINK_STATS_A_MAX
	size_t i;
	int t;

	if (!info->has_stats)
		return;
	/* text: a second line, with -s only (JSON always has them) */
	if (plctl_opts.stats)
		print_nl();
	print_open_object("stats");
	for (i = 0; i < sizeof(stats_order) / sizeof(stats_order[0]); i++) {
		t = stats_order[i];
		if (info->has_stat[t])
			print_uint(stats_keys[t].json,
				   plctl_opts.stats ? stats_keys[t].text : NULL,
				   info->stat[t]);
	}
	print_close_object();
#else
	(void)info;
#endif
}

static int info_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[PRIVLINK_A_MAX + 1], *itb[PRIVLINK_INFO_A_MAX + 1];
	struct info *info = arg;
	size_t i;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PRIVLINK_A_MAX, NULL) < 0 ||
	    !tb[PRIVLINK_A_INFO] ||
	    nla_parse_nested(itb, PRIVLINK_INFO_A_MAX, tb[PRIVLINK_A_INFO],
			     policy) < 0)
		return NL_SKIP;
	if (itb[PRIVLINK_INFO_A_VERSION])
		snprintf(info->version, sizeof(info->version), "%s",
			 nla_get_string(itb[PRIVLINK_INFO_A_VERSION]));
	if (itb[PRIVLINK_INFO_A_HOOKS])
		info->hooks = nla_get_u8(itb[PRIVLINK_INFO_A_HOOKS]);
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		if (!itb[counts[i].attr])
			continue;
		info->has[counts[i].attr] = 1;
		info->val[counts[i].attr] = nla_get_u32(itb[counts[i].attr]);
	}
#ifdef PRIVLINK_STATS_A_MAX
	if (itb[PRIVLINK_INFO_A_STATS])
		parse_stats(info, itb[PRIVLINK_INFO_A_STATS]);
#else
	parse_stats(info, NULL);
#endif
	if (itb[PRIVLINK_INFO_A_OBJECTS_LIVE]) {
		info->has[PRIVLINK_INFO_A_OBJECTS_LIVE] = 1;
		info->val[PRIVLINK_INFO_A_OBJECTS_LIVE] =
			nla_get_u64(itb[PRIVLINK_INFO_A_OBJECTS_LIVE]);
	}
	return NL_OK;
}

/* The version line; in JSON, the counters too. */
static void info_print(const struct info *info)
{
	size_t i;

	print_open_object(NULL);
	print_str("plctl", "plctl %s", PLCTL_VERSION);
	print_str("module", ", privlink module %s", info->version);
	print_bool("hooks", ", hooks registered: %s", info->hooks);
	/* The counters are for scripts and tests: JSON only. */
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		if (info->has[counts[i].attr])
			print_uint(counts[i].key, NULL,
				   info->val[counts[i].attr]);
	if (info->has[PRIVLINK_INFO_A_OBJECTS_LIVE])
		print_uint("objects_live", NULL,
			   info->val[PRIVLINK_INFO_A_OBJECTS_LIVE]);
	print_stats(info);
	print_nl();
	print_close_object();
}

void version_print(struct nl_msg *msg)
{
	struct info info = { .version = "" };

	info_cb(msg, &info);
	info_print(&info);
}

int do_version(int argc, char **argv)
{
	struct info info = { .version = "" };
	struct plnl *nl;
	struct nl_msg *msg;
	int err;

	(void)argv;
	if (argc > 0) {
		fprintf(stderr, "Error: \"version\" takes no arguments\n");
		return EXIT_USAGE;
	}
	nl = plctl_nl();
	if (!nl)
		return EXIT_FAIL;
	msg = plnl_msg(nl, PRIVLINK_CMD_GET_INFO, 0);
	if (!msg)
		return EXIT_FAIL;
	err = plnl_call(nl, msg, info_cb, &info);
	if (err) {
		cmd_perror(nl, err);
		return EXIT_FAIL;
	}
	info_print(&info);
	return 0;
}
