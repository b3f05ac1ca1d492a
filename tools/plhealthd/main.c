// SPDX-License-Identifier: GPL-2.0
/*
 * plhealthd: options, signals, the event loop, logging and the stats line.
 *
 * One epoll set holds the event socket (genl.c), the timerfd (sched.c), a
 * signalfd and every probe's socket (probe.c).  A probe freed while the
 * current batch of epoll events may still name it is only marked dead and
 * freed after the batch (plh_io.dead, probe_reap()).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "plhealthd.h"

struct plh_opts plh_opts = {
	.mark = 0x706c,		/* "pl" */
	.table = 28780,		/* the same number */
	.prio = 100,
	.stats_interval = 60,
	.late_ms = 100,
};

static int epfd = -1;

void plh_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void plh_debug(const char *fmt, ...)
{
	va_list ap;

	if (!plh_opts.verbose)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

uint64_t plh_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

int plh_io_add(int fd, uint32_t events, struct plh_io *io)
{
	struct epoll_event ev = { .events = events, .data.ptr = io };

	io->dead = false;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		plh_log("Error: epoll_ctl: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int plh_io_mod(int fd, uint32_t events, struct plh_io *io)
{
	struct epoll_event ev = { .events = events, .data.ptr = io };

	return epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev);
}

void plh_io_del(int fd)
{
	epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
}

/* --- stats ------------------------------------------------------------- */

#define HIST_MS	10000	/* lateness histogram: 1 ms buckets, then one */

static struct {
	uint64_t probes, passed, failed, reports, late;
	uint64_t max_ns;
	uint64_t hist[HIST_MS + 1];
} st;

void stats_probe_started(uint64_t lateness_ns)
{
	uint64_t ms = lateness_ns / NSEC_PER_MSEC;

	st.probes++;
	if (lateness_ns > st.max_ns)
		st.max_ns = lateness_ns;
	if (ms >= plh_opts.late_ms)
		st.late++;
	st.hist[ms < HIST_MS ? ms : HIST_MS]++;
}

void stats_probe_result(bool passed)
{
	if (passed)
		st.passed++;
	else
		st.failed++;
}

void stats_report(void)
{
	st.reports++;
}

/* The 99th percentile of the lateness, in whole ms (its bucket's top). */
static uint64_t p99_ms(void)
{
	uint64_t want = st.probes - st.probes / 100, sum = 0;
	unsigned int i;

	if (!st.probes)
		return 0;
	for (i = 0; i <= HIST_MS; i++) {
		sum += st.hist[i];
		if (sum >= want)
			return i + 1;
	}
	return HIST_MS;
}

void stats_print(void)
{
	plh_log("stats: targets %u probes %llu passed %llu failed %llu reports %llu late %llu lateness max %.1f ms p99 %llu ms",
		model_count_targets(), (unsigned long long)st.probes,
		(unsigned long long)st.passed, (unsigned long long)st.failed,
		(unsigned long long)st.reports, (unsigned long long)st.late,
		(double)st.max_ns / NSEC_PER_MSEC, (unsigned long long)p99_ms());
}

static struct plh_timer stats_timer;

static void stats_fire(struct plh_timer *t, uint64_t now)
{
	stats_print();
	timer_arm(t, now + (uint64_t)plh_opts.stats_interval * NSEC_PER_SEC);
}

/* --- signals ------------------------------------------------------------ */

static int sfd = -1;
static int quit;
static struct plh_io sig_io;

static void on_signal(struct plh_io *io, uint32_t events)
{
	struct signalfd_siginfo si;

	(void)io;
	(void)events;
	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			plh_log("%s: exiting", strsignal(si.ssi_signo));
			quit = 1;
			break;
		case SIGUSR1:
			stats_print();
			break;
		case SIGHUP:
			plh_log("SIGHUP: dumping the configuration again");
			genl_dump_all();
			break;
		}
	}
}

