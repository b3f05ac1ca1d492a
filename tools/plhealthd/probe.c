// SPDX-License-Identifier: GPL-2.0
/*
 * plhealthd: TCP and HTTP probes, from the NLB node address of the target's
 * AZ, as an NLB's health checks come: an IPv4 target's from the node's IPv4
 * address (ADDR), an IPv6 target's from its IPv6 address (ADDR6).
 *
 * That address is no address of the router (privlink answers ARP and
 * neighbour solicitations for it on the provider VPC's interfaces), so a
 * probe is a transparent socket (IP_TRANSPARENT, or IPV6_TRANSPARENT for
 * IPv6, which sets the same flag of the socket: net/ipv6/ipv6_sockglue.c;
 * Documentation/networking/tproxy.rst): bound to the NLB node address, and
 * to the device the route to the target leaves through (SO_BINDTOIFINDEX).
 * The replies, addressed to the NLB node, are delivered to it by the rules
 * tproxy.c installs for the family: nft's "socket transparent 1" finds the
 * socket and marks the packet, the mark's rule routes it locally.  A
 * packet that arrives on any other device (a consumer VPC forging the
 * target's replies) matches no socket - the socket lookup honours the bound
 * device - and is not delivered; see also privlink's own check of packets
 * that pose as replies (kmod/flow.c).
 *
 * Every probe is a non-blocking socket in the epoll set with a timeout
 * timer; connect() runs the handshake, HTTP sends "GET PATH HTTP/1.1" with
 * Host and Connection: close and reads up to the status line.  Sockets are
 * closed with an RST (SO_LINGER 0): no TIME_WAIT on the NLB node's ports.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/rtnetlink.h>

#include "plhealthd.h"

#ifndef SO_BINDTOIFINDEX
#define SO_BINDTOIFINDEX 62
#endif
#ifndef IPV6_TRANSPARENT
#define IPV6_TRANSPARENT 75
#endif
#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

#define RESP_MAX	512	/* enough for a status line */
/* A target's route is looked up again after this, or after a failed probe. */
#define ROUTE_TTL_NS	(30 * NSEC_PER_SEC)

enum phase { CONNECTING, SENDING, READING };

struct plh_probe {
	struct plh_io io;	/* first: the epoll data points here */
	struct plh_probe *next_dead;
	struct plh_target *t;
	int fd;
	enum phase phase;
	struct plh_timer timeout;
	char *req;
	size_t req_len, sent;
	char resp[RESP_MAX];
	size_t resp_len;
};

static int rtnl = -1;		/* route lookups */
static struct plh_probe *dead;	/* ended, freed by probe_reap() */
static uint32_t rtnl_seq;

/* Log an error once per distinct text in a row, not once per probe. */
static void __attribute__((format(printf, 1, 2))) log_once(const char *fmt, ...)
{
	static char last[512];
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!strcmp(buf, last))
		return;
	snprintf(last, sizeof(last), "%s", buf);
	plh_log("%s", buf);
}

/*
 * The device the route from here to @dst leaves through (RTM_GETROUTE, as
 * "ip route get" asks): its ifindex, or -errno (-ENETUNREACH, ...).
 */
