// SPDX-License-Identifier: GPL-2.0
/*
 * plctl vpc: networks attached to the router.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <linux/privlink.h>
#include "parse.h"
#include "plctl.h"
#include "print.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: plctl vpc add NAME account ACCOUNT [cidr A.B.C.D/LEN] [ipv6-cidr X:X::X/LEN]\n"
		"                    [dev IFNAME]... [zone ZONE]\n"
		"       plctl vpc del NAME\n"
		"       plctl vpc set NAME [ dev IFNAME... | nodev ] [cidr A.B.C.D/LEN]\n"
		"                    [ipv6-cidr X:X::X/LEN]\n"
		"       plctl vpc show [NAME]\n");
}

static struct nla_policy policy[PRIVLINK_VPC_A_MAX + 1] = {
	[PRIVLINK_VPC_A_NAME]		= { .type = NLA_STRING },
	[PRIVLINK_VPC_A_ACCOUNT]	= { .type = NLA_STRING },
	[PRIVLINK_VPC_A_CIDR_ADDR]	= { .type = NLA_U32 },
	[PRIVLINK_VPC_A_CIDR_PLEN]	= { .type = NLA_U8 },
	[PRIVLINK_VPC_A_IFACES]		= { .type = NLA_NESTED },
	[PRIVLINK_VPC_A_ZONE]		= { .type = NLA_U16 },
	[PRIVLINK_VPC_A_CIDR6_ADDR]	= NLA_POLICY_ADDR6,
	[PRIVLINK_VPC_A_CIDR6_PLEN]	= { .type = NLA_U8 },
};

int vpc_print(const struct nlattr *nest, const char *key, int flags)
{
	struct nlattr *tb[PRIVLINK_VPC_A_MAX + 1], *a;
	char cidr[INET_ADDRSTRLEN + 8], cidr6[INET6_ADDRSTRLEN + 8];
	char ifname[IF_NAMESIZE], q[2 * PRIVLINK_NAME_MAX + 3];
	const char *account = "";
	uint32_t addr = 0;
	uint8_t plen = 0;
	int rem;

	if (nla_parse_nested(tb, PRIVLINK_VPC_A_MAX, (struct nlattr *)nest,
			     policy) < 0 || !tb[PRIVLINK_VPC_A_NAME])
		return -1;
	if (tb[PRIVLINK_VPC_A_ACCOUNT])
		account = nla_get_string(tb[PRIVLINK_VPC_A_ACCOUNT]);
	if (flags & PR_SAVE)
		account = quote_word(account, q, sizeof(q));
	if (tb[PRIVLINK_VPC_A_CIDR_ADDR])
		addr = nla_get_u32(tb[PRIVLINK_VPC_A_CIDR_ADDR]);
	if (tb[PRIVLINK_VPC_A_CIDR_PLEN])
		plen = nla_get_u8(tb[PRIVLINK_VPC_A_CIDR_PLEN]);
	inet_ntop(AF_INET, &addr, cidr, sizeof(cidr));
	snprintf(cidr + strlen(cidr), 8, "/%u", plen);
	if (tb[PRIVLINK_VPC_A_CIDR6_ADDR]) {
		inet_ntop(AF_INET6, nla_data(tb[PRIVLINK_VPC_A_CIDR6_ADDR]),
			  cidr6, sizeof(cidr6));
		snprintf(cidr6 + strlen(cidr6), 8, "/%u",
			 tb[PRIVLINK_VPC_A_CIDR6_PLEN] ?
			 nla_get_u8(tb[PRIVLINK_VPC_A_CIDR6_PLEN]) : 0);
	}

	print_open_object(key);
	print_str("name", "%s", nla_get_string(tb[PRIVLINK_VPC_A_NAME]));
	print_str("account", " account %s", account);
	/* each family only when the VPC has it (an IPv6-only VPC: no cidr) */
	if (tb[PRIVLINK_VPC_A_CIDR_ADDR] || !tb[PRIVLINK_VPC_A_CIDR6_ADDR])
		print_str("cidr", " cidr %s", cidr);
	if (tb[PRIVLINK_VPC_A_CIDR6_ADDR])
		print_str("ipv6_cidr", " ipv6-cidr %s", cidr6);
	print_open_array("devices");
	if (tb[PRIVLINK_VPC_A_IFACES]) {
		nla_for_each_nested(a, tb[PRIVLINK_VPC_A_IFACES], rem) {
			if (nla_type(a) != PRIVLINK_VPC_A_IFINDEX ||
			    nla_len(a) < 4)
				continue;
			if (!if_indextoname(nla_get_u32(a), ifname))
				snprintf(ifname, sizeof(ifname), "if%u",
					 nla_get_u32(a));
			print_str(NULL, " dev %s", ifname);
		}
	}
	print_close_array();
	if (tb[PRIVLINK_VPC_A_ZONE])
		print_uint("zone", " zone %" PRIu64,
			   nla_get_u16(tb[PRIVLINK_VPC_A_ZONE]));
	if (!(flags & PR_SAVE))
		print_nl();
	print_close_object();
	return 0;
}

