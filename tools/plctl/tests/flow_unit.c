// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests of plctl flow (no kernel needed): the VPC/ENI table
 * built from hand-made privlink messages, the match of hand-made conntrack
 * entries (libnetfilter_conntrack objects) against it, the sort order and
 * the text and JSON output.  Prints TAP; exits non-zero on any failure.  Run
 * by 'make unit' under valgrind.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_tcp.h>

#include <linux/privlink.h>
#include "../flow.h"
#include "../plctl.h"
#include "../print.h"

static int n, failed;

static void ok(int cond, const char *desc)
{
	n++;
	printf("%sok %d %s\n", cond ? "" : "not ", n, desc);
	if (!cond)
		failed++;
}

static void ok_str(const char *want, const char *got, const char *desc)
{
	ok(!strcmp(want, got), desc);
	if (strcmp(want, got))
		printf("# wanted: %s\n# got:    %s\n", want, got);
}

/* batch.o calls it; the real one is in plctl.c */
int plctl_cmd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static uint32_t ip(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a.s_addr;
}

static struct nl_msg *new_msg(int cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0x20, 0, 0, cmd, 1);
	return msg;
}

static struct nl_msg *vpc_msg(const char *name, int zone)
{
	struct nl_msg *msg = new_msg(PRIVLINK_CMD_VPC_GET);
	struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_VPC);

	nla_put_string(msg, PRIVLINK_VPC_A_NAME, name);
	nla_put_string(msg, PRIVLINK_VPC_A_ACCOUNT, "111111111111");
	nla_put_u32(msg, PRIVLINK_VPC_A_CIDR_ADDR, ip("10.0.0.0"));
	nla_put_u8(msg, PRIVLINK_VPC_A_CIDR_PLEN, 24);
	if (zone >= 0)
		nla_put_u16(msg, PRIVLINK_VPC_A_ZONE, zone);
	nla_nest_end(msg, o);
	return msg;
}

static struct nl_msg *eni_msg(const char *endpoint, const char *vpc,
			      const char *addr)
{
	struct nl_msg *msg = new_msg(PRIVLINK_CMD_ENI_GET);
	struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_ENI);

	nla_put_string(msg, PRIVLINK_ENI_A_ENDPOINT, endpoint);
	nla_put_string(msg, PRIVLINK_ENI_A_AZ, "use1-az1");
	nla_put_u32(msg, PRIVLINK_ENI_A_ADDR, ip(addr));
	if (vpc)
		nla_put_string(msg, PRIVLINK_ENI_A_VPC, vpc);
	nla_nest_end(msg, o);
	return msg;
}

static int add(struct flow_table *t, struct nl_msg *msg)
{
	int rc = flow_table_add_msg(t, msg);

	nlmsg_free(msg);
	return rc;
}

/*
 * Two consumer VPCs with the same prefix and the same ENI address (zones 1
 * and 2), a provider VPC (zone 3) without ENIs.
 */
static void build(struct flow_table *t)
{
	add(t, vpc_msg("consumer-a", 1));
	add(t, vpc_msg("consumer-b", 2));
	add(t, vpc_msg("provider", 3));
	add(t, eni_msg("vpce-a", "consumer-a", "10.0.0.100"));
	add(t, eni_msg("vpce-b", "consumer-b", "10.0.0.100"));
	add(t, eni_msg("vpce-b", "consumer-b", "10.0.0.101"));
}

static void test_table(void)
{
	struct flow_table t = { 0 };
	const struct flow_eni *e;

	build(&t);
	ok(t.nvpcs == 3 && t.nenis == 3, "table: 3 VPCs, 3 ENIs");
	ok(add(&t, vpc_msg("nozone", -1)) < 0 && t.nvpcs == 3,
	   "table: a VPC without a zone is refused");
	ok(add(&t, eni_msg("vpce-x", NULL, "10.0.0.7")) < 0 && t.nenis == 3,
	   "table: an ENI without its VPC is refused");
	ok(add(&t, new_msg(PRIVLINK_CMD_AZ_GET)) < 0,
	   "table: a message without VPC or ENI is refused");
	e = flow_table_lookup(&t, 1, ip("10.0.0.100"));
	ok(e && !strcmp(e->endpoint, "vpce-a"), "lookup: zone 1 -> vpce-a");
	e = flow_table_lookup(&t, 2, ip("10.0.0.100"));
	ok(e && !strcmp(e->endpoint, "vpce-b"),
	   "lookup: the same address in zone 2 -> vpce-b");
	ok(!flow_table_lookup(&t, 1, ip("10.0.0.101")),
	   "lookup: an ENI of another VPC's zone is no match");
	ok(!flow_table_lookup(&t, 3, ip("10.0.0.100")),
	   "lookup: the provider's zone has no ENI");
	ok(!flow_table_lookup(&t, 9, ip("10.0.0.100")),
	   "lookup: an unknown zone is no match");
	flow_table_free(&t);
	ok(!t.vpcs && !t.nenis, "table: freed");
}

