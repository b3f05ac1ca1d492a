// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests of plctl's userspace code (no kernel needed): the
 * print path, the argument parsers, the batch line splitter, and the object
 * printers fed with hand-made netlink messages.  Prints TAP; exits non-zero
 * on any failure.  Run by 'make unit' under valgrind.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/privlink.h>
#include "../names.h"
#include "../parse.h"
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

/* Run @fn with output captured into a string. */
static char *capture(void (*fn)(void), int json, int pretty)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	print_init(f, json, pretty);
	fn();
	print_flush();
	fclose(f);
	return buf;
}

static void sample(void)
{
	print_open_object(NULL);
	print_str("name", "name %s", "svc\"1\n");
	print_uint("port", " port %lu", 443);
	print_open_array("azs");
	print_str(NULL, " %s", "use1-az1");
	print_str(NULL, " %s", "use1-az2");
	print_close_array();
	print_bool("up", " up %s", 1);
	print_int("delta", NULL, -3);
	print_bool_word("cz", " cross-zone %s", 0, "on", "off");
	print_ipv4("addr", " %s", htonl(0x0a000001));
	print_hex("key", " key %s", "\x00\x01\xab\xff", 4);
	print_nl();
	print_close_object();
}

static void two_docs(void)
{
	print_open_object(NULL);
	print_uint("a", NULL, 1);
	print_close_object();
	print_open_object(NULL);
	print_open_object("b");
	print_close_object();
	print_close_object();
}

static void test_print(void)
{
	char *s;

	s = capture(sample, 0, 0);
	ok_str("name svc\"1\n port 443 use1-az1 use1-az2 up true cross-zone off 10.0.0.1 key 0001abff\n", s,
	       "text output uses the text formats");
	free(s);
	s = capture(sample, 1, 0);
	ok_str("{\"name\":\"svc\\\"1\\n\",\"port\":443,\"azs\":[\"use1-az1\",\"use1-az2\"],\"up\":true,\"delta\":-3,\"cz\":false,\"addr\":\"10.0.0.1\",\"key\":\"0001abff\"}\n",
	       s, "json output: escaping, arrays, numbers, booleans, hex");
	free(s);
	s = capture(two_docs, 1, 0);
	ok_str("{\"a\":1}\n{\"b\":{}}\n", s,
	       "json: one document per line, empty objects");
	free(s);
	s = capture(two_docs, 1, 1);
	ok_str("{\n    \"a\": 1\n}\n{\n    \"b\": {}\n}\n", s, "pretty json");
	free(s);
}

static void test_parsers(void)
{
	uint32_t a, v;
	uint16_t port, tport;
	uint8_t plen, proto;

	ok(!parse_ipv4("10.0.0.1", &a) && a == htonl(0x0a000001), "ipv4: 10.0.0.1");
	ok(parse_ipv4("10.0.0.300", &a) < 0, "ipv4: 10.0.0.300 is bad");
	ok(parse_ipv4("10.0.0", &a) < 0, "ipv4: 10.0.0 is bad");
	ok(parse_ipv4("", &a) < 0, "ipv4: empty is bad");
	ok(parse_ipv4("10.0.0.1 ", &a) < 0, "ipv4: trailing space is bad");
	ok(parse_ipv4("::1", &a) < 0, "ipv4: IPv6 is bad");

	ok(!parse_cidr("10.0.0.0/24", &a, &plen) && a == htonl(0x0a000000) &&
	   plen == 24, "cidr: 10.0.0.0/24");
	ok(!parse_cidr("0.0.0.0/0", &a, &plen) && plen == 0, "cidr: /0");
	ok(!parse_cidr("1.2.3.4/32", &a, &plen) && plen == 32, "cidr: /32");
	ok(parse_cidr("10.0.0.0/33", &a, &plen) < 0, "cidr: /33 is bad");
	ok(parse_cidr("10.0.0.0", &a, &plen) < 0, "cidr: no length is bad");
	ok(parse_cidr("10.0.0.0/", &a, &plen) < 0, "cidr: empty length is bad");
	ok(parse_cidr("10.0.0.0/-1", &a, &plen) < 0, "cidr: negative is bad");
	ok(parse_cidr("10.0.0.0/24x", &a, &plen) < 0, "cidr: junk is bad");
	ok(parse_cidr("10.0.0.256/24", &a, &plen) < 0, "cidr: bad address");
	ok(parse_cidr("1111111111111111111/8", &a, &plen) < 0, "cidr: long address");

	ok(!parse_addr_port("172.16.1.10:8443", &a, &port) &&
	   a == htonl(0xac10010a) && port == 8443, "addr:port");
	ok(!parse_addr_port("172.16.1.10", &a, &port) && port == 0,
	   "addr without port: port 0");
	ok(parse_addr_port("172.16.1.10:0", &a, &port) < 0, "port 0 is bad");
	ok(parse_addr_port("172.16.1.10:65536", &a, &port) < 0, "port 65536 is bad");
	ok(parse_addr_port("172.16.1.10:", &a, &port) < 0, "empty port is bad");
	ok(parse_addr_port("172.16.1.10:80:1", &a, &port) < 0, "two ports is bad");
	ok(parse_addr_port("host:80", &a, &port) < 0, "names are bad");

	ok(!parse_listener("tcp/443:8443", &proto, &port, &tport) &&
	   proto == IPPROTO_TCP && port == 443 && tport == 8443,
	   "listener tcp/443:8443");
	ok(!parse_listener("udp/53", &proto, &port, &tport) &&
	   proto == IPPROTO_UDP && port == 53 && tport == 53,
	   "listener udp/53: target port defaults to the port");
	ok(parse_listener("sctp/1", &proto, &port, &tport) < 0, "listener: sctp is bad");
	ok(parse_listener("TCP/1", &proto, &port, &tport) < 0, "listener: TCP is bad");
	ok(parse_listener("tcp", &proto, &port, &tport) < 0, "listener: no port is bad");
	ok(parse_listener("tcp/", &proto, &port, &tport) < 0, "listener: empty port is bad");
	ok(parse_listener("tcp/0", &proto, &port, &tport) < 0, "listener: port 0 is bad");
	ok(parse_listener("tcp/80:", &proto, &port, &tport) < 0, "listener: empty target port");
	ok(parse_listener("tcp/80:70000", &proto, &port, &tport) < 0, "listener: target port range");
	ok(parse_listener("tcp/123456789", &proto, &port, &tport) < 0, "listener: long port");
	ok(parse_listener("tcp/80:81:82", &proto, &port, &tport) < 0, "listener: junk");

	ok(!parse_u32("1", 1, 100, &v) && v == 1, "u32: low bound");
	ok(!parse_u32("100", 1, 100, &v) && v == 100, "u32: high bound");
	ok(parse_u32("0", 1, 100, &v) < 0, "u32: below");
	ok(parse_u32("101", 1, 100, &v) < 0, "u32: above");
	ok(parse_u32("+5", 1, 100, &v) < 0, "u32: sign");
	ok(parse_u32("5x", 1, 100, &v) < 0, "u32: junk");
	ok(parse_u32("", 0, 100, &v) < 0, "u32: empty");
	ok(!parse_u32("4294967295", 0, 0xffffffff, &v) && v == 0xffffffff, "u32: max");
	ok(parse_u32("4294967296", 0, 0xffffffff, &v) < 0, "u32: overflow");
	ok(parse_u32("99999999999", 0, 0xffffffff, &v) < 0, "u32: long");

	{
		uint8_t key[16], want[16] = {
			0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
			0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
		};

		ok(!parse_hex("00112233445566778899aabbccddeeff", key, 16) &&
		   !memcmp(key, want, 16), "hex: 32 digits");
		memset(key, 0, sizeof(key));
		ok(!parse_hex("00112233445566778899AABBCCDDEEFF", key, 16) &&
		   !memcmp(key, want, 16), "hex: upper case");
		memset(key, 0x5a, sizeof(key));
		ok(parse_hex("00112233445566778899aabbccddeef", key, 16) < 0,
		   "hex: 31 digits are bad");
		ok(parse_hex("00112233445566778899aabbccddeeff0", key, 16) < 0,
		   "hex: 33 digits are bad");
		ok(parse_hex("00112233445566778899aabbccddeefg", key, 16) < 0,
		   "hex: non-hex is bad");
		ok(parse_hex("0x112233445566778899aabbccddeeff", key, 16) < 0,
		   "hex: 0x is bad");
		ok(parse_hex("00112233445566778899aabbccdd eef", key, 16) < 0,
		   "hex: a space is bad");
		ok(parse_hex("", key, 16) < 0, "hex: empty is bad");
		ok(key[0] == 0x5a && key[15] == 0x5a,
		   "hex: the buffer is left alone on error");
	}

	ok(matches("a", "add") && matches("add", "add") && !matches("adds", "add") &&
	   !matches("", "add"), "verb abbreviation");
	ok(parse_keyword("up", az_state_names) == PRIVLINK_AZ_UP &&
	   parse_keyword("down", az_state_names) == PRIVLINK_AZ_DOWN &&
	   parse_keyword("d", az_state_names) < 0, "keywords are exact");
	ok(parse_keyword("required", acceptance_names) == PRIVLINK_ACCEPTANCE_REQUIRED &&
	   parse_keyword("draining", target_state_names) == PRIVLINK_TARGET_DRAINING,
	   "keyword tables follow the uapi enums");

	ok(!parse_name("use1-az1") && !parse_name("a.b_c:d-E9"), "names");
	ok(parse_name("") < 0 && parse_name("a b") < 0 && parse_name("a/b") < 0,
	   "bad names");
	ok(!parse_name("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") &&
	   parse_name("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") < 0,
	   "names: 63 characters at most");
	ok(!parse_account("111111111111") && parse_account("a b") < 0 &&
	   parse_account("") < 0, "accounts");
	ok(!parse_account("acct-1.a_b:c") && parse_account("a/b") < 0 &&
	   parse_account("a@b") < 0 && parse_account("\xc3\xa9") < 0 &&
	   parse_account("\xe9") < 0,
	   "accounts: as names, [A-Za-z0-9._:-] as the kernel checks");
}

static void test_names(void)
{
	ok_str("endpoint-accept", cmd_event_name(PRIVLINK_CMD_ENDPOINT_ACCEPT),
	       "event name of ENDPOINT_ACCEPT");
	ok_str("eni-del", cmd_event_name(PRIVLINK_CMD_ENI_DEL), "event name of ENI_DEL");
	ok(!cmd_event_name(PRIVLINK_CMD_AZ_GET) && !cmd_event_name(1000),
	   "GETs and unknown commands have no event name");
	ok_str("pendingAcceptance", enum_name(endpoint_state_names, 0), "endpoint state 0");
	ok_str("unknown", enum_name(endpoint_state_names, 9), "out of range state");
	ok_str("tcp", proto_name(IPPROTO_TCP), "proto tcp");
}

