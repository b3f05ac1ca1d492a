// SPDX-License-Identifier: GPL-2.0
/*
 * plctl save: the whole configuration of the namespace as a batch file that
 * "plctl -b FILE" restores.
 *
 * Order: first the namespace's settings, as one "limit set max-flows N
 * max-objects N hash-key KEY" line (one SET_INFO, before any object exists:
 * the restored namespace's object limit is in place before the adds count
 * against it, and an HA peer restored from the file selects the same targets
 * from its first flow on).  The hash key is only there when GET_INFO returned
 * it (the caller has CAP_NET_ADMIN); otherwise a comment says it was left
 * out.  Then az add, vpc add, service add, target add, endpoint add (with its
 * explicit name, its ENIs and its "max-flows N"), each in the words of its
 * show line, so with every dual-stack field (ipv6-cidr, ip-types, ip-type,
 * ADDR,ADDR6, [X:X::X]:PORT; ip-types and ip-type only when not ipv4, which
 * is what the kernel then takes by default), then the lines that recreate
 * states plain adds cannot:
 *   - every service is added with "acceptance required", so each endpoint
 *     starts pendingAcceptance; then "endpoint accept" for the available
 *     ones and "endpoint reject" for the rejected ones;
 *   - a service whose principals no longer allow the account of one of its
 *     endpoints is added with those accounts too;
 *   - last, "service set NAME acceptance auto" for auto services and/or
 *     "service set NAME principal ..." (or "noprincipal") to restore the
 *     exact principal list.
 * Endpoints being deleted are left out.  The dumps are retried when the
 * namespace's generation changed while they ran.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/privlink.h>
#include "parse.h"
#include "plctl.h"
#include "print.h"

#define SAVE_TRIES 5

static const struct {
	int cmd, attr;
	const char *prefix;
} dumps[SAVE_DUMPS] = {
	[SAVE_AZ]	= { PRIVLINK_CMD_AZ_GET, PRIVLINK_A_AZ, "az add " },
	[SAVE_VPC]	= { PRIVLINK_CMD_VPC_GET, PRIVLINK_A_VPC, "vpc add " },
	[SAVE_SERVICE]	= { PRIVLINK_CMD_SERVICE_GET, PRIVLINK_A_SERVICE, "service add " },
	[SAVE_TARGET]	= { PRIVLINK_CMD_TARGET_GET, PRIVLINK_A_TARGET, "target add " },
	[SAVE_ENDPOINT]	= { PRIVLINK_CMD_ENDPOINT_GET, PRIVLINK_A_ENDPOINT, "endpoint add " },
};

/* The object nest @attr of @msg, or NULL. */
static struct nlattr *object(struct nl_msg *msg, int attr)
{
	struct nlattr *tb[PRIVLINK_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PRIVLINK_A_MAX, NULL) < 0)
		return NULL;
	return tb[attr];
}

/* String member @type of nest @nest ("" when absent or malformed). */
static const char *member_str(struct nlattr *nest, int type)
{
	struct nlattr *a = nest ? nla_find(nla_data(nest), nla_len(nest), type) :
				  NULL;

	if (!a || nla_len(a) < 1 || ((char *)nla_data(a))[nla_len(a) - 1])
		return "";
	return nla_data(a);
}

static int member_u8(struct nlattr *nest, int type, int dflt)
{
	struct nlattr *a = nla_find(nla_data(nest), nla_len(nest), type);

	return a && nla_len(a) >= 1 ? nla_get_u8(a) : dflt;
}

/* Does the service nest @svc allow @account? */
static int allows(struct nlattr *svc, const char *account)
{
	struct nlattr *list = nla_find(nla_data(svc), nla_len(svc),
				       PRIVLINK_SERVICE_A_PRINCIPALS), *a;
	int rem;

	if (!list)
		return 0;
	nla_for_each_nested(a, list, rem) {
		if (nla_type(a) != PRIVLINK_SERVICE_A_PRINCIPAL ||
		    nla_len(a) < 1 || ((char *)nla_data(a))[nla_len(a) - 1])
			continue;
		if (!strcmp(nla_data(a), "*") || !strcmp(nla_data(a), account))
			return 1;
	}
	return 0;
}

static int deleting(struct nlattr *ep)
{
	return member_u8(ep, PRIVLINK_ENDPOINT_A_STATE, 0) ==
	       PRIVLINK_ENDPOINT_DELETING;
}

