// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: health checks.  A service's check says how a checker (a
 * process in userspace, e.g. plhealthd) probes its targets; a target's
 * health is the checker's last verdict, which the module turns into the
 * target's state unless the operator drains it.  Probing is not the
 * module's: it only keeps what a checker needs to know and what it
 * reported, so that both are in GET, events and plctl save.
 *
 * Locking: a service's check and its targets' health are read and written
 * under privlink_net.lock only.  The packet path reads neither; it sees a
 * verdict as the target's state (written with WRITE_ONCE, read under RCU).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/slab.h>

#include "privlink.h"

const struct nla_policy privlink_check_policy[PRIVLINK_CHECK_A_MAX + 1] = {
	[PRIVLINK_CHECK_A_PROTO]     = NLA_POLICY_MAX(NLA_U8, PRIVLINK_CHECK_HTTP),
	[PRIVLINK_CHECK_A_PORT]      = { .type = NLA_U16 },
	[PRIVLINK_CHECK_A_PATH]      = { .type = NLA_NUL_STRING,
					 .len = PRIVLINK_CHECK_PATH_MAX - 1 },
	[PRIVLINK_CHECK_A_CODES]     = { .type = NLA_NUL_STRING,
					 .len = PRIVLINK_CHECK_CODES_MAX - 1 },
	[PRIVLINK_CHECK_A_INTERVAL]  =
		NLA_POLICY_RANGE(NLA_U16, 1, PRIVLINK_CHECK_INTERVAL_MAX),
	[PRIVLINK_CHECK_A_TIMEOUT]   =
		NLA_POLICY_RANGE(NLA_U16, 1, PRIVLINK_CHECK_TIMEOUT_MAX),
	[PRIVLINK_CHECK_A_HEALTHY]   =
		NLA_POLICY_RANGE(NLA_U8, PRIVLINK_CHECK_THRESHOLD_MIN,
				 PRIVLINK_CHECK_THRESHOLD_MAX),
	[PRIVLINK_CHECK_A_UNHEALTHY] =
		NLA_POLICY_RANGE(NLA_U8, PRIVLINK_CHECK_THRESHOLD_MIN,
				 PRIVLINK_CHECK_THRESHOLD_MAX),
};

const struct nla_policy privlink_health_policy[PRIVLINK_HEALTH_A_MAX + 1] = {
	[PRIVLINK_HEALTH_A_STATE]  =
		NLA_POLICY_MAX(NLA_U8, PRIVLINK_HEALTH_UNHEALTHY),
	[PRIVLINK_HEALTH_A_REASON] =
		NLA_POLICY_MAX(NLA_U8, PRIVLINK_HEALTH_R_ERROR),
	[PRIVLINK_HEALTH_A_CODE]   = NLA_POLICY_MAX(NLA_U16, 599),
};

/* One HTTP status of a matcher: three digits, 200..599. */
static bool privlink_code_parse(const char **p, unsigned int *code)
{
	unsigned int v = 0, n = 0;

	while (n < 3 && isdigit(**p)) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*code = v;
	return n == 3 && !isdigit(**p) && v >= 200 && v <= 599;
}

/* AWS's matcher syntax: "200", "200-299", "200,202,301-302". */
static bool privlink_codes_valid(const char *s)
{
	unsigned int lo, hi;

	for (;;) {
		if (!privlink_code_parse(&s, &lo))
			return false;
		if (*s == '-') {
			s++;
			if (!privlink_code_parse(&s, &hi) || hi < lo)
				return false;
		}
		if (!*s)
			return true;
		if (*s++ != ',')
			return false;
	}
}

/* An HTTP request target: '/' and printable ASCII without spaces. */
static bool privlink_path_valid(const char *s)
{
	if (*s != '/')
		return false;
	for (; *s; s++)
		if (*s <= ' ' || *s > '~')
			return false;
	return true;
}

/*
 * Parse a HEALTH_CHECK nest (validated by privlink_check_policy) into a new
 * check with AWS's defaults for what it leaves out; *@c is NULL for PROTO
 * NONE (no check).  The caller owns *@c.
 */