static void test_split(void)
{
	char line[256], *argv[8];
	int argc;

	strcpy(line, "  endpoint add\tvpce-1 vpc a\n");
	argc = split_line(line, argv, 8);
	ok(argc == 5 && !strcmp(argv[0], "endpoint") && !strcmp(argv[1], "add") &&
	   !strcmp(argv[2], "vpce-1") && !strcmp(argv[4], "a"),
	   "split: whitespace separated words");
	strcpy(line, "vpc add x account \"a b\" cidr 'c \"d' e\\ f");
	argc = split_line(line, argv, 8);
	ok(argc == 8 && !strcmp(argv[4], "a b") && !strcmp(argv[6], "c \"d") &&
	   !strcmp(argv[7], "e f"), "split: quotes and escapes");
	strcpy(line, "a \"\\\"\"x");
	argc = split_line(line, argv, 8);
	ok(argc == 2 && !strcmp(argv[1], "\"x"), "split: escaped quote in quotes");
	strcpy(line, "a \"\" b");
	argc = split_line(line, argv, 8);
	ok(argc == 3 && !strcmp(argv[1], ""), "split: empty quoted word");
	strcpy(line, "   # a comment");
	ok(split_line(line, argv, 8) == 0, "split: comment line");
	strcpy(line, "\n");
	ok(split_line(line, argv, 8) == 0, "split: blank line");
	strcpy(line, "az add x # trailing comment");
	ok(split_line(line, argv, 8) == 3, "split: trailing comment");
	strcpy(line, "az add \"x");
	ok(split_line(line, argv, 8) < 0, "split: unterminated quote");
	strcpy(line, "1 2 3 4 5 6 7 8 9");
	ok(split_line(line, argv, 8) < 0, "split: too many words");
}

static void test_quote(void)
{
	char buf[64], line[80], *argv[4];

	ok_str("abc", quote_word("abc", buf, sizeof(buf)), "quote: plain word");
	ok_str("\"a b\"", quote_word("a b", buf, sizeof(buf)), "quote: space");
	ok_str("\"\"", quote_word("", buf, sizeof(buf)), "quote: empty");
	snprintf(line, sizeof(line), "%s", quote_word("x\"y\\z #", buf, sizeof(buf)));
	ok(split_line(line, argv, 4) == 1 && !strcmp(argv[0], "x\"y\\z #"),
	   "quote: split_line reads back what quote_word wrote");
}

/* ---- object printers, fed with hand-made netlink messages ---- */

static struct nl_msg *new_msg(int cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0x20, 0, 0, cmd, 1);
	return msg;
}

static uint32_t ip(const char *s)
{
	return inet_addr(s);
}

static struct nl_msg *az_msg(void)
{
	struct nl_msg *msg = new_msg(PRIVLINK_CMD_AZ_GET);
	struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_AZ);

	nla_put_string(msg, PRIVLINK_AZ_A_NAME, "use1-az1");
	nla_put_u8(msg, PRIVLINK_AZ_A_STATE, PRIVLINK_AZ_DOWN);
	nla_nest_end(msg, o);
	return msg;
}

static struct nl_msg *vpc_msg(void)
{
	struct nl_msg *msg = new_msg(PRIVLINK_CMD_VPC_GET);
	struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_VPC), *l;

	nla_put_string(msg, PRIVLINK_VPC_A_NAME, "consumer-a");
	nla_put_string(msg, PRIVLINK_VPC_A_ACCOUNT, "111111111111");
	nla_put_u32(msg, PRIVLINK_VPC_A_CIDR_ADDR, ip("10.0.0.0"));
	nla_put_u8(msg, PRIVLINK_VPC_A_CIDR_PLEN, 24);
	l = nla_nest_start(msg, PRIVLINK_VPC_A_IFACES);
	nla_put_u32(msg, PRIVLINK_VPC_A_IFINDEX, 1);	/* lo */
	nla_put_u32(msg, PRIVLINK_VPC_A_IFINDEX, 999999);
	nla_nest_end(msg, l);
	nla_put_u16(msg, PRIVLINK_VPC_A_ZONE, 1);
	nla_nest_end(msg, o);
	return msg;
}

static struct nl_msg *service_msg(void)
{
	struct nl_msg *msg = new_msg(PRIVLINK_CMD_SERVICE_GET);
	struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_SERVICE), *l, *i;

	nla_put_string(msg, PRIVLINK_SERVICE_A_NAME, "svc1");
	nla_put_string(msg, PRIVLINK_SERVICE_A_VPC, "provider");
	l = nla_nest_start(msg, PRIVLINK_SERVICE_A_LISTENERS);
	i = nla_nest_start(msg, PRIVLINK_SERVICE_A_LISTENER);
	nla_put_u8(msg, PRIVLINK_LISTENER_A_PROTO, IPPROTO_TCP);
	nla_put_u16(msg, PRIVLINK_LISTENER_A_PORT, 443);
	nla_put_u16(msg, PRIVLINK_LISTENER_A_TARGET_PORT, 8443);
	nla_nest_end(msg, i);
	i = nla_nest_start(msg, PRIVLINK_SERVICE_A_LISTENER);
	nla_put_u8(msg, PRIVLINK_LISTENER_A_PROTO, IPPROTO_UDP);
	nla_put_u16(msg, PRIVLINK_LISTENER_A_PORT, 53);
	nla_put_u16(msg, PRIVLINK_LISTENER_A_TARGET_PORT, 53);
	nla_nest_end(msg, i);
	nla_nest_end(msg, l);
	l = nla_nest_start(msg, PRIVLINK_SERVICE_A_NLB_NODES);
	i = nla_nest_start(msg, PRIVLINK_SERVICE_A_NLB_NODE);
	nla_put_string(msg, PRIVLINK_NLB_NODE_A_AZ, "use1-az1");
	nla_put_u32(msg, PRIVLINK_NLB_NODE_A_ADDR, ip("172.16.0.10"));
	nla_nest_end(msg, i);
	nla_nest_end(msg, l);
	nla_put_u8(msg, PRIVLINK_SERVICE_A_ACCEPTANCE, PRIVLINK_ACCEPTANCE_AUTO);
	l = nla_nest_start(msg, PRIVLINK_SERVICE_A_PRINCIPALS);
	nla_put_string(msg, PRIVLINK_SERVICE_A_PRINCIPAL, "111111111111");
	nla_put_string(msg, PRIVLINK_SERVICE_A_PRINCIPAL, "*");
	nla_nest_end(msg, l);
	nla_put_u8(msg, PRIVLINK_SERVICE_A_CROSS_ZONE, 1);
	nla_put_u32(msg, PRIVLINK_SERVICE_A_IDLE_TIMEOUT, 350);
	nla_put_u32(msg, PRIVLINK_SERVICE_A_ENDPOINTS, 2);
	nla_nest_end(msg, o);
	return msg;
}

/* A privlink_obj_stats_attr nest; no DROPS when @drops < 0 (printed 0). */
static void put_stats(struct nl_msg *msg, int type, uint64_t new_flows,
		      int64_t drops, uint64_t packets, uint64_t bytes)
{
	struct nlattr *s = nla_nest_start(msg, type);

	nla_put_u64(msg, PRIVLINK_OBJ_STATS_A_NEW_FLOWS, new_flows);
	if (drops >= 0)
		nla_put_u64(msg, PRIVLINK_OBJ_STATS_A_DROPS, drops);
	nla_put_u64(msg, PRIVLINK_OBJ_STATS_A_PACKETS, packets);
	nla_put_u64(msg, PRIVLINK_OBJ_STATS_A_BYTES, bytes);
	nla_nest_end(msg, s);
}

static struct nl_msg *target_msg(int port)
{
	struct nl_msg *msg = new_msg(PRIVLINK_CMD_TARGET_GET);
	struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_TARGET);

	nla_put_string(msg, PRIVLINK_TARGET_A_SERVICE, "svc1");
	nla_put_u32(msg, PRIVLINK_TARGET_A_ADDR, ip("172.16.1.10"));
	nla_put_u16(msg, PRIVLINK_TARGET_A_PORT, port);
	nla_put_string(msg, PRIVLINK_TARGET_A_AZ, "use1-az1");
	nla_put_u16(msg, PRIVLINK_TARGET_A_WEIGHT, 1);
	nla_put_u8(msg, PRIVLINK_TARGET_A_STATE, PRIVLINK_TARGET_DRAINING);
	put_stats(msg, PRIVLINK_TARGET_A_STATS, 42, -1, 300, 450000);
	nla_nest_end(msg, o);
	return msg;
}

/* A service with an HTTP check (a path that save must quote). */
static struct nl_msg *service_check_msg(void)
{
	struct nl_msg *msg = new_msg(PRIVLINK_CMD_SERVICE_GET);
	struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_SERVICE), *l, *i;

	nla_put_string(msg, PRIVLINK_SERVICE_A_NAME, "svc2");
	nla_put_string(msg, PRIVLINK_SERVICE_A_VPC, "provider");
	l = nla_nest_start(msg, PRIVLINK_SERVICE_A_LISTENERS);
	i = nla_nest_start(msg, PRIVLINK_SERVICE_A_LISTENER);
	nla_put_u8(msg, PRIVLINK_LISTENER_A_PROTO, IPPROTO_TCP);
	nla_put_u16(msg, PRIVLINK_LISTENER_A_PORT, 80);
	nla_put_u16(msg, PRIVLINK_LISTENER_A_TARGET_PORT, 80);
	nla_nest_end(msg, i);
	nla_nest_end(msg, l);
	nla_put_u32(msg, PRIVLINK_SERVICE_A_IDLE_TIMEOUT, 350);
	l = nla_nest_start(msg, PRIVLINK_SERVICE_A_HEALTH_CHECK);
	nla_put_u8(msg, PRIVLINK_CHECK_A_PROTO, PRIVLINK_CHECK_HTTP);
	nla_put_u16(msg, PRIVLINK_CHECK_A_PORT, 8080);
	nla_put_string(msg, PRIVLINK_CHECK_A_PATH, "/health?a=1&b='x'");
	nla_put_string(msg, PRIVLINK_CHECK_A_CODES, "200,202-299");
	nla_put_u16(msg, PRIVLINK_CHECK_A_INTERVAL, 10);
	nla_put_u16(msg, PRIVLINK_CHECK_A_TIMEOUT, 5);
	nla_put_u8(msg, PRIVLINK_CHECK_A_HEALTHY, 3);
	nla_put_u8(msg, PRIVLINK_CHECK_A_UNHEALTHY, 2);
	nla_nest_end(msg, l);
	nla_nest_end(msg, o);
	return msg;
}

/* A target of a checked service, with the checker's verdict. */
static struct nl_msg *target_health_msg(int code)
{
	struct nl_msg *msg = new_msg(PRIVLINK_CMD_TARGET_GET);
	struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_TARGET), *h;

	nla_put_string(msg, PRIVLINK_TARGET_A_SERVICE, "svc2");
	nla_put_u32(msg, PRIVLINK_TARGET_A_ADDR, ip("172.16.1.20"));
	nla_put_u16(msg, PRIVLINK_TARGET_A_PORT, 0);
	nla_put_string(msg, PRIVLINK_TARGET_A_AZ, "use1-az1");
	nla_put_u16(msg, PRIVLINK_TARGET_A_WEIGHT, 1);
	nla_put_u8(msg, PRIVLINK_TARGET_A_STATE, PRIVLINK_TARGET_UNHEALTHY);
	h = nla_nest_start(msg, PRIVLINK_TARGET_A_HEALTH);
	nla_put_u8(msg, PRIVLINK_HEALTH_A_STATE, PRIVLINK_HEALTH_UNHEALTHY);
	nla_put_u8(msg, PRIVLINK_HEALTH_A_REASON, code ?
		   PRIVLINK_HEALTH_R_CODE_MISMATCH : PRIVLINK_HEALTH_R_TIMEOUT);
	nla_put_u16(msg, PRIVLINK_HEALTH_A_CODE, code);
	nla_nest_end(msg, h);
	nla_nest_end(msg, o);
	return msg;
}

static void put_eni(struct nl_msg *msg, int type, const char *az, const char *addr)
{
	struct nlattr *i = nla_nest_start(msg, type);

	nla_put_string(msg, PRIVLINK_ENI_A_AZ, az);
	nla_put_u32(msg, PRIVLINK_ENI_A_ADDR, ip(addr));
	nla_nest_end(msg, i);
}

