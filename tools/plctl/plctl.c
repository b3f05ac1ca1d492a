// SPDX-License-Identifier: GPL-2.0
/*
 * plctl: configure privlink availability zones, VPCs, endpoint services,
 * targets, endpoints and their ENIs.
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

#include "flow.h"
#include "parse.h"
#include "plctl.h"
#include "print.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: plctl [OPTIONS] OBJECT { COMMAND | help }\n"
		"       plctl [OPTIONS] { version | save | monitor | flush | help }\n"
		"       plctl [OPTIONS] restore { FILE | - } [wait SECONDS]\n"
		"       plctl [OPTIONS] -b[atch] { FILE | - }\n"
		"OBJECT := { az | vpc | service | target | endpoint | eni | flow |\n"
		"            limit }\n"
		"OPTIONS := { -n[etns] NETNS | -j[son] | -p[retty] | -e[cho] |\n"
		"             -s[tats] | -h[elp] | -V[ersion] }\n");
}

/* Like 'ip -n NAME': enter /run/netns/NAME before opening any socket. */
static int enter_netns(const char *name)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "Error: cannot open network namespace \"%s\": %s\n",
			name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "Error: setting the network namespace \"%s\" failed: %s\n",
			name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} cmds[] = {
	/* in the order abbreviations are resolved, as ip does */
	{ "az",		do_az },
	{ "vpc",	do_vpc },
	{ "service",	do_service },
	{ "target",	do_target },
	{ "endpoint",	do_endpoint },
	{ "eni",	do_eni },
	{ "flow",	do_flow },
	{ "limit",	do_limit },
	{ "version",	do_version },
	{ "save",	do_save },
	{ "monitor",	do_monitor },
	{ "flush",	do_flush },
	{ "restore",	do_restore },
};

/*
 * "plctl -h" / "plctl help": the whole grammar, as "ip mptcp help" spells
 * out its own: the options, then every object's commands (their own help).
 */
static void usage_all(void)
{
	static char help[] = "help";
	char *argv[] = { help, NULL };
	size_t i;

	usage(stdout);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (cmds[i].fn == do_version || cmds[i].fn == do_save ||
		    cmds[i].fn == do_monitor || cmds[i].fn == do_flush ||
		    cmds[i].fn == do_restore)
			continue;
		fputc('\n', stdout);
		fflush(stdout);
		cmds[i].fn(1, argv);
	}
	fflush(stdout);
}

int plctl_cmd(int argc, char **argv)
{
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (matches(argv[0], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	if (matches(argv[0], "help")) {
		usage_all();
		return 0;
	}
	fprintf(stderr, "Error: object \"%s\" is unknown, try \"plctl help\".\n",
		argv[0]);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "netns",   required_argument, NULL, 'n' },
		{ "json",    no_argument,       NULL, 'j' },
		{ "pretty",  no_argument,       NULL, 'p' },
		{ "echo",    no_argument,       NULL, 'e' },
		{ "stats",   no_argument,       NULL, 's' },
		{ "batch",   required_argument, NULL, 'b' },
		{ "help",    no_argument,       NULL, 'h' },
		{ "Version", no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *netns = NULL, *batch = NULL;
	int c, rc;

	opterr = 0;	/* its messages are not iproute2's: ours below */
	while ((c = getopt_long_only(argc, argv, "+:n:jpesb:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			netns = optarg;
			break;
		case 'j':
			plctl_opts.json = 1;
			break;
		case 'p':
			plctl_opts.pretty = 1;
			break;
		case 'e':
			plctl_opts.echo = 1;
			break;
		case 's':
			plctl_opts.stats = 1;
			break;
		case 'b':
			batch = optarg;
			break;
		case 'h':
			usage_all();
			return 0;
		case 'V':
			printf("plctl %s\n", PLCTL_VERSION);
			return 0;
		case ':':
			fprintf(stderr, "Error: option \"%s\" needs an argument\n",
				argv[optind - 1]);
			return EXIT_USAGE;
		default:
			/* optopt: a bad letter in a group such as -jx */
			if (optopt)
				fprintf(stderr, "Error: option \"-%c\" is unknown, try \"plctl -help\".\n",
					optopt);
			else
				fprintf(stderr, "Error: option \"%s\" is unknown, try \"plctl -help\".\n",
					argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (batch ? argc > 0 : argc < 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (netns && enter_netns(netns) < 0)
		return EXIT_FAIL;
	print_init(stdout, plctl_opts.json, plctl_opts.pretty);

	if (batch)
		rc = do_batch(batch);
	else
		rc = plctl_cmd(argc, argv);
	print_flush();
	plctl_nl_close();
	return rc;
}
