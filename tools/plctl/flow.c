// SPDX-License-Identifier: GPL-2.0
/*
 * plctl flow: the live flows of interface endpoints, from the conntrack table
 * of the namespace (libnetfilter_conntrack), matched against the VPCs' zones
 * and the ENIs' addresses (privlink dumps).  See flow.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_tcp.h>

#include <linux/privlink.h>
#include "flow.h"
#include "names.h"
#include "parse.h"
#include "plctl.h"
#include "print.h"

static void usage(FILE *out)
{
	fprintf(out, "Usage: plctl flow show [endpoint NAME]\n");
}

static struct nla_policy vpc_policy[PRIVLINK_VPC_A_MAX + 1] = {
	[PRIVLINK_VPC_A_NAME]	= { .type = NLA_STRING },
	[PRIVLINK_VPC_A_ZONE]	= { .type = NLA_U16 },
};

static int add_vpc(struct flow_table *t, struct nlattr *nest)
{
	struct nlattr *tb[PRIVLINK_VPC_A_MAX + 1];
	struct flow_vpc *v;

	if (nla_parse_nested(tb, PRIVLINK_VPC_A_MAX, nest, vpc_policy) < 0 ||
	    !tb[PRIVLINK_VPC_A_NAME] || !tb[PRIVLINK_VPC_A_ZONE])
		return -1;
	v = realloc(t->vpcs, (t->nvpcs + 1) * sizeof(*v));
	if (!v)
		return -1;
	t->vpcs = v;
	v += t->nvpcs++;
	snprintf(v->name, sizeof(v->name), "%s",
		 nla_get_string(tb[PRIVLINK_VPC_A_NAME]));
	v->zone = nla_get_u16(tb[PRIVLINK_VPC_A_ZONE]);
	return 0;
}

static int add_eni(struct flow_table *t, struct nlattr *nest)
{
	struct nlattr *tb[PRIVLINK_ENI_A_MAX + 1];
	struct flow_eni *e;

	if (nla_parse_nested(tb, PRIVLINK_ENI_A_MAX, nest, eni_policy) < 0 ||
	    !tb[PRIVLINK_ENI_A_ENDPOINT] || !tb[PRIVLINK_ENI_A_VPC] ||
	    (!tb[PRIVLINK_ENI_A_ADDR] && !tb[PRIVLINK_ENI_A_ADDR6]))
		return -1;
	e = realloc(t->enis, (t->nenis + 1) * sizeof(*e));
	if (!e)
		return -1;
	t->enis = e;
	e += t->nenis++;
	snprintf(e->endpoint, sizeof(e->endpoint), "%s",
		 nla_get_string(tb[PRIVLINK_ENI_A_ENDPOINT]));
	snprintf(e->vpc, sizeof(e->vpc), "%s",
		 nla_get_string(tb[PRIVLINK_ENI_A_VPC]));
	e->has4 = tb[PRIVLINK_ENI_A_ADDR] != NULL;
	e->addr = e->has4 ? nla_get_u32(tb[PRIVLINK_ENI_A_ADDR]) : 0;
	e->has6 = tb[PRIVLINK_ENI_A_ADDR6] != NULL;
	if (e->has6)
		memcpy(&e->addr6, nla_data(tb[PRIVLINK_ENI_A_ADDR6]),
		       sizeof(e->addr6));
	else
		memset(&e->addr6, 0, sizeof(e->addr6));
	return 0;
}

int flow_table_add_msg(struct flow_table *t, struct nl_msg *msg)
{
	struct nlattr *tb[PRIVLINK_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PRIVLINK_A_MAX, NULL) < 0)
		return -1;
	if (tb[PRIVLINK_A_VPC])
		return add_vpc(t, tb[PRIVLINK_A_VPC]);
	if (tb[PRIVLINK_A_ENI])
		return add_eni(t, tb[PRIVLINK_A_ENI]);
	return -1;
}

void flow_table_free(struct flow_table *t)
{
	free(t->vpcs);
	free(t->enis);
	memset(t, 0, sizeof(*t));
}

/* The ENI of the VPC whose zone is @zone at @addr (@family's). */
static const struct flow_eni *lookup(const struct flow_table *t,
				     uint16_t zone, int family,
				     const void *addr)
{
	const struct flow_eni *e;
	const char *vpc = NULL;
	size_t i;

	for (i = 0; i < t->nvpcs; i++) {
		if (t->vpcs[i].zone == zone) {
			vpc = t->vpcs[i].name;
			break;
		}
	}
	if (!vpc)
		return NULL;
	for (i = 0; i < t->nenis; i++) {
		e = &t->enis[i];
		if (strcmp(e->vpc, vpc))
			continue;
		if (family == AF_INET ?
		    e->has4 && !memcmp(&e->addr, addr, sizeof(e->addr)) :
		    e->has6 && !memcmp(&e->addr6, addr, sizeof(e->addr6)))
			return e;
	}
	return NULL;
}