static int route_oif(const struct plh_addr *dst)
{
	unsigned int alen = dst->family == AF_INET6 ? 16 : 4;
	struct {
		struct nlmsghdr nlh;
		struct rtmsg rtm;
		struct rtattr rta;
		uint8_t addr[16];
	} req = {
		.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg)) +
				 RTA_LENGTH(alen),
		.nlh.nlmsg_type = RTM_GETROUTE,
		.nlh.nlmsg_flags = NLM_F_REQUEST,
		.rtm.rtm_family = dst->family,
		.rtm.rtm_dst_len = alen * 8,
		.rta.rta_type = RTA_DST,
		.rta.rta_len = RTA_LENGTH(alen),
	};
	char buf[4096] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	ssize_t len;

	memcpy(req.addr, &dst->v6, alen);	/* v4 and v6 share the start */
	req.nlh.nlmsg_seq = ++rtnl_seq;
	if (send(rtnl, &req, req.nlh.nlmsg_len, 0) < 0)
		return -errno;
	do {
		len = recv(rtnl, buf, sizeof(buf), 0);
	} while (len < 0 && errno == EINTR);
	if (len < 0)
		return -errno;
	for (; NLMSG_OK(nlh, (size_t)len); nlh = NLMSG_NEXT(nlh, len)) {
		struct rtmsg *rtm = NLMSG_DATA(nlh);
		struct rtattr *rta;
		int rlen;

		if (nlh->nlmsg_seq != rtnl_seq)
			continue;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr *e = NLMSG_DATA(nlh);

			return e->error ? e->error : -ENETUNREACH;
		}
		if (nlh->nlmsg_type != RTM_NEWROUTE)
			continue;
		if (rtm->rtm_type == RTN_UNREACHABLE ||
		    rtm->rtm_type == RTN_BLACKHOLE ||
		    rtm->rtm_type == RTN_PROHIBIT)
			return -ENETUNREACH;
		rlen = RTM_PAYLOAD(nlh);
		for (rta = RTM_RTA(rtm); RTA_OK(rta, rlen);
		     rta = RTA_NEXT(rta, rlen))
			if (rta->rta_type == RTA_OIF)
				return *(int *)RTA_DATA(rta);
	}
	return -ENETUNREACH;
}

/*
 * Close @p and detach it from its target; the memory goes only after the
 * current batch of epoll events, which may still hold a pointer to it.
 */
static void probe_free(struct plh_probe *p)
{
	plh_io_del(p->fd);
	close(p->fd);
	timer_cancel(&p->timeout);
	p->t->probe = NULL;
	p->t = NULL;
	p->io.dead = true;
	p->next_dead = dead;
	dead = p;
}

void probe_reap(void)
{
	while (dead) {
		struct plh_probe *p = dead;

		dead = p->next_dead;
		free(p->req);
		free(p);
	}
}

/* The probe ended with @reason (and @code): free it, count the result. */
static void finish(struct plh_probe *p, uint8_t reason, uint16_t code)
{
	struct plh_target *t = p->t;

	probe_free(p);
	model_probe_done(t, reason, code);
}

static uint8_t reason_of(int err)
{
	switch (err) {
	case ECONNREFUSED:
	case ECONNRESET:
	case EPIPE:
		return PRIVLINK_HEALTH_R_REFUSED;
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ENETDOWN:
		return PRIVLINK_HEALTH_R_UNREACHABLE;
	case ETIMEDOUT:
		return PRIVLINK_HEALTH_R_TIMEOUT;
	default:
		return PRIVLINK_HEALTH_R_ERROR;
	}
}

static void fail_errno(struct plh_probe *p, int err)
{
	uint8_t r = reason_of(err);

	if (r == PRIVLINK_HEALTH_R_ERROR)
		log_once("Error: probe of %s: %s", target_str(p->t),
			 strerror(err));
	finish(p, r, 0);
}

static void on_io(struct plh_io *io, uint32_t events);

/*
 * The timeout: but first what the socket has, in case the answer came in
 * time and only the daemon was late to read it (its timer and the socket's
 * readiness arrived in the same batch, the timer first).
 */
static void on_timeout(struct plh_timer *tm, uint64_t now)
{
	struct plh_probe *p = (struct plh_probe *)((char *)tm -
			offsetof(struct plh_probe, timeout));
	struct pollfd pfd = { .fd = p->fd };

	(void)now;
	pfd.events = p->phase == READING ? POLLIN | POLLRDHUP : POLLOUT;
	if (poll(&pfd, 1, 0) == 1) {
		/* POLL* and EPOLL* bits are the same */
		on_io(&p->io, pfd.revents);
		if (p->io.dead)
			return;	/* decided; freed after this batch */
	}
	finish(p, PRIVLINK_HEALTH_R_TIMEOUT, 0);
}

