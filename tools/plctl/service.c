// SPDX-License-Identifier: GPL-2.0
/*
 * plctl service: endpoint services of provider VPCs.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/privlink.h>
#include "check.h"
#include "names.h"
#include "parse.h"
#include "plctl.h"
#include "print.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: plctl service add [NAME] vpc VPC listener { tcp | udp }/PORT[:TARGETPORT]...\n"
		"                         nlb AZ ADDR[,ADDR]... [ip-types { ipv4 | ipv6 | dualstack }]\n"
		"                         [acceptance { required | auto }]\n"
		"                         [principal { ACCOUNT | * }]... [cross-zone { on | off }]\n"
		"                         [idle-timeout SECONDS] [CHECK]\n"
		"       plctl service del NAME\n"
		"       plctl service set NAME [acceptance { required | auto }]\n"
		"                         [principal { ACCOUNT | * }... | noprincipal]\n"
		"                         [cross-zone { on | off }] [idle-timeout SECONDS]\n"
		"                         [CHECK]\n"
		"       plctl service show [NAME]\n"
		"CHECK := check { tcp | http | none } [check-port { PORT | traffic-port }]\n"
		"         [check-path PATH] [check-codes CODES] [check-interval SECONDS]\n"
		"         [check-timeout SECONDS] [healthy-threshold N] [unhealthy-threshold N]\n");
}

static struct nla_policy policy[PRIVLINK_SERVICE_A_MAX + 1] = {
	[PRIVLINK_SERVICE_A_NAME]		= { .type = NLA_STRING },
	[PRIVLINK_SERVICE_A_VPC]		= { .type = NLA_STRING },
	[PRIVLINK_SERVICE_A_LISTENERS]		= { .type = NLA_NESTED },
	[PRIVLINK_SERVICE_A_NLB_NODES]		= { .type = NLA_NESTED },
	[PRIVLINK_SERVICE_A_ACCEPTANCE]		= { .type = NLA_U8 },
	[PRIVLINK_SERVICE_A_PRINCIPALS]		= { .type = NLA_NESTED },
	[PRIVLINK_SERVICE_A_CROSS_ZONE]		= { .type = NLA_U8 },
	[PRIVLINK_SERVICE_A_IDLE_TIMEOUT]	= { .type = NLA_U32 },
	[PRIVLINK_SERVICE_A_ENDPOINTS]		= { .type = NLA_U32 },
	[PRIVLINK_SERVICE_A_HEALTH_CHECK]	= { .type = NLA_NESTED },
	[PRIVLINK_SERVICE_A_IP_TYPES]		= { .type = NLA_U8 },
};

static struct nla_policy listener_policy[PRIVLINK_LISTENER_A_MAX + 1] = {
	[PRIVLINK_LISTENER_A_PROTO]		= { .type = NLA_U8 },
	[PRIVLINK_LISTENER_A_PORT]		= { .type = NLA_U16 },
	[PRIVLINK_LISTENER_A_TARGET_PORT]	= { .type = NLA_U16 },
};

static struct nla_policy node_policy[PRIVLINK_NLB_NODE_A_MAX + 1] = {
	[PRIVLINK_NLB_NODE_A_AZ]	= { .type = NLA_STRING },
	[PRIVLINK_NLB_NODE_A_ADDR]	= { .type = NLA_U32 },
	[PRIVLINK_NLB_NODE_A_ADDR6]	= NLA_POLICY_ADDR6,
};

static void print_listeners(struct nlattr *nest)
{
	struct nlattr *tb[PRIVLINK_LISTENER_A_MAX + 1], *a;
	unsigned int proto, port, tport;
	const char *pname;
	char buf[8];
	int rem;

	print_open_array("listeners");
	if (nest) {
		nla_for_each_nested(a, nest, rem) {
			if (nla_type(a) != PRIVLINK_SERVICE_A_LISTENER ||
			    nla_parse_nested(tb, PRIVLINK_LISTENER_A_MAX, a,
					     listener_policy) < 0 ||
			    !tb[PRIVLINK_LISTENER_A_PROTO] ||
			    !tb[PRIVLINK_LISTENER_A_PORT])
				continue;
			proto = nla_get_u8(tb[PRIVLINK_LISTENER_A_PROTO]);
			port = nla_get_u16(tb[PRIVLINK_LISTENER_A_PORT]);
			tport = tb[PRIVLINK_LISTENER_A_TARGET_PORT] ?
				nla_get_u16(tb[PRIVLINK_LISTENER_A_TARGET_PORT]) :
				port;
			pname = proto_name(proto);
			if (!pname) {
				snprintf(buf, sizeof(buf), "%u", proto);
				pname = buf;
			}
			print_open_object(NULL);
			print_str("proto", " listener %s", pname);
			print_uint("port", "/%" PRIu64, port);
			print_uint("target_port",
				   tport != port ? ":%" PRIu64 : NULL, tport);
			print_close_object();
		}
	}
	print_close_array();
}

static void print_nodes(struct nlattr *nest)
{
	struct nlattr *tb[PRIVLINK_NLB_NODE_A_MAX + 1], *a;
	struct ip_pair addr;
	int rem;

	print_open_array("nlb_nodes");
	if (nest) {
		nla_for_each_nested(a, nest, rem) {
			if (nla_type(a) != PRIVLINK_SERVICE_A_NLB_NODE ||
			    nla_parse_nested(tb, PRIVLINK_NLB_NODE_A_MAX, a,
					     node_policy) < 0 ||
			    !tb[PRIVLINK_NLB_NODE_A_AZ] ||
			    !nla_get_ip_pair(tb[PRIVLINK_NLB_NODE_A_ADDR],
					     tb[PRIVLINK_NLB_NODE_A_ADDR6], &addr))
				continue;
			print_open_object(NULL);
			print_str("az", " nlb %s",
				  nla_get_string(tb[PRIVLINK_NLB_NODE_A_AZ]));
			print_ip_pair("addr", "addr6", " %s", &addr);
			print_close_object();
		}
	}
	print_close_array();
}

static void print_principals(struct nlattr *nest, int flags)
{
	char q[2 * PRIVLINK_NAME_MAX + 3];
	struct nlattr *a;
	const char *s;
	int rem;

	print_open_array("principals");
	if (nest) {
		nla_for_each_nested(a, nest, rem) {
			if (nla_type(a) != PRIVLINK_SERVICE_A_PRINCIPAL ||
			    nla_len(a) < 1 ||
			    ((char *)nla_data(a))[nla_len(a) - 1])
				continue;
			s = nla_get_string(a);
			if (flags & PR_SAVE)
				s = quote_word(s, q, sizeof(q));
			print_str(NULL, " principal %s", s);
		}
	}
	print_close_array();
}

int service_print(const struct nlattr *nest, const char *key, int flags)
{
	struct nlattr *tb[PRIVLINK_SERVICE_A_MAX + 1];
	unsigned int acc = PRIVLINK_ACCEPTANCE_REQUIRED;

	if (nla_parse_nested(tb, PRIVLINK_SERVICE_A_MAX, (struct nlattr *)nest,
			     policy) < 0 || !tb[PRIVLINK_SERVICE_A_NAME])
		return -1;
	if (tb[PRIVLINK_SERVICE_A_ACCEPTANCE])
		acc = nla_get_u8(tb[PRIVLINK_SERVICE_A_ACCEPTANCE]);
	if (flags & PR_SAVE)	/* see save.c: "auto" is set after the endpoints */
		acc = PRIVLINK_ACCEPTANCE_REQUIRED;

	print_open_object(key);
	print_str("name", "%s", nla_get_string(tb[PRIVLINK_SERVICE_A_NAME]));
	print_str("vpc", " vpc %s", tb[PRIVLINK_SERVICE_A_VPC] ?
		  nla_get_string(tb[PRIVLINK_SERVICE_A_VPC]) : "");
	print_listeners(tb[PRIVLINK_SERVICE_A_LISTENERS]);
	print_nodes(tb[PRIVLINK_SERVICE_A_NLB_NODES]);
	print_str("acceptance", " acceptance %s",
		  enum_name(acceptance_names, acc));
	print_principals(tb[PRIVLINK_SERVICE_A_PRINCIPALS], flags);
	print_bool_word("cross_zone", " cross-zone %s",
			tb[PRIVLINK_SERVICE_A_CROSS_ZONE] &&
			nla_get_u8(tb[PRIVLINK_SERVICE_A_CROSS_ZONE]),
			"on", "off");
	print_uint("idle_timeout", " idle-timeout %" PRIu64,
		   tb[PRIVLINK_SERVICE_A_IDLE_TIMEOUT] ?
		   nla_get_u32(tb[PRIVLINK_SERVICE_A_IDLE_TIMEOUT]) :
		   PRIVLINK_IDLE_TIMEOUT_DEFAULT);
	check_print(tb[PRIVLINK_SERVICE_A_HEALTH_CHECK], flags);
	if (tb[PRIVLINK_SERVICE_A_IP_TYPES]) {
		unsigned int t = nla_get_u8(tb[PRIVLINK_SERVICE_A_IP_TYPES]);

		/* text: only when not the default, ipv4 (JSON: always) */
		print_str("ip_types", t != PRIVLINK_IP_V4 ? " ip-types %s" : NULL,
			  t ? enum_name(ip_type_names, t) : "unknown");
	}
	if (!(flags & PR_SAVE)) {
		print_uint("endpoints", " endpoints %" PRIu64,
			   tb[PRIVLINK_SERVICE_A_ENDPOINTS] ?
			   nla_get_u32(tb[PRIVLINK_SERVICE_A_ENDPOINTS]) : 0);
		print_nl();
	}
	print_close_object();
	return 0;
}