const struct flow_eni *flow_table_lookup(const struct flow_table *t,
					 uint16_t zone, uint32_t addr)
{
	return lookup(t, zone, AF_INET, &addr);
}

const struct flow_eni *flow_table_lookup6(const struct flow_table *t,
					  uint16_t zone,
					  const struct in6_addr *addr)
{
	return lookup(t, zone, AF_INET6, addr);
}

/* As conntrack(8) names them. */
static const char *const tcp_state_names[] = {
	[TCP_CONNTRACK_NONE]		= "NONE",
	[TCP_CONNTRACK_SYN_SENT]	= "SYN_SENT",
	[TCP_CONNTRACK_SYN_RECV]	= "SYN_RECV",
	[TCP_CONNTRACK_ESTABLISHED]	= "ESTABLISHED",
	[TCP_CONNTRACK_FIN_WAIT]	= "FIN_WAIT",
	[TCP_CONNTRACK_CLOSE_WAIT]	= "CLOSE_WAIT",
	[TCP_CONNTRACK_LAST_ACK]	= "LAST_ACK",
	[TCP_CONNTRACK_TIME_WAIT]	= "TIME_WAIT",
	[TCP_CONNTRACK_CLOSE]		= "CLOSE",
	[TCP_CONNTRACK_SYN_SENT2]	= "SYN_SENT2",
	NULL
};

static void flow_state(const struct nf_conntrack *ct, struct flow *f)
{
	uint32_t status = nfct_attr_is_set(ct, ATTR_STATUS) ?
			  nfct_get_attr_u32(ct, ATTR_STATUS) : 0;
	const char *s;

	if (f->proto == IPPROTO_TCP && nfct_attr_is_set(ct, ATTR_TCP_STATE))
		s = enum_name(tcp_state_names, nfct_get_attr_u8(ct, ATTR_TCP_STATE));
	else if (status & IPS_ASSURED)
		s = "ASSURED";
	else if (status & IPS_SEEN_REPLY)
		s = "REPLIED";
	else
		s = "UNREPLIED";
	snprintf(f->state, sizeof(f->state), "%s", s);
}

/* The address of @ct in @attr4 or @attr6, as @family says, into @a. */
static void ct_addr(const struct nf_conntrack *ct, int family, int attr4,
		    int attr6, struct flow_addr *a)
{
	if (family == AF_INET)
		a->addr = nfct_get_attr_u32(ct, attr4);
	else
		memcpy(&a->addr6, nfct_get_attr(ct, attr6), sizeof(a->addr6));
}

