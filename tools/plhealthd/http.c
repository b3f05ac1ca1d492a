// SPDX-License-Identifier: GPL-2.0
/*
 * plhealthd: the HTTP status line and AWS's success-code matcher.
 *
 * The matcher is a comma-separated list of codes and ranges, each code
 * 200..599: "200", "200,202", "200-299", "200,202-299".  The kernel
 * validated it already (PRIVLINK_CHECK_A_CODES); a matcher that does not
 * parse here matches nothing.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "plhealthd.h"

/* One code at *@p: 3 digits, 200..599.  Advances @p. */
static int code_at(const char **p)
{
	const char *s = *p;
	int v;

	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]) || isdigit((unsigned char)s[3]))
		return -1;
	v = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	if (v < 200 || v > 599)
		return -1;
	*p = s + 3;
	return v;
}

/*
 * Walk @codes; with @code > 0 return 1 as soon as it matches.  Returns 0
 * when the whole list parsed (and nothing matched), -1 on a syntax error.
 */
static int walk(const char *codes, unsigned int code)
{
	const char *p = codes;
	int lo, hi;

	if (!*p)
		return -1;
	for (;;) {
		lo = code_at(&p);
		if (lo < 0)
			return -1;
		hi = lo;
		if (*p == '-') {
			p++;
			hi = code_at(&p);
			if (hi < lo)
				return -1;
		}
		if (code && code >= (unsigned int)lo && code <= (unsigned int)hi)
			return 1;
		if (!*p)
			return 0;
		if (*p++ != ',')
			return -1;
	}
}

bool http_codes_valid(const char *codes)
{
	return walk(codes, 0) == 0;
}

bool http_codes_match(const char *codes, unsigned int code)
{
	return code && http_codes_valid(codes) && walk(codes, code) == 1;
}

/* "HTTP/1.x NNN ..." up to its CRLF (a bare LF is accepted too). */
int http_status(const char *buf, size_t len)
{
	static const char proto[] = "HTTP/1.";
	size_t plen = sizeof(proto) - 1;
	const char *eol;
	int v;

	if (memcmp(buf, proto, len < plen ? len : plen))
		return -1;
	eol = memchr(buf, '\n', len);
	if (!eol)
		return len > 256 ? -1 : 0;	/* a status line is short */
	/* "HTTP/1.1 200" at least */
	if (eol - buf < 12 || !isdigit((unsigned char)buf[7]) || buf[8] != ' ')
		return -1;
	if (!isdigit((unsigned char)buf[9]) || !isdigit((unsigned char)buf[10]) ||
	    !isdigit((unsigned char)buf[11]))
		return -1;
	if (eol - buf > 12 && buf[12] != ' ' && buf[12] != '\r')
		return -1;
	v = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
	return v >= 100 ? v : -1;
}