/* A translated flow as the module leaves it in conntrack. */
static struct nf_conntrack *ct_new(uint8_t proto, int zone, const char *dst,
				   uint16_t sport)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_L4PROTO, proto);
	if (zone >= 0)
		nfct_set_attr_u16(ct, ATTR_ORIG_ZONE, zone);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, ip("10.0.0.5"));
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, ip(dst));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(sport));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(80));
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, ip("172.16.1.10"));
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, ip("172.16.0.10"));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(8443));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(sport));
	nfct_set_attr_u32(ct, ATTR_STATUS, IPS_SEEN_REPLY | IPS_DST_NAT);
	if (proto == IPPROTO_TCP)
		nfct_set_attr_u8(ct, ATTR_TCP_STATE, TCP_CONNTRACK_ESTABLISHED);
	return ct;
}

static int match(const struct flow_table *t, struct nf_conntrack *ct,
		 struct flow *f)
{
	int rc = flow_from_ct(t, ct, f);

	nfct_destroy(ct);
	return rc;
}

static char *capture(const struct flow *v, size_t nv, int json)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	print_init(f, json, 0);
	print_open_array(NULL);
	for (i = 0; i < nv; i++)
		flow_print(&v[i]);
	print_close_array();
	print_flush();
	fclose(f);
	return buf;
}

