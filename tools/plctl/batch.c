// SPDX-License-Identifier: GPL-2.0
/*
 * plctl -b FILE: run the commands of a file (or "-", stdin), one per line,
 * as "ip -batch" does: on the one netlink connection, stopping at the first
 * command that fails.
 *
 * plctl restore FILE [wait SECONDS]: the same, all or nothing, for a saved
 * configuration ("plctl save") at boot (privlink.service):
 *   1. the whole file is read and split into words first; a line that does
 *      not split, or whose object is not a configuration object (az, vpc,
 *      service, target, endpoint, eni, limit), fails the restore before
 *      anything is sent;
 *   2. with "wait", every interface named after "dev" on a vpc line must
 *      exist within SECONDS (watched with rtnetlink link notifications);
 *      without it, a missing one fails its vpc line;
 *   3. the namespace must have no objects (a restore is the whole
 *      configuration, not an addition to one); its settings are noted;
 *   4. the lines run in order; when one fails (a usage error or a request
 *      the kernel refuses), every object is deleted again ("flush") and
 *      the settings are put back, so the namespace is left as it was.
 * Nobody else should configure the namespace while a restore runs: its undo
 * deletes whatever objects the namespace then has.
 *
 * plctl flush: delete every object of the namespace (endpoints with their
 * ENIs, services with their targets, VPCs, AZs); the settings stay.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <linux/privlink.h>
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

/* --- flush ------------------------------------------------------------- */

/* The objects flush deletes, in an order the kernel accepts. */
static const struct {
	int get, del, attr, name_attr;
} kinds[] = {
	{ PRIVLINK_CMD_ENDPOINT_GET, PRIVLINK_CMD_ENDPOINT_DEL,
	  PRIVLINK_A_ENDPOINT, PRIVLINK_ENDPOINT_A_NAME },
	{ PRIVLINK_CMD_SERVICE_GET, PRIVLINK_CMD_SERVICE_DEL,
	  PRIVLINK_A_SERVICE, PRIVLINK_SERVICE_A_NAME },
	{ PRIVLINK_CMD_VPC_GET, PRIVLINK_CMD_VPC_DEL,
	  PRIVLINK_A_VPC, PRIVLINK_VPC_A_NAME },
	{ PRIVLINK_CMD_AZ_GET, PRIVLINK_CMD_AZ_DEL,
	  PRIVLINK_A_AZ, PRIVLINK_AZ_A_NAME },
};

/* The name in the object nest @attr of dump message @msg, or NULL. */
static const char *msg_name(struct nl_msg *msg, int attr, int name_attr)
{
	struct nlattr *tb[PRIVLINK_A_MAX + 1], *a;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PRIVLINK_A_MAX, NULL) < 0 ||
	    !tb[attr])
		return NULL;
	a = nla_find(nla_data(tb[attr]), nla_len(tb[attr]), name_attr);
	if (!a || nla_len(a) < 2 || ((char *)nla_data(a))[nla_len(a) - 1])
		return NULL;
	return nla_data(a);
}

static int flush(void)
{
	struct plnl *nl = plctl_nl();
	size_t k, i;
	int err;

	if (!nl)
		return EXIT_FAIL;
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct plnl_msgs m = { 0 };
		struct nl_msg *msg = cmd_msg(kinds[k].get, 1, 0);

		if (!msg)
			return EXIT_FAIL;
		err = plnl_dump(nl, msg, &m);
		if (err) {
			plnl_msgs_free(&m);
			cmd_perror(nl, err);
			return EXIT_FAIL;
		}
		for (i = 0; i < m.n; i++) {
			const char *name = msg_name(m.v[i], kinds[k].attr,
						    kinds[k].name_attr);
			char *av[2] = { (char *)"delete", (char *)name };

			if (!name)
				continue;
			if (cmd_name(kinds[k].del, kinds[k].attr,
				     kinds[k].name_attr, 1, av + 1, 0)) {
				plnl_msgs_free(&m);
				return EXIT_FAIL;
			}
		}
		plnl_msgs_free(&m);
	}
	return 0;
}

int do_flush(int argc, char **argv)
{
	(void)argv;
	if (argc > 0) {
		fprintf(stderr, "Error: \"flush\" takes no arguments\n");
		return EXIT_USAGE;
	}
	return flush();
}

/* --- restore ----------------------------------------------------------- */

/* The namespace's object counts and settings (GET_INFO). */
struct ns_info {
	uint32_t objects;
	struct limit_set ls;
};

