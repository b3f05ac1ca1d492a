// SPDX-License-Identifier: GPL-2.0
/*
 * crr: new-flow load generator and its server, for selftests/bench/run.
 *
 *   crr server -p PORT [-s SINKPORT] [-t THREADS]
 *	TCP on PORT: per connection read 1 byte, write 1 byte, close (the
 *	server closes first, so TIME_WAIT stays on the server side).
 *	UDP on PORT: echo every datagram.  UDP on SINKPORT: discard.
 *	IPv4 and IPv6 each on their own sockets (IPV6_V6ONLY), THREADS
 *	accepting on each: an IPv4 client takes the same path as without
 *	IPv6.
 *   crr tcp -H ADDR -p PORT -d SECS [-c CONNS]
 *	TCP_CRR: connect, 1-byte request, 1-byte response, wait for the
 *	server's FIN, close; CONNS threads in a loop for SECS seconds.
 *   crr udp -H ADDR -p PORT -d SECS [-c CONNS] [-b SRC[,SRC...]] [-P LO] [-o OFF]
 *	New UDP flow per datagram: a fresh socket bound to the next unused
 *	(source address, port) pair (ports LO..65535, default 1024; the
 *	OFF-th pair first, so that successive runs use fresh ones), 1 byte
 *	out, wait up to 200 ms for the echo, close.  Counts replies.
 *   crr fill -H ADDR -p PORT -n COUNT [-b SRC[,SRC...]] [-P LO] [-o OFF]
 *	COUNT datagrams from COUNT distinct (source address, port) pairs,
 *	without waiting for answers: creates COUNT conntrack entries.
 *
 * ADDR and the SRCs are IPv4 or IPv6 addresses (an IPv6 one has a ':'), all
 * of one family.  Client modes print one JSON object on stdout:
 *   {"mode":"tcp","ok":N,"errors":E,"seconds":S,"rate":N/S}
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SRC 64

/* an IPv4 or IPv6 socket address, "family" telling which */
union addr {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

static union addr dst;
static socklen_t addr_len;	/* of dst and of the sources */
static double duration = 1.0;
static union addr srcs[MAX_SRC];
static int n_srcs;
static int port_lo = 1024;
static atomic_ulong next_pair;
static unsigned long pair_offset;
static atomic_ulong n_ok, n_err;
static volatile int stop;
static int udp_fd, sink_fd, tcp_fd, udp6_fd, sink6_fd, tcp6_fd;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void set_timeouts(int fd, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/*
 * The next (source address, port) pair, from -o OFFSET on, wrapping around:
 * a caller that keeps OFFSET moving gets fresh pairs across runs.
 */
static int next_source(union addr *sa)
{
	unsigned long per = 65536 - port_lo;
	unsigned long i = (pair_offset + atomic_fetch_add(&next_pair, 1)) %
			  (per * (unsigned long)n_srcs);

	*sa = srcs[i / per];
	/* sin_port and sin6_port are at the same offset */
	sa->in.sin_port = htons(port_lo + i % per);
	return 1;
}

static void *tcp_client(void *arg)
{
	char c = 'q';

	(void)arg;
	while (!stop) {
		int fd = socket(dst.sa.sa_family, SOCK_STREAM, 0);
		int one = 1;
		ssize_t n;

		if (fd < 0)
			die("socket");
		set_timeouts(fd, 2000);
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (connect(fd, &dst.sa, addr_len) ||
		    write(fd, &c, 1) != 1 || read(fd, &c, 1) != 1) {
			atomic_fetch_add(&n_err, 1);
			close(fd);
			continue;
		}
		n = read(fd, &c, 1);	/* the server's FIN */
		close(fd);
		if (n == 0)
			atomic_fetch_add(&n_ok, 1);
		else
			atomic_fetch_add(&n_err, 1);
	}
	return NULL;
}

static void *udp_client(void *arg)
{
	union addr sa;
	char c = 'q';

	(void)arg;
	while (!stop && next_source(&sa)) {
		int fd = socket(dst.sa.sa_family, SOCK_DGRAM, 0);
		int one = 1;

		if (fd < 0)
			die("socket");
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		set_timeouts(fd, 200);
		if (bind(fd, &sa.sa, addr_len) ||
		    connect(fd, &dst.sa, addr_len) ||
		    send(fd, &c, 1, 0) != 1 || recv(fd, &c, 1, 0) != 1)
			atomic_fetch_add(&n_err, 1);
		else
			atomic_fetch_add(&n_ok, 1);
		close(fd);
	}
	return NULL;
}

static void fill(unsigned long count)
{
	union addr sa;
	char c = 'f';
	unsigned long i;

	for (i = 0; i < count && next_source(&sa); i++) {
		int fd = socket(dst.sa.sa_family, SOCK_DGRAM, 0);
		int one = 1;

		if (fd < 0)
			die("socket");
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, &sa.sa, addr_len) ||
		    sendto(fd, &c, 1, 0, &dst.sa, addr_len) != 1)
			atomic_fetch_add(&n_err, 1);
		else
			atomic_fetch_add(&n_ok, 1);
		close(fd);
		/* let the softirq side keep up: veth queues are finite */
		if ((i & 255) == 255)
			usleep(2000);
	}
}