static struct nl_msg *endpoint_msg_max(int cmd, uint32_t max_flows)
{
	struct nl_msg *msg = new_msg(cmd);
	struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_ENDPOINT), *l;

	nla_put_string(msg, PRIVLINK_ENDPOINT_A_NAME, "vpce-1");
	nla_put_string(msg, PRIVLINK_ENDPOINT_A_VPC, "consumer-a");
	nla_put_string(msg, PRIVLINK_ENDPOINT_A_SERVICE, "svc1");
	nla_put_u8(msg, PRIVLINK_ENDPOINT_A_STATE, PRIVLINK_ENDPOINT_AVAILABLE);
	nla_put_string(msg, PRIVLINK_ENDPOINT_A_ACCOUNT, "111111111111");
	nla_put_u32(msg, PRIVLINK_ENDPOINT_A_MAX_FLOWS, max_flows);
	put_stats(msg, PRIVLINK_ENDPOINT_A_STATS, 7, 2, 120, 98765);
	l = nla_nest_start(msg, PRIVLINK_ENDPOINT_A_ENIS);
	put_eni(msg, PRIVLINK_ENDPOINT_A_ENI, "use1-az1", "10.0.0.100");
	put_eni(msg, PRIVLINK_ENDPOINT_A_ENI, "use1-az2", "10.0.1.100");
	nla_nest_end(msg, l);
	nla_nest_end(msg, o);
	return msg;
}

static struct nl_msg *endpoint_msg(int cmd)
{
	return endpoint_msg_max(cmd, 0);
}

static struct nl_msg *eni_msg(void)
{
	struct nl_msg *msg = new_msg(PRIVLINK_CMD_ENI_ADD);
	struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_ENI);

	nla_put_string(msg, PRIVLINK_ENI_A_ENDPOINT, "vpce-1");
	nla_put_string(msg, PRIVLINK_ENI_A_AZ, "use1-az1");
	nla_put_u32(msg, PRIVLINK_ENI_A_ADDR, ip("10.0.0.100"));
	nla_put_string(msg, PRIVLINK_ENI_A_VPC, "consumer-a");
	nla_nest_end(msg, o);
	return msg;
}

/* ---- dual stack: the same objects with IPv6 ---- */

static void put_ip6(struct nl_msg *msg, int type, const char *s)
{
	struct in6_addr a;

	inet_pton(AF_INET6, s, &a);
	nla_put(msg, type, sizeof(a), &a);
}

/* A dual-stack VPC (@v4), or an IPv6-only one. */
static struct nl_msg *vpc6_msg(int v4)
{
	struct nl_msg *msg = new_msg(PRIVLINK_CMD_VPC_GET);
	struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_VPC);

	nla_put_string(msg, PRIVLINK_VPC_A_NAME, v4 ? "consumer-d" : "consumer-6");
	nla_put_string(msg, PRIVLINK_VPC_A_ACCOUNT, "111111111111");
	if (v4) {
		nla_put_u32(msg, PRIVLINK_VPC_A_CIDR_ADDR, ip("10.0.0.0"));
		nla_put_u8(msg, PRIVLINK_VPC_A_CIDR_PLEN, 16);
	}
	put_ip6(msg, PRIVLINK_VPC_A_CIDR6_ADDR, "fd00:1::");
	nla_put_u8(msg, PRIVLINK_VPC_A_CIDR6_PLEN, 56);
	nla_put_u16(msg, PRIVLINK_VPC_A_ZONE, 4);
	nla_nest_end(msg, o);
	return msg;
}

static void put_node(struct nl_msg *msg, const char *az, const char *a4,
		     const char *a6)
{
	struct nlattr *i = nla_nest_start(msg, PRIVLINK_SERVICE_A_NLB_NODE);

	nla_put_string(msg, PRIVLINK_NLB_NODE_A_AZ, az);
	if (a4)
		nla_put_u32(msg, PRIVLINK_NLB_NODE_A_ADDR, ip(a4));
	if (a6)
		put_ip6(msg, PRIVLINK_NLB_NODE_A_ADDR6, a6);
	nla_nest_end(msg, i);
}

/* A service of IP_TYPES @types, its nodes with the addresses of @types. */
static struct nl_msg *service6_msg(int types)
{
	struct nl_msg *msg = new_msg(PRIVLINK_CMD_SERVICE_GET);
	struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_SERVICE), *l, *i;
	const char *n4 = types & PRIVLINK_IP_V4 ? "10.1.0.5" : NULL;
	const char *n6 = types & PRIVLINK_IP_V6 ? "fd01::5" : NULL;

	nla_put_string(msg, PRIVLINK_SERVICE_A_NAME, "svc6");
	nla_put_string(msg, PRIVLINK_SERVICE_A_VPC, "provider-d");
	l = nla_nest_start(msg, PRIVLINK_SERVICE_A_LISTENERS);
	i = nla_nest_start(msg, PRIVLINK_SERVICE_A_LISTENER);
	nla_put_u8(msg, PRIVLINK_LISTENER_A_PROTO, IPPROTO_TCP);
	nla_put_u16(msg, PRIVLINK_LISTENER_A_PORT, 80);
	nla_put_u16(msg, PRIVLINK_LISTENER_A_TARGET_PORT, 8080);
	nla_nest_end(msg, i);
	nla_nest_end(msg, l);
	l = nla_nest_start(msg, PRIVLINK_SERVICE_A_NLB_NODES);
	put_node(msg, "use1-az1", n4, n6);
	put_node(msg, "use1-az2", n4 ? "10.1.1.5" : NULL, n6 ? "fd01:0:0:1::5" : NULL);
	nla_nest_end(msg, l);
	nla_put_u8(msg, PRIVLINK_SERVICE_A_ACCEPTANCE, PRIVLINK_ACCEPTANCE_REQUIRED);
	nla_put_u32(msg, PRIVLINK_SERVICE_A_IDLE_TIMEOUT, 350);
	nla_put_u32(msg, PRIVLINK_SERVICE_A_ENDPOINTS, 1);
	nla_put_u8(msg, PRIVLINK_SERVICE_A_IP_TYPES, types);
	nla_nest_end(msg, o);
	return msg;
}

/* An IPv6 target, with a port or not. */
static struct nl_msg *target6_msg(int port)
{
	struct nl_msg *msg = new_msg(PRIVLINK_CMD_TARGET_GET);
	struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_TARGET);

	nla_put_string(msg, PRIVLINK_TARGET_A_SERVICE, "svc6");
	put_ip6(msg, PRIVLINK_TARGET_A_ADDR6, "fd01::10");
	nla_put_u16(msg, PRIVLINK_TARGET_A_PORT, port);
	nla_put_string(msg, PRIVLINK_TARGET_A_AZ, "use1-az1");
	nla_put_u16(msg, PRIVLINK_TARGET_A_WEIGHT, 2);
	nla_put_u8(msg, PRIVLINK_TARGET_A_STATE, PRIVLINK_TARGET_HEALTHY);
	nla_nest_end(msg, o);
	return msg;
}

static void put_eni6(struct nl_msg *msg, int type, const char *az,
		     const char *a4, const char *a6)
{
	struct nlattr *i = nla_nest_start(msg, type);

	nla_put_string(msg, PRIVLINK_ENI_A_AZ, az);
	if (a4)
		nla_put_u32(msg, PRIVLINK_ENI_A_ADDR, ip(a4));
	if (a6)
		put_ip6(msg, PRIVLINK_ENI_A_ADDR6, a6);
	nla_nest_end(msg, i);
}

/* An endpoint of IP_TYPE @type, its ENIs with the addresses of @type. */
static struct nl_msg *endpoint6_msg(int type)
{
	struct nl_msg *msg = new_msg(PRIVLINK_CMD_ENDPOINT_GET);
	struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_ENDPOINT), *l;
	int v4 = type & PRIVLINK_IP_V4, v6 = type & PRIVLINK_IP_V6;

	nla_put_string(msg, PRIVLINK_ENDPOINT_A_NAME, "vpce-6");
	nla_put_string(msg, PRIVLINK_ENDPOINT_A_VPC, "consumer-d");
	nla_put_string(msg, PRIVLINK_ENDPOINT_A_SERVICE, "svc6");
	nla_put_u8(msg, PRIVLINK_ENDPOINT_A_STATE, PRIVLINK_ENDPOINT_AVAILABLE);
	nla_put_string(msg, PRIVLINK_ENDPOINT_A_ACCOUNT, "111111111111");
	nla_put_u32(msg, PRIVLINK_ENDPOINT_A_MAX_FLOWS, 0);
	nla_put_u8(msg, PRIVLINK_ENDPOINT_A_IP_TYPE, type);
	l = nla_nest_start(msg, PRIVLINK_ENDPOINT_A_ENIS);
	put_eni6(msg, PRIVLINK_ENDPOINT_A_ENI, "use1-az1", v4 ? "10.0.0.100" : NULL,
		 v6 ? "fd00:1::100" : NULL);
	put_eni6(msg, PRIVLINK_ENDPOINT_A_ENI, "use1-az2", v4 ? "10.0.1.100" : NULL,
		 v6 ? "fd00:1:0:1::100" : NULL);
	nla_nest_end(msg, l);
	nla_nest_end(msg, o);
	return msg;
}

static struct nl_msg *eni6_msg(int v4)
{
	struct nl_msg *msg = new_msg(PRIVLINK_CMD_ENI_ADD);
	struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_ENI);

	nla_put_string(msg, PRIVLINK_ENI_A_ENDPOINT, "vpce-6");
	nla_put_string(msg, PRIVLINK_ENI_A_AZ, "use1-az1");
	put_ip6(msg, PRIVLINK_ENI_A_ADDR6, "fd00:1::100");
	if (v4)	/* after ADDR6: the printer puts IPv4 first all the same */
		nla_put_u32(msg, PRIVLINK_ENI_A_ADDR, ip("10.0.0.100"));
	nla_put_string(msg, PRIVLINK_ENI_A_VPC, "consumer-d");
	nla_nest_end(msg, o);
	return msg;
}

/* Print @msg's object as show, or as monitor (@kind), or as save. */
static char *print_msg(struct nl_msg *msg, int json, int flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	print_init(f, json, 0);
	if (flags & PR_KIND) {
		print_open_object(NULL);
		print_str("event", "%s ", "ev");
		print_object_msg(msg, NULL, flags);
		print_close_object();
	} else {
		print_open_array(NULL);
		print_object_msg(msg, NULL, flags);
		print_close_array();
	}
	print_flush();
	fclose(f);
	return buf;
}

static void check_msg(struct nl_msg *msg, const char *text, const char *json,
		      const char *save, const char *desc)
{
	char d[128], *s;

	s = print_msg(msg, 0, 0);
	snprintf(d, sizeof(d), "%s: text", desc);
	ok_str(text, s, d);
	free(s);
	s = print_msg(msg, 1, 0);
	snprintf(d, sizeof(d), "%s: json", desc);
	ok_str(json, s, d);
	free(s);
	if (save) {
		s = print_msg(msg, 0, PR_SAVE);
		snprintf(d, sizeof(d), "%s: save", desc);
		ok_str(save, s, d);
		free(s);
	}
	nlmsg_free(msg);
}

/* @fn(@s, ...) through an arg_*() wrapper: its stderr (the caller frees it). */
static char *arg_err(int (*fn)(const char *, struct ip_pair *), const char *s,
		     struct ip_pair *p, int *rc)
{
	FILE *f, *saved = stderr;
	char *err = NULL;
	size_t len = 0;

