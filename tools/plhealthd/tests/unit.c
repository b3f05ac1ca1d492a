// SPDX-License-Identifier: GPL-2.0
/*
 * plhealthd unit tests: AWS's success-code matcher and the HTTP status
 * line (http.c); the model (model.c) built from SERVICE and TARGET messages
 * made here with libnl as the kernel sends them: IPv4-only, IPv6-only and
 * dual-stack services' NLB nodes, IPv4 and IPv6 targets; the source
 * address of a probe per family; the TARGET_SET of a verdict (genl.c).
 * No kernel, no network: main.c's, sched.c's and probe.c's functions are
 * stubs below.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "../plhealthd.h"

static int fails, n;
static char last_log[512];	/* the last line logged */

/* --- stubs of main.c, sched.c, probe.c --------------------------------- */

void plh_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_log, sizeof(last_log), fmt, ap);
	va_end(ap);
}

void plh_debug(const char *fmt, ...)
{
	(void)fmt;
}

uint64_t plh_now(void)
{
	return 0;
}

int plh_io_add(int fd, uint32_t events, struct plh_io *io)
{
	(void)fd;
	(void)events;
	(void)io;
	return 0;
}

void timer_init(struct plh_timer *t, void (*fn)(struct plh_timer *, uint64_t))
{
	t->idx = (size_t)-1;
	t->fn = fn;
}

void timer_arm(struct plh_timer *t, uint64_t when)
{
	t->when = when;
	t->idx = 0;
}

void timer_cancel(struct plh_timer *t)
{
	t->idx = (size_t)-1;
}

void probe_start(struct plh_target *t, uint64_t now)
{
	(void)t;
	(void)now;
}

void probe_expire(struct plh_target *t)
{
	(void)t;
}

void probe_cancel(struct plh_target *t)
{
	(void)t;
}

void stats_probe_started(uint64_t lateness_ns)
{
	(void)lateness_ns;
}

void stats_probe_result(bool passed)
{
	(void)passed;
}

void stats_report(void)
{
}

static void ok(int cond, const char *what)
{
	n++;
	if (!cond) {
		fails++;
		printf("FAIL: %s\n", what);
	}
}

/* --- messages as the kernel sends them ---------------------------------- */

#define FAMILY_ID	0x20	/* any: the model does not look at it */

static uint32_t ip4(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		abort();
	return a.s_addr;
}

static struct in6_addr ip6(const char *s)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, s, &a) != 1)
		abort();
	return a;
}

static struct nl_msg *new_msg(int cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, FAMILY_ID, 0,
				 0, cmd, PRIVLINK_GENL_VERSION))
		abort();
	return msg;
}

struct node {
	const char *az, *addr, *addr6;	/* NULL: absent */
	int addr6_len;			/* 0: PRIVLINK_ADDR6_LEN */
};

/*
 * A SERVICE_GET reply: @name, listener tcp/80:8080, @nodes (up to an empty
 * az), IP_TYPES @ip_types unless 0, an HTTP check with thresholds 2/2.
 */
