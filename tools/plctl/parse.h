/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plctl: argument parsing helpers.  The parse_*() functions are pure: they
 * return 0 or -1 and print nothing; the arg_*() wrappers print the iproute2
 * style "Error: ..." message naming the bad argument and return -1.
 */
#ifndef PLCTL_PARSE_H
#define PLCTL_PARSE_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

/* One address of either family (a target's). */
struct ip_addr {
	int family;			/* AF_INET or AF_INET6 */
	uint32_t v4;			/* network byte order */
	struct in6_addr v6;
};

/* At most one address of each family (an NLB node's, an ENI's). */
struct ip_pair {
	int has4, has6;
	uint32_t v4;			/* network byte order */
	struct in6_addr v6;
};

/* Room for format_ip_pair() and format_ip_port(), their NUL included. */
#define IP_PAIR_STRLEN (INET_ADDRSTRLEN + INET6_ADDRSTRLEN)
#define IP_PORT_STRLEN (INET6_ADDRSTRLEN + 8)

/* 1 when @arg is a non-empty prefix of @word (verb abbreviation, as ip). */
int matches(const char *arg, const char *word);

/* Dotted-quad IPv4 address; @addr in network byte order. */
int parse_ipv4(const char *s, uint32_t *addr);
/* A.B.C.D/LEN, LEN 0..32. */
int parse_cidr(const char *s, uint32_t *addr, uint8_t *plen);
/* A.B.C.D or A.B.C.D:PORT (PORT 1..65535); @port 0 when absent. */
int parse_addr_port(const char *s, uint32_t *addr, uint16_t *port);
/* An IPv6 address (inet_pton()'s forms), network byte order. */
int parse_ipv6(const char *s, struct in6_addr *addr);
/* X:X::X/LEN, LEN 0..128. */
int parse_cidr6(const char *s, struct in6_addr *addr, uint8_t *plen);
/*
 * A target's address, as ss(8) writes them: A.B.C.D[:PORT], X:X::X, or
 * [X:X::X]:PORT (PORT 1..65535; @port 0 when absent).  The form tells the
 * family: a word that starts with '[' or holds two colons or more is IPv6
 * (so an IPv6 address with a port needs the brackets).
 */
int parse_ip_port(const char *s, struct ip_addr *a, uint16_t *port);
/* 1 when @s has the IPv6 form of parse_ip_port(), whether valid or not. */
int ip_port_is6(const char *s);
/*
 * @a with @port (when @port >= 0) in the notation parse_ip_port() reads:
 * A.B.C.D, A.B.C.D:PORT, X:X::X, [X:X::X]:PORT.  Returns @buf (of @size
 * bytes, IP_PORT_STRLEN is enough).
 */
const char *format_ip_port(const struct ip_addr *a, int port, char *buf,
			   size_t size);

/*
 * ADDR[,ADDR]: an IPv4 address, an IPv6 address, or one of each (either
 * order).  An element with a colon is IPv6, one without IPv4.  Returns 0
 * or one of the IP_PAIR_E_* codes; for BAD4 and BAD6, *@bad and *@badlen
 * (when not NULL) name the bad element.  @p is left alone on error.
 */
enum {
	IP_PAIR_E_LIST = 1,	/* an empty element ("a,", ",", "a,,b") */
	IP_PAIR_E_BAD4,		/* an element is not an IPv4 address */
	IP_PAIR_E_BAD6,		/* an element is not an IPv6 address */
	IP_PAIR_E_TWO4,		/* two IPv4 addresses */
	IP_PAIR_E_TWO6,		/* two IPv6 addresses */
};
int parse_ip_pair(const char *s, struct ip_pair *p, const char **bad,
		  size_t *badlen);
/*
 * @p as parse_ip_pair() reads it: the IPv4 address first, then the IPv6
 * one ("10.1.0.5,fd01::5"); "" when @p has neither.  Returns @buf (of
 * @size bytes, IP_PAIR_STRLEN is enough).
 */
