// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests of plctl's userspace code (no kernel needed).
 * Prints TAP; exits non-zero on any failure.  Run by 'make unit' under
 * valgrind.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int main(void)
{
	char *s;

	printf("TAP version 13\n");
	s = capture(sample, 0, 0);
	ok_str("name svc\"1\n port 443 use1-az1 use1-az2 up true\n", s,
	       "text output uses the text formats");
	free(s);
	s = capture(sample, 1, 0);
	ok_str("{\"name\":\"svc\\\"1\\n\",\"port\":443,\"azs\":[\"use1-az1\",\"use1-az2\"],\"up\":true,\"delta\":-3}\n",
	       s, "json output: escaping, arrays, numbers, booleans");
	free(s);
	s = capture(two_docs, 1, 0);
	ok_str("{\"a\":1}\n{\"b\":{}}\n", s,
	       "json: one document per line, empty objects");
	free(s);
	s = capture(two_docs, 1, 1);
	ok_str("{\n    \"a\": 1\n}\n{\n    \"b\": {}\n}\n", s, "pretty json");
	free(s);

	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