static void service_msg(const char *name, uint8_t ip_types,
			const struct node *nodes)
{
	struct nl_msg *msg = new_msg(PRIVLINK_CMD_SERVICE_GET);
	struct nlattr *svc, *ls, *l, *ns, *nd, *hc;

	svc = nla_nest_start(msg, PRIVLINK_A_SERVICE);
	nla_put_string(msg, PRIVLINK_SERVICE_A_NAME, name);
	nla_put_string(msg, PRIVLINK_SERVICE_A_VPC, "provider");
	ls = nla_nest_start(msg, PRIVLINK_SERVICE_A_LISTENERS);
	l = nla_nest_start(msg, PRIVLINK_SERVICE_A_LISTENER);
	nla_put_u8(msg, PRIVLINK_LISTENER_A_PROTO, IPPROTO_TCP);
	nla_put_u16(msg, PRIVLINK_LISTENER_A_PORT, 80);
	nla_put_u16(msg, PRIVLINK_LISTENER_A_TARGET_PORT, 8080);
	nla_nest_end(msg, l);
	nla_nest_end(msg, ls);
	ns = nla_nest_start(msg, PRIVLINK_SERVICE_A_NLB_NODES);
	for (; nodes->az; nodes++) {
		nd = nla_nest_start(msg, PRIVLINK_SERVICE_A_NLB_NODE);
		nla_put_string(msg, PRIVLINK_NLB_NODE_A_AZ, nodes->az);
		if (nodes->addr)
			nla_put_u32(msg, PRIVLINK_NLB_NODE_A_ADDR, ip4(nodes->addr));
		if (nodes->addr6) {
			struct in6_addr a = ip6(nodes->addr6);

			nla_put(msg, PRIVLINK_NLB_NODE_A_ADDR6,
				nodes->addr6_len ? nodes->addr6_len :
						   PRIVLINK_ADDR6_LEN, &a);
		}
		nla_nest_end(msg, nd);
	}
	nla_nest_end(msg, ns);
	if (ip_types)
		nla_put_u8(msg, PRIVLINK_SERVICE_A_IP_TYPES, ip_types);
	hc = nla_nest_start(msg, PRIVLINK_SERVICE_A_HEALTH_CHECK);
	nla_put_u8(msg, PRIVLINK_CHECK_A_PROTO, PRIVLINK_CHECK_HTTP);
	nla_put_u8(msg, PRIVLINK_CHECK_A_HEALTHY, 2);
	nla_put_u8(msg, PRIVLINK_CHECK_A_UNHEALTHY, 2);
	nla_nest_end(msg, hc);
	nla_nest_end(msg, svc);
	model_service_msg(nlmsg_hdr(msg), PRIVLINK_CMD_SERVICE_GET);
	nlmsg_free(msg);
}

/*
 * A TARGET message of @cmd: @svc, ADDR @addr and/or ADDR6 @addr6 (of
 * @addr6_len bytes, 0: 16), PORT @port unless 0, AZ @az unless NULL.
 */
static void target_msg(int cmd, const char *svc, const char *addr,
		       const char *addr6, int addr6_len, uint16_t port,
		       const char *az)
{
	struct nl_msg *msg = new_msg(cmd);
	struct nlattr *t, *h;

	t = nla_nest_start(msg, PRIVLINK_A_TARGET);
	nla_put_string(msg, PRIVLINK_TARGET_A_SERVICE, svc);
	if (addr)
		nla_put_u32(msg, PRIVLINK_TARGET_A_ADDR, ip4(addr));
	if (addr6) {
		struct in6_addr a = ip6(addr6);

		nla_put(msg, PRIVLINK_TARGET_A_ADDR6,
			addr6_len ? addr6_len : PRIVLINK_ADDR6_LEN, &a);
	}
	if (port)
		nla_put_u16(msg, PRIVLINK_TARGET_A_PORT, port);
	if (az)
		nla_put_string(msg, PRIVLINK_TARGET_A_AZ, az);
	nla_put_u8(msg, PRIVLINK_TARGET_A_STATE, PRIVLINK_TARGET_UNHEALTHY);
	h = nla_nest_start(msg, PRIVLINK_TARGET_A_HEALTH);
	nla_put_u8(msg, PRIVLINK_HEALTH_A_STATE, PRIVLINK_HEALTH_INITIAL);
	nla_put_u8(msg, PRIVLINK_HEALTH_A_REASON, PRIVLINK_HEALTH_R_INITIAL);
	nla_nest_end(msg, h);
	nla_nest_end(msg, t);
	model_target_msg(nlmsg_hdr(msg), cmd);
	nlmsg_free(msg);
}

static struct plh_service *svc_find(const char *name)
{
	struct plh_service *s;