const char *format_ip_pair(const struct ip_pair *p, char *buf, size_t size);
/* tcp/PORT or udp/PORT[:TARGETPORT], ports 1..65535; @tport = @port if absent. */
int parse_listener(const char *s, uint8_t *proto, uint16_t *port,
		   uint16_t *tport);
/* A decimal number in [min, max], no sign, no trailing junk. */
int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *val);
/*
 * Exactly 2 * @len hexadecimal digits (either case, no prefix, no
 * separators) into the @len bytes of @buf, which is left alone on error.
 */
int parse_hex(const char *s, uint8_t *buf, size_t len);
/* An object name: 1..PRIVLINK_NAME_MAX-1 characters of [A-Za-z0-9._:-]. */
int parse_name(const char *s);
/* An account (or a principal but "*"): as a name, which the kernel checks. */
int parse_account(const char *s);
/*
 * Index of @s in the NULL-terminated @words (exact match), or -1.  An
 * empty word (a value without a name) never matches.
 */
int parse_keyword(const char *s, const char *const *words);

/*
 * Split @line in place into at most @max words (whitespace separated; "..."
 * and '...' quote, a backslash escapes the next character outside single
 * quotes; a '#' starting a word starts a comment).  Returns the number of
 * words, or -1 for an unterminated quote or too many words.
 */
int split_line(char *line, char **argv, int max);

/* Printing wrappers, "Error: ..." on stderr. */
int arg_ipv4(const char *s, uint32_t *addr);
int arg_cidr(const char *s, uint32_t *addr, uint8_t *plen);
int arg_addr_port(const char *s, uint32_t *addr, uint16_t *port);
/* "Error: argument "X" is not a valid IPv6 prefix (X:X::X/LEN)" */
int arg_cidr6(const char *s, struct in6_addr *addr, uint8_t *plen);
/* parse_ip_port(); the message names the forms of the family @s has. */
int arg_ip_port(const char *s, struct ip_addr *a, uint16_t *port);
/* parse_ip_pair(); one message per IP_PAIR_E_* code. */
int arg_ip_pair(const char *s, struct ip_pair *p);
int arg_listener(const char *s, uint8_t *proto, uint16_t *port,
		 uint16_t *tport);
int arg_u32(const char *key, const char *s, uint32_t min, uint32_t max,
	    uint32_t *val);
/* Keyword @key's value: parse_hex(); the message does not echo it (a key). */
int arg_hex(const char *key, const char *s, uint8_t *buf, size_t len);
int arg_name(const char *s);
int arg_account(const char *s);
/* Keyword @key's value, one of @words; "Error: "key" needs one of ..." */
int arg_keyword(const char *key, const char *s, const char *const *words);

/* Usage errors; all return -1. */
int err_unknown(const char *arg);		/* unknown keyword "frob" */
int err_needs_arg(const char *key);		/* "key" needs an argument */
int err_missing(const char *key);		/* "key" is required */
int err_duplicate(const char *key);		/* "key" is given twice */
/* "key" needs WHAT (a keyword with several values: "an AZ and an address") */
int err_needs_args(const char *key, const char *what);
/* "a" and "b" exclude each other */
int err_exclusive(const char *a, const char *b);

/*
 * Argument walking, as iproute2's NEXT_ARG(): in a function with argc/argv,
 * step to the value of keyword *argv or return EXIT_USAGE.
 */
#define NEXT_ARG() do {						\
		if (argc < 2)					\
			return err_needs_arg(*argv), EXIT_USAGE;	\
		argc--, argv++;					\
	} while (0)

/* Step to the next word of a keyword list: false when there is none left. */
#define NEXT_ARGS() (argc--, argv++, argc > 0)

/*
 * @s as one word of a batch line: itself when it needs no quoting, else
 * written into @buf (of @size bytes) in double quotes, with \ and " escaped.
 */
const char *quote_word(const char *s, char *buf, size_t size);

#endif