static void *tcp_server(void *arg)
{
	int lfd = *(int *)arg;
	char c;

	for (;;) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0)
			continue;
		set_timeouts(fd, 2000);
		if (read(fd, &c, 1) == 1 && write(fd, &c, 1) != 1)
			c = 0;
		close(fd);
	}
	return NULL;
}

static void *udp_server(void *arg)
{
	int fd = *(int *)arg, echo = fd == udp_fd || fd == udp6_fd;
	char buf[2048];

	for (;;) {
		struct sockaddr_storage from;
		socklen_t len = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &len);

		if (n >= 0 && echo)
			sendto(fd, buf, n, 0, (struct sockaddr *)&from, len);
	}
	return NULL;
}

/* a socket of FAMILY bound to the wildcard address and PORT */
static int bound_socket(int family, int type, int port)
{
	union addr sa;
	int fd = socket(family, type, 0), one = 1;

	if (fd < 0)
		die("socket");
	memset(&sa, 0, sizeof(sa));
	sa.sa.sa_family = family;
	sa.in.sin_port = htons(port);	/* in6_addr any: all zeroes */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)))
		die("IPV6_V6ONLY");
	if (bind(fd, &sa.sa, family == AF_INET6 ? sizeof(sa.in6) : sizeof(sa.in)))
		die("bind");
	return fd;
}

static void spawn(void *(*fn)(void *), void *arg)
{
	pthread_t t;

	if (pthread_create(&t, NULL, fn, arg))
		die("pthread_create");
	pthread_detach(t);
}

static __attribute__((noreturn)) void server(int port, int sink, int threads)
{
	int i;

	tcp_fd = bound_socket(AF_INET, SOCK_STREAM, port);
	tcp6_fd = bound_socket(AF_INET6, SOCK_STREAM, port);
	if (listen(tcp_fd, 4096) || listen(tcp6_fd, 4096))
		die("listen");
	udp_fd = bound_socket(AF_INET, SOCK_DGRAM, port);
	udp6_fd = bound_socket(AF_INET6, SOCK_DGRAM, port);
	for (i = 0; i < threads; i++) {
		spawn(tcp_server, &tcp_fd);
		spawn(tcp_server, &tcp6_fd);
	}
	spawn(udp_server, &udp_fd);
	spawn(udp_server, &udp_fd);
	spawn(udp_server, &udp6_fd);
	spawn(udp_server, &udp6_fd);
	if (sink) {
		sink_fd = bound_socket(AF_INET, SOCK_DGRAM, sink);
		sink6_fd = bound_socket(AF_INET6, SOCK_DGRAM, sink);
		spawn(udp_server, &sink_fd);
		spawn(udp_server, &sink6_fd);
	}
	for (;;)
		pause();
}

static void usage(void)
{
	fprintf(stderr,
		"usage: crr server -p PORT [-s SINKPORT] [-t THREADS]\n"
		"       crr tcp|udp -H ADDR -p PORT -d SECS [-c CONNS] [-b SRC,...] [-P LO] [-o OFF]\n"
		"       crr fill -H ADDR -p PORT -n COUNT [-b SRC,...] [-P LO] [-o OFF]\n");
	exit(2);
}