	for (s = services; s; s = s->next)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

/* The target of @svc with address @a (IPv4 or IPv6 text) and PORT @port. */
static struct plh_target *tgt_find(const char *svc, const char *a,
				   uint16_t port)
{
	struct plh_target *t;
	struct plh_addr want = {};

	if (strchr(a, ':')) {
		want.family = AF_INET6;
		want.v6 = ip6(a);
	} else {
		want.family = AF_INET;
		want.v4.s_addr = ip4(a);
	}
	for (t = targets; t; t = t->next)
		if (!strcmp(t->svc->name, svc) && t->port == port &&
		    t->addr.family == want.family &&
		    (want.family == AF_INET6 ?
		     !memcmp(&t->addr.v6, &want.v6, 16) :
		     t->addr.v4.s_addr == want.v4.s_addr))
			return t;
	return NULL;
}

static bool eq6(const struct in6_addr *a, const char *s)
{
	struct in6_addr b = ip6(s);

	return !memcmp(a, &b, sizeof(b));
}

/* @t's probe source, as text ("" and @err set when there is none). */
static const char *src_of(const struct plh_target *t, int *err)
{
	static char buf[INET6_ADDRSTRLEN];
	struct plh_addr src;

	buf[0] = '\0';
	*err = target_src(t, &src);
	if (!*err && src.family != t->addr.family)
		return "wrong family";
	if (!*err)
		inet_ntop(src.family, &src.v6, buf, sizeof(buf));
	return buf;
}

static void test_nodes(void)
{
	static const struct node v6only[] = {
		{ "use1-az1", NULL, "fd00:172:16::11", 0 },
		{ "use1-az2", NULL, "fd00:172:16::12", 0 },
		{}
	}, dual[] = {
		{ "use1-az1", "172.16.0.11", "fd00:172:16::11", 0 },
		{ "use1-az2", "172.16.0.12", "fd00:172:16::12", 0 },
		{}
	}, v4only[] = {
		{ "use1-az1", "172.16.0.21", NULL, 0 },
		{}
	}, bad[] = {
		{ "use1-az1", NULL, "fd00:172:16::31", 4 },	/* short ADDR6 */
		{ "use1-az2", NULL, NULL, 0 },			/* no address */
		{ "use1-az3", NULL, "fd00:172:16::33", 0 },
		{}
	};
	struct plh_service *s;

	service_msg("v6only", PRIVLINK_IP_V6, v6only);
	s = svc_find("v6only");
	ok(s != NULL, "an IPv6-only service is in the model");
	if (!s)
		return;
	ok(s->n_nodes == 2, "an IPv6-only service: both NLB nodes (no ADDR) kept");
	ok(s->ip_types == PRIVLINK_IP_V6, "an IPv6-only service: IP_TYPES ipv6");
	ok(!s->nodes[0].has_addr && !s->nodes[1].has_addr,
	   "an IPv6-only service's nodes have no IPv4 address");
	ok(s->nodes[0].has_addr6 && s->nodes[1].has_addr6,
	   "an IPv6-only service's nodes have an IPv6 address");
	ok(eq6(&s->nodes[0].addr6, "fd00:172:16::11") ||
	   eq6(&s->nodes[1].addr6, "fd00:172:16::11"),
	   "an IPv6-only node's ADDR6 is parsed");
	ok(!strcmp(s->nodes[1].az, "use1-az2") &&
	   eq6(&s->nodes[1].addr6, "fd00:172:16::12"),
	   "the IPv6-only node of use1-az2 is fd00:172:16::12");

	service_msg("dual", 0, dual);		/* IP_TYPES absent */
	s = svc_find("dual");
	ok(s && s->n_nodes == 2, "a dual-stack service: both NLB nodes kept");
	if (!s)
		return;
	ok(s->ip_types == PRIVLINK_IP_DUALSTACK,
	   "a dual-stack service without IP_TYPES: its nodes' families, both");
	ok(s->nodes[0].has_addr && s->nodes[0].has_addr6 &&
	   s->nodes[0].addr.s_addr == ip4("172.16.0.11") &&
	   eq6(&s->nodes[0].addr6, "fd00:172:16::11"),
	   "a dual-stack node has both its ADDR and its ADDR6");

	service_msg("v4only", 0, v4only);
	s = svc_find("v4only");
	ok(s && s->n_nodes == 1 && s->nodes[0].has_addr &&
	   !s->nodes[0].has_addr6 && s->ip_types == PRIVLINK_IP_V4,
	   "an IPv4-only service's node: ADDR alone, as before");

	service_msg("bad", 0, bad);
	s = svc_find("bad");
	ok(s && s->n_nodes == 1 && !strcmp(s->nodes[0].az, "use1-az3"),
	   "nodes with a short ADDR6 or with no address are skipped");
}

static void test_targets(void)
{
	struct plh_target *t, *t4, *t6;
	unsigned int before;
	int err;

	target_msg(PRIVLINK_CMD_TARGET_GET, "v6only", NULL, "fd00:172:16::21",
		   0, 0, "use1-az2");
	t = tgt_find("v6only", "fd00:172:16::21", 0);
	ok(t != NULL, "an IPv6 target (ADDR6, no ADDR) is in the model");
	if (!t)
		return;
	ok(t->addr.family == AF_INET6 && !strcmp(t->az, "use1-az2"),
	   "the IPv6 target's family and AZ");
	ok(!strcmp(target_str(t), "[fd00:172:16::21]:8080 of v6only"),
	   "an IPv6 target is named [addr]:port");
	ok(!strcmp(src_of(t, &err), "fd00:172:16::12") && !err,
	   "an IPv6 target is probed from the ADDR6 of its AZ's node");

	target_msg(PRIVLINK_CMD_TARGET_GET, "dual", "172.16.1.11", NULL, 0, 0,
		   "use1-az1");
	target_msg(PRIVLINK_CMD_TARGET_GET, "dual", NULL, "fd00:172:16:1::11",
		   0, 0, "use1-az1");
	target_msg(PRIVLINK_CMD_TARGET_GET, "dual", NULL, "fd00:172:16:1::11",
		   0, 9000, "use1-az1");
	t4 = tgt_find("dual", "172.16.1.11", 0);
	t6 = tgt_find("dual", "fd00:172:16:1::11", 0);
	ok(t4 && t6 && t4 != t6 && tgt_find("dual", "fd00:172:16:1::11", 9000),
	   "a dual-stack service: an IPv4 and two IPv6 targets, apart");
	if (!t4 || !t6)
		return;
	ok(!strcmp(target_str(t4), "172.16.1.11:8080 of dual"),
	   "an IPv4 target is named addr:port, as before");
	ok(!strcmp(src_of(t4, &err), "172.16.0.11") && !err,
	   "dual stack: the IPv4 target is probed from its node's ADDR");
	ok(!strcmp(src_of(t6, &err), "fd00:172:16::11") && !err,
	   "dual stack: the IPv6 target is probed from its node's ADDR6");
	ok(!strcmp(target_str(tgt_find("dual", "fd00:172:16:1::11", 9000)),
		   "[fd00:172:16:1::11]:9000 of dual"),
	   "an IPv6 target with a PORT is named [addr]:PORT");

	/* a source of the wrong family, or no node in the AZ: none */
	target_msg(PRIVLINK_CMD_TARGET_GET, "v6only", "172.16.1.12", NULL, 0,
		   0, "use1-az1");
	t = tgt_find("v6only", "172.16.1.12", 0);
	ok(t && !src_of(t, &err)[0] && err == -EAFNOSUPPORT,
	   "an IPv4 target of an IPv6-only service has no source (EAFNOSUPPORT)");
	target_msg(PRIVLINK_CMD_TARGET_GET, "v4only", NULL, "fd00:172:16::22",
		   0, 0, "use1-az1");
	t = tgt_find("v4only", "fd00:172:16::22", 0);
	ok(t && !src_of(t, &err)[0] && err == -EAFNOSUPPORT,
	   "an IPv6 target of an IPv4-only service has no source (EAFNOSUPPORT)");
	target_msg(PRIVLINK_CMD_TARGET_GET, "v6only", NULL, "fd00:172:16::23",
		   0, 0, "use1-az9");
	t = tgt_find("v6only", "fd00:172:16::23", 0);
	ok(t && !src_of(t, &err)[0] && err == -ENOENT,
	   "a target in an AZ without a node has no source (ENOENT)");

	/* malformed: both addresses, a short ADDR6, neither */
	before = model_count_targets();
	target_msg(PRIVLINK_CMD_TARGET_GET, "dual", "172.16.1.99",
		   "fd00:172:16:1::99", 0, 0, "use1-az1");
	target_msg(PRIVLINK_CMD_TARGET_GET, "dual", NULL, "fd00:172:16:1::98",
		   8, 0, "use1-az1");
	target_msg(PRIVLINK_CMD_TARGET_GET, "dual", NULL, NULL, 0, 0,
		   "use1-az1");
	ok(model_count_targets() == before,
	   "a target with ADDR and ADDR6, a short ADDR6 or neither is ignored");

	/* the same IPv6 target again: updated, not added */
	target_msg(PRIVLINK_CMD_TARGET_SET, "dual", NULL, "fd00:172:16:1::11",
		   0, 0, "use1-az1");
	ok(model_count_targets() == before,
	   "an IPv6 target's event finds the target by its ADDR6");
	target_msg(PRIVLINK_CMD_TARGET_DEL, "dual", NULL, "fd00:172:16:1::11",
		   0, 9000, NULL);
	ok(model_count_targets() == before - 1 &&
	   !tgt_find("dual", "fd00:172:16:1::11", 9000) &&
	   tgt_find("dual", "fd00:172:16:1::11", 0),
	   "TARGET_DEL by ADDR6 and PORT deletes that target alone");
}

static void test_sockaddr(void)
{
	struct plh_target *t6 = tgt_find("dual", "fd00:172:16:1::11", 0);
	struct plh_target *t4 = tgt_find("dual", "172.16.1.11", 0);
	struct sockaddr_storage ss;
	struct plh_addr src;

	if (!t6 || !t4 || target_src(t6, &src)) {
		ok(0, "the dual-stack targets for the sockaddr tests");
		return;
	}
	ok(plh_sockaddr(&src, 0, &ss) == sizeof(struct sockaddr_in6) &&
	   ss.ss_family == AF_INET6 &&
	   eq6(&((struct sockaddr_in6 *)&ss)->sin6_addr, "fd00:172:16::11") &&
	   ((struct sockaddr_in6 *)&ss)->sin6_port == 0,
	   "an IPv6 probe binds a sockaddr_in6 of its node's ADDR6, port 0");
	ok(plh_sockaddr(&t6->addr, 8080, &ss) == sizeof(struct sockaddr_in6) &&
	   ((struct sockaddr_in6 *)&ss)->sin6_port == htons(8080) &&
	   eq6(&((struct sockaddr_in6 *)&ss)->sin6_addr, "fd00:172:16:1::11"),
	   "an IPv6 probe connects to a sockaddr_in6 of the target, port 8080");
	ok(!target_src(t4, &src) &&
	   plh_sockaddr(&src, 0, &ss) == sizeof(struct sockaddr_in) &&
	   ss.ss_family == AF_INET &&
	   ((struct sockaddr_in *)&ss)->sin_addr.s_addr == ip4("172.16.0.11"),
	   "an IPv4 probe binds a sockaddr_in of its node's ADDR");
}

/* Encode @t's verdict, parse it back into @tb/@hb; 0 or -1. */
static int verdict(const struct plh_target *t, struct nl_msg **msgp,
		   struct nlattr **tb, struct nlattr **hb)
{
	struct nlattr *ab[PRIVLINK_A_MAX + 1];
	struct nl_msg *msg = new_msg(PRIVLINK_CMD_TARGET_SET);