	f = open_memstream(&err, &len);
	stderr = f;
	*rc = fn(s, p);
	stderr = saved;
	fclose(f);
	return err;
}

static int ip6(const char *s, struct in6_addr *a)
{
	return inet_pton(AF_INET6, s, a) == 1;
}

/* arg_ip_pair(@s) fails with exactly @msg (and leaves @p alone). */
static void pair_fails(const char *s, const char *msg)
{
	struct ip_pair p = { .has4 = 7 };
	char d[160], *err;
	int rc;

	err = arg_err(arg_ip_pair, s, &p, &rc);
	snprintf(d, sizeof(d), "addr pair \"%.60s\": refused, p left alone", s);
	ok(rc < 0 && p.has4 == 7, d);
	snprintf(d, sizeof(d), "addr pair \"%.60s\": message", s);
	ok_str(msg, err, d);
	free(err);
}

static int arg_ip_port_w(const char *s, struct ip_pair *unused)
{
	struct ip_addr a;
	uint16_t port;

	(void)unused;
	return arg_ip_port(s, &a, &port);
}

static void test_dual_stack_parsers(void)
{
	char buf[IP_PAIR_STRLEN], pbuf[IP_PORT_STRLEN], *err;
	struct in6_addr want6, a6;
	struct ip_pair p;
	struct ip_addr a;
	const char *bad;
	uint16_t port;
	uint8_t plen;
	size_t badlen;
	int rc;

	ip6("fd01::5", &want6);
	ok(!parse_ip_pair("10.1.0.5", &p, NULL, NULL) && p.has4 && !p.has6 &&
	   p.v4 == ip("10.1.0.5"), "addr pair: one IPv4 address");
	ok(!parse_ip_pair("fd01::5", &p, NULL, NULL) && !p.has4 && p.has6 &&
	   !memcmp(&p.v6, &want6, 16), "addr pair: one IPv6 address");
	ok(!parse_ip_pair("10.1.0.5,fd01::5", &p, NULL, NULL) && p.has4 &&
	   p.has6 && p.v4 == ip("10.1.0.5") && !memcmp(&p.v6, &want6, 16),
	   "addr pair: IPv4,IPv6");
	ok(!parse_ip_pair("fd01::5,10.1.0.5", &p, NULL, NULL) && p.has4 &&
	   p.has6 && p.v4 == ip("10.1.0.5") && !memcmp(&p.v6, &want6, 16),
	   "addr pair: IPv6,IPv4 (either order)");
	ok(!parse_ip_pair("::ffff:10.1.0.5", &p, NULL, NULL) && p.has6 &&
	   !p.has4, "addr pair: an IPv4-mapped address is IPv6");
	parse_ip_pair("fd01::5,10.1.0.5", &p, NULL, NULL);
	ok_str("10.1.0.5,fd01::5", format_ip_pair(&p, buf, sizeof(buf)),
	       "addr pair: formatted IPv4 first");
	p.has4 = 0;
	ok_str("fd01::5", format_ip_pair(&p, buf, sizeof(buf)),
	       "addr pair: formatted, IPv6 alone");
	p.has4 = 1;
	p.has6 = 0;
	ok_str("10.1.0.5", format_ip_pair(&p, buf, sizeof(buf)),
	       "addr pair: formatted, IPv4 alone");
	ok(parse_ip_pair("10.1.0.5,fd01::x", &p, &bad, &badlen) ==
	   IP_PAIR_E_BAD6 && badlen == 7 && !strncmp(bad, "fd01::x", 7),
	   "addr pair: the bad element is named");
	ok(parse_ip_pair("10.1.0.5,10.1.0.6", &p, NULL, NULL) == IP_PAIR_E_TWO4,
	   "addr pair: two IPv4 addresses");
	ok(parse_ip_pair("fd00::1,fd00::2", &p, NULL, NULL) == IP_PAIR_E_TWO6,
	   "addr pair: two IPv6 addresses");
	ok(parse_ip_pair("10.1.0.5,fd01::5,10.1.0.6", &p, NULL, NULL) ==
	   IP_PAIR_E_TWO4, "addr pair: three addresses");
	ok(parse_ip_pair("", &p, NULL, NULL) == IP_PAIR_E_LIST &&
	   parse_ip_pair(",", &p, NULL, NULL) == IP_PAIR_E_LIST &&
	   parse_ip_pair("10.1.0.5,", &p, NULL, NULL) == IP_PAIR_E_LIST &&
	   parse_ip_pair(",fd01::5", &p, NULL, NULL) == IP_PAIR_E_LIST &&
	   parse_ip_pair("10.1.0.5,,fd01::5", &p, NULL, NULL) == IP_PAIR_E_LIST,
	   "addr pair: empty elements");
	ok(parse_ip_pair("1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb", &p,
			 NULL, NULL) == IP_PAIR_E_BAD6,
	   "addr pair: an element too long for an address");

	pair_fails("fd00::1,fd00::2",
		   "Error: argument \"fd00::1,fd00::2\" has two IPv6 addresses\n");
	pair_fails("10.1.0.5,10.1.0.6",
		   "Error: argument \"10.1.0.5,10.1.0.6\" has two IPv4 addresses\n");
	pair_fails("172.16.0",
		   "Error: argument \"172.16.0\" is not a valid IPv4 address\n");
	pair_fails("10.1.0.5,fd01::x",
		   "Error: argument \"fd01::x\" is not a valid IPv6 address\n");
	pair_fails("10.1.0.5,",
		   "Error: argument \"10.1.0.5,\" is not a valid address list (ADDR[,ADDR])\n");
	err = arg_err(arg_ip_pair, "10.1.0.5,fd01::5", &p, &rc);
	ok(!rc && !*err && p.has4 && p.has6, "arg_ip_pair: silent when good");
	free(err);

	ok(!parse_ip_port("172.16.1.10:8443", &a, &port) && a.family == AF_INET &&
	   a.v4 == ip("172.16.1.10") && port == 8443, "target: A.B.C.D:PORT");
	ok(!parse_ip_port("172.16.1.10", &a, &port) && a.family == AF_INET &&
	   port == 0, "target: A.B.C.D");
	ip6("fd01::10", &want6);
	ok(!parse_ip_port("[fd01::10]:8080", &a, &port) && a.family == AF_INET6 &&
	   !memcmp(&a.v6, &want6, 16) && port == 8080, "target: [X::Y]:PORT");
	ok(!parse_ip_port("fd01::10", &a, &port) && a.family == AF_INET6 &&
	   !memcmp(&a.v6, &want6, 16) && port == 0, "target: X::Y, no port");
	ok(!parse_ip_port("fd01::10:8080", &a, &port) && a.family == AF_INET6 &&
	   port == 0, "target: X::Y:N is an address (a port needs brackets)");
	ok(parse_ip_port("[fd01::10]", &a, &port) < 0,
	   "target: brackets without a port are bad");
	ok(parse_ip_port("[fd01::10]:", &a, &port) < 0 &&
	   parse_ip_port("[fd01::10]:0", &a, &port) < 0 &&
	   parse_ip_port("[fd01::10]:65536", &a, &port) < 0 &&
	   parse_ip_port("[fd01::10]8080", &a, &port) < 0 &&
	   parse_ip_port("[fd01::10:8080", &a, &port) < 0 &&
	   parse_ip_port("[10.0.0.1]:80", &a, &port) < 0 &&
	   parse_ip_port("fd01::x", &a, &port) < 0,
	   "target: bad IPv6 forms");
	ok(parse_ip_port("172.16.1.10:0", &a, &port) < 0 &&
	   parse_ip_port("172.16.1.300", &a, &port) < 0,
	   "target: bad IPv4 forms");
	parse_ip_port("[fd01::10]:8080", &a, &port);
	ok_str("[fd01::10]:8080", format_ip_port(&a, port, pbuf, sizeof(pbuf)),
	       "target: [X::Y]:PORT formatted back");
	ok_str("fd01::10", format_ip_port(&a, -1, pbuf, sizeof(pbuf)),
	       "target: X::Y formatted without a port");
	parse_ip_port("172.16.1.10:8443", &a, &port);
	ok_str("172.16.1.10:8443", format_ip_port(&a, port, pbuf, sizeof(pbuf)),
	       "target: A.B.C.D:PORT formatted back");
	err = arg_err(arg_ip_port_w, "[fd01::10]:0", &p, &rc);
	ok(rc < 0, "arg_ip_port: refused");
	ok_str("Error: argument \"[fd01::10]:0\" is not a valid address (X:X::X or [X:X::X]:PORT)\n",
	       err, "arg_ip_port: the IPv6 forms named");
	free(err);
	err = arg_err(arg_ip_port_w, "172.16.1.11:0", &p, &rc);
	ok_str("Error: argument \"172.16.1.11:0\" is not a valid address (A.B.C.D[:PORT])\n",
	       err, "arg_ip_port: the IPv4 message, as before");
	free(err);

	ip6("fd00:1::", &want6);
	ok(!parse_cidr6("fd00:1::/56", &a6, &plen) && plen == 56 &&
	   !memcmp(&a6, &want6, 16), "ipv6-cidr: fd00:1::/56");
	ok(!parse_cidr6("::/0", &a6, &plen) && plen == 0 &&
	   !parse_cidr6("fd00::1/128", &a6, &plen) && plen == 128,
	   "ipv6-cidr: /0 and /128");
	ok(parse_cidr6("fd00::/129", &a6, &plen) < 0 &&
	   parse_cidr6("fd00::", &a6, &plen) < 0 &&
	   parse_cidr6("fd00::/", &a6, &plen) < 0 &&
	   parse_cidr6("10.0.0.0/8", &a6, &plen) < 0 &&
	   parse_cidr6("fd00::/56x", &a6, &plen) < 0,
	   "ipv6-cidr: bad prefixes");
}