void probe_expire(struct plh_target *t)
{
	if (t->probe)
		on_timeout(&t->probe->timeout, plh_now());
}

static void do_send(struct plh_probe *p)
{
	while (p->sent < p->req_len) {
		ssize_t n = send(p->fd, p->req + p->sent, p->req_len - p->sent,
				 MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				p->phase = SENDING;
				plh_io_mod(p->fd, EPOLLOUT, &p->io);
				return;
			}
			fail_errno(p, errno);
			return;
		}
		p->sent += n;
	}
	p->phase = READING;
	plh_io_mod(p->fd, EPOLLIN | EPOLLRDHUP, &p->io);
}

static void do_read(struct plh_probe *p)
{
	const struct plh_check *c = &p->t->svc->check;

	for (;;) {
		ssize_t n = recv(p->fd, p->resp + p->resp_len,
				 sizeof(p->resp) - p->resp_len, 0);
		int status;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			fail_errno(p, errno);
			return;
		}
		p->resp_len += n;
		status = p->resp_len ? http_status(p->resp, p->resp_len) : 0;
		if (status > 0) {
			finish(p, http_codes_match(c->codes, status) ?
			       PRIVLINK_HEALTH_R_PASSED :
			       PRIVLINK_HEALTH_R_CODE_MISMATCH, status);
			return;
		}
		if (status < 0 || n == 0 || p->resp_len == sizeof(p->resp)) {
			finish(p, PRIVLINK_HEALTH_R_BAD_RESPONSE, 0);
			return;
		}
	}
}

static void on_io(struct plh_io *io, uint32_t events)
{
	struct plh_probe *p = (struct plh_probe *)io;
	socklen_t len = sizeof(int);
	int err = 0;

	switch (p->phase) {
	case CONNECTING:
		if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			err = errno;
		if (!err && (events & (EPOLLERR | EPOLLHUP)))
			err = ECONNRESET;
		if (err) {
			fail_errno(p, err);
			return;
		}
		if (p->t->svc->check.proto != PRIVLINK_CHECK_HTTP) {
			finish(p, PRIVLINK_HEALTH_R_PASSED, 0);
			return;
		}
		do_send(p);
		return;
	case SENDING:
		do_send(p);
		return;
	case READING:
		do_read(p);
		return;
	}
}

static int http_request(struct plh_probe *p, uint16_t port)
{
	const struct plh_target *t = p->t;
	char host[PLH_ADDRPORT_LEN];
	int n;

	/* Host: ADDR:PORT, an IPv6 address in brackets (RFC 3986 3.2.2) */
	n = asprintf(&p->req,
		     "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n"
		     "User-Agent: plhealthd/%s\r\nAccept: */*\r\n\r\n",
		     t->svc->check.path,
		     plh_addrport_str(&t->addr, port, host, sizeof(host)),
		     PRIVLINK_RELEASE);
	if (n < 0) {
		p->req = NULL;
		return -ENOMEM;
	}
	p->req_len = n;
	return 0;
}