	*msgp = msg;
	if (genl_put_verdict(msg, t, PRIVLINK_HEALTH_UNHEALTHY,
			     PRIVLINK_HEALTH_R_CODE_MISMATCH, 503) ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, ab, PRIVLINK_A_MAX, NULL) < 0 ||
	    !ab[PRIVLINK_A_TARGET] ||
	    nla_parse_nested(tb, PRIVLINK_TARGET_A_MAX, ab[PRIVLINK_A_TARGET],
			     NULL) < 0 || !tb[PRIVLINK_TARGET_A_HEALTH] ||
	    nla_parse_nested(hb, PRIVLINK_HEALTH_A_MAX,
			     tb[PRIVLINK_TARGET_A_HEALTH], NULL) < 0)
		return -1;
	return 0;
}

static void test_verdicts(void)
{
	struct plh_target *t6 = tgt_find("dual", "fd00:172:16:1::11", 0);
	struct plh_target *t4 = tgt_find("dual", "172.16.1.11", 0);
	struct plh_target *tp = tgt_find("v6only", "fd00:172:16::21", 0);
	struct nlattr *tb[PRIVLINK_TARGET_A_MAX + 1];
	struct nlattr *hb[PRIVLINK_HEALTH_A_MAX + 1];
	struct nl_msg *msg;

	if (!t6 || !t4 || !tp) {
		ok(0, "the targets for the verdict tests");
		return;
	}
	ok(!verdict(t6, &msg, tb, hb), "an IPv6 target's verdict encodes");
	ok(tb[PRIVLINK_TARGET_A_ADDR6] &&
	   nla_len(tb[PRIVLINK_TARGET_A_ADDR6]) == PRIVLINK_ADDR6_LEN &&
	   eq6(nla_data(tb[PRIVLINK_TARGET_A_ADDR6]), "fd00:172:16:1::11"),
	   "an IPv6 target's verdict names it by ADDR6, 16 bytes");
	ok(!tb[PRIVLINK_TARGET_A_ADDR], "an IPv6 target's verdict has no ADDR");
	ok(!tb[PRIVLINK_TARGET_A_PORT], "a target without PORT: none sent");
	ok(tb[PRIVLINK_TARGET_A_SERVICE] &&
	   !strcmp(nla_get_string(tb[PRIVLINK_TARGET_A_SERVICE]), "dual"),
	   "the verdict names the service");
	ok(hb[PRIVLINK_HEALTH_A_STATE] && hb[PRIVLINK_HEALTH_A_REASON] &&
	   hb[PRIVLINK_HEALTH_A_CODE] &&
	   nla_get_u8(hb[PRIVLINK_HEALTH_A_STATE]) == PRIVLINK_HEALTH_UNHEALTHY &&
	   nla_get_u8(hb[PRIVLINK_HEALTH_A_REASON]) == PRIVLINK_HEALTH_R_CODE_MISMATCH &&
	   nla_get_u16(hb[PRIVLINK_HEALTH_A_CODE]) == 503,
	   "the verdict's HEALTH: state, reason, code");
	/* the kernel's reply echoes the target: it finds the same one */
	model_target_msg(nlmsg_hdr(msg), PRIVLINK_CMD_TARGET_SET);
	ok(t6->kh_state == PRIVLINK_HEALTH_UNHEALTHY && t6->kh_code == 503 &&
	   tgt_find("dual", "fd00:172:16:1::11", 9000) == NULL,
	   "the verdict, read back as the reply, updates that IPv6 target");
	nlmsg_free(msg);

	tp->port = 8443;
	ok(!verdict(tp, &msg, tb, hb) && tb[PRIVLINK_TARGET_A_PORT] &&
	   nla_get_u16(tb[PRIVLINK_TARGET_A_PORT]) == 8443,
	   "an IPv6 target with a PORT: ADDR6 and PORT name it");
	nlmsg_free(msg);
	tp->port = 0;

	ok(!verdict(t4, &msg, tb, hb) && tb[PRIVLINK_TARGET_A_ADDR] &&
	   nla_len(tb[PRIVLINK_TARGET_A_ADDR]) == 4 &&
	   nla_get_u32(tb[PRIVLINK_TARGET_A_ADDR]) == ip4("172.16.1.11") &&
	   !tb[PRIVLINK_TARGET_A_ADDR6],
	   "an IPv4 target's verdict: ADDR, no ADDR6, as before");
	nlmsg_free(msg);

	/* two passed probes: healthy, logged with [addr]:port */
	model_probe_done(tp, PRIVLINK_HEALTH_R_PASSED, 200);
	model_probe_done(tp, PRIVLINK_HEALTH_R_PASSED, 200);
	ok(tp->v_state == PRIVLINK_HEALTH_HEALTHY &&
	   !strcmp(last_log, "target [fd00:172:16::21]:8080 of v6only: healthy (passed, 2 of 2 probes)"),
	   "an IPv6 target's verdict is logged with [addr]:port");
	if (strcmp(last_log, "target [fd00:172:16::21]:8080 of v6only: healthy (passed, 2 of 2 probes)"))
		printf("  logged: %s\n", last_log);
}