/*
 * For service @svc: print " principal ACCOUNT" to @out (if not NULL) for
 * every account of its endpoints that the service does not allow (each
 * once); return how many.
 */
static int extra_principals(struct nlattr *svc, struct plnl_msgs *eps,
			    FILE *out)
{
	const char *name = member_str(svc, PRIVLINK_SERVICE_A_NAME);
	char q[2 * PRIVLINK_NAME_MAX + 3];
	size_t i, j;
	int n = 0, seen;

	for (i = 0; i < eps->n; i++) {
		struct nlattr *ep = object(eps->v[i], PRIVLINK_A_ENDPOINT);
		const char *acc;

		if (!ep || deleting(ep) ||
		    strcmp(member_str(ep, PRIVLINK_ENDPOINT_A_SERVICE), name))
			continue;
		acc = member_str(ep, PRIVLINK_ENDPOINT_A_ACCOUNT);
		if (!*acc || allows(svc, acc))
			continue;
		for (seen = 0, j = 0; j < i && !seen; j++) {
			struct nlattr *o = object(eps->v[j], PRIVLINK_A_ENDPOINT);

			seen = o && !deleting(o) &&
			       !strcmp(member_str(o, PRIVLINK_ENDPOINT_A_SERVICE), name) &&
			       !strcmp(member_str(o, PRIVLINK_ENDPOINT_A_ACCOUNT), acc);
		}
		if (seen)
			continue;
		if (out)
			fprintf(out, " principal %s",
				quote_word(acc, q, sizeof(q)));
		n++;
	}
	return n;
}

/* The final "service set" of @svc, if it needs one. */
static void service_fixup(struct nlattr *svc, int extra)
{
	int autoacc = member_u8(svc, PRIVLINK_SERVICE_A_ACCEPTANCE,
				PRIVLINK_ACCEPTANCE_REQUIRED) ==
		      PRIVLINK_ACCEPTANCE_AUTO;
	char q[2 * PRIVLINK_NAME_MAX + 3];
	struct nlattr *list, *a;
	int rem, n = 0;

	if (!autoacc && !extra)
		return;
	printf("service set %s", member_str(svc, PRIVLINK_SERVICE_A_NAME));
	if (autoacc)
		printf(" acceptance auto");
	if (extra) {
		list = nla_find(nla_data(svc), nla_len(svc),
				PRIVLINK_SERVICE_A_PRINCIPALS);
		if (list) {
			nla_for_each_nested(a, list, rem) {
				if (nla_type(a) != PRIVLINK_SERVICE_A_PRINCIPAL ||
				    nla_len(a) < 1 ||
				    ((char *)nla_data(a))[nla_len(a) - 1])
					continue;
				printf(" principal %s",
				       quote_word(nla_data(a), q, sizeof(q)));
				n++;
			}
		}
		if (!n)
			printf(" noprincipal");
	}
	printf("\n");
}

/* Read GET_INFO into @info (emptied first); 0 or a negative errno. */
static int read_info(struct plnl *nl, struct plnl_msgs *info)
{
	struct nl_msg *msg = plnl_msg(nl, PRIVLINK_CMD_GET_INFO, 0);

	plnl_msgs_free(info);
	if (!msg)
		return -ENOMEM;
	return plnl_dump(nl, msg, info);
}

/* The INFO nest of the GET_INFO reply @info, or NULL. */
static struct nlattr *info_nest(struct nl_msg *info)
{
	return info ? object(info, PRIVLINK_A_INFO) : NULL;
}

/* The GET_INFO reply of @m, or NULL. */
static struct nl_msg *info_msg(struct plnl_msgs *m)
{
	return m->n ? m->v[0] : NULL;
}

/* The namespace's generation in the GET_INFO reply @info (0 if none). */
static uint32_t generation(struct nl_msg *info)
{
	struct nlattr *nest = info_nest(info), *a;

	a = nest ? nla_find(nla_data(nest), nla_len(nest),
			    PRIVLINK_INFO_A_GENERATION) : NULL;
	return a && nla_len(a) >= 4 ? nla_get_u32(a) : 0;
}

/*
 * The "limit set" line of the INFO nest @nest (nothing when the module
 * reports no limits), first printed aside: a malformed nest prints nothing.
 */
