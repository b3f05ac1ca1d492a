// SPDX-License-Identifier: GPL-2.0
/*
 * plhealthd: services and targets as the kernel has them, and the verdict
 * of each target.
 *
 * The model is what the dumps and events say (genl.c): a service's check,
 * listeners and NLB nodes; a target's AZ, STATE and HEALTH.  Next to the
 * kernel's HEALTH each target has the checker's own: the verdict (v_state),
 * the last probe's reason and code, and the consecutive passes or failures.
 *
 * Verdicts: HEALTHY_THRESHOLD consecutive passes make a target HEALTHY,
 * UNHEALTHY_THRESHOLD consecutive failures UNHEALTHY; until then it keeps
 * its verdict (INITIAL for a new target).  After each probe the checker
 * reports (TARGET_SET with HEALTH) only when what it would say differs from
 * what the kernel has: the verdict, the reason or the code changed, or the
 * target's STATE disagrees with a HEALTHY/UNHEALTHY verdict although it is
 * not DRAINING (an operator set it: "the checker's next verdict applies").
 * The reply to TARGET_SET, and its event, update the kernel's side, so a
 * verdict is written once.  A target whose kernel HEALTH is INITIAL with
 * reason INITIAL (a new check was set) starts over.
 *
 * A target the daemon finds in its first dump keeps the HEALTH the kernel
 * has (a restarted daemon does not start from INITIAL): its first verdict
 * is written only when it differs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "plhealthd.h"
#include "names.h"

struct plh_service *services;
struct plh_target *targets;

uint16_t target_traffic_port(const struct plh_target *t)
{
	return t->port ? t->port : t->svc->first_target_port;
}

uint16_t target_check_port(const struct plh_target *t)
{
	return t->svc->check.port ? t->svc->check.port : target_traffic_port(t);
}

int target_src(const struct plh_target *t, struct plh_addr *src)
{
	const struct plh_nlb *n = NULL;
	unsigned int i;

	for (i = 0; i < t->svc->n_nodes; i++)
		if (!strcmp(t->svc->nodes[i].az, t->az)) {
			n = &t->svc->nodes[i];
			break;
		}
	if (!n)
		return -ENOENT;
	memset(src, 0, sizeof(*src));
	src->family = t->addr.family;
	if (t->addr.family == AF_INET6) {
		if (!n->has_addr6)
			return -EAFNOSUPPORT;
		src->v6 = n->addr6;
	} else {
		if (!n->has_addr)
			return -EAFNOSUPPORT;
		src->v4 = n->addr;
	}
	return 0;
}

const char *plh_family_str(sa_family_t family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

const char *plh_addrport_str(const struct plh_addr *a, uint16_t port,
			     char *buf, size_t len)
{
	char s[INET6_ADDRSTRLEN];

	if (!inet_ntop(a->family, &a->v6, s, sizeof(s)))
		snprintf(s, sizeof(s), "?");
	if (a->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", s, port);
	else
		snprintf(buf, len, "%s:%u", s, port);
	return buf;
}

unsigned int plh_sockaddr(const struct plh_addr *a, uint16_t port,
			  struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *sa = (struct sockaddr_in6 *)ss;

		sa->sin6_family = AF_INET6;
		sa->sin6_addr = a->v6;
		sa->sin6_port = htons(port);
		return sizeof(*sa);
	} else {
		struct sockaddr_in *sa = (struct sockaddr_in *)ss;

		sa->sin_family = AF_INET;
		sa->sin_addr = a->v4;
		sa->sin_port = htons(port);
		return sizeof(*sa);
	}
}

const char *target_str(const struct plh_target *t)
{
	static char buf[PLH_ADDRPORT_LEN + PRIVLINK_NAME_MAX + 8];
	char ap[PLH_ADDRPORT_LEN];

	snprintf(buf, sizeof(buf), "%s of %s",
		 plh_addrport_str(&t->addr, target_traffic_port(t), ap,
				  sizeof(ap)), t->svc->name);
	return buf;
}

unsigned int model_count_targets(void)
{
	struct plh_target *t;
	unsigned int n = 0;

	for (t = targets; t; t = t->next)
		n++;
	return n;
}

/* --- scheduling --------------------------------------------------------- */