int main(void)
{
	static const struct {
		const char *codes;
		bool valid;
		unsigned int yes[4], no[4];
	} m[] = {
		{ "200", true, { 200 }, { 201, 199, 500 } },
		{ "200-399", true, { 200, 301, 399 }, { 400, 500, 199 } },
		{ "200,202-299", true, { 200, 202, 250, 299 }, { 201, 300 } },
		{ "500,200", true, { 500, 200 }, { 404 } },
		{ "599", true, { 599 }, { 598 } },
		{ "", false, {}, { 200 } },
		{ "199", false, {}, { 199 } },
		{ "600", false, {}, { 600 } },
		{ "200-", false, {}, { 200 } },
		{ "300-200", false, {}, { 250 } },
		{ "200,", false, {}, { 200 } },
		{ ",200", false, {}, { 200 } },
		{ "2000", false, {}, { 200 } },
		{ "200 ", false, {}, { 200 } },
		{ "20", false, {}, { 20 } },
	};
	static const struct {
		const char *resp;
		int status;
	} s[] = {
		{ "HTTP/1.1 200 OK\r\n", 200 },
		{ "HTTP/1.0 500 Internal Server Error\r\nX: y\r\n\r\n", 500 },
		{ "HTTP/1.1 204\r\n", 204 },
		{ "HTTP/1.1 302 Found\n", 302 },
		{ "HTTP/1.1 200 OK", 0 },	/* no end of line yet */
		{ "HTTP/1.", 0 },
		{ "HTT", 0 },
		{ "", 0 },
		{ "SSH-2.0-OpenSSH\r\n", -1 },
		{ "HTTP/2 200\r\n", -1 },
		{ "HTTP/1.1 20x OK\r\n", -1 },
		{ "HTTP/1.1 2000 OK\r\n", -1 },
		{ "HTTP/1.1 099 X\r\n", -1 },
	};
	char what[128];
	size_t i, j;

	for (i = 0; i < sizeof(m) / sizeof(*m); i++) {
		snprintf(what, sizeof(what), "\"%s\" valid=%d", m[i].codes, m[i].valid);
		ok(http_codes_valid(m[i].codes) == m[i].valid, what);
		for (j = 0; j < 4 && m[i].yes[j]; j++) {
			snprintf(what, sizeof(what), "\"%s\" matches %u", m[i].codes, m[i].yes[j]);
			ok(http_codes_match(m[i].codes, m[i].yes[j]), what);
		}
		for (j = 0; j < 4 && m[i].no[j]; j++) {
			snprintf(what, sizeof(what), "\"%s\" does not match %u", m[i].codes, m[i].no[j]);
			ok(!http_codes_match(m[i].codes, m[i].no[j]), what);
		}
	}
	for (i = 0; i < sizeof(s) / sizeof(*s); i++) {
		snprintf(what, sizeof(what), "status of \"%.20s\" is %d", s[i].resp, s[i].status);
		ok(http_status(s[i].resp, strlen(s[i].resp)) == s[i].status, what);
	}
	test_nodes();
	test_targets();
	test_sockaddr();
	test_verdicts();
	model_clear();
	printf("plhealthd unit: %d of %d passed\n", n - fails, n);
	return fails ? 1 : 0;
}