static void print_limits(struct nlattr *nest)
{
	char *words = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if (!nest)
		return;
	if (!nla_find(nla_data(nest), nla_len(nest), PRIVLINK_INFO_A_HASH_KEY))
		printf("# hash-key left out: reading it needs CAP_NET_ADMIN.  A namespace restored\n"
		       "# from this file keeps its own key and picks other targets for the same flows.\n");
	f = open_memstream(&words, &len);
	if (!f)
		return;
	print_init(f, 0, 0);
	rc = limit_print(nest, PR_SAVE);
	fclose(f);
	print_init(stdout, 0, 0);
	if (!rc && words)
		printf("limit set %s\n", words);
	free(words);
}

void save_print(struct plnl_msgs *d, struct nl_msg *info)
{
	static const char *const verbs[] = {
		[PRIVLINK_ENDPOINT_AVAILABLE] = "accept",
		[PRIVLINK_ENDPOINT_REJECTED] = "reject",
	};
	int k, extra, st;
	size_t i;

	print_init(stdout, 0, 0);
	printf("# plctl save\n");
	print_limits(info_nest(info));
	for (k = 0; k < SAVE_DUMPS; k++) {
		for (i = 0; i < d[k].n; i++) {
			struct nlattr *o = object(d[k].v[i], dumps[k].attr);

			if (!o || (k == SAVE_ENDPOINT && deleting(o)))
				continue;
			fputs(dumps[k].prefix, stdout);
			if (dumps[k].attr == PRIVLINK_A_AZ)
				az_print(o, NULL, PR_SAVE);
			else if (dumps[k].attr == PRIVLINK_A_VPC)
				vpc_print(o, NULL, PR_SAVE);
			else if (dumps[k].attr == PRIVLINK_A_SERVICE) {
				service_print(o, NULL, PR_SAVE);
				extra_principals(o, &d[SAVE_ENDPOINT], stdout);
			} else if (dumps[k].attr == PRIVLINK_A_TARGET)
				target_print(o, NULL, PR_SAVE);
			else
				endpoint_print(o, NULL, PR_SAVE);
			fputc('\n', stdout);
		}
	}
	for (i = 0; i < d[SAVE_ENDPOINT].n; i++) {
		struct nlattr *o = object(d[SAVE_ENDPOINT].v[i], PRIVLINK_A_ENDPOINT);

		if (!o)
			continue;
		st = member_u8(o, PRIVLINK_ENDPOINT_A_STATE, 0);
		if (st == PRIVLINK_ENDPOINT_AVAILABLE ||
		    st == PRIVLINK_ENDPOINT_REJECTED)
			printf("endpoint %s %s\n", verbs[st],
			       member_str(o, PRIVLINK_ENDPOINT_A_NAME));
	}
	for (i = 0; i < d[SAVE_SERVICE].n; i++) {
		struct nlattr *o = object(d[SAVE_SERVICE].v[i], PRIVLINK_A_SERVICE);

		if (!o)
			continue;
		extra = extra_principals(o, &d[SAVE_ENDPOINT], NULL);
		service_fixup(o, extra);
	}
}

int do_save(int argc, char **argv)
{
	struct plnl_msgs d[SAVE_DUMPS], info = { 0 }, again = { 0 };
	struct plnl *nl;
	int k, err, tries;

	if (argc > 0) {
		fprintf(stderr, "Error: unknown keyword \"%s\"\n", *argv);
		return EXIT_USAGE;
	}
	nl = plctl_nl();
	if (!nl)
		return EXIT_FAIL;
	memset(d, 0, sizeof(d));
	for (tries = 0; tries < SAVE_TRIES; tries++) {
		err = read_info(nl, &info);
		for (k = 0; k < SAVE_DUMPS && !err; k++) {
			struct nl_msg *msg = plnl_msg(nl, dumps[k].cmd, 1);

			err = msg ? plnl_dump(nl, msg, &d[k]) : -ENOMEM;
		}
		if (!err)
			err = read_info(nl, &again);
		if (err || generation(info_msg(&info)) ==
			   generation(info_msg(&again)))
			break;
	}
	if (err) {
		cmd_perror(nl, err);
		err = EXIT_FAIL;
	} else {
		save_print(d, info_msg(&info));
	}
	for (k = 0; k < SAVE_DUMPS; k++)
		plnl_msgs_free(&d[k]);
	plnl_msgs_free(&info);
	plnl_msgs_free(&again);
	return err;
}