static void test_match(void)
{
	struct flow_table t = { 0 };
	struct nf_conntrack *ct;
	struct flow f[3];
	char *s;

	build(&t);
	ok(!match(&t, ct_new(IPPROTO_TCP, 1, "10.0.0.100", 40000), &f[0]) &&
	   !strcmp(f[0].endpoint, "vpce-a") && f[0].zone == 1 &&
	   f[0].proto == IPPROTO_TCP && !strcmp(f[0].state, "ESTABLISHED") &&
	   f[0].consumer.addr == ip("10.0.0.5") && f[0].consumer.port == 40000 &&
	   f[0].eni.addr == ip("10.0.0.100") && f[0].eni.port == 80 &&
	   f[0].nlb.addr == ip("172.16.0.10") && f[0].nlb.port == 40000 &&
	   f[0].target.addr == ip("172.16.1.10") && f[0].target.port == 8443,
	   "match: a TCP flow in zone 1 to the ENI");
	ok(!match(&t, ct_new(IPPROTO_TCP, 2, "10.0.0.100", 40001), &f[1]) &&
	   !strcmp(f[1].endpoint, "vpce-b") && f[1].zone == 2,
	   "match: the same ENI address in zone 2 is the other endpoint's");
	ct = ct_new(IPPROTO_UDP, 2, "10.0.0.101", 5353);
	nfct_set_attr_u32(ct, ATTR_STATUS, IPS_DST_NAT);
	ok(!match(&t, ct, &f[2]) && f[2].proto == IPPROTO_UDP &&
	   !strcmp(f[2].state, "UNREPLIED"), "match: an unreplied UDP flow");
	ct = ct_new(IPPROTO_UDP, 2, "10.0.0.101", 5353);
	nfct_set_attr_u32(ct, ATTR_STATUS, IPS_SEEN_REPLY | IPS_ASSURED);
	ok(!match(&t, ct, &f[2]) && !strcmp(f[2].state, "ASSURED"),
	   "match: an assured UDP flow");

	ok(match(&t, ct_new(IPPROTO_TCP, -1, "10.0.0.100", 1), &f[2]) < 0,
	   "no match: no orig zone (zone 0, the provider side, the host)");
	ok(match(&t, ct_new(IPPROTO_TCP, 1, "10.0.0.5", 1), &f[2]) < 0,
	   "no match: not to an ENI address");
	ok(match(&t, ct_new(IPPROTO_TCP, 1, "10.0.0.101", 1), &f[2]) < 0,
	   "no match: another VPC's ENI address");
	ok(match(&t, ct_new(IPPROTO_TCP, 3, "10.0.0.100", 1), &f[2]) < 0,
	   "no match: the provider's zone");
	ct = ct_new(IPPROTO_ICMP, 1, "10.0.0.100", 1);
	ok(match(&t, ct, &f[2]) < 0, "no match: ICMP");
	ct = nfct_new();
	ok(match(&t, ct, &f[2]) < 0, "no match: an empty entry");

	/* sorted: endpoint, then consumer port */
	f[2] = f[0];
	f[2].consumer.port = 39999;
	qsort(f, 3, sizeof(f[0]), flow_cmp);
	ok(f[0].consumer.port == 39999 && f[1].consumer.port == 40000 &&
	   !strcmp(f[2].endpoint, "vpce-b"), "sort: by endpoint, then consumer");

	s = capture(f + 1, 2, 0);
	ok_str("10.0.0.5:40000 -> 10.0.0.100:80 via 172.16.0.10:40000 -> 172.16.1.10:8443 tcp ESTABLISHED zone 1 endpoint vpce-a\n"
	       "10.0.0.5:40001 -> 10.0.0.100:80 via 172.16.0.10:40001 -> 172.16.1.10:8443 tcp ESTABLISHED zone 2 endpoint vpce-b\n",
	       s, "text: one line per flow");
	free(s);
	s = capture(f + 1, 1, 1);
	ok_str("[{\"consumer\":{\"addr\":\"10.0.0.5\",\"port\":40000},"
	       "\"eni\":{\"addr\":\"10.0.0.100\",\"port\":80},"
	       "\"nlb\":{\"addr\":\"172.16.0.10\",\"port\":40000},"
	       "\"target\":{\"addr\":\"172.16.1.10\",\"port\":8443},"
	       "\"proto\":\"tcp\",\"state\":\"ESTABLISHED\",\"zone\":1,"
	       "\"endpoint\":\"vpce-a\"}]\n", s, "json: one object per flow");
	free(s);
	s = capture(f, 0, 1);
	ok_str("[]\n", s, "json: no flows, an empty array");
	free(s);
	s = capture(f, 0, 0);
	ok_str("", s, "text: no flows, no output");
	free(s);
	flow_table_free(&t);
}

/* ---- IPv6: ENI_A_ADDR6 and IPv6 conntrack entries ---- */

static struct in6_addr ip6(const char *s)
{
	struct in6_addr a;

	inet_pton(AF_INET6, s, &a);
	return a;
}

/* A dual-stack ENI (@a4 NULL: IPv6 only). */
static struct nl_msg *eni6_msg(const char *endpoint, const char *vpc,
			       const char *a4, const char *a6)
{
	struct nl_msg *msg = new_msg(PRIVLINK_CMD_ENI_GET);
	struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_ENI);
	struct in6_addr a = ip6(a6);

	nla_put_string(msg, PRIVLINK_ENI_A_ENDPOINT, endpoint);
	nla_put_string(msg, PRIVLINK_ENI_A_AZ, "use1-az1");
	if (a4)
		nla_put_u32(msg, PRIVLINK_ENI_A_ADDR, ip(a4));
	nla_put(msg, PRIVLINK_ENI_A_ADDR6, sizeof(a), &a);
	nla_put_string(msg, PRIVLINK_ENI_A_VPC, vpc);
	nla_nest_end(msg, o);
	return msg;
}

static struct nf_conntrack *ct6_new(int zone, const char *dst, uint16_t sport)
{
	struct nf_conntrack *ct = nfct_new();
	struct in6_addr a;

	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET6);
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u16(ct, ATTR_ORIG_ZONE, zone);
	a = ip6("fd00:1::5");
	nfct_set_attr(ct, ATTR_ORIG_IPV6_SRC, &a);
	a = ip6(dst);
	nfct_set_attr(ct, ATTR_ORIG_IPV6_DST, &a);
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(sport));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(80));
	a = ip6("fd01::10");
	nfct_set_attr(ct, ATTR_REPL_IPV6_SRC, &a);
	a = ip6("fd01::5");
	nfct_set_attr(ct, ATTR_REPL_IPV6_DST, &a);
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(8080));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(sport));
	nfct_set_attr_u32(ct, ATTR_STATUS, IPS_SEEN_REPLY | IPS_DST_NAT);
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, TCP_CONNTRACK_ESTABLISHED);
	return ct;
}