/* Append IFNAME to @ifx; 0, EXIT_USAGE or EXIT_FAIL. */
static int add_dev(const char *name, uint32_t *ifx, int *n)
{
	unsigned int i;

	if (*n == PRIVLINK_MAX_IFACES) {
		fprintf(stderr, "Error: at most %d devices per VPC\n",
			PRIVLINK_MAX_IFACES);
		return EXIT_USAGE;
	}
	i = strlen(name) < IF_NAMESIZE ? if_nametoindex(name) : 0;
	if (!i) {
		fprintf(stderr, "Error: cannot find device \"%s\"\n", name);
		return EXIT_FAIL;
	}
	ifx[(*n)++] = i;
	return 0;
}

static int put_ifaces(struct nl_msg *msg, const uint32_t *ifx, int n)
{
	struct nlattr *nest;
	int i;

	if (!n)		/* nla_nest_end() would drop an empty nest */
		return nla_put(msg, PRIVLINK_VPC_A_IFACES | NLA_F_NESTED, 0, NULL);
	nest = nla_nest_start(msg, PRIVLINK_VPC_A_IFACES);
	if (!nest)
		return -1;
	for (i = 0; i < n; i++)
		if (nla_put_u32(msg, PRIVLINK_VPC_A_IFINDEX, ifx[i]))
			return -1;
	nla_nest_end(msg, nest);
	return 0;
}

/* A VPC's prefixes as the command line gives them (vpc add, vpc set). */
struct vpc_prefixes {
	int has_cidr, has_cidr6;
	uint32_t addr;
	uint8_t plen, plen6;
	struct in6_addr addr6;
};

/* Is @key a prefix keyword (prefix_arg())? */
static int is_prefix_key(const char *key)
{
	return !strcmp(key, "cidr") || !strcmp(key, "ipv6-cidr");
}

/*
 * Take the value @val of prefix keyword @key ("cidr" or "ipv6-cidr") into
 * @p: 0, or EXIT_USAGE with the message printed.
 */
static int prefix_arg(const char *key, const char *val, struct vpc_prefixes *p)
{
	if (!strcmp(key, "cidr")) {
		if (p->has_cidr++)
			return err_duplicate("cidr"), EXIT_USAGE;
		if (arg_cidr(val, &p->addr, &p->plen))
			return EXIT_USAGE;
		if (p->plen < PRIVLINK_VPC_PLEN_MIN) {
			fprintf(stderr, "Error: \"cidr\" needs a prefix length between %d and 32\n",
				PRIVLINK_VPC_PLEN_MIN);
			return EXIT_USAGE;
		}
		return 0;
	}
	if (p->has_cidr6++)
		return err_duplicate("ipv6-cidr"), EXIT_USAGE;
	if (arg_cidr6(val, &p->addr6, &p->plen6))
		return EXIT_USAGE;
	if (p->plen6 < PRIVLINK_VPC_PLEN6_MIN) {
		fprintf(stderr, "Error: \"ipv6-cidr\" needs a prefix length between %d and 128\n",
			PRIVLINK_VPC_PLEN6_MIN);
		return EXIT_USAGE;
	}
	return 0;
}

/* Nonzero when the prefixes in @p do not fit in @msg. */
static int put_prefixes(struct nl_msg *msg, const struct vpc_prefixes *p)
{
	return (p->has_cidr &&
		(nla_put_u32(msg, PRIVLINK_VPC_A_CIDR_ADDR, p->addr) ||
		 nla_put_u8(msg, PRIVLINK_VPC_A_CIDR_PLEN, p->plen))) ||
	       (p->has_cidr6 &&
		(nla_put(msg, PRIVLINK_VPC_A_CIDR6_ADDR, sizeof(p->addr6),
			 &p->addr6) ||
		 nla_put_u8(msg, PRIVLINK_VPC_A_CIDR6_PLEN, p->plen6)));
}