/* ADDR into SA (port 0): IPv6 if it has a ':', else IPv4; 0 if invalid */
static int parse_addr(const char *s, union addr *sa)
{
	memset(sa, 0, sizeof(*sa));
	if (strchr(s, ':')) {
		sa->in6.sin6_family = AF_INET6;
		return inet_pton(AF_INET6, s, &sa->in6.sin6_addr) == 1;
	}
	sa->in.sin_family = AF_INET;
	return inet_pton(AF_INET, s, &sa->in.sin_addr) == 1;
}

static void parse_srcs(char *list)
{
	char *s;

	for (s = strtok(list, ","); s; s = strtok(NULL, ",")) {
		if (n_srcs == MAX_SRC || !parse_addr(s, &srcs[n_srcs]))
			usage();
		n_srcs++;
	}
}

int main(int argc, char **argv)
{
	int port = 0, sink = 0, conns = 8, threads = 16, o, i;
	unsigned long count = 0;
	const char *mode, *host = NULL;
	pthread_t tids[256];
	double t0, t1;

	if (argc < 2)
		usage();
	mode = argv[1];
	optind = 2;
	while ((o = getopt(argc, argv, "H:p:s:t:d:c:b:P:n:o:")) != -1) {
		switch (o) {
		case 'H': host = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 's': sink = atoi(optarg); break;
		case 't': threads = atoi(optarg); break;
		case 'd': duration = atof(optarg); break;
		case 'c': conns = atoi(optarg); break;
		case 'b': parse_srcs(optarg); break;
		case 'P': port_lo = atoi(optarg); break;
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 'o': pair_offset = strtoul(optarg, NULL, 0); break;
		default: usage();
		}
	}
	signal(SIGPIPE, SIG_IGN);
	if (port <= 0 || port > 65535 || port_lo < 1 || port_lo > 65535)
		usage();
	if (!strcmp(mode, "server"))
		server(port, sink, threads < 1 ? 1 : threads);
	if (!host || conns < 1 || conns > 256)
		usage();
	if (!parse_addr(host, &dst))
		usage();
	/* sin_port and sin6_port are at the same offset */
	dst.in.sin_port = htons(port);
	addr_len = dst.sa.sa_family == AF_INET6 ? sizeof(dst.in6) : sizeof(dst.in);
	if (!n_srcs) {
		/* the wildcard address of dst's family */
		memset(&srcs[0], 0, sizeof(srcs[0]));
		srcs[0].sa.sa_family = dst.sa.sa_family;
		n_srcs = 1;
	}
	for (i = 0; i < n_srcs; i++)
		if (srcs[i].sa.sa_family != dst.sa.sa_family) {
			fprintf(stderr, "crr: the sources and %s are not of one family\n",
				host);
			exit(2);
		}

	t0 = now();
	if (!strcmp(mode, "fill")) {
		fill(count);
	} else if (!strcmp(mode, "tcp") || !strcmp(mode, "udp")) {
		void *(*fn)(void *) = mode[0] == 't' ? tcp_client : udp_client;

		for (i = 0; i < conns; i++)
			if (pthread_create(&tids[i], NULL, fn, NULL))
				die("pthread_create");
		while (!stop && now() - t0 < duration)
			usleep(10000);
		stop = 1;
		/* the rate counts the measured interval, not the stragglers */
		t1 = now();
		{
			unsigned long ok = atomic_load(&n_ok);

			for (i = 0; i < conns; i++)
				pthread_join(tids[i], NULL);
			printf("{\"mode\":\"%s\",\"ok\":%lu,\"errors\":%lu,"
			       "\"seconds\":%.3f,\"rate\":%.1f}\n", mode, ok,
			       atomic_load(&n_err), t1 - t0, ok / (t1 - t0));
		}
		return 0;
	} else {
		usage();
	}
	t1 = now();
	printf("{\"mode\":\"%s\",\"ok\":%lu,\"errors\":%lu,\"seconds\":%.3f,"
	       "\"rate\":%.1f}\n", mode, atomic_load(&n_ok),
	       atomic_load(&n_err), t1 - t0, atomic_load(&n_ok) / (t1 - t0));
	return 0;
}
