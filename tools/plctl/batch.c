// SPDX-License-Identifier: GPL-2.0
/*
 * plctl -b FILE: run the commands of a file (or "-", stdin), one per line,
 * as "ip -batch" does: on the one netlink connection, stopping at the first
 * command that fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "plctl.h"

#define BATCH_MAX_ARGS 1024

int do_batch(const char *file)
{
	static char *argv[BATCH_MAX_ARGS];
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, argc, rc = 0;
	FILE *f;

	if (!strcmp(file, "-")) {
		f = stdin;
	} else {
		f = fopen(file, "r");
		if (!f) {
			fprintf(stderr, "Error: cannot open \"%s\": %s\n", file,
				strerror(errno));
			return EXIT_FAIL;
		}
	}
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		argc = split_line(line, argv, BATCH_MAX_ARGS);
		if (argc < 0) {
			fprintf(stderr, "Error: unterminated quote or more than %d words\n",
				BATCH_MAX_ARGS);
			rc = EXIT_USAGE;
		} else if (argc > 0) {
			rc = plctl_cmd(argc, argv);
		}
		if (rc) {
			fprintf(stderr, "Command failed %s:%d\n", file, lineno);
			rc = EXIT_FAIL;
			break;
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}
