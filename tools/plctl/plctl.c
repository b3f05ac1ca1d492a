// SPDX-License-Identifier: GPL-2.0
/*
 * plctl: configure privlink endpoint services, endpoints and AZ placements.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plctl.h"
#include "print.h"

static struct plnl conn;
static int conn_open;

struct plnl *plctl_nl(void)
{
	if (!conn_open) {
		if (plnl_open(&conn) < 0)
			return NULL;
		conn_open = 1;
	}
	return &conn;
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: plctl [OPTIONS] OBJECT COMMAND [ARGS]\n"
		"       plctl [OPTIONS] version\n"
		"OPTIONS := { -n[etns] NAME | -j[son] | -p[retty] | -h[elp] | -V[ersion] }\n");
}

/* Like 'ip -n NAME': enter /run/netns/NAME before opening any socket. */
static int enter_netns(const char *name)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "plctl: cannot open network namespace \"%s\": %s\n",
			name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "plctl: setting the network namespace \"%s\" failed: %s\n",
			name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int matches(const char *arg, const char *word)
{
	size_t n = strlen(arg);

	return n && n <= strlen(word) && !strncmp(arg, word, n);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "netns",   required_argument, NULL, 'n' },
		{ "json",    no_argument,       NULL, 'j' },
		{ "pretty",  no_argument,       NULL, 'p' },
		{ "help",    no_argument,       NULL, 'h' },
		{ "Version", no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *netns = NULL;
	int json = 0, pretty = 0, c, rc;

	while ((c = getopt_long_only(argc, argv, "+n:jphV", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			netns = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'p':
			pretty = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("plctl %s\n", PLCTL_VERSION);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (netns && enter_netns(netns) < 0)
		return 1;
	print_init(stdout, json, pretty);

	if (matches(argv[0], "version")) {
		rc = do_version(argc - 1, argv + 1);
	} else if (matches(argv[0], "help")) {
		usage(stdout);
		rc = 0;
	} else {
		fprintf(stderr, "plctl: object \"%s\" is unknown, try \"plctl help\".\n",
			argv[0]);
		rc = EXIT_USAGE;
	}
	print_flush();
	if (conn_open)
		plnl_close(&conn);
	return rc;
}
