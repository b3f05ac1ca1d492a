// SPDX-License-Identifier: GPL-2.0
/*
 * plhealthd unit tests: AWS's success-code matcher and the HTTP status
 * line (http.c).  No kernel, no network.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../plhealthd.h"

static int fails, n;

/* http.c logs nothing; the daemon's logging is main.c's */
void plh_log(const char *fmt, ...)
{
	(void)fmt;
}

static void ok(int cond, const char *what)
{
	n++;
	if (!cond) {
		fails++;
		printf("FAIL: %s\n", what);
	}
}

int main(void)
{
	static const struct {
		const char *codes;
		bool valid;
		unsigned int yes[4], no[4];
	} m[] = {
		{ "200", true, { 200 }, { 201, 199, 500 } },
		{ "200-399", true, { 200, 301, 399 }, { 400, 500, 199 } },
		{ "200,202-299", true, { 200, 202, 250, 299 }, { 201, 300 } },
		{ "500,200", true, { 500, 200 }, { 404 } },
		{ "599", true, { 599 }, { 598 } },
		{ "", false, {}, { 200 } },
		{ "199", false, {}, { 199 } },
		{ "600", false, {}, { 600 } },
		{ "200-", false, {}, { 200 } },
		{ "300-200", false, {}, { 250 } },
		{ "200,", false, {}, { 200 } },
		{ ",200", false, {}, { 200 } },
		{ "2000", false, {}, { 200 } },
		{ "200 ", false, {}, { 200 } },
		{ "20", false, {}, { 20 } },
	};
	static const struct {
		const char *resp;
		int status;
	} s[] = {
		{ "HTTP/1.1 200 OK\r\n", 200 },
		{ "HTTP/1.0 500 Internal Server Error\r\nX: y\r\n\r\n", 500 },
		{ "HTTP/1.1 204\r\n", 204 },
		{ "HTTP/1.1 302 Found\n", 302 },
		{ "HTTP/1.1 200 OK", 0 },	/* no end of line yet */
		{ "HTTP/1.", 0 },
		{ "HTT", 0 },
		{ "", 0 },
		{ "SSH-2.0-OpenSSH\r\n", -1 },
		{ "HTTP/2 200\r\n", -1 },
		{ "HTTP/1.1 20x OK\r\n", -1 },
		{ "HTTP/1.1 2000 OK\r\n", -1 },
		{ "HTTP/1.1 099 X\r\n", -1 },
	};
	char what[128];
	size_t i, j;

	for (i = 0; i < sizeof(m) / sizeof(*m); i++) {
		snprintf(what, sizeof(what), "\"%s\" valid=%d", m[i].codes, m[i].valid);
		ok(http_codes_valid(m[i].codes) == m[i].valid, what);
		for (j = 0; j < 4 && m[i].yes[j]; j++) {
			snprintf(what, sizeof(what), "\"%s\" matches %u", m[i].codes, m[i].yes[j]);
			ok(http_codes_match(m[i].codes, m[i].yes[j]), what);
		}
		for (j = 0; j < 4 && m[i].no[j]; j++) {
			snprintf(what, sizeof(what), "\"%s\" does not match %u", m[i].codes, m[i].no[j]);
			ok(!http_codes_match(m[i].codes, m[i].no[j]), what);
		}
	}
	for (i = 0; i < sizeof(s) / sizeof(*s); i++) {
		snprintf(what, sizeof(what), "status of \"%.20s\" is %d", s[i].resp, s[i].status);
		ok(http_status(s[i].resp, strlen(s[i].resp)) == s[i].status, what);
	}
	printf("plhealthd unit: %d of %d passed\n", n - fails, n);
	return fails ? 1 : 0;
}