static void test_objects(void)
{
	struct nl_msg *msg;
	char *s;

	check_msg(az_msg(), "use1-az1 state down\n",
		  "[{\"name\":\"use1-az1\",\"state\":\"down\"}]\n",
		  "use1-az1 state down", "az");
	check_msg(vpc_msg(),
		  "consumer-a account 111111111111 cidr 10.0.0.0/24 dev lo dev if999999 zone 1\n",
		  "[{\"name\":\"consumer-a\",\"account\":\"111111111111\",\"cidr\":\"10.0.0.0/24\",\"devices\":[\"lo\",\"if999999\"],\"zone\":1}]\n",
		  "consumer-a account 111111111111 cidr 10.0.0.0/24 dev lo dev if999999 zone 1",
		  "vpc");
	check_msg(service_msg(),
		  "svc1 vpc provider listener tcp/443:8443 listener udp/53 nlb use1-az1 172.16.0.10 acceptance auto principal 111111111111 principal * cross-zone on idle-timeout 350 endpoints 2\n",
		  "[{\"name\":\"svc1\",\"vpc\":\"provider\",\"listeners\":[{\"proto\":\"tcp\",\"port\":443,\"target_port\":8443},{\"proto\":\"udp\",\"port\":53,\"target_port\":53}],\"nlb_nodes\":[{\"az\":\"use1-az1\",\"addr\":\"172.16.0.10\"}],\"acceptance\":\"auto\",\"principals\":[\"111111111111\",\"*\"],\"cross_zone\":true,\"idle_timeout\":350,\"endpoints\":2}]\n",
		  "svc1 vpc provider listener tcp/443:8443 listener udp/53 nlb use1-az1 172.16.0.10 acceptance required principal 111111111111 principal * cross-zone on idle-timeout 350",
		  "service");
	check_msg(service_check_msg(),
		  "svc2 vpc provider listener tcp/80 acceptance required cross-zone off idle-timeout 350 check http check-port 8080 check-path /health?a=1&b='x' check-codes 200,202-299 check-interval 10 check-timeout 5 healthy-threshold 3 unhealthy-threshold 2 endpoints 0\n",
		  "[{\"name\":\"svc2\",\"vpc\":\"provider\",\"listeners\":[{\"proto\":\"tcp\",\"port\":80,\"target_port\":80}],\"nlb_nodes\":[],\"acceptance\":\"required\",\"principals\":[],\"cross_zone\":false,\"idle_timeout\":350,\"health_check\":{\"protocol\":\"http\",\"port\":8080,\"path\":\"/health?a=1&b='x'\",\"codes\":\"200,202-299\",\"interval\":10,\"timeout\":5,\"healthy_threshold\":3,\"unhealthy_threshold\":2},\"endpoints\":0}]\n",
		  "svc2 vpc provider listener tcp/80 acceptance required cross-zone off idle-timeout 350 check http check-port 8080 check-path \"/health?a=1&b='x'\" check-codes 200,202-299 check-interval 10 check-timeout 5 healthy-threshold 3 unhealthy-threshold 2",
		  "service with an HTTP check");
	check_msg(target_health_msg(500),
		  "svc2 172.16.1.20 az use1-az1 weight 1 state unhealthy health unhealthy reason code-mismatch code 500\n",
		  "[{\"service\":\"svc2\",\"addr\":\"172.16.1.20\",\"port\":0,\"az\":\"use1-az1\",\"weight\":1,\"state\":\"unhealthy\",\"health\":{\"state\":\"unhealthy\",\"reason\":\"code-mismatch\",\"code\":500}}]\n",
		  "svc2 172.16.1.20 az use1-az1 weight 1 state unhealthy",
		  "target with a verdict");
	check_msg(target_health_msg(0),
		  "svc2 172.16.1.20 az use1-az1 weight 1 state unhealthy health unhealthy reason timeout\n",
		  "[{\"service\":\"svc2\",\"addr\":\"172.16.1.20\",\"port\":0,\"az\":\"use1-az1\",\"weight\":1,\"state\":\"unhealthy\",\"health\":{\"state\":\"unhealthy\",\"reason\":\"timeout\",\"code\":0}}]\n",
		  NULL, "target with a verdict, no code");
	check_msg(target_msg(8443),
		  "svc1 172.16.1.10:8443 az use1-az1 weight 1 state draining\n",
		  "[{\"service\":\"svc1\",\"addr\":\"172.16.1.10\",\"port\":8443,\"az\":\"use1-az1\",\"weight\":1,\"state\":\"draining\"}]\n",
		  NULL, "target");
	check_msg(target_msg(0),
		  "svc1 172.16.1.10 az use1-az1 weight 1 state draining\n",
		  "[{\"service\":\"svc1\",\"addr\":\"172.16.1.10\",\"port\":0,\"az\":\"use1-az1\",\"weight\":1,\"state\":\"draining\"}]\n",
		  "svc1 172.16.1.10 az use1-az1 weight 1 state draining",
		  "target without port");
	check_msg(endpoint_msg(PRIVLINK_CMD_ENDPOINT_GET),
		  "vpce-1 vpc consumer-a service svc1 state available account 111111111111 eni use1-az1 10.0.0.100 eni use1-az2 10.0.1.100\n",
		  "[{\"name\":\"vpce-1\",\"vpc\":\"consumer-a\",\"service\":\"svc1\",\"state\":\"available\",\"account\":\"111111111111\",\"enis\":[{\"az\":\"use1-az1\",\"addr\":\"10.0.0.100\"},{\"az\":\"use1-az2\",\"addr\":\"10.0.1.100\"}]}]\n",
		  "vpce-1 vpc consumer-a service svc1 eni use1-az1 10.0.0.100 eni use1-az2 10.0.1.100",
		  "endpoint");
	check_msg(eni_msg(), "vpce-1 az use1-az1 addr 10.0.0.100 vpc consumer-a\n",
		  "[{\"endpoint\":\"vpce-1\",\"az\":\"use1-az1\",\"addr\":\"10.0.0.100\",\"vpc\":\"consumer-a\"}]\n",
		  NULL, "eni");

	msg = endpoint_msg(PRIVLINK_CMD_ENDPOINT_ACCEPT);
	s = print_msg(msg, 1, PR_KIND);
	ok_str("{\"event\":\"ev\",\"endpoint\":{\"name\":\"vpce-1\",\"vpc\":\"consumer-a\",\"service\":\"svc1\",\"state\":\"available\",\"account\":\"111111111111\",\"enis\":[{\"az\":\"use1-az1\",\"addr\":\"10.0.0.100\"},{\"az\":\"use1-az2\",\"addr\":\"10.0.1.100\"}]}}\n",
	       s, "event json: the object is named after its kind");
	free(s);
	s = print_msg(msg, 0, PR_KIND);
	ok_str("ev vpce-1 vpc consumer-a service svc1 state available account 111111111111 eni use1-az1 10.0.0.100 eni use1-az2 10.0.1.100\n",
	       s, "event text: event name, then the show line");
	free(s);
	nlmsg_free(msg);

	/* a nest without its name is skipped, not printed half */
	msg = new_msg(PRIVLINK_CMD_AZ_GET);
	nla_nest_end(msg, nla_nest_start(msg, PRIVLINK_A_AZ));
	check_msg(msg, "", "[]\n", NULL, "malformed az");
	/* a string without its NUL is refused by the policy */
	msg = new_msg(PRIVLINK_CMD_AZ_GET);
	{
		struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_AZ);

		nla_put(msg, PRIVLINK_AZ_A_NAME, 3, "abc");
		nla_nest_end(msg, o);
	}
	check_msg(msg, "", "[]\n", NULL, "unterminated name");
}

static void test_dual_stack_objects(void)
{
	struct nl_msg *msg;

	check_msg(vpc6_msg(1),
		  "consumer-d account 111111111111 cidr 10.0.0.0/16 ipv6-cidr fd00:1::/56 zone 4\n",
		  "[{\"name\":\"consumer-d\",\"account\":\"111111111111\",\"cidr\":\"10.0.0.0/16\",\"ipv6_cidr\":\"fd00:1::/56\",\"devices\":[],\"zone\":4}]\n",
		  "consumer-d account 111111111111 cidr 10.0.0.0/16 ipv6-cidr fd00:1::/56 zone 4",
		  "dual-stack vpc");
	check_msg(vpc6_msg(0),
		  "consumer-6 account 111111111111 ipv6-cidr fd00:1::/56 zone 4\n",
		  "[{\"name\":\"consumer-6\",\"account\":\"111111111111\",\"ipv6_cidr\":\"fd00:1::/56\",\"devices\":[],\"zone\":4}]\n",
		  "consumer-6 account 111111111111 ipv6-cidr fd00:1::/56 zone 4",
		  "IPv6-only vpc: no cidr");
	check_msg(service6_msg(PRIVLINK_IP_DUALSTACK),
		  "svc6 vpc provider-d listener tcp/80:8080 nlb use1-az1 10.1.0.5,fd01::5 nlb use1-az2 10.1.1.5,fd01:0:0:1::5 acceptance required cross-zone off idle-timeout 350 ip-types dualstack endpoints 1\n",
		  "[{\"name\":\"svc6\",\"vpc\":\"provider-d\",\"listeners\":[{\"proto\":\"tcp\",\"port\":80,\"target_port\":8080}],\"nlb_nodes\":[{\"az\":\"use1-az1\",\"addr\":\"10.1.0.5\",\"addr6\":\"fd01::5\"},{\"az\":\"use1-az2\",\"addr\":\"10.1.1.5\",\"addr6\":\"fd01:0:0:1::5\"}],\"acceptance\":\"required\",\"principals\":[],\"cross_zone\":false,\"idle_timeout\":350,\"ip_types\":\"dualstack\",\"endpoints\":1}]\n",
		  "svc6 vpc provider-d listener tcp/80:8080 nlb use1-az1 10.1.0.5,fd01::5 nlb use1-az2 10.1.1.5,fd01:0:0:1::5 acceptance required cross-zone off idle-timeout 350 ip-types dualstack",
		  "dual-stack service");
	check_msg(service6_msg(PRIVLINK_IP_V6),
		  "svc6 vpc provider-d listener tcp/80:8080 nlb use1-az1 fd01::5 nlb use1-az2 fd01:0:0:1::5 acceptance required cross-zone off idle-timeout 350 ip-types ipv6 endpoints 1\n",
		  "[{\"name\":\"svc6\",\"vpc\":\"provider-d\",\"listeners\":[{\"proto\":\"tcp\",\"port\":80,\"target_port\":8080}],\"nlb_nodes\":[{\"az\":\"use1-az1\",\"addr6\":\"fd01::5\"},{\"az\":\"use1-az2\",\"addr6\":\"fd01:0:0:1::5\"}],\"acceptance\":\"required\",\"principals\":[],\"cross_zone\":false,\"idle_timeout\":350,\"ip_types\":\"ipv6\",\"endpoints\":1}]\n",
		  "svc6 vpc provider-d listener tcp/80:8080 nlb use1-az1 fd01::5 nlb use1-az2 fd01:0:0:1::5 acceptance required cross-zone off idle-timeout 350 ip-types ipv6",
		  "IPv6-only service");
	check_msg(service6_msg(PRIVLINK_IP_V4),
		  "svc6 vpc provider-d listener tcp/80:8080 nlb use1-az1 10.1.0.5 nlb use1-az2 10.1.1.5 acceptance required cross-zone off idle-timeout 350 endpoints 1\n",
		  "[{\"name\":\"svc6\",\"vpc\":\"provider-d\",\"listeners\":[{\"proto\":\"tcp\",\"port\":80,\"target_port\":8080}],\"nlb_nodes\":[{\"az\":\"use1-az1\",\"addr\":\"10.1.0.5\"},{\"az\":\"use1-az2\",\"addr\":\"10.1.1.5\"}],\"acceptance\":\"required\",\"principals\":[],\"cross_zone\":false,\"idle_timeout\":350,\"ip_types\":\"ipv4\",\"endpoints\":1}]\n",
		  "svc6 vpc provider-d listener tcp/80:8080 nlb use1-az1 10.1.0.5 nlb use1-az2 10.1.1.5 acceptance required cross-zone off idle-timeout 350",
		  "IPv4 service: text leaves ip-types ipv4 out, JSON has it");
	check_msg(target6_msg(8080),
		  "svc6 [fd01::10]:8080 az use1-az1 weight 2 state healthy\n",
		  "[{\"service\":\"svc6\",\"addr\":\"fd01::10\",\"port\":8080,\"az\":\"use1-az1\",\"weight\":2,\"state\":\"healthy\"}]\n",
		  "svc6 [fd01::10]:8080 az use1-az1 weight 2 state healthy",
		  "IPv6 target with a port");
	check_msg(target6_msg(0),
		  "svc6 fd01::10 az use1-az1 weight 2 state healthy\n",
		  "[{\"service\":\"svc6\",\"addr\":\"fd01::10\",\"port\":0,\"az\":\"use1-az1\",\"weight\":2,\"state\":\"healthy\"}]\n",
		  "svc6 fd01::10 az use1-az1 weight 2 state healthy",
		  "IPv6 target without a port");
	check_msg(endpoint6_msg(PRIVLINK_IP_DUALSTACK),
		  "vpce-6 vpc consumer-d service svc6 state available account 111111111111 ip-type dualstack eni use1-az1 10.0.0.100,fd00:1::100 eni use1-az2 10.0.1.100,fd00:1:0:1::100\n",
		  "[{\"name\":\"vpce-6\",\"vpc\":\"consumer-d\",\"service\":\"svc6\",\"state\":\"available\",\"account\":\"111111111111\",\"ip_type\":\"dualstack\",\"enis\":[{\"az\":\"use1-az1\",\"addr\":\"10.0.0.100\",\"addr6\":\"fd00:1::100\"},{\"az\":\"use1-az2\",\"addr\":\"10.0.1.100\",\"addr6\":\"fd00:1:0:1::100\"}]}]\n",
		  "vpce-6 vpc consumer-d service svc6 ip-type dualstack eni use1-az1 10.0.0.100,fd00:1::100 eni use1-az2 10.0.1.100,fd00:1:0:1::100",
		  "dual-stack endpoint");
	check_msg(endpoint6_msg(PRIVLINK_IP_V6),
		  "vpce-6 vpc consumer-d service svc6 state available account 111111111111 ip-type ipv6 eni use1-az1 fd00:1::100 eni use1-az2 fd00:1:0:1::100\n",
		  "[{\"name\":\"vpce-6\",\"vpc\":\"consumer-d\",\"service\":\"svc6\",\"state\":\"available\",\"account\":\"111111111111\",\"ip_type\":\"ipv6\",\"enis\":[{\"az\":\"use1-az1\",\"addr6\":\"fd00:1::100\"},{\"az\":\"use1-az2\",\"addr6\":\"fd00:1:0:1::100\"}]}]\n",
		  "vpce-6 vpc consumer-d service svc6 ip-type ipv6 eni use1-az1 fd00:1::100 eni use1-az2 fd00:1:0:1::100",
		  "IPv6-only endpoint");
	check_msg(endpoint6_msg(PRIVLINK_IP_V4),
		  "vpce-6 vpc consumer-d service svc6 state available account 111111111111 eni use1-az1 10.0.0.100 eni use1-az2 10.0.1.100\n",
		  "[{\"name\":\"vpce-6\",\"vpc\":\"consumer-d\",\"service\":\"svc6\",\"state\":\"available\",\"account\":\"111111111111\",\"ip_type\":\"ipv4\",\"enis\":[{\"az\":\"use1-az1\",\"addr\":\"10.0.0.100\"},{\"az\":\"use1-az2\",\"addr\":\"10.0.1.100\"}]}]\n",
		  "vpce-6 vpc consumer-d service svc6 eni use1-az1 10.0.0.100 eni use1-az2 10.0.1.100",
		  "IPv4 endpoint: text leaves ip-type ipv4 out, JSON has it");
	check_msg(eni6_msg(1),
		  "vpce-6 az use1-az1 addr 10.0.0.100,fd00:1::100 vpc consumer-d\n",
		  "[{\"endpoint\":\"vpce-6\",\"az\":\"use1-az1\",\"addr\":\"10.0.0.100\",\"addr6\":\"fd00:1::100\",\"vpc\":\"consumer-d\"}]\n",
		  "vpce-6 az use1-az1 addr 10.0.0.100,fd00:1::100",
		  "dual-stack eni");
	check_msg(eni6_msg(0),
		  "vpce-6 az use1-az1 addr fd00:1::100 vpc consumer-d\n",
		  "[{\"endpoint\":\"vpce-6\",\"az\":\"use1-az1\",\"addr6\":\"fd00:1::100\",\"vpc\":\"consumer-d\"}]\n",
		  NULL, "IPv6-only eni");

	/* an IPv6 attribute of the wrong size: the object is skipped */
	msg = new_msg(PRIVLINK_CMD_TARGET_GET);
	{
		struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_TARGET);

		nla_put_string(msg, PRIVLINK_TARGET_A_SERVICE, "svc6");
		nla_put(msg, PRIVLINK_TARGET_A_ADDR6, 4, "\x0a\0\0\x01");
		nla_nest_end(msg, o);
	}
	check_msg(msg, "", "[]\n", NULL, "a 4-byte ADDR6 is refused");
	/* a target with both addresses is no target */
	msg = new_msg(PRIVLINK_CMD_TARGET_GET);
	{
		struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_TARGET);

		nla_put_string(msg, PRIVLINK_TARGET_A_SERVICE, "svc6");
		nla_put_u32(msg, PRIVLINK_TARGET_A_ADDR, ip("10.1.0.10"));
		put_ip6(msg, PRIVLINK_TARGET_A_ADDR6, "fd01::10");
		nla_nest_end(msg, o);
	}
	check_msg(msg, "", "[]\n", NULL, "a target with ADDR and ADDR6 is refused");
}