struct service_args {
	const char *name, *vpc;
	int nlisteners;
	struct {
		uint8_t proto;
		uint16_t port, tport;
	} listeners[PRIVLINK_MAX_LISTENERS];
	int nnodes;
	struct {
		const char *az;
		struct ip_pair addr;
	} nodes[PRIVLINK_MAX_AZS];
	int ip_types;			/* -1: not given */
	int acceptance;			/* -1: not given */
	int nprincipals;		/* -1: not given */
	const char *principals[PRIVLINK_MAX_PRINCIPALS];
	int cross_zone;			/* -1: not given */
	int has_idle;
	uint32_t idle_timeout;
	struct check_args check;
};

static int too_many(const char *what, int max)
{
	fprintf(stderr, "Error: at most %d %s per service\n", max, what);
	return -1;
}

/*
 * Parse the keywords of add (@add) or set; 0 or EXIT_USAGE.
 */
static int parse_args(struct service_args *s, int argc, char **argv, int add)
{
	int v, noprincipal = 0;

	for (; argc > 0; argc--, argv++) {
		if (add && !strcmp(*argv, "vpc")) {
			NEXT_ARG();
			if (s->vpc)
				return err_duplicate("vpc"), EXIT_USAGE;
			if (arg_name(*argv))
				return EXIT_USAGE;
			s->vpc = *argv;
		} else if (add && !strcmp(*argv, "listener")) {
			NEXT_ARG();
			for (;;) {
				if (s->nlisteners == PRIVLINK_MAX_LISTENERS)
					return too_many("listeners", PRIVLINK_MAX_LISTENERS), EXIT_USAGE;
				if (arg_listener(*argv,
						 &s->listeners[s->nlisteners].proto,
						 &s->listeners[s->nlisteners].port,
						 &s->listeners[s->nlisteners].tport))
					return EXIT_USAGE;
				s->nlisteners++;
				/* more specs may follow one "listener" */
				if (argc < 2 || (strncmp(argv[1], "tcp/", 4) &&
						 strncmp(argv[1], "udp/", 4)))
					break;
				argc--, argv++;
			}
		} else if (add && !strcmp(*argv, "nlb")) {
			if (argc < 3)
				return err_needs_args("nlb", "an AZ and an address"),
				       EXIT_USAGE;
			NEXT_ARG();
			if (arg_name(*argv))
				return EXIT_USAGE;
			if (s->nnodes == PRIVLINK_MAX_AZS)
				return too_many("NLB nodes", PRIVLINK_MAX_AZS), EXIT_USAGE;
			s->nodes[s->nnodes].az = *argv;
			NEXT_ARG();
			if (arg_ip_pair(*argv, &s->nodes[s->nnodes].addr))
				return EXIT_USAGE;
			s->nnodes++;
		} else if (add && !strcmp(*argv, "ip-types")) {
			NEXT_ARG();
			if (s->ip_types >= 0)
				return err_duplicate("ip-types"), EXIT_USAGE;
			s->ip_types = arg_keyword("ip-types", *argv,
						  ip_type_names);
			if (s->ip_types < 0)
				return EXIT_USAGE;
		} else if (!strcmp(*argv, "acceptance")) {
			NEXT_ARG();
			if (s->acceptance >= 0)
				return err_duplicate("acceptance"), EXIT_USAGE;
			s->acceptance = arg_keyword("acceptance", *argv,
						    acceptance_names);
			if (s->acceptance < 0)
				return EXIT_USAGE;
		} else if (!strcmp(*argv, "principal")) {
			NEXT_ARG();
			if (noprincipal)
				return err_exclusive("noprincipal", "principal"),
				       EXIT_USAGE;
			if (s->nprincipals < 0)
				s->nprincipals = 0;
			if (s->nprincipals == PRIVLINK_MAX_PRINCIPALS)
				return too_many("principals", PRIVLINK_MAX_PRINCIPALS), EXIT_USAGE;
			if (strcmp(*argv, "*") && arg_account(*argv))
				return EXIT_USAGE;
			s->principals[s->nprincipals++] = *argv;
		} else if (!add && !strcmp(*argv, "noprincipal")) {
			if (s->nprincipals > 0)
				return err_exclusive("noprincipal", "principal"),
				       EXIT_USAGE;
			if (noprincipal++)
				return err_duplicate("noprincipal"), EXIT_USAGE;
			s->nprincipals = 0;
		} else if (!strcmp(*argv, "cross-zone")) {
			NEXT_ARG();
			if (s->cross_zone >= 0)
				return err_duplicate("cross-zone"), EXIT_USAGE;
			v = arg_keyword("cross-zone", *argv, onoff_names);
			if (v < 0)
				return EXIT_USAGE;
			s->cross_zone = v;
		} else if ((v = check_parse(&s->check, &argc, &argv))) {
			if (v < 0)
				return EXIT_USAGE;
		} else if (!strcmp(*argv, "idle-timeout")) {
			NEXT_ARG();
			if (s->has_idle++)
				return err_duplicate("idle-timeout"), EXIT_USAGE;
			if (arg_u32("idle-timeout", *argv,
				    PRIVLINK_IDLE_TIMEOUT_MIN,
				    PRIVLINK_IDLE_TIMEOUT_MAX,
				    &s->idle_timeout))
				return EXIT_USAGE;
		} else {
			return err_unknown(*argv), EXIT_USAGE;
		}
	}
	return check_finish(&s->check) ? EXIT_USAGE : 0;
}