static int vpc_add(int argc, char **argv)
{
	const char *name, *account = NULL;
	uint32_t ifx[PRIVLINK_MAX_IFACES], zone = 0;
	struct vpc_prefixes pfx = {};
	struct nl_msg *msg;
	struct nlattr *nest;
	int nifx = 0, has_zone = 0, bad, rc;

	if (argc < 1)
		return err_needs_arg("add"), EXIT_USAGE;
	name = *argv;
	if (arg_name(name))
		return EXIT_USAGE;
	while (NEXT_ARGS()) {
		if (!strcmp(*argv, "account")) {
			NEXT_ARG();
			if (account)
				return err_duplicate("account"), EXIT_USAGE;
			if (arg_account(*argv))
				return EXIT_USAGE;
			account = *argv;
		} else if (is_prefix_key(*argv)) {
			NEXT_ARG();
			rc = prefix_arg(argv[-1], *argv, &pfx);
			if (rc)
				return rc;
		} else if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
			rc = add_dev(*argv, ifx, &nifx);
			if (rc)
				return rc;
		} else if (!strcmp(*argv, "zone")) {
			NEXT_ARG();
			if (has_zone++)
				return err_duplicate("zone"), EXIT_USAGE;
			/* 0 is conntrack's default zone: the kernel refuses it */
			if (arg_u32("zone", *argv, 1, 65535, &zone))
				return EXIT_USAGE;
		} else {
			return err_unknown(*argv), EXIT_USAGE;
		}
	}
	if (!account)
		return err_missing("account"), EXIT_USAGE;
	/*
	 * Neither cidr nor ipv6-cidr: the kernel says what a VPC needs (one
	 * place for that rule).
	 */

	msg = cmd_msg(PRIVLINK_CMD_VPC_ADD, 0, 0);
	if (!msg)
		return EXIT_FAIL;
	nest = nla_nest_start(msg, PRIVLINK_A_VPC);
	bad = !nest || nla_put_string(msg, PRIVLINK_VPC_A_NAME, name) ||
	      nla_put_string(msg, PRIVLINK_VPC_A_ACCOUNT, account) ||
	      put_prefixes(msg, &pfx) ||
	      (nifx && put_ifaces(msg, ifx, nifx)) ||
	      (has_zone && nla_put_u16(msg, PRIVLINK_VPC_A_ZONE, zone));
	if (!bad)
		nla_nest_end(msg, nest);
	return cmd_request(cmd_msg_end(msg, bad), plctl_opts.echo);
}

/*
 * vpc set: the interface list, and the prefix of a family the VPC does not
 * have yet (the kernel refuses a prefix it has: one place for that rule).
 */
static int vpc_set(int argc, char **argv)
{
	uint32_t ifx[PRIVLINK_MAX_IFACES];
	struct vpc_prefixes pfx = {};
	const char *name;
	struct nl_msg *msg;
	struct nlattr *nest;
	int nifx = 0, nodev = 0, bad, rc;

	if (argc < 1)
		return err_needs_arg("set"), EXIT_USAGE;
	name = *argv;
	if (arg_name(name))
		return EXIT_USAGE;
	while (NEXT_ARGS()) {
		if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
			rc = add_dev(*argv, ifx, &nifx);
			if (rc)
				return rc;
		} else if (!strcmp(*argv, "nodev")) {
			if (nodev++)
				return err_duplicate("nodev"), EXIT_USAGE;
		} else if (is_prefix_key(*argv)) {
			NEXT_ARG();
			rc = prefix_arg(argv[-1], *argv, &pfx);
			if (rc)
				return rc;
		} else {
			return err_unknown(*argv), EXIT_USAGE;
		}
	}
	if (nodev && nifx)
		return err_exclusive("nodev", "dev"), EXIT_USAGE;
	if (!nodev && !nifx && !pfx.has_cidr && !pfx.has_cidr6) {
		fprintf(stderr, "Error: nothing to change: give \"dev\", \"nodev\", \"cidr\" or \"ipv6-cidr\"\n");
		return EXIT_USAGE;
	}

	msg = cmd_msg(PRIVLINK_CMD_VPC_SET, 0, 0);
	if (!msg)
		return EXIT_FAIL;
	nest = nla_nest_start(msg, PRIVLINK_A_VPC);
	bad = !nest || nla_put_string(msg, PRIVLINK_VPC_A_NAME, name) ||
	      ((nodev || nifx) && put_ifaces(msg, ifx, nifx)) ||
	      put_prefixes(msg, &pfx);
	if (!bad)
		nla_nest_end(msg, nest);
	return cmd_request(cmd_msg_end(msg, bad), plctl_opts.echo);
}

int do_vpc(int argc, char **argv)
{
	if (argc < 1)
		return cmd_name(PRIVLINK_CMD_VPC_GET, PRIVLINK_A_VPC,
				PRIVLINK_VPC_A_NAME, 0, argv, CN_OPTIONAL | CN_SHOW);
	if (matches(*argv, "add"))
		return vpc_add(argc - 1, argv + 1);
	if (matches(*argv, "delete"))
		return cmd_name(PRIVLINK_CMD_VPC_DEL, PRIVLINK_A_VPC,
				PRIVLINK_VPC_A_NAME, argc - 1, argv + 1, 0);
	if (matches(*argv, "show") || matches(*argv, "list"))
		return cmd_name(PRIVLINK_CMD_VPC_GET, PRIVLINK_A_VPC,
				PRIVLINK_VPC_A_NAME, argc - 1, argv + 1,
				CN_OPTIONAL | CN_SHOW);
	if (matches(*argv, "set"))
		return vpc_set(argc - 1, argv + 1);
	if (matches(*argv, "help")) {
		usage(stdout);
		return 0;
	}
	return cmd_unknown("vpc", *argv);
}
