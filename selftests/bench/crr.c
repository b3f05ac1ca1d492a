// SPDX-License-Identifier: GPL-2.0
/*
 * crr: new-flow load generator and its server, for selftests/bench/run.
 *
 *   crr server -p PORT [-s SINKPORT] [-t THREADS]
 *	TCP on PORT: per connection read 1 byte, write 1 byte, close (the
 *	server closes first, so TIME_WAIT stays on the server side).
 *	UDP on PORT: echo every datagram.  UDP on SINKPORT: discard.
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
 * Client modes print one JSON object on stdout:
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

static struct sockaddr_in dst;
static double duration = 1.0;
static struct in_addr srcs[MAX_SRC];
static int n_srcs;
static int port_lo = 1024;
static atomic_ulong next_pair;
static unsigned long pair_offset;
static atomic_ulong n_ok, n_err;
static volatile int stop;
static int udp_fd, sink_fd, tcp_fd;

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
static int next_source(struct sockaddr_in *sa)
{
	unsigned long per = 65536 - port_lo;
	unsigned long i = (pair_offset + atomic_fetch_add(&next_pair, 1)) %
			  (per * (unsigned long)n_srcs);

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr = srcs[i / per];
	sa->sin_port = htons(port_lo + i % per);
	return 1;
}

static void *tcp_client(void *arg)
{
	char c = 'q';

	(void)arg;
	while (!stop) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		int one = 1;
		ssize_t n;

		if (fd < 0)
			die("socket");
		set_timeouts(fd, 2000);
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (connect(fd, (struct sockaddr *)&dst, sizeof(dst)) ||
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
	struct sockaddr_in sa;
	char c = 'q';

	(void)arg;
	while (!stop && next_source(&sa)) {
		int fd = socket(AF_INET, SOCK_DGRAM, 0);
		int one = 1;

		if (fd < 0)
			die("socket");
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		set_timeouts(fd, 200);
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
		    connect(fd, (struct sockaddr *)&dst, sizeof(dst)) ||
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
	struct sockaddr_in sa;
	char c = 'f';
	unsigned long i;

	for (i = 0; i < count && next_source(&sa); i++) {
		int fd = socket(AF_INET, SOCK_DGRAM, 0);
		int one = 1;

		if (fd < 0)
			die("socket");
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
		    sendto(fd, &c, 1, 0, (struct sockaddr *)&dst,
			   sizeof(dst)) != 1)
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
	char c;

	(void)arg;
	for (;;) {
		int fd = accept(tcp_fd, NULL, NULL);

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
	int fd = *(int *)arg, echo = fd == udp_fd;
	char buf[2048];

	for (;;) {
		struct sockaddr_in from;
		socklen_t len = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &len);

		if (n >= 0 && echo)
			sendto(fd, buf, n, 0, (struct sockaddr *)&from, len);
	}
	return NULL;
}

static int bound_socket(int type, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	int fd = socket(AF_INET, type, 0), one = 1;

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
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

	tcp_fd = bound_socket(SOCK_STREAM, port);
	if (listen(tcp_fd, 4096))
		die("listen");
	udp_fd = bound_socket(SOCK_DGRAM, port);
	for (i = 0; i < threads; i++)
		spawn(tcp_server, NULL);
	spawn(udp_server, &udp_fd);
	spawn(udp_server, &udp_fd);
	if (sink) {
		sink_fd = bound_socket(SOCK_DGRAM, sink);
		spawn(udp_server, &sink_fd);
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

static void parse_srcs(char *list)
{
	char *s;

	for (s = strtok(list, ","); s; s = strtok(NULL, ",")) {
		if (n_srcs == MAX_SRC || !inet_aton(s, &srcs[n_srcs]))
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
	dst.sin_family = AF_INET;
	dst.sin_port = htons(port);
	if (!inet_aton(host, &dst.sin_addr))
		usage();
	if (!n_srcs) {
		srcs[0].s_addr = htonl(INADDR_ANY);
		n_srcs = 1;
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