int flow_from_ct(const struct flow_table *t, const struct nf_conntrack *ct,
		 struct flow *f)
{
	static const int need[] = {
		ATTR_L3PROTO, ATTR_L4PROTO, ATTR_ORIG_ZONE,
		ATTR_ORIG_PORT_SRC, ATTR_ORIG_PORT_DST,
		ATTR_REPL_PORT_SRC, ATTR_REPL_PORT_DST,
	};
	static const int need4[] = {
		ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV4_DST,
		ATTR_REPL_IPV4_SRC, ATTR_REPL_IPV4_DST,
	};
	static const int need6[] = {
		ATTR_ORIG_IPV6_SRC, ATTR_ORIG_IPV6_DST,
		ATTR_REPL_IPV6_SRC, ATTR_REPL_IPV6_DST,
	};
	const struct flow_eni *eni;
	const int *needf;
	uint8_t proto, family;
	uint16_t zone;
	size_t i;

	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!nfct_attr_is_set(ct, need[i]))
			return -1;
	proto = nfct_get_attr_u8(ct, ATTR_L4PROTO);
	family = nfct_get_attr_u8(ct, ATTR_L3PROTO);
	if ((family != AF_INET && family != AF_INET6) ||
	    (proto != IPPROTO_TCP && proto != IPPROTO_UDP))
		return -1;
	needf = family == AF_INET ? need4 : need6;
	for (i = 0; i < sizeof(need4) / sizeof(need4[0]); i++)
		if (!nfct_attr_is_set(ct, needf[i]))
			return -1;
	zone = nfct_get_attr_u16(ct, ATTR_ORIG_ZONE);
	if (family == AF_INET)
		eni = flow_table_lookup(t, zone,
					nfct_get_attr_u32(ct, ATTR_ORIG_IPV4_DST));
	else
		eni = flow_table_lookup6(t, zone,
					 nfct_get_attr(ct, ATTR_ORIG_IPV6_DST));
	if (!eni)
		return -1;

	memset(f, 0, sizeof(*f));
	snprintf(f->endpoint, sizeof(f->endpoint), "%s", eni->endpoint);
	f->family = family;
	f->proto = proto;
	f->zone = zone;
	ct_addr(ct, family, ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV6_SRC, &f->consumer);
	f->consumer.port = ntohs(nfct_get_attr_u16(ct, ATTR_ORIG_PORT_SRC));
	ct_addr(ct, family, ATTR_ORIG_IPV4_DST, ATTR_ORIG_IPV6_DST, &f->eni);
	f->eni.port = ntohs(nfct_get_attr_u16(ct, ATTR_ORIG_PORT_DST));
	/* the reply comes from the target to the NLB node */
	ct_addr(ct, family, ATTR_REPL_IPV4_SRC, ATTR_REPL_IPV6_SRC, &f->target);
	f->target.port = ntohs(nfct_get_attr_u16(ct, ATTR_REPL_PORT_SRC));
	ct_addr(ct, family, ATTR_REPL_IPV4_DST, ATTR_REPL_IPV6_DST, &f->nlb);
	f->nlb.port = ntohs(nfct_get_attr_u16(ct, ATTR_REPL_PORT_DST));
	flow_state(ct, f);
	return 0;
}

int flow_cmp(const void *a, const void *b)
{
	const struct flow *x = a, *y = b;
	int c = strcmp(x->endpoint, y->endpoint);

	if (c)
		return c;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->family != y->family)	/* IPv4 first */
		return x->family == AF_INET ? -1 : 1;
	if (x->family == AF_INET6) {
		c = memcmp(&x->consumer.addr6, &y->consumer.addr6,
			   sizeof(x->consumer.addr6));
		if (c)
			return c;
	} else if (x->consumer.addr != y->consumer.addr) {
		return ntohl(x->consumer.addr) < ntohl(y->consumer.addr) ? -1 : 1;
	}
	if (x->consumer.port != y->consumer.port)
		return x->consumer.port < y->consumer.port ? -1 : 1;
	return 0;
}

/* "A.B.C.D:PORT" or "[X:X::X]:PORT"; JSON {"addr":..., "port":...} */
static void print_addr(const char *key, const char *fmt, int family,
		       const struct flow_addr *a)
{
	struct ip_addr ia = { .family = family, .v4 = a->addr,
			      .v6 = a->addr6 };

	print_open_object(key);
	print_ip_port("addr", "port", fmt, &ia, a->port, 1);
	print_close_object();
}

void flow_print(const struct flow *f)
{
	const char *proto = proto_name(f->proto);

	/* consumer -> ENI via NLB -> target proto STATE zone Z endpoint E */
	print_open_object(NULL);
	print_addr("consumer", "%s", f->family, &f->consumer);
	print_addr("eni", " -> %s", f->family, &f->eni);
	print_addr("nlb", " via %s", f->family, &f->nlb);
	print_addr("target", " -> %s", f->family, &f->target);
	print_str("proto", " %s", proto ? proto : "unknown");
	print_str("state", " %s", f->state);
	print_uint("zone", " zone %" PRIu64, f->zone);
	print_str("endpoint", " endpoint %s", f->endpoint);
	print_nl();
	print_close_object();
}

/* ---- the live part: privlink dumps and the conntrack dump ---- */

static int table_dump(struct flow_table *t, int cmd)
{
	struct plnl *nl = plctl_nl();
	struct plnl_msgs m = { 0 };
	struct nl_msg *msg;
	size_t i;
	int err;

	if (!nl)
		return EXIT_FAIL;
	msg = cmd_msg(cmd, 1, 0);
	if (!msg)
		return EXIT_FAIL;
	err = plnl_dump(nl, msg, &m);
	if (err) {
		plnl_msgs_free(&m);
		cmd_perror(nl, err);
		return EXIT_FAIL;
	}
	for (i = 0; i < m.n; i++)
		flow_table_add_msg(t, m.v[i]);
	plnl_msgs_free(&m);
	return 0;
}

