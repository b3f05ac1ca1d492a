// SPDX-License-Identifier: GPL-2.0
/*
 * plctl: a service's health check (the "check" words of service add/set)
 * and a target's health (the checker's verdict, shown by target show).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/privlink.h>
#include "check.h"
#include "names.h"
#include "parse.h"
#include "plctl.h"
#include "print.h"

static struct nla_policy check_policy[PRIVLINK_CHECK_A_MAX + 1] = {
	[PRIVLINK_CHECK_A_PROTO]	= { .type = NLA_U8 },
	[PRIVLINK_CHECK_A_PORT]		= { .type = NLA_U16 },
	[PRIVLINK_CHECK_A_PATH]		= { .type = NLA_STRING },
	[PRIVLINK_CHECK_A_CODES]	= { .type = NLA_STRING },
	[PRIVLINK_CHECK_A_INTERVAL]	= { .type = NLA_U16 },
	[PRIVLINK_CHECK_A_TIMEOUT]	= { .type = NLA_U16 },
	[PRIVLINK_CHECK_A_HEALTHY]	= { .type = NLA_U8 },
	[PRIVLINK_CHECK_A_UNHEALTHY]	= { .type = NLA_U8 },
};

static struct nla_policy health_policy[PRIVLINK_HEALTH_A_MAX + 1] = {
	[PRIVLINK_HEALTH_A_STATE]	= { .type = NLA_U8 },
	[PRIVLINK_HEALTH_A_REASON]	= { .type = NLA_U8 },
	[PRIVLINK_HEALTH_A_CODE]	= { .type = NLA_U16 },
};

static const char *const check_words[] = {
	"check", "check-port", "check-path", "check-codes", "check-interval",
	"check-timeout", "healthy-threshold", "unhealthy-threshold", NULL
};

static int dup(const char *key)
{
	err_duplicate(key);
	return -1;
}

/* A string word no longer than @max - 1 bytes. */
static int arg_string(const char *key, const char *s, size_t max)
{
	if (!*s || strlen(s) >= max) {
		fprintf(stderr, "Error: \"%s\" takes 1 to %zu characters\n",
			key, max - 1);
		return -1;
	}
	return 0;
}

int check_parse(struct check_args *c, int *argc, char ***argv)
{
	const char *key = **argv, *val;
	uint32_t v;
	int w;

	w = parse_keyword(key, check_words);
	if (w < 0 || strcmp(key, check_words[w]))
		return 0;	/* not one of ours (exact words only) */
	if (*argc < 2)
		return err_needs_arg(key), -1;
	(*argc)--, (*argv)++;
	val = **argv;
	switch (w) {
	case 0:
		if (c->given)
			return dup(key);
		w = arg_keyword(key, val, check_proto_names);
		if (w < 0)
			return -1;
		c->given = 1;
		c->proto = w;
		break;
	case 1:
		if (c->has_port++)
			return dup(key);
		if (!strcmp(val, "traffic-port")) {
			c->port = 0;
			break;
		}
		if (arg_u32(key, val, 1, 65535, &v))
			return -1;
		c->port = v;
		break;
	case 2:
		if (c->path)
			return dup(key);
		if (arg_string(key, val, PRIVLINK_CHECK_PATH_MAX))
			return -1;
		c->path = val;
		break;
	case 3:
		if (c->codes)
			return dup(key);
		if (arg_string(key, val, PRIVLINK_CHECK_CODES_MAX))
			return -1;
		c->codes = val;
		break;
	case 4:
		if (c->interval)
			return dup(key);
		if (arg_u32(key, val, 1, PRIVLINK_CHECK_INTERVAL_MAX, &v))
			return -1;
		c->interval = v;
		break;
	case 5:
		if (c->timeout)
			return dup(key);
		if (arg_u32(key, val, 1, PRIVLINK_CHECK_TIMEOUT_MAX, &v))
			return -1;
		c->timeout = v;
		break;
	case 6:
	case 7:
		if (w == 6 ? c->healthy : c->unhealthy)
			return dup(key);
		if (arg_u32(key, val, PRIVLINK_CHECK_THRESHOLD_MIN,
			    PRIVLINK_CHECK_THRESHOLD_MAX, &v))
			return -1;
		*(w == 6 ? &c->healthy : &c->unhealthy) = v;
		break;
	}
	return 1;
}

/* The first check word given besides "check" itself, or NULL. */
static const char *first_member(const struct check_args *c)
{
	if (c->has_port)
		return "check-port";
	if (c->path)
		return "check-path";
	if (c->codes)
		return "check-codes";
	if (c->interval)
		return "check-interval";
	if (c->timeout)
		return "check-timeout";
	if (c->healthy)
		return "healthy-threshold";
	if (c->unhealthy)
		return "unhealthy-threshold";
	return NULL;
}

int check_finish(const struct check_args *c)
{
	const char *m = first_member(c);

	if (m && !c->given) {
		fprintf(stderr, "Error: \"%s\" needs \"check\"\n", m);
		return -1;
	}
	if (m && c->proto == PRIVLINK_CHECK_NONE) {
		fprintf(stderr, "Error: \"check none\" takes no \"%s\"\n", m);
		return -1;
	}
	if (c->proto != PRIVLINK_CHECK_HTTP && (c->path || c->codes)) {
		fprintf(stderr, "Error: \"%s\" needs \"check http\"\n",
			c->path ? "check-path" : "check-codes");
		return -1;
	}
	return 0;
}