int privlink_check_parse(const struct nlattr *nest, struct privlink_check **c,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PRIVLINK_CHECK_A_MAX + 1];
	struct privlink_check *chk;
	u8 proto = PRIVLINK_CHECK_NONE;
	int err, i;

	*c = NULL;
	err = nla_parse_nested(tb, PRIVLINK_CHECK_A_MAX, nest,
			       privlink_check_policy, extack);
	if (err)
		return err;
	if (tb[PRIVLINK_CHECK_A_PROTO])
		proto = nla_get_u8(tb[PRIVLINK_CHECK_A_PROTO]);
	if (proto == PRIVLINK_CHECK_NONE) {
		for (i = PRIVLINK_CHECK_A_PORT; i <= PRIVLINK_CHECK_A_MAX; i++) {
			if (tb[i]) {
				NL_SET_ERR_MSG_ATTR(extack, tb[i],
						    "a health check of protocol none takes no other setting");
				return -EINVAL;
			}
		}
		return 0;
	}
	if (proto != PRIVLINK_CHECK_HTTP) {
		for (i = PRIVLINK_CHECK_A_PATH; i <= PRIVLINK_CHECK_A_CODES; i++) {
			if (tb[i]) {
				NL_SET_ERR_MSG_ATTR(extack, tb[i],
						    "a path and status codes apply to HTTP health checks only");
				return -EINVAL;
			}
		}
	}

	chk = kzalloc(sizeof(*chk), GFP_KERNEL_ACCOUNT);
	if (!chk)
		return -ENOMEM;
	chk->proto = proto;
	chk->interval = PRIVLINK_CHECK_INTERVAL_DEFAULT;
	chk->timeout = PRIVLINK_CHECK_TIMEOUT_DEFAULT;
	chk->healthy = PRIVLINK_CHECK_HEALTHY_DEFAULT;
	chk->unhealthy = PRIVLINK_CHECK_UNHEALTHY_DEFAULT;
	strscpy(chk->path, PRIVLINK_CHECK_PATH_DEFAULT, sizeof(chk->path));
	strscpy(chk->codes, PRIVLINK_CHECK_CODES_DEFAULT, sizeof(chk->codes));
	if (tb[PRIVLINK_CHECK_A_PORT])
		chk->port = nla_get_u16(tb[PRIVLINK_CHECK_A_PORT]);
	if (tb[PRIVLINK_CHECK_A_INTERVAL])
		chk->interval = nla_get_u16(tb[PRIVLINK_CHECK_A_INTERVAL]);
	if (tb[PRIVLINK_CHECK_A_TIMEOUT])
		chk->timeout = nla_get_u16(tb[PRIVLINK_CHECK_A_TIMEOUT]);
	if (tb[PRIVLINK_CHECK_A_HEALTHY])
		chk->healthy = nla_get_u8(tb[PRIVLINK_CHECK_A_HEALTHY]);
	if (tb[PRIVLINK_CHECK_A_UNHEALTHY])
		chk->unhealthy = nla_get_u8(tb[PRIVLINK_CHECK_A_UNHEALTHY]);
	if (tb[PRIVLINK_CHECK_A_PATH])
		nla_strscpy(chk->path, tb[PRIVLINK_CHECK_A_PATH],
			    sizeof(chk->path));
	if (tb[PRIVLINK_CHECK_A_CODES])
		nla_strscpy(chk->codes, tb[PRIVLINK_CHECK_A_CODES],
			    sizeof(chk->codes));

	if (!privlink_path_valid(chk->path)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PRIVLINK_CHECK_A_PATH],
				    "a health check path starts with '/' and holds printable ASCII characters without spaces");
		goto inval;
	}
	if (!privlink_codes_valid(chk->codes)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PRIVLINK_CHECK_A_CODES],
				    "health check codes are HTTP statuses 200-599 and ranges of them, comma separated (e.g. 200,202-299)");
		goto inval;
	}
	if (chk->timeout > chk->interval) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PRIVLINK_CHECK_A_TIMEOUT] ?:
				    tb[PRIVLINK_CHECK_A_INTERVAL],
				    "a health check's timeout may not exceed its interval");
		goto inval;
	}
	*c = chk;
	return 0;
inval:
	kfree(chk);
	return -EINVAL;
}

/*
 * Give @svc the check @c (NULL: none), freeing the one it had.  Every
 * target's verdict starts over (INITIAL); their states stay.
 */
void privlink_check_replace(struct privlink_net *pn,
			    struct privlink_service *svc,
			    struct privlink_check *c)
{
	struct privlink_target *t;