static int put_service(struct nl_msg *msg, const struct service_args *s)
{
	struct nlattr *nest, *list, *item;
	int i;

	nest = nla_nest_start(msg, PRIVLINK_A_SERVICE);
	if (!nest)
		return -1;
	if (s->name && nla_put_string(msg, PRIVLINK_SERVICE_A_NAME, s->name))
		return -1;
	if (s->vpc && nla_put_string(msg, PRIVLINK_SERVICE_A_VPC, s->vpc))
		return -1;
	if (s->nlisteners) {
		list = nla_nest_start(msg, PRIVLINK_SERVICE_A_LISTENERS);
		if (!list)
			return -1;
		for (i = 0; i < s->nlisteners; i++) {
			item = nla_nest_start(msg, PRIVLINK_SERVICE_A_LISTENER);
			if (!item ||
			    nla_put_u8(msg, PRIVLINK_LISTENER_A_PROTO,
				       s->listeners[i].proto) ||
			    nla_put_u16(msg, PRIVLINK_LISTENER_A_PORT,
					s->listeners[i].port) ||
			    nla_put_u16(msg, PRIVLINK_LISTENER_A_TARGET_PORT,
					s->listeners[i].tport))
				return -1;
			nla_nest_end(msg, item);
		}
		nla_nest_end(msg, list);
	}
	if (s->nnodes) {
		list = nla_nest_start(msg, PRIVLINK_SERVICE_A_NLB_NODES);
		if (!list)
			return -1;
		for (i = 0; i < s->nnodes; i++) {
			item = nla_nest_start(msg, PRIVLINK_SERVICE_A_NLB_NODE);
			if (!item ||
			    nla_put_string(msg, PRIVLINK_NLB_NODE_A_AZ,
					   s->nodes[i].az) ||
			    nla_put_ip_pair(msg, PRIVLINK_NLB_NODE_A_ADDR,
					    PRIVLINK_NLB_NODE_A_ADDR6,
					    &s->nodes[i].addr))
				return -1;
			nla_nest_end(msg, item);
		}
		nla_nest_end(msg, list);
	}
	if (s->ip_types >= 0 &&
	    nla_put_u8(msg, PRIVLINK_SERVICE_A_IP_TYPES, s->ip_types))
		return -1;
	if (s->acceptance >= 0 &&
	    nla_put_u8(msg, PRIVLINK_SERVICE_A_ACCEPTANCE, s->acceptance))
		return -1;
	if (s->nprincipals == 0) {
		/* nla_nest_end() would drop an empty nest */
		if (nla_put(msg, PRIVLINK_SERVICE_A_PRINCIPALS | NLA_F_NESTED,
			    0, NULL))
			return -1;
	} else if (s->nprincipals > 0) {
		list = nla_nest_start(msg, PRIVLINK_SERVICE_A_PRINCIPALS);
		if (!list)
			return -1;
		for (i = 0; i < s->nprincipals; i++)
			if (nla_put_string(msg, PRIVLINK_SERVICE_A_PRINCIPAL,
					   s->principals[i]))
				return -1;
		nla_nest_end(msg, list);
	}
	if (s->cross_zone >= 0 &&
	    nla_put_u8(msg, PRIVLINK_SERVICE_A_CROSS_ZONE, s->cross_zone))
		return -1;
	if (s->has_idle &&
	    nla_put_u32(msg, PRIVLINK_SERVICE_A_IDLE_TIMEOUT, s->idle_timeout))
		return -1;
	if (check_put(msg, &s->check))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

static const char *const add_keywords[] = {
	"vpc", "listener", "nlb", "ip-types", "acceptance", "principal", "cross-zone",
	"idle-timeout", "check", "check-port", "check-path", "check-codes",
	"check-interval", "check-timeout", "healthy-threshold",
	"unhealthy-threshold", NULL
};

#define MSG_SIZE 16384	/* 64 principals do not fit in a page */

static int service_add(int argc, char **argv)
{
	struct service_args s = {
		.acceptance = -1, .nprincipals = -1, .cross_zone = -1,
		.ip_types = -1,
	};
	struct nl_msg *msg;
	int rc;

	if (argc > 0 && parse_keyword(*argv, add_keywords) < 0) {
		if (arg_name(*argv))
			return EXIT_USAGE;
		s.name = *argv;
		argc--, argv++;
	}
	rc = parse_args(&s, argc, argv, 1);
	if (rc)
		return rc;
	if (!s.vpc)
		return err_missing("vpc"), EXIT_USAGE;
	if (!s.nlisteners)
		return err_missing("listener"), EXIT_USAGE;
	if (!s.nnodes)
		return err_missing("nlb"), EXIT_USAGE;
	msg = cmd_msg(PRIVLINK_CMD_SERVICE_ADD, 0, MSG_SIZE);
	if (!msg)
		return EXIT_FAIL;
	msg = cmd_msg_end(msg, put_service(msg, &s));
	return cmd_request(msg, plctl_opts.echo || !s.name);
}

static int service_set(int argc, char **argv)
{
	struct service_args s = {
		.acceptance = -1, .nprincipals = -1, .cross_zone = -1,
		.ip_types = -1,
	};
	struct nl_msg *msg;
	int rc;

	if (argc < 1)
		return err_needs_arg(argv[-1]), EXIT_USAGE;
	if (arg_name(*argv))
		return EXIT_USAGE;
	s.name = *argv;
	rc = parse_args(&s, argc - 1, argv + 1, 0);
	if (rc)
		return rc;
	if (s.acceptance < 0 && s.nprincipals < 0 && s.cross_zone < 0 &&
	    !s.has_idle && !s.check.given) {
		fprintf(stderr, "Error: \"set\" needs at least one of \"acceptance\", \"principal\", \"noprincipal\", \"cross-zone\", \"idle-timeout\", \"check\"\n");
		return EXIT_USAGE;
	}
	msg = cmd_msg(PRIVLINK_CMD_SERVICE_SET, 0, MSG_SIZE);
	if (!msg)
		return EXIT_FAIL;
	msg = cmd_msg_end(msg, put_service(msg, &s));
	return cmd_request(msg, plctl_opts.echo);
}

int do_service(int argc, char **argv)
{
	if (argc < 1)
		return cmd_name(PRIVLINK_CMD_SERVICE_GET, PRIVLINK_A_SERVICE,
				PRIVLINK_SERVICE_A_NAME, 0, argv,
				CN_OPTIONAL | CN_SHOW);
	if (matches(*argv, "add"))
		return service_add(argc - 1, argv + 1);
	if (matches(*argv, "delete"))
		return cmd_name(PRIVLINK_CMD_SERVICE_DEL, PRIVLINK_A_SERVICE,
				PRIVLINK_SERVICE_A_NAME, argc - 1, argv + 1, 0);
	if (matches(*argv, "show") || matches(*argv, "list"))
		return cmd_name(PRIVLINK_CMD_SERVICE_GET, PRIVLINK_A_SERVICE,
				PRIVLINK_SERVICE_A_NAME, argc - 1, argv + 1,
				CN_OPTIONAL | CN_SHOW);
	if (matches(*argv, "set"))
		return service_set(argc - 1, argv + 1);
	if (matches(*argv, "help")) {
		usage(stdout);
		return 0;
	}
	return cmd_unknown("service", *argv);
}
