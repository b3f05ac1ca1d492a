// SPDX-License-Identifier: GPL-2.0
/*
 * plctl monitor: print the events of the namespace as they happen.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <linux/privlink.h>
#include "names.h"
#include "plctl.h"
#include "print.h"

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(msg));
	const char *ev = cmd_event_name(g->cmd);

	(void)arg;
	if (!ev)
		return NL_SKIP;
	print_open_object(NULL);
	print_str("event", "%s ", ev);
	if (print_object_msg(msg, NULL, PR_KIND |
			     (plctl_opts.stats ? PR_STATS : 0)) < 0)
		print_nl();
	print_close_object();
	print_flush();
	return NL_OK;
}

int do_monitor(int argc, char **argv)
{
	struct pollfd pfd[2];
	struct plnl *nl;
	sigset_t mask, old;
	int sfd, err, rc = 0;

	if (argc > 0) {
		fprintf(stderr, "Error: unknown keyword \"%s\"\n", *argv);
		return EXIT_USAGE;
	}
	nl = plctl_nl();
	if (!nl)
		return EXIT_FAIL;
	err = plnl_subscribe(nl, PRIVLINK_GENL_MCGRP_EVENTS);
	if (err) {
		fprintf(stderr, "Error: cannot join the \"%s\" group: %s\n",
			PRIVLINK_GENL_MCGRP_EVENTS, strerror(-err));
		return EXIT_FAIL;
	}
	nl_socket_set_buffer_size(nl->sk, 4 << 20, 0);

	/* SIGINT and SIGTERM end the loop through a signalfd, cleanly. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, &old);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0) {
		fprintf(stderr, "Error: signalfd: %s\n", strerror(errno));
		sigprocmask(SIG_SETMASK, &old, NULL);
		return EXIT_FAIL;
	}
	pfd[0].fd = nl_socket_get_fd(nl->sk);
	pfd[0].events = POLLIN;
	pfd[1].fd = sfd;
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "Error: poll: %s\n", strerror(errno));
			rc = EXIT_FAIL;
			break;
		}
		if (pfd[1].revents) {
			struct signalfd_siginfo si;

			/* consume it, so unblocking it below does not kill us */
			if (read(sfd, &si, sizeof(si)) < 0)
				rc = EXIT_FAIL;
			break;
		}
		if (!(pfd[0].revents & (POLLIN | POLLERR)))
			continue;
		err = plnl_recv(nl, event_cb, NULL);
		if (err == -ENOBUFS) {
			fprintf(stderr, "Warning: events were lost (receive buffer overrun)\n");
		} else if (err) {
			fprintf(stderr, "Error: receiving events failed\n");
			rc = EXIT_FAIL;
			break;
		}
	}
	close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}