	lockdep_assert_held(&pn->lock);
	kfree(svc->check);
	svc->check = c;
	list_for_each_entry(t, &svc->targets, svc_node)
		t->health = (struct privlink_health){
			.state = PRIVLINK_HEALTH_INITIAL,
			.reason = PRIVLINK_HEALTH_R_INITIAL,
		};
}

/* The HEALTH_CHECK nest of a service, all members; nothing without one. */
int privlink_check_fill(struct sk_buff *skb, const struct privlink_check *c)
{
	struct nlattr *nest;

	if (!c)
		return 0;
	nest = nla_nest_start(skb, PRIVLINK_SERVICE_A_HEALTH_CHECK);
	if (!nest ||
	    nla_put_u8(skb, PRIVLINK_CHECK_A_PROTO, c->proto) ||
	    nla_put_u16(skb, PRIVLINK_CHECK_A_PORT, c->port) ||
	    nla_put_u16(skb, PRIVLINK_CHECK_A_INTERVAL, c->interval) ||
	    nla_put_u16(skb, PRIVLINK_CHECK_A_TIMEOUT, c->timeout) ||
	    nla_put_u8(skb, PRIVLINK_CHECK_A_HEALTHY, c->healthy) ||
	    nla_put_u8(skb, PRIVLINK_CHECK_A_UNHEALTHY, c->unhealthy))
		return -EMSGSIZE;
	if (c->proto == PRIVLINK_CHECK_HTTP &&
	    (nla_put_string(skb, PRIVLINK_CHECK_A_PATH, c->path) ||
	     nla_put_string(skb, PRIVLINK_CHECK_A_CODES, c->codes)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * A new target of a checked service has no verdict yet; without a state
 * of the operator's it takes no new flows until a checker finds it
 * healthy, as an NLB's target in "initial".  Before it is published.
 */
void privlink_health_init(struct privlink_target *t, bool state_given)
{
	t->health = (struct privlink_health){
		.state = PRIVLINK_HEALTH_INITIAL,
		.reason = PRIVLINK_HEALTH_R_INITIAL,
	};
	if (t->service->check && !state_given)
		t->state = PRIVLINK_TARGET_UNHEALTHY;
}

/*
 * A checker's verdict on @t (a HEALTH nest, validated by
 * privlink_health_policy): kept, and made the target's state unless the
 * target is draining or the verdict is INITIAL.
 */
int privlink_health_set(struct privlink_net *pn, struct privlink_target *t,
			const struct nlattr *nest,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PRIVLINK_HEALTH_A_MAX + 1];
	struct privlink_health h = {};
	int err;

	lockdep_assert_held(&pn->lock);
	if (!t->service->check) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "the target's service has no health check");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, PRIVLINK_HEALTH_A_MAX, nest,
			       privlink_health_policy, extack);
	if (err)
		return err;
	if (!tb[PRIVLINK_HEALTH_A_STATE]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a health verdict needs its state");
		return -EINVAL;
	}
	h.state = nla_get_u8(tb[PRIVLINK_HEALTH_A_STATE]);
	if (tb[PRIVLINK_HEALTH_A_REASON])
		h.reason = nla_get_u8(tb[PRIVLINK_HEALTH_A_REASON]);
	if (tb[PRIVLINK_HEALTH_A_CODE])
		h.code = nla_get_u16(tb[PRIVLINK_HEALTH_A_CODE]);
	t->health = h;
	if (t->state == PRIVLINK_TARGET_DRAINING)
		return 0;
	if (h.state == PRIVLINK_HEALTH_HEALTHY)
		WRITE_ONCE(t->state, PRIVLINK_TARGET_HEALTHY);
	else if (h.state == PRIVLINK_HEALTH_UNHEALTHY)
		WRITE_ONCE(t->state, PRIVLINK_TARGET_UNHEALTHY);
	return 0;
}

/* A target's HEALTH nest, while its service has a check. */
int privlink_health_fill(struct sk_buff *skb, const struct privlink_target *t)
{
	struct nlattr *nest;

	if (!t->service->check)
		return 0;
	nest = nla_nest_start(skb, PRIVLINK_TARGET_A_HEALTH);
	if (!nest ||
	    nla_put_u8(skb, PRIVLINK_HEALTH_A_STATE, t->health.state) ||
	    nla_put_u8(skb, PRIVLINK_HEALTH_A_REASON, t->health.reason) ||
	    nla_put_u16(skb, PRIVLINK_HEALTH_A_CODE, t->health.code))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}
