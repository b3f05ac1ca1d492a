/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plctl: the one print path for text and JSON output.
 *
 * Every value is printed through print_*(): with -j it becomes a JSON member
 * named @key (or an array element when the enclosing container is an array),
 * otherwise @fmt is used as a printf format for the text output; a NULL @fmt
 * prints nothing in text mode.  print_nl() ends a text line (and is ignored
 * in JSON mode).
 */
#ifndef PLCTL_PRINT_H
#define PLCTL_PRINT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void print_init(FILE *out, int json, int pretty);
int print_is_json(void);
void print_flush(void);

void print_open_object(const char *key);
void print_close_object(void);
void print_open_array(const char *key);
void print_close_array(void);

void print_str(const char *key, const char *fmt, const char *val);
void print_uint(const char *key, const char *fmt, uint64_t val);
void print_int(const char *key, const char *fmt, int64_t val);
void print_bool(const char *key, const char *fmt, int val);
void print_nl(void);

/* A boolean: true/false in JSON, @t or @f through @fmt in text. */
void print_bool_word(const char *key, const char *fmt, int val,
		     const char *t, const char *f);
/* An IPv4 address (network byte order), as a dotted-quad string. */
void print_ipv4(const char *key, const char *fmt, uint32_t addr);
/* An IPv6 address (16 bytes, network byte order), as inet_ntop() writes it. */
void print_ipv6(const char *key, const char *fmt, const void *addr);

struct ip_pair;
struct ip_addr;
/*
 * The addresses of @p: in text one string, "ADDR[,ADDR6]" through @fmt
 * (format_ip_pair()); in JSON the members @key4 (the IPv4 address) and
 * @key6 (the IPv6 one), each only when @p has it.
 */
void print_ip_pair(const char *key4, const char *key6, const char *fmt,
		   const struct ip_pair *p);
/*
 * An address of either family and a port: in text "A.B.C.D:PORT" or
 * "[X:X::X]:PORT" through @fmt (format_ip_port()), without the port when
 * !@text_port; in JSON the members @akey (the address, either family) and
 * @pkey (the port, always).
 */
void print_ip_port(const char *akey, const char *pkey, const char *fmt,
		   const struct ip_addr *a, uint16_t port, int text_port);

/*
 * @len (at most 64) bytes as 2 * @len lower-case hex digits (a string in
 * JSON).
 */
void print_hex(const char *key, const char *fmt, const void *buf,
	       size_t len);

/* JSON string escaping, exposed for unit tests. */
void print_json_escape(FILE *out, const char *s);

#endif