/* nla_put_ip_pair() and nla_get_ip_pair() read back what they wrote */
static void test_ip_pair_attrs(void)
{
	struct nlattr *tb[PRIVLINK_ENI_A_MAX + 1], *o;
	struct ip_pair p, q;
	struct nl_msg *msg;

	parse_ip_pair("fd00:1::100,10.0.0.100", &p, NULL, NULL);
	msg = new_msg(PRIVLINK_CMD_ENI_ADD);
	o = nla_nest_start(msg, PRIVLINK_A_ENI);
	ok(!nla_put_ip_pair(msg, PRIVLINK_ENI_A_ADDR, PRIVLINK_ENI_A_ADDR6, &p),
	   "ip pair attrs: encoded");
	nla_nest_end(msg, o);
	ok(!nla_parse_nested(tb, PRIVLINK_ENI_A_MAX, o, eni_policy) &&
	   tb[PRIVLINK_ENI_A_ADDR] && nla_len(tb[PRIVLINK_ENI_A_ADDR]) == 4 &&
	   tb[PRIVLINK_ENI_A_ADDR6] &&
	   nla_len(tb[PRIVLINK_ENI_A_ADDR6]) == PRIVLINK_ADDR6_LEN &&
	   nla_get_ip_pair(tb[PRIVLINK_ENI_A_ADDR], tb[PRIVLINK_ENI_A_ADDR6], &q) &&
	   q.has4 && q.has6 && q.v4 == p.v4 && !memcmp(&q.v6, &p.v6, 16),
	   "ip pair attrs: ADDR (4 bytes) and ADDR6 (16 bytes) read back");
	nlmsg_free(msg);
	p.has4 = 0;
	msg = new_msg(PRIVLINK_CMD_ENI_ADD);
	o = nla_nest_start(msg, PRIVLINK_A_ENI);
	nla_put_ip_pair(msg, PRIVLINK_ENI_A_ADDR, PRIVLINK_ENI_A_ADDR6, &p);
	nla_nest_end(msg, o);
	ok(!nla_parse_nested(tb, PRIVLINK_ENI_A_MAX, o, eni_policy) &&
	   !tb[PRIVLINK_ENI_A_ADDR] && tb[PRIVLINK_ENI_A_ADDR6],
	   "ip pair attrs: an IPv6 address alone, no ADDR");
	nlmsg_free(msg);
}

/* Print @msg as show does with flags @flags (PR_STATS: -s). */
static void check_flags(struct nl_msg *msg, int flags, const char *text,
			const char *json, const char *desc)
{
	char d[128], *s;

	s = print_msg(msg, 0, flags);
	snprintf(d, sizeof(d), "%s: text", desc);
	ok_str(text, s, d);
	free(s);
	s = print_msg(msg, 1, flags);
	snprintf(d, sizeof(d), "%s: json", desc);
	ok_str(json, s, d);
	free(s);
}

static struct nl_msg *info_msg(uint32_t max_flows)
{
	struct nl_msg *msg = new_msg(PRIVLINK_CMD_GET_INFO);
	struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_INFO);

	nla_put_u32(msg, PRIVLINK_INFO_A_GENERATION, 9);
	nla_put_u32(msg, PRIVLINK_INFO_A_MAX_FLOWS, max_flows);
	nla_nest_end(msg, o);
	return msg;
}

static struct nl_msg *limit_msg;
static int limit_flags;

static void limit_show(void)
{
	struct nlattr *tb[PRIVLINK_A_MAX + 1];

	genlmsg_parse(nlmsg_hdr(limit_msg), 0, tb, PRIVLINK_A_MAX, NULL);
	limit_print(tb[PRIVLINK_A_INFO], limit_flags);
}

/*
 * limit_set_parse() of the words of "limit set ...": its exit status, and
 * its stderr in @err (the caller frees it).
 */
static int parse_limit(struct limit_set *ls, char **err, const char *line)
{
	char buf[256], *argv[16];
	FILE *f, *saved = stderr;
	size_t len = 0;
	int argc, rc;

	snprintf(buf, sizeof(buf), "%s", line);
	argc = split_line(buf, argv, 16);
	*err = NULL;
	f = open_memstream(err, &len);
	stderr = f;
	rc = limit_set_parse(argc, argv, ls);
	stderr = saved;
	fclose(f);
	return rc;
}

/* "limit set LINE" fails with a usage error and exactly @msg. */
static void limit_set_fails(const char *line, const char *msg)
{
	struct limit_set ls;
	char d[160], *err;
	int rc;

	rc = parse_limit(&ls, &err, line);
	snprintf(d, sizeof(d), "limit set %.100s: exit status 2", line);
	ok(rc == EXIT_USAGE, d);
	snprintf(d, sizeof(d), "limit set %.100s: message", line);
	ok_str(msg, err, d);
	free(err);
}

static const char hex_error[] =
	"Error: \"hash-key\" needs exactly 32 hexadecimal digits\n";
static const char max_objects_error[] =
	"Error: \"max-objects\" needs a number between 1 and 4294967295\n";