static bool checked(const struct plh_service *s)
{
	return s->check.proto != PRIVLINK_CHECK_NONE;
}

/*
 * The first probe of @t: at a fixed offset inside the interval, from a hash
 * of its name, so that the targets' probes are spread over the interval and
 * the same target gets the same offset every time.
 */
static uint64_t jitter_ns(const struct plh_target *t)
{
	uint32_t h = 2166136261u;
	const uint8_t *a = (const uint8_t *)&t->addr.v6;
	unsigned int i, alen = t->addr.family == AF_INET6 ? 16 : 4;
	const char *p;

	for (p = t->svc->name; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	for (i = 0; i < alen; i++)
		h = (h ^ a[i]) * 16777619u;
	h = (h ^ (t->port & 0xff)) * 16777619u;
	h = (h ^ (t->port >> 8)) * 16777619u;
	return (uint64_t)(h % (t->svc->check.interval * 1000u)) * NSEC_PER_MSEC;
}

static void start_probe(struct plh_timer *tm, uint64_t now)
{
	struct plh_target *t = (struct plh_target *)((char *)tm -
			offsetof(struct plh_target, next_probe));

	uint64_t next = now + (uint64_t)t->svc->check.interval * NSEC_PER_SEC;

	stats_probe_started(now - tm->when);
	/*
	 * With TIMEOUT == INTERVAL the previous probe's timeout is due now
	 * too and runs first (armed first); should it not have, decide it.
	 */
	if (t->probe)
		probe_expire(t);
	t->last_start = now;
	/* after the probe's timeout: at the same time, the timeout runs first */
	probe_start(t, now);
	if (!timer_armed(&t->next_probe))	/* not started over meanwhile */
		timer_arm(&t->next_probe, next);
}

/* (Re)start @t's probes from scratch: first probe at its offset. */
static void schedule(struct plh_target *t)
{
	probe_cancel(t);
	if (!checked(t->svc)) {
		timer_cancel(&t->next_probe);
		return;
	}
	timer_arm(&t->next_probe, plh_now() + jitter_ns(t));
}

static void start_over(struct plh_target *t)
{
	t->v_state = PRIVLINK_HEALTH_INITIAL;
	t->reason = PRIVLINK_HEALTH_R_INITIAL;
	t->code = 0;
	t->passes = t->fails = 0;
	schedule(t);
}

/* --- services ---------------------------------------------------------- */

static struct plh_service *service_find(const char *name)
{
	struct plh_service *s;

	for (s = services; s; s = s->next)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

static void target_free(struct plh_target *t)
{
	struct plh_target **pp;

	timer_cancel(&t->next_probe);
	probe_cancel(t);
	for (pp = &targets; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	free(t);
}

static void service_free(struct plh_service *s)
{
	struct plh_service **pp;
	struct plh_target *t, *next;

	for (t = targets; t; t = next) {
		next = t->next;
		if (t->svc == s)
			target_free(t);
	}
	for (pp = &services; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	free(s);
}

static void parse_check(struct nlattr *nest, struct plh_check *c)
{
	struct nlattr *tb[PRIVLINK_CHECK_A_MAX + 1];

	memset(c, 0, sizeof(*c));
	c->proto = PRIVLINK_CHECK_NONE;
	strcpy(c->path, PRIVLINK_CHECK_PATH_DEFAULT);
	strcpy(c->codes, PRIVLINK_CHECK_CODES_DEFAULT);
	c->interval = PRIVLINK_CHECK_INTERVAL_DEFAULT;
	c->timeout = PRIVLINK_CHECK_TIMEOUT_DEFAULT;
	c->healthy = PRIVLINK_CHECK_HEALTHY_DEFAULT;
	c->unhealthy = PRIVLINK_CHECK_UNHEALTHY_DEFAULT;
	if (!nest || nla_parse_nested(tb, PRIVLINK_CHECK_A_MAX, nest, NULL) < 0)
		return;
	if (tb[PRIVLINK_CHECK_A_PROTO])
		c->proto = nla_get_u8(tb[PRIVLINK_CHECK_A_PROTO]);
	if (tb[PRIVLINK_CHECK_A_PORT])
		c->port = nla_get_u16(tb[PRIVLINK_CHECK_A_PORT]);
	if (tb[PRIVLINK_CHECK_A_PATH])
		snprintf(c->path, sizeof(c->path), "%s",
			 nla_get_string(tb[PRIVLINK_CHECK_A_PATH]));
	if (tb[PRIVLINK_CHECK_A_CODES])
		snprintf(c->codes, sizeof(c->codes), "%s",
			 nla_get_string(tb[PRIVLINK_CHECK_A_CODES]));
	if (tb[PRIVLINK_CHECK_A_INTERVAL])
		c->interval = nla_get_u16(tb[PRIVLINK_CHECK_A_INTERVAL]);
	if (tb[PRIVLINK_CHECK_A_TIMEOUT])
		c->timeout = nla_get_u16(tb[PRIVLINK_CHECK_A_TIMEOUT]);
	if (tb[PRIVLINK_CHECK_A_HEALTHY])
		c->healthy = nla_get_u8(tb[PRIVLINK_CHECK_A_HEALTHY]);
	if (tb[PRIVLINK_CHECK_A_UNHEALTHY])
		c->unhealthy = nla_get_u8(tb[PRIVLINK_CHECK_A_UNHEALTHY]);
	/* the kernel validated them; guard the arithmetic anyway */
	if (!c->interval)
		c->interval = 1;
	if (!c->timeout || c->timeout > c->interval)
		c->timeout = c->interval;
	if (!c->healthy)
		c->healthy = 1;
	if (!c->unhealthy)
		c->unhealthy = 1;
	if (c->proto > PRIVLINK_CHECK_HTTP)
		c->proto = PRIVLINK_CHECK_NONE;
}

void model_service_msg(struct nlmsghdr *nlh, int cmd)
{
	struct nlattr *tb[PRIVLINK_A_MAX + 1], *sb[PRIVLINK_SERVICE_A_MAX + 1];
	struct nlattr *a;
	struct plh_service *s;
	struct plh_target *t;
	struct plh_check check;
	uint8_t node_types;
	const char *name;
	int rem;

	if (genlmsg_parse(nlh, 0, tb, PRIVLINK_A_MAX, NULL) < 0 ||
	    !tb[PRIVLINK_A_SERVICE] ||
	    nla_parse_nested(sb, PRIVLINK_SERVICE_A_MAX, tb[PRIVLINK_A_SERVICE],
			     NULL) < 0 || !sb[PRIVLINK_SERVICE_A_NAME])
		return;
	name = nla_get_string(sb[PRIVLINK_SERVICE_A_NAME]);
	s = service_find(name);
	if (cmd == PRIVLINK_CMD_SERVICE_DEL) {
		if (s) {
			plh_debug("service %s deleted", name);
			service_free(s);
		}
		return;
	}
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s) {
			plh_log("Error: out of memory (service %s)", name);
			return;
		}
		snprintf(s->name, sizeof(s->name), "%s", name);
		s->check.proto = PRIVLINK_CHECK_NONE;
		s->next = services;
		services = s;
	}
	s->seen = true;
	s->first_target_port = 0;
	if (sb[PRIVLINK_SERVICE_A_LISTENERS]) {
		nla_for_each_nested(a, sb[PRIVLINK_SERVICE_A_LISTENERS], rem) {
			struct nlattr *lb[PRIVLINK_LISTENER_A_MAX + 1];

			if (nla_type(a) != PRIVLINK_SERVICE_A_LISTENER ||
			    nla_parse_nested(lb, PRIVLINK_LISTENER_A_MAX, a, NULL) < 0)
				continue;
			if (lb[PRIVLINK_LISTENER_A_TARGET_PORT])
				s->first_target_port =
					nla_get_u16(lb[PRIVLINK_LISTENER_A_TARGET_PORT]);
			else if (lb[PRIVLINK_LISTENER_A_PORT])
				s->first_target_port =
					nla_get_u16(lb[PRIVLINK_LISTENER_A_PORT]);
			break;
		}
	}
	s->n_nodes = 0;
	node_types = 0;
	if (sb[PRIVLINK_SERVICE_A_NLB_NODES]) {
		nla_for_each_nested(a, sb[PRIVLINK_SERVICE_A_NLB_NODES], rem) {
			struct nlattr *nb[PRIVLINK_NLB_NODE_A_MAX + 1];
			struct plh_nlb *n;

			if (s->n_nodes == PRIVLINK_MAX_AZS)
				break;
			/*
			 * AZ and an address of each family the service
			 * supports: ADDR, ADDR6 or both ("Dual stack")
			 */
			if (nla_type(a) != PRIVLINK_SERVICE_A_NLB_NODE ||
			    nla_parse_nested(nb, PRIVLINK_NLB_NODE_A_MAX, a, NULL) < 0 ||
			    !nb[PRIVLINK_NLB_NODE_A_AZ] ||
			    (nb[PRIVLINK_NLB_NODE_A_ADDR] &&
			     nla_len(nb[PRIVLINK_NLB_NODE_A_ADDR]) < 4) ||
			    (nb[PRIVLINK_NLB_NODE_A_ADDR6] &&
			     nla_len(nb[PRIVLINK_NLB_NODE_A_ADDR6]) != PRIVLINK_ADDR6_LEN) ||
			    (!nb[PRIVLINK_NLB_NODE_A_ADDR] && !nb[PRIVLINK_NLB_NODE_A_ADDR6]))
				continue;
			n = &s->nodes[s->n_nodes++];
			memset(n, 0, sizeof(*n));
			snprintf(n->az, sizeof(n->az), "%s",
				 nla_get_string(nb[PRIVLINK_NLB_NODE_A_AZ]));
			if (nb[PRIVLINK_NLB_NODE_A_ADDR]) {
				n->has_addr = true;
				n->addr.s_addr = nla_get_u32(nb[PRIVLINK_NLB_NODE_A_ADDR]);
				node_types |= PRIVLINK_IP_V4;
			}
			if (nb[PRIVLINK_NLB_NODE_A_ADDR6]) {
				n->has_addr6 = true;
				memcpy(&n->addr6, nla_data(nb[PRIVLINK_NLB_NODE_A_ADDR6]),
				       PRIVLINK_ADDR6_LEN);
				node_types |= PRIVLINK_IP_V6;
			}
		}
	}
	/* without IP_TYPES, the families its NLB nodes have */
	s->ip_types = sb[PRIVLINK_SERVICE_A_IP_TYPES] ?
		nla_get_u8(sb[PRIVLINK_SERVICE_A_IP_TYPES]) : node_types;
	parse_check(sb[PRIVLINK_SERVICE_A_HEALTH_CHECK], &check);
	if (!memcmp(&check, &s->check, sizeof(check)))
		return;
	s->check = check;
	if (checked(s)) {
		char port[16] = "traffic port";

		if (check.port)
			snprintf(port, sizeof(port), "port %u", check.port);
		plh_log("service %s: %s checks%s%s on the %s every %u s, timeout %u s, thresholds %u healthy, %u unhealthy",
			s->name, check.proto == PRIVLINK_CHECK_HTTP ? "HTTP" : "TCP",
			check.proto == PRIVLINK_CHECK_HTTP ? " of " : "",
			check.proto == PRIVLINK_CHECK_HTTP ? check.path : "",
			port, check.interval, check.timeout, check.healthy,
			check.unhealthy);
	} else {
		plh_log("service %s: no checks", s->name);
	}
	/* a new check: the kernel reset the targets' HEALTH to INITIAL */
	for (t = targets; t; t = t->next)
		if (t->svc == s)
			start_over(t);
}

/* --- targets ------------------------------------------------------------- */

/*
 * A target's address: ADDR (IPv4) or ADDR6 (IPv6), never both; 0, or -1
 * when it has neither, both, or one of the wrong size.
 */
static int target_addr(struct nlattr **ab, struct plh_addr *addr)
{
	struct nlattr *a4 = ab[PRIVLINK_TARGET_A_ADDR];
	struct nlattr *a6 = ab[PRIVLINK_TARGET_A_ADDR6];

	memset(addr, 0, sizeof(*addr));
	if (!a4 == !a6)
		return -1;
	if (a4) {
		if (nla_len(a4) < 4)
			return -1;
		addr->family = AF_INET;
		addr->v4.s_addr = nla_get_u32(a4);
	} else {
		if (nla_len(a6) != PRIVLINK_ADDR6_LEN)
			return -1;
		addr->family = AF_INET6;
		memcpy(&addr->v6, nla_data(a6), PRIVLINK_ADDR6_LEN);
	}
	return 0;
}

static bool addr_eq(const struct plh_addr *a, const struct plh_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET6)
		return !memcmp(&a->v6, &b->v6, sizeof(a->v6));
	return a->v4.s_addr == b->v4.s_addr;
}

void model_target_msg(struct nlmsghdr *nlh, int cmd)
{
	struct nlattr *tb[PRIVLINK_A_MAX + 1], *ab[PRIVLINK_TARGET_A_MAX + 1];
	struct plh_service *s;
	struct plh_target *t;
	struct plh_addr addr;
	uint16_t port = 0;
	bool fresh = false;

	if (genlmsg_parse(nlh, 0, tb, PRIVLINK_A_MAX, NULL) < 0 ||
	    !tb[PRIVLINK_A_TARGET] ||
	    nla_parse_nested(ab, PRIVLINK_TARGET_A_MAX, tb[PRIVLINK_A_TARGET],
			     NULL) < 0 ||
	    !ab[PRIVLINK_TARGET_A_SERVICE] || target_addr(ab, &addr))
		return;
	s = service_find(nla_get_string(ab[PRIVLINK_TARGET_A_SERVICE]));
	if (!s)
		return;		/* its service's event or dump comes next */
	if (ab[PRIVLINK_TARGET_A_PORT])
		port = nla_get_u16(ab[PRIVLINK_TARGET_A_PORT]);
	for (t = targets; t; t = t->next)
		if (t->svc == s && addr_eq(&t->addr, &addr) && t->port == port)
			break;
	if (cmd == PRIVLINK_CMD_TARGET_DEL) {
		if (t)
			target_free(t);
		return;
	}
	if (!t) {
		t = calloc(1, sizeof(*t));
		if (!t) {
			char ap[PLH_ADDRPORT_LEN];

			plh_log("Error: out of memory (target %s of %s)",
				plh_addrport_str(&addr, port, ap, sizeof(ap)),
				s->name);
			return;
		}
		t->svc = s;
		t->addr = addr;
		t->port = port;
		t->kh_state = PRIVLINK_HEALTH_INITIAL;
		t->kh_reason = PRIVLINK_HEALTH_R_INITIAL;
		timer_init(&t->next_probe, start_probe);
		t->next = targets;
		targets = t;
		fresh = true;
	}
	t->seen = true;
	if (ab[PRIVLINK_TARGET_A_AZ])
		snprintf(t->az, sizeof(t->az), "%s",
			 nla_get_string(ab[PRIVLINK_TARGET_A_AZ]));
	if (ab[PRIVLINK_TARGET_A_STATE])
		t->kstate = nla_get_u8(ab[PRIVLINK_TARGET_A_STATE]);
	if (ab[PRIVLINK_TARGET_A_HEALTH]) {
		struct nlattr *hb[PRIVLINK_HEALTH_A_MAX + 1];

		if (!nla_parse_nested(hb, PRIVLINK_HEALTH_A_MAX,
				      ab[PRIVLINK_TARGET_A_HEALTH], NULL)) {
			t->kh_state = hb[PRIVLINK_HEALTH_A_STATE] ?
				nla_get_u8(hb[PRIVLINK_HEALTH_A_STATE]) : 0;
			t->kh_reason = hb[PRIVLINK_HEALTH_A_REASON] ?
				nla_get_u8(hb[PRIVLINK_HEALTH_A_REASON]) : 0;
			t->kh_code = hb[PRIVLINK_HEALTH_A_CODE] ?
				nla_get_u16(hb[PRIVLINK_HEALTH_A_CODE]) : 0;
		}
	}
	if (fresh) {
		/* keep what the kernel has: a restarted daemon goes on */
		t->v_state = t->kh_state;
		t->reason = t->kh_reason;
		t->code = t->kh_code;
		schedule(t);
	} else if (t->kh_state == PRIVLINK_HEALTH_INITIAL &&
		   t->kh_reason == PRIVLINK_HEALTH_R_INITIAL &&
		   (t->v_state != PRIVLINK_HEALTH_INITIAL ||
		    t->reason != PRIVLINK_HEALTH_R_INITIAL)) {
		plh_debug("target %s: HEALTH reset, starting over", target_str(t));
		start_over(t);
	}
}

void model_mark_unseen(const char *service)
{
	struct plh_service *s;
	struct plh_target *t;

	if (!service)
		for (s = services; s; s = s->next)
			s->seen = false;
	for (t = targets; t; t = t->next)
		if (!service || !strcmp(t->svc->name, service))
			t->seen = false;
}

void model_sweep_unseen(const char *service)
{
	struct plh_service *s, *snext;
	struct plh_target *t, *next;

	for (t = targets; t; t = next) {
		next = t->next;
		if (!t->seen && (!service || !strcmp(t->svc->name, service)))
			target_free(t);
	}
	if (service)
		return;
	for (s = services; s; s = snext) {
		snext = s->next;
		if (!s->seen)
			service_free(s);
	}
}

void model_clear(void)
{
	while (services)
		service_free(services);
	while (targets)		/* none left: each went with its service */
		target_free(targets);
}

/* --- verdicts ------------------------------------------------------------- */

static uint8_t state_of(uint8_t v)
{
	return v == PRIVLINK_HEALTH_HEALTHY ? PRIVLINK_TARGET_HEALTHY :
					      PRIVLINK_TARGET_UNHEALTHY;
}

static const char *code_str(uint8_t reason, uint16_t code)
{
	static char buf[16];

	if (reason != PRIVLINK_HEALTH_R_CODE_MISMATCH || !code)
		return "";
	snprintf(buf, sizeof(buf), " %u", code);
	return buf;
}

void model_probe_done(struct plh_target *t, uint8_t reason, uint16_t code)
{
	const struct plh_check *c = &t->svc->check;
	bool passed = reason == PRIVLINK_HEALTH_R_PASSED;
	uint8_t old = t->v_state;
	bool report;

	stats_probe_result(passed);
	if (passed) {
		t->fails = 0;
		if (t->passes < 255)
			t->passes++;
		if (t->passes >= c->healthy)
			t->v_state = PRIVLINK_HEALTH_HEALTHY;
	} else {
		t->passes = 0;
		if (t->fails < 255)
			t->fails++;
		if (t->fails >= c->unhealthy)
			t->v_state = PRIVLINK_HEALTH_UNHEALTHY;
	}
	plh_debug("target %s: probe %s%s (%u passed, %u failed in a row)",
		  target_str(t), enum_name(health_reason_names, reason), code_str(reason, code),
		  t->passes, t->fails);
	if (t->v_state != old)
		plh_log("target %s: %s (%s%s, %u of %u probes)", target_str(t),
			enum_name(health_state_names, t->v_state), enum_name(health_reason_names, reason),
			code_str(reason, code), passed ? t->passes : t->fails,
			passed ? c->healthy : c->unhealthy);
	else if (reason != t->reason || code != t->code)
		plh_log("target %s: still %s, last probe: %s%s", target_str(t),
			enum_name(health_state_names, t->v_state), enum_name(health_reason_names, reason),
			code_str(reason, code));
	t->reason = reason;
	t->code = code;

	report = t->v_state != t->kh_state || t->reason != t->kh_reason ||
		 t->code != t->kh_code;
	if (!report && t->v_state != PRIVLINK_HEALTH_INITIAL &&
	    t->kstate != PRIVLINK_TARGET_DRAINING &&
	    t->kstate != state_of(t->v_state)) {
		plh_log("target %s: its state is %s, reporting %s again",
			target_str(t),
			t->kstate == PRIVLINK_TARGET_HEALTHY ? "healthy" : "unhealthy",
			enum_name(health_state_names, t->v_state));
		report = true;
	}
	if (!report)
		return;
	stats_report();
	if (!genl_report(t, t->v_state, t->reason, t->code)) {
		/* the reply updated kh_* already; in case it did not: */
		t->kh_state = t->v_state;
		t->kh_reason = t->reason;
		t->kh_code = t->code;
		if (t->v_state != PRIVLINK_HEALTH_INITIAL &&
		    t->kstate != PRIVLINK_TARGET_DRAINING)
			t->kstate = state_of(t->v_state);
	}
}