static void test_ipv6(void)
{
	struct flow_table t = { 0 };
	struct in6_addr a;
	struct flow f[3];
	char *s;

	build(&t);
	ok(!add(&t, eni6_msg("vpce-d", "consumer-a", "10.0.0.102", "fd00:1::100")) &&
	   !add(&t, eni6_msg("vpce-6", "consumer-b", NULL, "fd00:1::100")) &&
	   t.nenis == 5, "table: a dual-stack and an IPv6-only ENI");
	a = ip6("fd00:1::100");
	ok(flow_table_lookup6(&t, 1, &a) &&
	   !strcmp(flow_table_lookup6(&t, 1, &a)->endpoint, "vpce-d") &&
	   flow_table_lookup6(&t, 2, &a) &&
	   !strcmp(flow_table_lookup6(&t, 2, &a)->endpoint, "vpce-6"),
	   "lookup6: the same IPv6 address in zones 1 and 2");
	ok(flow_table_lookup(&t, 1, ip("10.0.0.102")) &&
	   !flow_table_lookup(&t, 2, ip("0.0.0.0")),
	   "lookup: the dual-stack ENI's IPv4 address; no IPv4 match for the IPv6-only one");
	a = ip6("fd00:1::101");
	ok(!flow_table_lookup6(&t, 1, &a), "lookup6: not an ENI address");

	ok(!match(&t, ct6_new(1, "fd00:1::100", 40000), &f[0]) &&
	   f[0].family == AF_INET6 && !strcmp(f[0].endpoint, "vpce-d") &&
	   f[0].consumer.port == 40000 && f[0].target.port == 8080,
	   "match: an IPv6 flow to the dual-stack ENI");
	ok(!match(&t, ct6_new(2, "fd00:1::100", 40001), &f[1]) &&
	   !strcmp(f[1].endpoint, "vpce-6"), "match: an IPv6 flow in zone 2");
	ok(match(&t, ct6_new(3, "fd00:1::100", 1), &f[2]) < 0,
	   "no match: the provider's zone");
	ok(!match(&t, ct_new(IPPROTO_TCP, 1, "10.0.0.102", 40000), &f[2]) &&
	   f[2].family == AF_INET && !strcmp(f[2].endpoint, "vpce-d"),
	   "match: an IPv4 flow to the dual-stack ENI");
	qsort(f, 3, sizeof(f[0]), flow_cmp);
	ok(f[0].family == AF_INET6 && !strcmp(f[0].endpoint, "vpce-6") &&
	   f[1].family == AF_INET && f[2].family == AF_INET6,
	   "sort: by endpoint, then IPv4 before IPv6");

	s = capture(f + 2, 1, 0);
	ok_str("[fd00:1::5]:40000 -> [fd00:1::100]:80 via [fd01::5]:40000 -> [fd01::10]:8080 tcp ESTABLISHED zone 1 endpoint vpce-d\n",
	       s, "text: an IPv6 flow, [addr]:port");
	free(s);
	s = capture(f + 2, 1, 1);
	ok_str("[{\"consumer\":{\"addr\":\"fd00:1::5\",\"port\":40000},"
	       "\"eni\":{\"addr\":\"fd00:1::100\",\"port\":80},"
	       "\"nlb\":{\"addr\":\"fd01::5\",\"port\":40000},"
	       "\"target\":{\"addr\":\"fd01::10\",\"port\":8080},"
	       "\"proto\":\"tcp\",\"state\":\"ESTABLISHED\",\"zone\":1,"
	       "\"endpoint\":\"vpce-d\"}]\n", s, "json: an IPv6 flow");
	free(s);
	flow_table_free(&t);
}

int main(void)
{
	printf("TAP version 13\n");
	test_table();
	test_match();
	test_ipv6();
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
