// SPDX-License-Identifier: GPL-2.0
/*
 * plctl: argument parsing helpers (see parse.h).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/privlink.h>
#include "parse.h"

int matches(const char *arg, const char *word)
{
	size_t n = strlen(arg);

	return n && n <= strlen(word) && !strncmp(arg, word, n);
}

int parse_ipv4(const char *s, uint32_t *addr)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*addr = a.s_addr;
	return 0;
}

int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *val)
{
	unsigned long long v = 0;
	const char *p;

	if (!*s || strlen(s) > 10)
		return -1;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (unsigned int)(*p - '0');
	}
	if (v < min || v > max)
		return -1;
	*val = (uint32_t)v;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int parse_hex(const char *s, uint8_t *buf, size_t len)
{
	size_t i;

	if (strlen(s) != 2 * len)
		return -1;
	for (i = 0; i < 2 * len; i++)
		if (hexval(s[i]) < 0)
			return -1;
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(hexval(s[2 * i]) << 4 | hexval(s[2 * i + 1]));
	return 0;
}

/* Copy the part of @s before @sep (or all of it) into @buf. */
static int head(const char *s, char sep, char *buf, size_t size,
		const char **rest)
{
	const char *e = strchr(s, sep);
	size_t n = e ? (size_t)(e - s) : strlen(s);

	if (n >= size)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*rest = e ? e + 1 : NULL;
	return 0;
}

int parse_cidr(const char *s, uint32_t *addr, uint8_t *plen)
{
	char buf[INET_ADDRSTRLEN];
	const char *len;
	uint32_t v;

	if (head(s, '/', buf, sizeof(buf), &len) || !len ||
	    parse_ipv4(buf, addr) || parse_u32(len, 0, 32, &v))
		return -1;
	*plen = (uint8_t)v;
	return 0;
}

int parse_addr_port(const char *s, uint32_t *addr, uint16_t *port)
{
	char buf[INET_ADDRSTRLEN];
	const char *p;
	uint32_t v = 0;

	if (head(s, ':', buf, sizeof(buf), &p) || parse_ipv4(buf, addr))
		return -1;
	if (p && parse_u32(p, 1, 65535, &v))
		return -1;
	*port = (uint16_t)v;
	return 0;
}

int parse_ipv6(const char *s, struct in6_addr *addr)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, s, &a) != 1)
		return -1;
	*addr = a;
	return 0;
}

int parse_cidr6(const char *s, struct in6_addr *addr, uint8_t *plen)
{
	char buf[INET6_ADDRSTRLEN];
	struct in6_addr a;
	const char *len;
	uint32_t v;

	if (head(s, '/', buf, sizeof(buf), &len) || !len ||
	    parse_ipv6(buf, &a) || parse_u32(len, 0, 128, &v))
		return -1;
	*addr = a;
	*plen = (uint8_t)v;
	return 0;
}

int ip_port_is6(const char *s)
{
	const char *c = strchr(s, ':');

	return *s == '[' || (c && strchr(c + 1, ':'));
}

int parse_ip_port(const char *s, struct ip_addr *a, uint16_t *port)
{
	char buf[INET6_ADDRSTRLEN];
	struct in6_addr v6;
	const char *p;
	uint32_t v;

	if (!ip_port_is6(s)) {
		if (parse_addr_port(s, &a->v4, port))
			return -1;
		a->family = AF_INET;
		return 0;
	}
	if (*s != '[') {		/* X:X::X, no port */
		if (parse_ipv6(s, &v6))
			return -1;
		*port = 0;
	} else {			/* [X:X::X]:PORT */
		if (head(s + 1, ']', buf, sizeof(buf), &p) || !p ||
		    *p != ':' || parse_ipv6(buf, &v6) ||
		    parse_u32(p + 1, 1, 65535, &v))
			return -1;
		*port = (uint16_t)v;
	}
	a->family = AF_INET6;
	a->v6 = v6;
	return 0;
}

const char *format_ip_port(const struct ip_addr *a, int port, char *buf,
			   size_t size)
{
	char s[INET6_ADDRSTRLEN];

	if (a->family == AF_INET6) {
		inet_ntop(AF_INET6, &a->v6, s, sizeof(s));
		if (port >= 0)
			snprintf(buf, size, "[%s]:%d", s, port);
		else
			snprintf(buf, size, "%s", s);
	} else {
		inet_ntop(AF_INET, &a->v4, s, sizeof(s));
		if (port >= 0)
			snprintf(buf, size, "%s:%d", s, port);
		else
			snprintf(buf, size, "%s", s);
	}
	return buf;
}