static int info_cb(struct nl_msg *msg, void *arg)
{
	static const int counts[] = {
		PRIVLINK_INFO_A_AZS, PRIVLINK_INFO_A_VPCS,
		PRIVLINK_INFO_A_SERVICES, PRIVLINK_INFO_A_TARGETS,
		PRIVLINK_INFO_A_ENDPOINTS, PRIVLINK_INFO_A_ENIS,
	};
	struct nlattr *tb[PRIVLINK_A_MAX + 1], *itb[PRIVLINK_INFO_A_MAX + 1];
	struct ns_info *info = arg;
	size_t i;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PRIVLINK_A_MAX, NULL) < 0 ||
	    !tb[PRIVLINK_A_INFO] ||
	    nla_parse_nested(itb, PRIVLINK_INFO_A_MAX, tb[PRIVLINK_A_INFO],
			     NULL) < 0)
		return NL_SKIP;
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		if (itb[counts[i]] && nla_len(itb[counts[i]]) >= 4)
			info->objects += nla_get_u32(itb[counts[i]]);
	if (itb[PRIVLINK_INFO_A_MAX_FLOWS] &&
	    nla_len(itb[PRIVLINK_INFO_A_MAX_FLOWS]) >= 4) {
		info->ls.has_max_flows = 1;
		info->ls.max_flows = nla_get_u32(itb[PRIVLINK_INFO_A_MAX_FLOWS]);
	}
	if (itb[PRIVLINK_INFO_A_MAX_OBJECTS] &&
	    nla_len(itb[PRIVLINK_INFO_A_MAX_OBJECTS]) >= 4) {
		info->ls.has_max_objects = 1;
		info->ls.max_objects =
			nla_get_u32(itb[PRIVLINK_INFO_A_MAX_OBJECTS]);
	}
	if (itb[PRIVLINK_INFO_A_HASH_KEY] &&
	    nla_len(itb[PRIVLINK_INFO_A_HASH_KEY]) == PRIVLINK_HASH_KEY_LEN) {
		info->ls.has_hash_key = 1;
		memcpy(info->ls.hash_key, nla_data(itb[PRIVLINK_INFO_A_HASH_KEY]),
		       PRIVLINK_HASH_KEY_LEN);
	}
	return NL_OK;
}

static int info_get(struct ns_info *info)
{
	struct plnl *nl = plctl_nl();
	struct nl_msg *msg;
	int err;

	memset(info, 0, sizeof(*info));
	if (!nl)
		return EXIT_FAIL;
	msg = cmd_msg(PRIVLINK_CMD_GET_INFO, 0, 0);
	if (!msg)
		return EXIT_FAIL;
	err = plnl_call(nl, msg, info_cb, info);
	if (err) {
		cmd_perror(nl, err);
		return EXIT_FAIL;
	}
	return 0;
}

/* Put the settings @ls back (one SET_INFO), unless they are unchanged. */
static int settings_put_back(const struct limit_set *ls)
{
	struct ns_info now;
	struct nl_msg *msg;

	if (info_get(&now))
		return EXIT_FAIL;
	if (now.ls.max_flows == ls->max_flows &&
	    now.ls.max_objects == ls->max_objects &&
	    (!ls->has_hash_key ||
	     !memcmp(now.ls.hash_key, ls->hash_key, PRIVLINK_HASH_KEY_LEN)))
		return 0;
	msg = cmd_msg(PRIVLINK_CMD_SET_INFO, 0, 0);
	if (!msg)
		return EXIT_FAIL;
	return cmd_request(cmd_msg_end(msg, limit_set_put(msg, ls) < 0), 0);
}

/* One line of the file, split into words. */
struct rline {
	int lineno, argc;
	char **argv;
};

/* The configuration objects a restore file may hold, in plctl_cmd()'s order
 * of abbreviation (a prefix means the first object it matches).
 */
static const struct {
	const char *name;
	int allowed;
} objects[] = {
	{ "az", 1 }, { "vpc", 1 }, { "service", 1 }, { "target", 1 },
	{ "endpoint", 1 }, { "eni", 1 }, { "flow", 0 }, { "limit", 1 },
	{ "version", 0 }, { "save", 0 }, { "monitor", 0 }, { "flush", 0 },
	{ "restore", 0 },
};

static const char *object_of(const char *word, int *allowed)
{
	size_t i;

	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		if (matches(word, objects[i].name)) {
			*allowed = objects[i].allowed;
			return objects[i].name;
		}
	*allowed = 0;
	return NULL;
}

/* Read @file whole into @lines (blank and comment-only lines left out). */
static int read_file(const char *file, struct rline **lines, size_t *n)
{
	char *line = NULL, *words[BATCH_MAX_ARGS];
	size_t cap = 0, alloc = 0;
	int lineno = 0, argc, rc = 0, allowed;
	FILE *f;

	*lines = NULL;
	*n = 0;
	f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!f) {
		fprintf(stderr, "Error: cannot open \"%s\": %s\n", file,
			strerror(errno));
		return EXIT_FAIL;
	}
	while (!rc && getline(&line, &cap, f) >= 0) {
		struct rline *l;

		lineno++;
		argc = split_line(line, words, BATCH_MAX_ARGS);
		if (argc < 0) {
			fprintf(stderr, "Error: unterminated quote or more than %d words\n",
				BATCH_MAX_ARGS);
			rc = EXIT_FAIL;
			break;
		}
		if (argc == 0)
			continue;
		if (!object_of(words[0], &allowed) || !allowed) {
			fprintf(stderr, "Error: \"%s\" is not a configuration command (az, vpc, service, target, endpoint, eni, limit)\n",
				words[0]);
			rc = EXIT_FAIL;
			break;
		}
		if (*n == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			l = realloc(*lines, alloc * sizeof(**lines));
			if (!l)
				goto oom;
			*lines = l;
		}
		l = &(*lines)[*n];
		l->lineno = lineno;
		l->argc = argc;
		l->argv = calloc(argc + 1, sizeof(char *));
		if (!l->argv)
			goto oom;
		(*n)++;
		for (int i = 0; i < argc; i++)
			if (!(l->argv[i] = strdup(words[i])))
				goto oom;
	}
	if (rc)
		fprintf(stderr, "Command failed %s:%d (nothing applied)\n",
			file, lineno);
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
oom:
	fprintf(stderr, "Error: out of memory\n");
	free(line);
	if (f != stdin)
		fclose(f);
	return EXIT_FAIL;
}