static int signals_init(void)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0) {
		plh_log("Error: signalfd: %s", strerror(errno));
		return -1;
	}
	sig_io.fn = on_signal;
	return plh_io_add(sfd, EPOLLIN, &sig_io);
}

/* --- options ------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: plhealthd [OPTIONS]\n"
		"Active health checks of privlink's targets, in this network namespace.\n"
		"\n"
		"  -m, --mark MARK          fwmark of the probes' replies (default 0x%x)\n"
		"  -t, --table TABLE        routing table of their local route (default %u)\n"
		"  -p, --priority PRIO      priority of the fwmark rule (default %u)\n"
		"  -s, --stats-interval S   seconds between stats lines, 0: only on SIGUSR1\n"
		"                           (default %u)\n"
		"  -v, --verbose            log every probe and every model change\n"
		"  -h, --help               this help\n"
		"  -V, --version            print the version\n",
		plh_opts.mark, plh_opts.table, plh_opts.prio,
		plh_opts.stats_interval);
}

static int parse_u32(const char *s, const char *what, uint32_t min,
		     uint32_t max, uint32_t *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || *s == '-' || v < min || v > max) {
		fprintf(stderr, "Error: invalid %s \"%s\" (%u..%u)\n", what, s,
			min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_opts(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "mark", required_argument, NULL, 'm' },
		{ "table", required_argument, NULL, 't' },
		{ "priority", required_argument, NULL, 'p' },
		{ "stats-interval", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{}
	};
	uint32_t v;
	int c;

	while ((c = getopt_long(argc, argv, "m:t:p:s:vhV", lopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (parse_u32(optarg, "mark", 1, UINT32_MAX, &plh_opts.mark))
				return 1;
			break;
		case 't':
			/* not 0 (unspec), 253-255 (default, main, local) */
			if (parse_u32(optarg, "table", 1, UINT32_MAX, &v))
				return 1;
			if (v >= 253 && v <= 255) {
				fprintf(stderr, "Error: table %u is one of the kernel's own\n", v);
				return 1;
			}
			plh_opts.table = v;
			break;
		case 'p':
			if (parse_u32(optarg, "priority", 1, 32765, &plh_opts.prio))
				return 1;
			break;
		case 's':
			if (parse_u32(optarg, "stats interval", 0, 86400, &v))
				return 1;
			plh_opts.stats_interval = v;
			break;
		case 'v':
			plh_opts.verbose++;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("plhealthd %s\n", PRIVLINK_RELEASE);
			exit(0);
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "Error: unexpected argument \"%s\"\n", argv[optind]);
		usage(stderr);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct epoll_event evs[64];
	struct rlimit rl;
	int rc = 1, n, i;

	if (parse_opts(argc, argv))
		return 1;
	setvbuf(stderr, NULL, _IOLBF, 0);
	/* a socket per probe in flight: up to one per target */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0) {
		plh_log("Error: epoll_create1: %s", strerror(errno));
		return 1;
	}
	if (signals_init() || sched_init() || probe_init())
		goto out;
	if (tproxy_install())
		goto out;
	if (genl_init())
		goto out;
	plh_log("plhealthd %s: running", PRIVLINK_RELEASE);
	timer_init(&stats_timer, stats_fire);
	if (plh_opts.stats_interval)
		timer_arm(&stats_timer, plh_now() +
			  (uint64_t)plh_opts.stats_interval * NSEC_PER_SEC);
	rc = 0;
	while (!quit) {
		n = epoll_wait(epfd, evs, 64, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			plh_log("Error: epoll_wait: %s", strerror(errno));
			rc = 1;
			break;
		}
		for (i = 0; i < n && !quit; i++) {
			struct plh_io *io = evs[i].data.ptr;

			if (!io->dead)
				io->fn(io, evs[i].events);
		}
		probe_reap();
	}
	stats_print();
out:
	model_clear();
	probe_exit();
	probe_reap();
	genl_exit();
	tproxy_remove();
	sched_exit();
	if (sfd >= 0)
		close(sfd);
	close(epfd);
	return rc;
}