int parse_ip_pair(const char *s, struct ip_pair *p, const char **bad,
		  size_t *badlen)
{
	struct ip_pair r = { 0 };
	char buf[INET6_ADDRSTRLEN];
	const char *e = s, *next;
	size_t n;
	int is6;

	do {
		next = strchr(e, ',');
		n = next ? (size_t)(next - e) : strlen(e);
		if (!n)
			return IP_PAIR_E_LIST;
		is6 = memchr(e, ':', n) != NULL;
		if (bad) {
			*bad = e;
			*badlen = n;
		}
		if (n >= sizeof(buf))
			return is6 ? IP_PAIR_E_BAD6 : IP_PAIR_E_BAD4;
		memcpy(buf, e, n);
		buf[n] = '\0';
		if (is6) {
			if (parse_ipv6(buf, &r.v6))
				return IP_PAIR_E_BAD6;
			if (r.has6++)
				return IP_PAIR_E_TWO6;
		} else {
			if (parse_ipv4(buf, &r.v4))
				return IP_PAIR_E_BAD4;
			if (r.has4++)
				return IP_PAIR_E_TWO4;
		}
		e = next ? next + 1 : NULL;
	} while (e);
	*p = r;
	return 0;
}

const char *format_ip_pair(const struct ip_pair *p, char *buf, size_t size)
{
	char a4[INET_ADDRSTRLEN] = "", a6[INET6_ADDRSTRLEN] = "";

	if (p->has4)
		inet_ntop(AF_INET, &p->v4, a4, sizeof(a4));
	if (p->has6)
		inet_ntop(AF_INET6, &p->v6, a6, sizeof(a6));
	snprintf(buf, size, "%s%s%s", a4, p->has4 && p->has6 ? "," : "", a6);
	return buf;
}

int parse_listener(const char *s, uint8_t *proto, uint16_t *port,
		   uint16_t *tport)
{
	char buf[8], pbuf[8];
	const char *p, *t;
	uint32_t v, tv;

	if (head(s, '/', buf, sizeof(buf), &p) || !p)
		return -1;
	if (!strcmp(buf, "tcp"))
		*proto = IPPROTO_TCP;
	else if (!strcmp(buf, "udp"))
		*proto = IPPROTO_UDP;
	else
		return -1;
	if (head(p, ':', pbuf, sizeof(pbuf), &t) ||
	    parse_u32(pbuf, 1, 65535, &v))
		return -1;
	tv = v;
	if (t && parse_u32(t, 1, 65535, &tv))
		return -1;
	*port = (uint16_t)v;
	*tport = (uint16_t)tv;
	return 0;
}

int parse_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= PRIVLINK_NAME_MAX)
		return -1;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789._:-") == n ? 0 : -1;
}

int parse_account(const char *s)
{
	/* the kernel checks accounts as names (privlink_name_valid()) */
	return parse_name(s);
}

int parse_keyword(const char *s, const char *const *words)
{
	int i;

	for (i = 0; words[i]; i++)
		if (*words[i] && !strcmp(s, words[i]))
			return i;
	return -1;
}

int split_line(char *line, char **argv, int max)
{
	char *r = line, *w = line;
	int argc = 0;

	for (;;) {
		char quote = 0;

		while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r' ||
		       *r == '\v' || *r == '\f')
			r++;
		if (!*r || *r == '#')
			break;
		if (argc == max)
			return -1;
		argv[argc++] = w;
		for (; *r; r++) {
			if (quote) {
				if (*r == quote) {
					quote = 0;
					continue;
				}
				if (*r == '\\' && quote == '"' && r[1])
					r++;
			} else if (*r == '"' || *r == '\'') {
				quote = *r;
				continue;
			} else if (*r == '\\' && r[1]) {
				r++;
			} else if (isspace((unsigned char)*r)) {
				break;
			}
			*w++ = *r;
		}
		if (quote)
			return -1;
		if (*r)
			r++;
		*w++ = '\0';
		/* w never passes r: a word ends at or before its separator */
	}
	return argc;
}

int err_unknown(const char *arg)
{
	fprintf(stderr, "Error: unknown keyword \"%s\"\n", arg);
	return -1;
}

int err_needs_arg(const char *key)
{
	fprintf(stderr, "Error: \"%s\" needs an argument\n", key);
	return -1;
}

int err_missing(const char *key)
{
	fprintf(stderr, "Error: \"%s\" is required\n", key);
	return -1;
}

int err_duplicate(const char *key)
{
	fprintf(stderr, "Error: \"%s\" is given twice\n", key);
	return -1;
}

int err_needs_args(const char *key, const char *what)
{
	fprintf(stderr, "Error: \"%s\" needs %s\n", key, what);
	return -1;
}

int err_exclusive(const char *a, const char *b)
{
	fprintf(stderr, "Error: \"%s\" and \"%s\" exclude each other\n", a, b);
	return -1;
}

int arg_ipv4(const char *s, uint32_t *addr)
{
	if (!parse_ipv4(s, addr))
		return 0;
	fprintf(stderr, "Error: argument \"%s\" is not a valid IPv4 address\n", s);
	return -1;
}