static void free_lines(struct rline *lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		for (int j = 0; lines[i].argv && j < lines[i].argc; j++)
			free(lines[i].argv[j]);
		free(lines[i].argv);
	}
	free(lines);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Wait until every interface named after "dev" on a vpc line exists, at
 * most @secs seconds: an rtnetlink socket subscribed to link changes is
 * opened first, then the names are checked, and again after each batch of
 * notifications.
 */
static int wait_devs(const char *file, struct rline *lines, size_t n,
		     unsigned int secs)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
				  .nl_groups = RTMGRP_LINK };
	double end = now_s() + secs;
	char buf[8192];
	int fd, allowed, said = -1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    NETLINK_ROUTE);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "plctl: cannot watch the interfaces: %s\n",
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_FAIL;
	}
	for (;;) {
		const char *missing = NULL;
		int at = 0;
		size_t i;

		for (i = 0; i < n && !missing; i++) {
			struct rline *l = &lines[i];
			const char *obj = object_of(l->argv[0], &allowed);

			if (strcmp(obj, "vpc"))
				continue;
			for (int j = 1; j + 1 < l->argc && !missing; j++)
				if (!strcmp(l->argv[j], "dev") &&
				    strlen(l->argv[j + 1]) < IF_NAMESIZE &&
				    !if_nametoindex(l->argv[j + 1])) {
					missing = l->argv[j + 1];
					at = l->lineno;
				}
		}
		if (!missing)
			break;
		if (now_s() >= end) {
			fprintf(stderr, "Error: interface \"%s\" (%s:%d) did not appear within %u s\n",
				missing, file, at, secs);
			close(fd);
			return EXIT_FAIL;
		}
		if (said != at) {
			fprintf(stderr, "plctl: waiting up to %u s for interface \"%s\" (%s:%d)\n",
				secs, missing, file, at);
			said = at;
		}
		struct pollfd p = { .fd = fd, .events = POLLIN };
		double left = end - now_s();
		/* never negative: poll() would wait for ever */
		int ms = left > 0 ? (int)(left * 1000) + 1 : 0;

		if (poll(&p, 1, ms) < 0 && errno != EINTR) {
			fprintf(stderr, "plctl: cannot watch the interfaces: %s\n",
				strerror(errno));
			close(fd);
			return EXIT_FAIL;
		}
		while (recv(fd, buf, sizeof(buf), 0) > 0)
			;	/* drain; the names are checked again */
	}
	close(fd);
	return 0;
}

/* restore FILE [wait SECONDS] */
int do_restore(int argc, char **argv)
{
	const char *file;
	struct rline *lines;
	struct ns_info before;
	unsigned int secs = 0;
	int wait = 0, undo_rc;
	size_t n, i;

	if (argc < 1)
		return err_needs_arg("restore"), EXIT_USAGE;
	file = *argv;
	while (NEXT_ARGS()) {
		if (!strcmp(*argv, "wait")) {
			NEXT_ARG();
			if (arg_u32("wait", *argv, 0, 3600, &secs))
				return EXIT_USAGE;
			wait = 1;
		} else {
			return err_unknown(*argv), EXIT_USAGE;
		}
	}
	if (read_file(file, &lines, &n))
		return EXIT_FAIL;
	if (wait && wait_devs(file, lines, n, secs)) {
		free_lines(lines, n);
		return EXIT_FAIL;
	}
	if (info_get(&before)) {
		free_lines(lines, n);
		return EXIT_FAIL;
	}
	if (before.objects) {
		fprintf(stderr, "Error: the namespace has a configuration already (%u objects); restore needs none\n",
			before.objects);
		free_lines(lines, n);
		return EXIT_FAIL;
	}
	for (i = 0; i < n && plctl_cmd(lines[i].argc, lines[i].argv) == 0; i++)
		;
	if (i == n) {
		free_lines(lines, n);
		return 0;
	}
	undo_rc = flush();
	if (!undo_rc)
		undo_rc = settings_put_back(&before.ls);
	fprintf(stderr, "Command failed %s:%d (%s)\n", file, lines[i].lineno,
		undo_rc ? "undoing it failed: part of the file is applied" :
			  "undone: the namespace is as it was");
	free_lines(lines, n);
	return EXIT_FAIL;
}