int check_put(struct nl_msg *msg, const struct check_args *c)
{
	struct nlattr *nest;

	if (!c->given)
		return 0;
	nest = nla_nest_start(msg, PRIVLINK_SERVICE_A_HEALTH_CHECK);
	if (!nest ||
	    nla_put_u8(msg, PRIVLINK_CHECK_A_PROTO, c->proto) ||
	    (c->has_port &&
	     nla_put_u16(msg, PRIVLINK_CHECK_A_PORT, c->port)) ||
	    (c->path && nla_put_string(msg, PRIVLINK_CHECK_A_PATH, c->path)) ||
	    (c->codes &&
	     nla_put_string(msg, PRIVLINK_CHECK_A_CODES, c->codes)) ||
	    (c->interval &&
	     nla_put_u16(msg, PRIVLINK_CHECK_A_INTERVAL, c->interval)) ||
	    (c->timeout &&
	     nla_put_u16(msg, PRIVLINK_CHECK_A_TIMEOUT, c->timeout)) ||
	    (c->healthy &&
	     nla_put_u8(msg, PRIVLINK_CHECK_A_HEALTHY, c->healthy)) ||
	    (c->unhealthy &&
	     nla_put_u8(msg, PRIVLINK_CHECK_A_UNHEALTHY, c->unhealthy)))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

static unsigned int get_uint(struct nlattr **tb, int type, unsigned int dflt)
{
	if (!tb[type])
		return dflt;
	switch (nla_len(tb[type])) {
	case 1:
		return nla_get_u8(tb[type]);
	case 2:
		return nla_get_u16(tb[type]);
	}
	return dflt;
}

void check_print(struct nlattr *nest, int flags)
{
	struct nlattr *tb[PRIVLINK_CHECK_A_MAX + 1];
	unsigned int proto, port;
	char q[PRIVLINK_CHECK_PATH_MAX * 4 + 3];
	const char *s;

	if (!nest || nla_parse_nested(tb, PRIVLINK_CHECK_A_MAX, nest,
				      check_policy) < 0)
		return;
	proto = get_uint(tb, PRIVLINK_CHECK_A_PROTO, PRIVLINK_CHECK_NONE);
	if (proto == PRIVLINK_CHECK_NONE)
		return;
	port = get_uint(tb, PRIVLINK_CHECK_A_PORT, 0);
	print_open_object("health_check");
	print_str("protocol", " check %s", enum_name(check_proto_names, proto));
	if (print_is_json())
		print_uint("port", NULL, port);
	else if (port)
		print_uint(NULL, " check-port %" PRIu64, port);
	else
		print_str(NULL, " check-port %s", "traffic-port");
	if (proto == PRIVLINK_CHECK_HTTP) {
		s = nla_str_or_empty(tb[PRIVLINK_CHECK_A_PATH]);
		if (flags & PR_SAVE)
			s = quote_word(s, q, sizeof(q));
		print_str("path", " check-path %s", s);
		print_str("codes", " check-codes %s",
			  nla_str_or_empty(tb[PRIVLINK_CHECK_A_CODES]));
	}
	print_uint("interval", " check-interval %" PRIu64,
		   get_uint(tb, PRIVLINK_CHECK_A_INTERVAL,
			    PRIVLINK_CHECK_INTERVAL_DEFAULT));
	print_uint("timeout", " check-timeout %" PRIu64,
		   get_uint(tb, PRIVLINK_CHECK_A_TIMEOUT,
			    PRIVLINK_CHECK_TIMEOUT_DEFAULT));
	print_uint("healthy_threshold", " healthy-threshold %" PRIu64,
		   get_uint(tb, PRIVLINK_CHECK_A_HEALTHY,
			    PRIVLINK_CHECK_HEALTHY_DEFAULT));
	print_uint("unhealthy_threshold", " unhealthy-threshold %" PRIu64,
		   get_uint(tb, PRIVLINK_CHECK_A_UNHEALTHY,
			    PRIVLINK_CHECK_UNHEALTHY_DEFAULT));
	print_close_object();
}

void health_print(struct nlattr *nest)
{
	struct nlattr *tb[PRIVLINK_HEALTH_A_MAX + 1];
	unsigned int code;

	if (!nest || nla_parse_nested(tb, PRIVLINK_HEALTH_A_MAX, nest,
				      health_policy) < 0)
		return;
	code = get_uint(tb, PRIVLINK_HEALTH_A_CODE, 0);
	print_open_object("health");
	print_str("state", " health %s",
		  enum_name(health_state_names,
			    get_uint(tb, PRIVLINK_HEALTH_A_STATE, 0)));
	print_str("reason", " reason %s",
		  enum_name(health_reason_names,
			    get_uint(tb, PRIVLINK_HEALTH_A_REASON, 0)));
	if (print_is_json() || code)
		print_uint("code", " code %" PRIu64, code);
	print_close_object();
}
