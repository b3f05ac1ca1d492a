// SPDX-License-Identifier: GPL-2.0
/*
 * plctl: the one print path for text and JSON output (see print.h).
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "print.h"

#define MAX_DEPTH 16

static struct {
	FILE *out;
	int json, pretty;
	int depth;
	int count[MAX_DEPTH];	/* members already printed at each depth */
} p = { .out = NULL };

void print_init(FILE *out, int json, int pretty)
{
	memset(&p, 0, sizeof(p));
	p.out = out;
	p.json = json;
	p.pretty = pretty;
}

int print_is_json(void)
{
	return p.json;
}

void print_flush(void)
{
	if (p.json && p.depth == 0 && p.count[0])
		fputc('\n', p.out);
	p.count[0] = 0;
	fflush(p.out);
}

void print_json_escape(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (c < 0x20)
				fprintf(out, "\\u%04x", c);
			else
				fputc(c, out);
		}
	}
	fputc('"', out);
}

static void indent(void)
{
	int i;

	if (!p.pretty)
		return;
	fputc('\n', p.out);
	for (i = 0; i < p.depth; i++)
		fputs("    ", p.out);
}

/* Separator and key before a JSON value. */
static void json_key(const char *key)
{
	if (p.count[p.depth]++)
		fputc(',', p.out);
	if (p.depth)
		indent();
	if (key && p.depth) {
		print_json_escape(p.out, key);
		fputs(p.pretty ? ": " : ":", p.out);
	}
}

static void open_container(const char *key, char c)
{
	if (!p.json)
		return;
	if (p.depth == 0 && p.count[0]) {
		/* A new top-level value: one JSON document per line. */
		fputc('\n', p.out);
		p.count[0] = 0;
	}
	json_key(key);
	fputc(c, p.out);
	if (p.depth < MAX_DEPTH - 1)
		p.depth++;
	p.count[p.depth] = 0;
}

static void close_container(char c)
{
	int had;

	if (!p.json)
		return;
	had = p.count[p.depth];
	if (p.depth)
		p.depth--;
	if (had)
		indent();
	fputc(c, p.out);
}

void print_open_object(const char *key)
{
	open_container(key, '{');
}

void print_close_object(void)
{
	close_container('}');
}

void print_open_array(const char *key)
{
	open_container(key, '[');
}

void print_close_array(void)
{
	close_container(']');
}

static void text(const char *fmt, ...)
{
	va_list ap;

	if (!fmt)
		return;
	va_start(ap, fmt);
	vfprintf(p.out, fmt, ap);
	va_end(ap);
}

void print_str(const char *key, const char *fmt, const char *val)
{
	if (!p.json) {
		text(fmt, val);
		return;
	}
	json_key(key);
	print_json_escape(p.out, val);
}

void print_uint(const char *key, const char *fmt, uint64_t val)
{
	if (!p.json) {
		text(fmt, val);
		return;
	}
	json_key(key);
	fprintf(p.out, "%" PRIu64, val);
}

void print_int(const char *key, const char *fmt, int64_t val)
{
	if (!p.json) {
		text(fmt, val);
		return;
	}
	json_key(key);
	fprintf(p.out, "%" PRId64, val);
}

void print_bool(const char *key, const char *fmt, int val)
{
	if (!p.json) {
		text(fmt, val ? "true" : "false");
		return;
	}
	json_key(key);
	fputs(val ? "true" : "false", p.out);
}

void print_nl(void)
{
	if (!p.json)
		fputc('\n', p.out);
}

void print_bool_word(const char *key, const char *fmt, int val,
		     const char *t, const char *f)
{
	if (!p.json) {
		text(fmt, val ? t : f);
		return;
	}
	json_key(key);
	fputs(val ? "true" : "false", p.out);
}

void print_ipv4(const char *key, const char *fmt, uint32_t addr)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr a = { .s_addr = addr };

	inet_ntop(AF_INET, &a, buf, sizeof(buf));
	print_str(key, fmt, buf);
}

void print_ipv6(const char *key, const char *fmt, const void *addr)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, addr, buf, sizeof(buf));
	print_str(key, fmt, buf);
}

void print_ip_pair(const char *key4, const char *key6, const char *fmt,
		   const struct ip_pair *a)
{
	char buf[IP_PAIR_STRLEN];

	if (!p.json) {
		text(fmt, format_ip_pair(a, buf, sizeof(buf)));
		return;
	}
	if (a->has4)
		print_ipv4(key4, NULL, a->v4);
	if (a->has6)
		print_ipv6(key6, NULL, &a->v6);
}

void print_ip_port(const char *akey, const char *pkey, const char *fmt,
		   const struct ip_addr *a, uint16_t port, int text_port)
{
	char buf[IP_PORT_STRLEN];

	if (!p.json) {
		text(fmt, format_ip_port(a, text_port ? port : -1, buf,
					 sizeof(buf)));
		return;
	}
	print_str(akey, NULL, format_ip_port(a, -1, buf, sizeof(buf)));
	print_uint(pkey, NULL, port);
}

void print_hex(const char *key, const char *fmt, const void *buf,
	       size_t len)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *b = buf;
	char s[2 * 64 + 1];
	size_t i;

	if (len > sizeof(s) / 2)
		len = sizeof(s) / 2;
	for (i = 0; i < len; i++) {
		s[2 * i] = digits[b[i] >> 4];
		s[2 * i + 1] = digits[b[i] & 15];
	}
	s[2 * len] = '\0';
	print_str(key, fmt, s);
}