void probe_start(struct plh_target *t, uint64_t now)
{
	uint16_t port = target_check_port(t);
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	bool v6 = t->addr.family == AF_INET6;
	struct sockaddr_storage sa;
	struct plh_probe *p;
	struct plh_addr src;
	int one = 1, oif, fd, err;
	socklen_t salen;

	err = target_src(t, &src);
	if (err || !port) {
		if (err == -EAFNOSUPPORT)
			log_once("Error: target %s: its service's NLB node in its AZ has no %s address",
				 target_str(t), plh_family_str(t->addr.family));
		else
			log_once("Error: target %s: %s", target_str(t),
				 err ? "its service has no NLB node in its AZ" :
				       "no port to check (no target port, no listener)");
		model_probe_done(t, PRIVLINK_HEALTH_R_ERROR, 0);
		return;
	}
	if (t->oif > 0 && t->reason == PRIVLINK_HEALTH_R_PASSED &&
	    now - t->oif_at < ROUTE_TTL_NS) {
		oif = t->oif;
	} else {
		oif = route_oif(&t->addr);
		t->oif = oif;
		t->oif_at = now;
	}
	if (oif < 0) {
		model_probe_done(t, reason_of(-oif) == PRIVLINK_HEALTH_R_ERROR ?
				 PRIVLINK_HEALTH_R_UNREACHABLE : reason_of(-oif), 0);
		return;
	}
	fd = socket(t->addr.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_once("Error: probe of %s: socket: %s", target_str(t),
			 strerror(errno));
		model_probe_done(t, PRIVLINK_HEALTH_R_ERROR, 0);
		return;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		close(fd);
		model_probe_done(t, PRIVLINK_HEALTH_R_ERROR, 0);
		return;
	}
	p->io.fn = on_io;
	p->t = t;
	p->fd = fd;
	p->phase = CONNECTING;
	timer_init(&p->timeout, on_timeout);
	if (t->svc->check.proto == PRIVLINK_CHECK_HTTP && http_request(p, port)) {
		close(fd);
		free(p);
		model_probe_done(t, PRIVLINK_HEALTH_R_ERROR, 0);
		return;
	}
	/*
	 * IP_BIND_ADDRESS_NO_PORT is SOL_IP's in both families: an IPv6 TCP
	 * socket's SOL_IP options go to ip_setsockopt() (ipv6_setsockopt())
	 */
	if ((v6 ? setsockopt(fd, SOL_IPV6, IPV6_TRANSPARENT, &one, sizeof(one)) :
		  setsockopt(fd, SOL_IP, IP_TRANSPARENT, &one, sizeof(one))) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTOIFINDEX, &oif, sizeof(oif)) < 0 ||
	    setsockopt(fd, SOL_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) < 0) {
		log_once("Error: probe of %s: setsockopt: %s (plhealthd needs CAP_NET_ADMIN and CAP_NET_RAW)",
			 target_str(t), strerror(errno));
		goto err;
	}
	salen = plh_sockaddr(&src, 0, &sa);
	if (bind(fd, (struct sockaddr *)&sa, salen) < 0) {
		log_once("Error: probe of %s: bind: %s", target_str(t),
			 strerror(errno));
		goto err;
	}
	salen = plh_sockaddr(&t->addr, port, &sa);
	if (connect(fd, (struct sockaddr *)&sa, salen) < 0 &&
	    errno != EINPROGRESS) {
		err = errno;
		free(p->req);
		free(p);
		close(fd);
		if (reason_of(err) == PRIVLINK_HEALTH_R_ERROR)
			log_once("Error: probe of %s: connect: %s", target_str(t),
				 strerror(err));
		model_probe_done(t, reason_of(err), 0);
		return;
	}
	if (plh_io_add(fd, EPOLLOUT, &p->io) < 0)
		goto err;
	t->probe = p;
	timer_arm(&p->timeout, now + (uint64_t)t->svc->check.timeout * NSEC_PER_SEC);
	return;
err:
	free(p->req);
	free(p);
	close(fd);
	model_probe_done(t, PRIVLINK_HEALTH_R_ERROR, 0);
}

void probe_cancel(struct plh_target *t)
{
	if (t->probe)
		probe_free(t->probe);
}

int probe_init(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	rtnl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (rtnl < 0 || bind(rtnl, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		plh_log("Error: cannot open a route netlink socket: %s",
			strerror(errno));
		return -1;
	}
	return 0;
}

void probe_exit(void)
{
	struct plh_target *t;

	for (t = targets; t; t = t->next)
		probe_cancel(t);
	if (rtnl >= 0)
		close(rtnl);
	rtnl = -1;
}