int arg_cidr(const char *s, uint32_t *addr, uint8_t *plen)
{
	if (!parse_cidr(s, addr, plen))
		return 0;
	fprintf(stderr, "Error: argument \"%s\" is not a valid IPv4 prefix (A.B.C.D/LEN)\n", s);
	return -1;
}

int arg_addr_port(const char *s, uint32_t *addr, uint16_t *port)
{
	if (!parse_addr_port(s, addr, port))
		return 0;
	fprintf(stderr, "Error: argument \"%s\" is not a valid address (A.B.C.D[:PORT])\n", s);
	return -1;
}

int arg_cidr6(const char *s, struct in6_addr *addr, uint8_t *plen)
{
	if (!parse_cidr6(s, addr, plen))
		return 0;
	fprintf(stderr, "Error: argument \"%s\" is not a valid IPv6 prefix (X:X::X/LEN)\n", s);
	return -1;
}

int arg_ip_port(const char *s, struct ip_addr *a, uint16_t *port)
{
	if (!parse_ip_port(s, a, port))
		return 0;
	fprintf(stderr, "Error: argument \"%s\" is not a valid address (%s)\n",
		s, ip_port_is6(s) ? "X:X::X or [X:X::X]:PORT" : "A.B.C.D[:PORT]");
	return -1;
}

int arg_ip_pair(const char *s, struct ip_pair *p)
{
	const char *bad = s;
	size_t n = strlen(s);
	int rc = parse_ip_pair(s, p, &bad, &n);

	switch (rc) {
	case 0:
		return 0;
	case IP_PAIR_E_BAD4:
	case IP_PAIR_E_BAD6:
		fprintf(stderr, "Error: argument \"%.*s\" is not a valid %s address\n",
			(int)n, bad, rc == IP_PAIR_E_BAD6 ? "IPv6" : "IPv4");
		break;
	case IP_PAIR_E_TWO4:
	case IP_PAIR_E_TWO6:
		fprintf(stderr, "Error: argument \"%s\" has two %s addresses\n",
			s, rc == IP_PAIR_E_TWO6 ? "IPv6" : "IPv4");
		break;
	default:
		fprintf(stderr, "Error: argument \"%s\" is not a valid address list (ADDR[,ADDR])\n", s);
	}
	return -1;
}

int arg_listener(const char *s, uint8_t *proto, uint16_t *port,
		 uint16_t *tport)
{
	if (!parse_listener(s, proto, port, tport))
		return 0;
	fprintf(stderr, "Error: argument \"%s\" is not a valid listener ({ tcp | udp }/PORT[:TARGETPORT])\n", s);
	return -1;
}

int arg_u32(const char *key, const char *s, uint32_t min, uint32_t max,
	    uint32_t *val)
{
	if (!parse_u32(s, min, max, val))
		return 0;
	fprintf(stderr, "Error: \"%s\" needs a number between %u and %u\n",
		key, min, max);
	return -1;
}

int arg_hex(const char *key, const char *s, uint8_t *buf, size_t len)
{
	if (!parse_hex(s, buf, len))
		return 0;
	fprintf(stderr, "Error: \"%s\" needs exactly %zu hexadecimal digits\n",
		key, 2 * len);
	return -1;
}

int arg_name(const char *s)
{
	if (!parse_name(s))
		return 0;
	fprintf(stderr, "Error: argument \"%s\" is not a valid name (1 to %d characters of A-Z a-z 0-9 . _ : -)\n",
		s, PRIVLINK_NAME_MAX - 1);
	return -1;
}

int arg_account(const char *s)
{
	if (!parse_account(s))
		return 0;
	fprintf(stderr, "Error: argument \"%s\" is not a valid account (1 to %d characters of A-Z a-z 0-9 . _ : -)\n",
		s, PRIVLINK_NAME_MAX - 1);
	return -1;
}

int arg_keyword(const char *key, const char *s, const char *const *words)
{
	int i = parse_keyword(s, words), j, n;

	if (i >= 0)
		return i;
	fprintf(stderr, "Error: \"%s\" needs one of", key);
	for (j = 0, n = 0; words[j]; j++)
		if (*words[j])	/* "": a value without a name */
			fprintf(stderr, "%s \"%s\"", n++ ? "," : "", words[j]);
	fprintf(stderr, ", not \"%s\"\n", s);
	return -1;
}

const char *quote_word(const char *s, char *buf, size_t size)
{
	size_t i = 0;

	if (*s && !s[strcspn(s, " \t\n\r\v\f\"'\\#")])
		return s;
	if (size < 3)
		return "\"\"";
	buf[i++] = '"';
	for (; *s && i + 3 < size; s++) {
		if (*s == '"' || *s == '\\')
			buf[i++] = '\\';
		buf[i++] = *s;
	}
	buf[i++] = '"';
	buf[i] = '\0';
	return buf;
}
