// SPDX-License-Identifier: GPL-2.0
/*
 * plctl save: the whole configuration of the namespace as a batch file that
 * "plctl -b FILE" restores.
 *
 * Order: az add, vpc add, service add, target add, endpoint add (with its
 * explicit name and its ENIs), then the lines that recreate states plain adds
 * cannot:
 *   - every service is added with "acceptance required", so each endpoint
 *     starts pendingAcceptance; then "endpoint accept" for the available
 *     ones and "endpoint reject" for the rejected ones;
 *   - a service whose principals no longer allow the account of one of its
 *     endpoints is added with those accounts too;
 *   - last, "service set NAME acceptance auto" for auto services and/or
 *     "service set NAME principal ..." (or "noprincipal") to restore the
 *     exact principal list.
 * Endpoints being deleted are left out.  An endpoint's flow limit is a word of
 * its add line ("max-flows N"); the namespace's, when set, is the last line
 * ("limit set max-flows N").  The dumps are retried when the
 * namespace's generation changed while they ran.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/privlink.h>
#include "parse.h"
#include "plctl.h"
#include "print.h"

#define SAVE_TRIES 5

enum { D_AZ, D_VPC, D_SERVICE, D_TARGET, D_ENDPOINT, D_MAX };

static const struct {
	int cmd, attr;
	const char *prefix;
} dumps[D_MAX] = {
	[D_AZ]		= { PRIVLINK_CMD_AZ_GET, PRIVLINK_A_AZ, "az add " },
	[D_VPC]		= { PRIVLINK_CMD_VPC_GET, PRIVLINK_A_VPC, "vpc add " },
	[D_SERVICE]	= { PRIVLINK_CMD_SERVICE_GET, PRIVLINK_A_SERVICE, "service add " },
	[D_TARGET]	= { PRIVLINK_CMD_TARGET_GET, PRIVLINK_A_TARGET, "target add " },
	[D_ENDPOINT]	= { PRIVLINK_CMD_ENDPOINT_GET, PRIVLINK_A_ENDPOINT, "endpoint add " },
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

/* The namespace's generation; its flow limit in @max_flows (0: none). */
static uint32_t generation(struct plnl *nl, uint32_t *max_flows)
{
	struct nl_msg *msg = plnl_msg(nl, PRIVLINK_CMD_GET_INFO, 0);
	struct plnl_msgs m = { 0 };
	struct nlattr *info, *a;
	uint32_t gen = 0;

	*max_flows = 0;
	if (msg && !plnl_dump(nl, msg, &m) && m.n) {
		info = object(m.v[0], PRIVLINK_A_INFO);
		a = info ? nla_find(nla_data(info), nla_len(info),
				    PRIVLINK_INFO_A_GENERATION) : NULL;
		if (a && nla_len(a) >= 4)
			gen = nla_get_u32(a);
		a = info ? nla_find(nla_data(info), nla_len(info),
				    PRIVLINK_INFO_A_MAX_FLOWS) : NULL;
		if (a && nla_len(a) >= 4)
			*max_flows = nla_get_u32(a);
	}
	plnl_msgs_free(&m);
	return gen;
}

static void print_save(struct plnl_msgs *d, uint32_t max_flows)
{
	static const char *const verbs[] = {
		[PRIVLINK_ENDPOINT_AVAILABLE] = "accept",
		[PRIVLINK_ENDPOINT_REJECTED] = "reject",
	};
	int k, extra, st;
	size_t i;

	for (k = 0; k < D_MAX; k++) {
		for (i = 0; i < d[k].n; i++) {
			struct nlattr *o = object(d[k].v[i], dumps[k].attr);

			if (!o || (k == D_ENDPOINT && deleting(o)))
				continue;
			fputs(dumps[k].prefix, stdout);
			if (dumps[k].attr == PRIVLINK_A_AZ)
				az_print(o, NULL, PR_SAVE);
			else if (dumps[k].attr == PRIVLINK_A_VPC)
				vpc_print(o, NULL, PR_SAVE);
			else if (dumps[k].attr == PRIVLINK_A_SERVICE) {
				service_print(o, NULL, PR_SAVE);
				extra_principals(o, &d[D_ENDPOINT], stdout);
			} else if (dumps[k].attr == PRIVLINK_A_TARGET)
				target_print(o, NULL, PR_SAVE);
			else
				endpoint_print(o, NULL, PR_SAVE);
			fputc('\n', stdout);
		}
	}
	for (i = 0; i < d[D_ENDPOINT].n; i++) {
		struct nlattr *o = object(d[D_ENDPOINT].v[i], PRIVLINK_A_ENDPOINT);

		if (!o)
			continue;
		st = member_u8(o, PRIVLINK_ENDPOINT_A_STATE, 0);
		if (st == PRIVLINK_ENDPOINT_AVAILABLE ||
		    st == PRIVLINK_ENDPOINT_REJECTED)
			printf("endpoint %s %s\n", verbs[st],
			       member_str(o, PRIVLINK_ENDPOINT_A_NAME));
	}
	for (i = 0; i < d[D_SERVICE].n; i++) {
		struct nlattr *o = object(d[D_SERVICE].v[i], PRIVLINK_A_SERVICE);

		if (!o)
			continue;
		extra = extra_principals(o, &d[D_ENDPOINT], NULL);
		service_fixup(o, extra);
	}
	if (max_flows)
		printf("limit set max-flows %u\n", max_flows);
}

int do_save(int argc, char **argv)
{
	struct plnl_msgs d[D_MAX];
	struct plnl *nl;
	uint32_t gen, max_flows = 0, max_flows2;
	int k, err = 0, tries;

	if (argc > 0) {
		fprintf(stderr, "Error: unknown keyword \"%s\"\n", *argv);
		return EXIT_USAGE;
	}
	nl = plctl_nl();
	if (!nl)
		return EXIT_FAIL;
	memset(d, 0, sizeof(d));
	for (tries = 0; tries < SAVE_TRIES; tries++) {
		gen = generation(nl, &max_flows);
		for (k = 0; k < D_MAX && !err; k++) {
			struct nl_msg *msg = plnl_msg(nl, dumps[k].cmd, 1);

			err = msg ? plnl_dump(nl, msg, &d[k]) : -ENOMEM;
		}
		if (err || gen == generation(nl, &max_flows2))
			break;
	}
	if (err) {
		cmd_perror(nl, err);
		err = EXIT_FAIL;
	} else {
		print_init(stdout, 0, 0);
		printf("# plctl save\n");
		print_save(d, max_flows);
	}
	for (k = 0; k < D_MAX; k++)
		plnl_msgs_free(&d[k]);
	return err;
}