static void test_limit_set(void)
{
	static const uint8_t want[PRIVLINK_HASH_KEY_LEN] = {
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
		0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
	};
	struct nlattr *tb[PRIVLINK_A_MAX + 1], *itb[PRIVLINK_INFO_A_MAX + 1];
	struct limit_set ls;
	struct nl_msg *msg;
	char *err;
	int rc;

	rc = parse_limit(&ls, &err, "hash-key 0123456789ABCDEFfedcba9876543210");
	ok(!rc && !*err && ls.has_hash_key && !ls.has_max_flows &&
	   !ls.has_max_objects && !memcmp(ls.hash_key, want, sizeof(want)),
	   "limit set hash-key: 32 digits, either case");
	free(err);
	limit_set_fails("hash-key 0123456789abcdeffedcba987654321", hex_error);
	limit_set_fails("hash-key 0123456789abcdeffedcba98765432100", hex_error);
	limit_set_fails("hash-key 0123456789abcdeffedcba987654321x", hex_error);
	limit_set_fails("hash-key 0x23456789abcdeffedcba9876543210", hex_error);
	limit_set_fails("hash-key \"\"", hex_error);
	limit_set_fails("hash-key", "Error: \"hash-key\" needs an argument\n");
	limit_set_fails("hash-key 0123456789abcdeffedcba9876543210 hash-key 0123456789abcdeffedcba9876543210",
			"Error: \"hash-key\" is given twice\n");

	rc = parse_limit(&ls, &err, "max-objects 1");
	ok(!rc && !*err && ls.has_max_objects && ls.max_objects == 1 &&
	   !ls.has_hash_key && !ls.has_max_flows, "limit set max-objects 1");
	free(err);
	rc = parse_limit(&ls, &err, "max-objects 4294967295");
	ok(!rc && ls.max_objects == 4294967295u, "limit set max-objects 2^32-1");
	free(err);
	limit_set_fails("max-objects 0", max_objects_error);
	limit_set_fails("max-objects 4294967296", max_objects_error);
	limit_set_fails("max-objects 99999999999", max_objects_error);
	limit_set_fails("max-objects -1", max_objects_error);
	limit_set_fails("max-objects 1 max-objects 2",
			"Error: \"max-objects\" is given twice\n");
	limit_set_fails("max-flows 4294967296",
			"Error: \"max-flows\" needs a number between 0 and 4294967295\n");
	limit_set_fails("",
			"Error: \"set\" needs at least one of \"max-flows\", \"max-objects\", \"hash-key\"\n");
	limit_set_fails("max-flows 1 frob", "Error: unknown keyword \"frob\"\n");

	/* all three in one request */
	rc = parse_limit(&ls, &err,
			 "max-objects 77 hash-key 0123456789abcdeffedcba9876543210 max-flows 0");
	ok(!rc && !*err && ls.has_max_flows && !ls.max_flows &&
	   ls.has_max_objects && ls.max_objects == 77 && ls.has_hash_key,
	   "limit set: three settings on one line");
	free(err);
	msg = new_msg(PRIVLINK_CMD_SET_INFO);
	ok(!limit_set_put(msg, &ls), "limit set: encoded");
	ok(!genlmsg_parse(nlmsg_hdr(msg), 0, tb, PRIVLINK_A_MAX, NULL) &&
	   tb[PRIVLINK_A_INFO] &&
	   !nla_parse_nested(itb, PRIVLINK_INFO_A_MAX, tb[PRIVLINK_A_INFO], NULL) &&
	   itb[PRIVLINK_INFO_A_MAX_FLOWS] &&
	   nla_get_u32(itb[PRIVLINK_INFO_A_MAX_FLOWS]) == 0 &&
	   itb[PRIVLINK_INFO_A_MAX_OBJECTS] &&
	   nla_get_u32(itb[PRIVLINK_INFO_A_MAX_OBJECTS]) == 77 &&
	   itb[PRIVLINK_INFO_A_HASH_KEY] &&
	   nla_len(itb[PRIVLINK_INFO_A_HASH_KEY]) == PRIVLINK_HASH_KEY_LEN &&
	   !memcmp(nla_data(itb[PRIVLINK_INFO_A_HASH_KEY]), want, sizeof(want)),
	   "limit set: one INFO nest with MAX_FLOWS, MAX_OBJECTS, HASH_KEY");
	nlmsg_free(msg);

	/* only what was given is sent */
	rc = parse_limit(&ls, &err, "hash-key 0123456789abcdeffedcba9876543210");
	free(err);
	msg = new_msg(PRIVLINK_CMD_SET_INFO);
	ok(!rc && !limit_set_put(msg, &ls) &&
	   !genlmsg_parse(nlmsg_hdr(msg), 0, tb, PRIVLINK_A_MAX, NULL) &&
	   tb[PRIVLINK_A_INFO] &&
	   !nla_parse_nested(itb, PRIVLINK_INFO_A_MAX, tb[PRIVLINK_A_INFO], NULL) &&
	   itb[PRIVLINK_INFO_A_HASH_KEY] && !itb[PRIVLINK_INFO_A_MAX_FLOWS] &&
	   !itb[PRIVLINK_INFO_A_MAX_OBJECTS],
	   "limit set hash-key: the nest holds the key alone");
	nlmsg_free(msg);
}

/* An INFO reply with the limits; no HASH_KEY when @key_len is 0. */
static struct nl_msg *info_msg_all(uint32_t max_flows, uint32_t max_objects,
				   int key_len)
{
	struct nl_msg *msg = new_msg(PRIVLINK_CMD_GET_INFO);
	struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_INFO);

	nla_put_u32(msg, PRIVLINK_INFO_A_GENERATION, 9);
	nla_put_u32(msg, PRIVLINK_INFO_A_MAX_FLOWS, max_flows);
	nla_put_u32(msg, PRIVLINK_INFO_A_MAX_OBJECTS, max_objects);
	if (key_len)
		nla_put(msg, PRIVLINK_INFO_A_HASH_KEY, key_len,
			"\x01\x23\x45\x67\x89\xab\xcd\xef\xfe\xdc\xba\x98\x76\x54\x32\x10\x00");
	nla_nest_end(msg, o);
	return msg;
}

static void test_limit_show(void)
{
	char *s;

	limit_msg = info_msg_all(0, 1000000, PRIVLINK_HASH_KEY_LEN);
	limit_flags = 0;
	s = capture(limit_show, 0, 0);
	ok_str("max-flows 0 max-objects 1000000 hash-key 0123456789abcdeffedcba9876543210\n",
	       s, "limit show: max-objects, hash-key");
	free(s);
	s = capture(limit_show, 1, 0);
	ok_str("{\"max_flows\":0,\"max_objects\":1000000,\"hash_key\":\"0123456789abcdeffedcba9876543210\"}\n",
	       s, "limit show -j: max_objects, hash_key");
	free(s);
	limit_flags = PR_SAVE;
	s = capture(limit_show, 0, 0);
	ok_str("max-flows 0 max-objects 1000000 hash-key 0123456789abcdeffedcba9876543210",
	       s, "limit save words: all three");
	free(s);
	nlmsg_free(limit_msg);

	/* a caller without CAP_NET_ADMIN gets no key */
	limit_msg = info_msg_all(5, 10, 0);
	limit_flags = 0;
	s = capture(limit_show, 0, 0);
	ok_str("max-flows 5 max-objects 10\n", s, "limit show without the key");
	free(s);
	s = capture(limit_show, 1, 0);
	ok_str("{\"max_flows\":5,\"max_objects\":10}\n", s,
	       "limit show -j without the key");
	free(s);
	nlmsg_free(limit_msg);

	/* a key of the wrong length is a malformed reply: nothing printed */
	limit_msg = info_msg_all(5, 10, PRIVLINK_HASH_KEY_LEN - 1);
	s = capture(limit_show, 0, 0);
	ok_str("", s, "limit show: a 15-byte key is refused");
	free(s);
	nlmsg_free(limit_msg);
	limit_msg = info_msg_all(5, 10, PRIVLINK_HASH_KEY_LEN + 1);
	s = capture(limit_show, 0, 0);
	ok_str("", s, "limit show: a 17-byte key is refused");
	free(s);
	nlmsg_free(limit_msg);
}

/* monitor's limit-set event: the settings, as "limit show", named "limit" */
static void test_limit_event(void)
{
	struct nl_msg *msg = info_msg_all(7, 500, 0);
	char *s;

	s = print_msg(msg, 0, PR_KIND);
	ok_str("ev max-flows 7 max-objects 500\n", s,
	       "limit-set event text: the limit show line");
	free(s);
	s = print_msg(msg, 1, PR_KIND);
	ok_str("{\"event\":\"ev\",\"limit\":{\"max_flows\":7,\"max_objects\":500}}\n",
	       s, "limit-set event json: the object \"limit\"");
	free(s);
	nlmsg_free(msg);
}

/* max-flows and the -s counters of endpoints and targets; limit show */
static void test_limits(void)
{
	struct nl_msg *msg;
	char *s;

	msg = endpoint_msg_max(PRIVLINK_CMD_ENDPOINT_GET, 3);
	check_flags(msg, 0,
		    "vpce-1 vpc consumer-a service svc1 state available account 111111111111 max-flows 3 eni use1-az1 10.0.0.100 eni use1-az2 10.0.1.100\n",
		    "[{\"name\":\"vpce-1\",\"vpc\":\"consumer-a\",\"service\":\"svc1\",\"state\":\"available\",\"account\":\"111111111111\",\"max_flows\":3,\"enis\":[{\"az\":\"use1-az1\",\"addr\":\"10.0.0.100\"},{\"az\":\"use1-az2\",\"addr\":\"10.0.1.100\"}]}]\n",
		    "endpoint with max-flows");
	check_flags(msg, PR_STATS,
		    "vpce-1 vpc consumer-a service svc1 state available account 111111111111 max-flows 3 eni use1-az1 10.0.0.100 eni use1-az2 10.0.1.100 new-flows 7 drops 2 packets 120 bytes 98765\n",
		    "[{\"name\":\"vpce-1\",\"vpc\":\"consumer-a\",\"service\":\"svc1\",\"state\":\"available\",\"account\":\"111111111111\",\"max_flows\":3,\"enis\":[{\"az\":\"use1-az1\",\"addr\":\"10.0.0.100\"},{\"az\":\"use1-az2\",\"addr\":\"10.0.1.100\"}],\"stats\":{\"new_flows\":7,\"drops\":2,\"packets\":120,\"bytes\":98765}}]\n",
		    "endpoint -s");
	s = print_msg(msg, 0, PR_SAVE | PR_STATS);
	ok_str("vpce-1 vpc consumer-a service svc1 max-flows 3 eni use1-az1 10.0.0.100 eni use1-az2 10.0.1.100",
	       s, "endpoint save: max-flows, never the counters");
	free(s);
	s = print_msg(msg, 0, PR_KIND | PR_STATS);
	ok_str("ev vpce-1 vpc consumer-a service svc1 state available account 111111111111 max-flows 3 eni use1-az1 10.0.0.100 eni use1-az2 10.0.1.100 new-flows 7 drops 2 packets 120 bytes 98765\n",
	       s, "event text with -s");
	free(s);
	nlmsg_free(msg);

	msg = endpoint_msg(PRIVLINK_CMD_ENDPOINT_GET);
	check_flags(msg, PR_STATS,
		    "vpce-1 vpc consumer-a service svc1 state available account 111111111111 eni use1-az1 10.0.0.100 eni use1-az2 10.0.1.100 new-flows 7 drops 2 packets 120 bytes 98765\n",
		    "[{\"name\":\"vpce-1\",\"vpc\":\"consumer-a\",\"service\":\"svc1\",\"state\":\"available\",\"account\":\"111111111111\",\"enis\":[{\"az\":\"use1-az1\",\"addr\":\"10.0.0.100\"},{\"az\":\"use1-az2\",\"addr\":\"10.0.1.100\"}],\"stats\":{\"new_flows\":7,\"drops\":2,\"packets\":120,\"bytes\":98765}}]\n",
		    "endpoint -s, no limit");
	nlmsg_free(msg);

	msg = target_msg(8443);
	check_flags(msg, PR_STATS,
		    "svc1 172.16.1.10:8443 az use1-az1 weight 1 state draining new-flows 42 drops 0 packets 300 bytes 450000\n",
		    "[{\"service\":\"svc1\",\"addr\":\"172.16.1.10\",\"port\":8443,\"az\":\"use1-az1\",\"weight\":1,\"state\":\"draining\",\"stats\":{\"new_flows\":42,\"drops\":0,\"packets\":300,\"bytes\":450000}}]\n",
		    "target -s");
	nlmsg_free(msg);

	/* an endpoint without counters (an older module): -s prints none */
	msg = new_msg(PRIVLINK_CMD_ENDPOINT_GET);
	{
		struct nlattr *o = nla_nest_start(msg, PRIVLINK_A_ENDPOINT);

		nla_put_string(msg, PRIVLINK_ENDPOINT_A_NAME, "vpce-2");
		nla_nest_end(msg, o);
	}
	check_flags(msg, PR_STATS, "vpce-2 vpc  service  state pendingAcceptance account \n",
		    "[{\"name\":\"vpce-2\",\"vpc\":\"\",\"service\":\"\",\"state\":\"pendingAcceptance\",\"account\":\"\",\"enis\":[]}]\n",
		    "endpoint -s without counters");
	nlmsg_free(msg);

	limit_msg = info_msg(0);
	s = capture(limit_show, 0, 0);
	ok_str("max-flows 0\n", s, "limit show: no limit");
	free(s);
	nlmsg_free(limit_msg);
	limit_msg = info_msg(4000000000u);
	s = capture(limit_show, 1, 0);
	ok_str("{\"max_flows\":4000000000}\n", s, "limit show -j");
	free(s);
	limit_flags = PR_SAVE;
	s = capture(limit_show, 0, 0);
	ok_str("max-flows 4000000000", s, "limit save words");
	free(s);
	nlmsg_free(limit_msg);

	test_limit_set();
	test_limit_show();

	ok_str("endpoint-set", cmd_event_name(PRIVLINK_CMD_ENDPOINT_SET),
	       "event name of ENDPOINT_SET");
	ok_str("limit-set", cmd_event_name(PRIVLINK_CMD_SET_INFO),
	       "event name of SET_INFO");
	ok(!cmd_event_name(PRIVLINK_CMD_GET_INFO), "GET_INFO has no event");
	test_limit_event();
}