/* Is there an endpoint @name?  0, or EXIT_FAIL with the kernel's error. */
static int endpoint_exists(const char *name)
{
	struct nl_msg *msg = cmd_msg(PRIVLINK_CMD_ENDPOINT_GET, 0, 0);
	struct nlattr *nest;
	int bad;

	if (!msg)
		return EXIT_FAIL;
	nest = nla_nest_start(msg, PRIVLINK_A_ENDPOINT);
	bad = !nest || nla_put_string(msg, PRIVLINK_ENDPOINT_A_NAME, name);
	if (!bad)
		nla_nest_end(msg, nest);
	return cmd_request(cmd_msg_end(msg, bad), 0);
}

struct collect {
	const struct flow_table *t;
	const char *endpoint;	/* filter, or NULL */
	struct flow *v;
	size_t n, cap;
	int nomem;
};

static int ct_cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct,
		 void *arg)
{
	struct collect *c = arg;
	struct flow f;

	(void)type;
	if (flow_from_ct(c->t, ct, &f) < 0 ||
	    (c->endpoint && strcmp(c->endpoint, f.endpoint)))
		return NFCT_CB_CONTINUE;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		struct flow *v = realloc(c->v, cap * sizeof(*v));

		if (!v) {
			c->nomem = 1;
			return NFCT_CB_STOP;
		}
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = f;
	return NFCT_CB_CONTINUE;
}

/* The conntrack entries of both families, into @c. */
static int ct_dump(struct collect *c)
{
	static const uint32_t families[] = { AF_INET, AF_INET6 };
	struct nfct_handle *h;
	uint32_t family;
	size_t i;
	int err = 0;

	h = nfct_open(CONNTRACK, 0);
	if (!h) {
		fprintf(stderr, "Error: cannot open a conntrack netlink socket: %s\n",
			strerror(errno));
		return EXIT_FAIL;
	}
	nfct_callback_register(h, NFCT_T_ALL, ct_cb, c);
	for (i = 0; i < 2 && err >= 0 && !c->nomem; i++) {
		family = families[i];
		err = nfct_query(h, NFCT_Q_DUMP, &family);
	}
	if (err < 0 && !c->nomem) {
		fprintf(stderr, "Error: cannot dump the conntrack table: %s\n",
			strerror(errno));
		nfct_close(h);
		return EXIT_FAIL;
	}
	nfct_close(h);
	if (c->nomem) {
		fprintf(stderr, "Error: out of memory\n");
		return EXIT_FAIL;
	}
	return 0;
}

static int flow_show(int argc, char **argv)
{
	struct flow_table t = { 0 };
	struct collect c = { .t = &t };
	size_t i;
	int rc;

	while (argc > 0) {
		if (!strcmp(*argv, "endpoint")) {
			NEXT_ARG();
			if (c.endpoint)
				return err_duplicate("endpoint"), EXIT_USAGE;
			if (arg_name(*argv))
				return EXIT_USAGE;
			c.endpoint = *argv;
		} else {
			return err_unknown(*argv), EXIT_USAGE;
		}
		argc--, argv++;
	}
	if (c.endpoint) {
		rc = endpoint_exists(c.endpoint);
		if (rc)
			return rc;
	}
	rc = table_dump(&t, PRIVLINK_CMD_VPC_GET);
	if (!rc)
		rc = table_dump(&t, PRIVLINK_CMD_ENI_GET);
	if (!rc && t.nenis)	/* no ENI, no flow: conntrack need not be asked */
		rc = ct_dump(&c);
	if (!rc) {
		qsort(c.v, c.n, sizeof(*c.v), flow_cmp);
		print_open_array(NULL);
		for (i = 0; i < c.n; i++)
			flow_print(&c.v[i]);
		print_close_array();
	}
	free(c.v);
	flow_table_free(&t);
	return rc;
}

int do_flow(int argc, char **argv)
{
	if (argc < 1)
		return flow_show(0, argv);
	if (matches(*argv, "show") || matches(*argv, "list"))
		return flow_show(argc - 1, argv + 1);
	if (matches(*argv, "help")) {
		usage(stdout);
		return 0;
	}
	return cmd_unknown("flow", *argv);
}