static struct nl_msg *version_msg;

static void version_show(void)
{
	version_print(version_msg);
}

/* version -j: the object counts, the limits and every packet counter */
static void test_version(void)
{
	static const char *const keys[] = {
		NULL, NULL, "new_flows", "drop_not_accepted",
		"drop_no_listener", "drop_no_target", "drop_az_down",
		"drop_wrong_vpc", "drop_nat_failed", "arp_replies",
		"drop_limit", "drop_spoofed", "drop_invalid", "nd_replies",
	};
	struct nlattr *o, *st;
	char *s;
	int t;

	version_msg = new_msg(PRIVLINK_CMD_GET_INFO);
	o = nla_nest_start(version_msg, PRIVLINK_A_INFO);
	nla_put_string(version_msg, PRIVLINK_INFO_A_VERSION, "9.8.7");
	nla_put_u8(version_msg, PRIVLINK_INFO_A_HOOKS, 1);
	nla_put_u32(version_msg, PRIVLINK_INFO_A_GENERATION, 9);
	nla_put_u32(version_msg, PRIVLINK_INFO_A_AZS, 2);
	nla_put_u32(version_msg, PRIVLINK_INFO_A_MAX_FLOWS, 5);
	nla_put_u32(version_msg, PRIVLINK_INFO_A_MAX_OBJECTS, 1000000);
	nla_put(version_msg, PRIVLINK_INFO_A_HASH_KEY, PRIVLINK_HASH_KEY_LEN,
		"0123456789abcdef");
	st = nla_nest_start(version_msg, PRIVLINK_INFO_A_STATS);
	for (t = PRIVLINK_STATS_A_NEW_FLOWS; t <= PRIVLINK_STATS_A_MAX; t++)
		nla_put_u64(version_msg, t, 100 + t);
	nla_nest_end(version_msg, st);
	nla_nest_end(version_msg, o);

	ok(sizeof(keys) / sizeof(keys[0]) == PRIVLINK_STATS_A_MAX + 1,
	   "version test: one name per counter of the uapi");
	s = capture(version_show, 0, 0);
	ok_str("plctl " PLCTL_VERSION ", privlink module 9.8.7, hooks registered: true\n",
	       s, "version: text");
	free(s);
	s = capture(version_show, 1, 0);
	ok_str("{\"plctl\":\"" PLCTL_VERSION "\",\"module\":\"9.8.7\",\"hooks\":true,\"generation\":9,\"azs\":2,\"max_flows\":5,\"max_objects\":1000000,\"stats\":{\"new_flows\":102,\"drop_not_accepted\":103,\"drop_no_listener\":104,\"drop_no_target\":105,\"drop_az_down\":106,\"drop_wrong_vpc\":107,\"drop_nat_failed\":108,\"arp_replies\":109,\"nd_replies\":113,\"drop_limit\":110,\"drop_spoofed\":111,\"drop_invalid\":112}}\n",
	       s, "version -j: max_objects, drop_spoofed, drop_invalid, nd_replies next to arp_replies, no hash key");
	free(s);
	plctl_opts.stats = 1;
	s = capture(version_show, 0, 0);
	ok_str("plctl " PLCTL_VERSION ", privlink module 9.8.7, hooks registered: true\n"
	       "new-flows 102 drop-not-accepted 103 drop-no-listener 104 drop-no-target 105 drop-az-down 106 drop-wrong-vpc 107 drop-nat-failed 108 arp-replies 109 nd-replies 113 drop-limit 110 drop-spoofed 111 drop-invalid 112\n",
	       s, "version -s: the counters on a second line, nd-replies next to arp-replies");
	free(s);
	s = capture(version_show, 1, 0);
	ok(strstr(s, "\"drop_invalid\":112}}\n") != NULL,
	   "version -s -j: the same JSON");
	free(s);
	plctl_opts.stats = 0;
	nlmsg_free(version_msg);
}

/* save_print() of the objects @objs (one of each kind) and @info. */
static char *save_objects(struct nl_msg **objs, struct nl_msg *info)
{
	struct plnl_msgs d[SAVE_DUMPS];
	FILE *f, *saved = stdout;
	char *buf = NULL;
	size_t len = 0;
	int k;

	for (k = 0; k < SAVE_DUMPS; k++) {
		d[k].v = &objs[k];
		d[k].n = d[k].cap = 1;
	}
	f = open_memstream(&buf, &len);
	stdout = f;
	save_print(d, info);
	fflush(f);
	stdout = saved;
	fclose(f);
	for (k = 0; k < SAVE_DUMPS; k++)
		nlmsg_free(objs[k]);
	return buf;
}

/* save_print() of one object of each kind and @info, stdout captured. */
static char *save_output(struct nl_msg *info)
{
	struct nl_msg *objs[SAVE_DUMPS] = {
		[SAVE_AZ] = az_msg(),
		[SAVE_VPC] = vpc_msg(),
		[SAVE_SERVICE] = service_msg(),
		[SAVE_TARGET] = target_msg(0),
		[SAVE_ENDPOINT] = endpoint_msg_max(PRIVLINK_CMD_ENDPOINT_GET, 3),
	};

	return save_objects(objs, info);
}

#define SAVE_OBJECTS \
	"az add use1-az1 state down\n" \
	"vpc add consumer-a account 111111111111 cidr 10.0.0.0/24 dev lo dev if999999 zone 1\n" \
	"service add svc1 vpc provider listener tcp/443:8443 listener udp/53 nlb use1-az1 172.16.0.10 acceptance required principal 111111111111 principal * cross-zone on idle-timeout 350\n" \
	"target add svc1 172.16.1.10 az use1-az1 weight 1 state draining\n" \
	"endpoint add vpce-1 vpc consumer-a service svc1 max-flows 3 eni use1-az1 10.0.0.100 eni use1-az2 10.0.1.100\n" \
	"endpoint accept vpce-1\n" \
	"service set svc1 acceptance auto\n"

/* save: the settings first, as one "limit set", then the objects */
static void test_save(void)
{
	struct nl_msg *info;
	char *s;

	info = info_msg_all(9, 1000000, PRIVLINK_HASH_KEY_LEN);
	s = save_output(info);
	ok_str("# plctl save\n"
	       "limit set max-flows 9 max-objects 1000000 hash-key 0123456789abcdeffedcba9876543210\n"
	       SAVE_OBJECTS, s, "save: limit set line first, with the key");
	free(s);
	nlmsg_free(info);

	info = info_msg_all(0, 20, 0);
	s = save_output(info);
	ok_str("# plctl save\n"
	       "# hash-key left out: reading it needs CAP_NET_ADMIN.  A namespace restored\n"
	       "# from this file keeps its own key and picks other targets for the same flows.\n"
	       "limit set max-flows 0 max-objects 20\n"
	       SAVE_OBJECTS, s, "save without the key: a comment says so");
	free(s);
	nlmsg_free(info);

	/* dual stack: every new field on the add lines */
	{
		struct nl_msg *objs[SAVE_DUMPS] = {
			[SAVE_AZ] = az_msg(),
			[SAVE_VPC] = vpc6_msg(1),
			[SAVE_SERVICE] = service6_msg(PRIVLINK_IP_DUALSTACK),
			[SAVE_TARGET] = target6_msg(8080),
			[SAVE_ENDPOINT] = endpoint6_msg(PRIVLINK_IP_DUALSTACK),
		};

		info = info_msg_all(0, 20, PRIVLINK_HASH_KEY_LEN);
		s = save_objects(objs, info);
		ok_str("# plctl save\n"
		       "limit set max-flows 0 max-objects 20 hash-key 0123456789abcdeffedcba9876543210\n"
		       "az add use1-az1 state down\n"
		       "vpc add consumer-d account 111111111111 cidr 10.0.0.0/16 ipv6-cidr fd00:1::/56 zone 4\n"
		       "service add svc6 vpc provider-d listener tcp/80:8080 nlb use1-az1 10.1.0.5,fd01::5 nlb use1-az2 10.1.1.5,fd01:0:0:1::5 acceptance required cross-zone off idle-timeout 350 ip-types dualstack principal 111111111111\n"
		       "target add svc6 [fd01::10]:8080 az use1-az1 weight 2 state healthy\n"
		       "endpoint add vpce-6 vpc consumer-d service svc6 ip-type dualstack eni use1-az1 10.0.0.100,fd00:1::100 eni use1-az2 10.0.1.100,fd00:1:0:1::100\n"
		       "endpoint accept vpce-6\n"
		       "service set svc6 noprincipal\n",
		       s, "save: dual stack, ipv6-cidr, ip-types, [X::Y]:PORT, ip-type, ADDR,ADDR6");
		free(s);
		nlmsg_free(info);
	}

	/* a malformed INFO nest (a 15-byte key): no limit line at all */
	info = info_msg_all(0, 20, PRIVLINK_HASH_KEY_LEN - 1);
	s = save_output(info);
	ok_str("# plctl save\n" SAVE_OBJECTS, s,
	       "save: a malformed INFO nest gives no limit line");
	free(s);
	nlmsg_free(info);
}

/* ---- batch: plctl_cmd() is stubbed here (the real one is in plctl.c) ---- */

static char calls[1024];

int plctl_cmd(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		strcat(calls, argv[i]);
		strcat(calls, i + 1 < argc ? " " : "|");
	}
	return strcmp(argv[0], "fail") ? 0 : EXIT_USAGE;
}

static void test_batch(void)
{
	char path[] = "/tmp/plctl-unit-XXXXXX";
	int fd = mkstemp(path), rc;
	FILE *f = fdopen(fd, "w"), *err;
	char *ebuf = NULL, want[128];
	size_t elen = 0;

	fputs("# a comment\n\naz add \"a\"   state up\n  vpc show\nfail now\naz add never\n", f);
	fclose(f);
	err = open_memstream(&ebuf, &elen);
	{
		FILE *saved = stderr;

		stderr = err;
		rc = do_batch(path);
		stderr = saved;
	}
	fclose(err);
	ok(rc == EXIT_FAIL, "batch: a failing line fails the batch with 1");
	ok_str("az add a state up|vpc show|fail now|", calls,
	       "batch: comments and blank lines skipped, stops at the failure");
	snprintf(want, sizeof(want), "Command failed %s:5\n", path);
	ok_str(want, ebuf, "batch: Command failed FILE:LINE");
	free(ebuf);
	unlink(path);
}

int main(void)
{
	printf("TAP version 13\n");
	test_print();
	test_parsers();
	test_dual_stack_parsers();
	test_names();
	test_split();
	test_quote();
	test_objects();
	test_dual_stack_objects();
	test_ip_pair_attrs();
	test_limits();
	test_version();
	test_save();
	test_batch();
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
