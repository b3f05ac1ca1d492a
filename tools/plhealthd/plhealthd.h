/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plhealthd: the active health checker of privlink's targets.
 *
 * One daemon serves the network namespace it runs in.  Its parts:
 *   main.c    options, signals, the event loop, logging, the stats line
 *   genl.c    the privlink family: resolving it, the events group and
 *             nlctrl's "notify" group, dumps, TARGET_SET (the requests
 *             through plctl's nl.c, as plctl sends them)
 *   model.c   services and targets as the kernel has them (dump + events)
 *             and each target's verdict: thresholds, what to report
 *   sched.c   one timer heap (probe starts and probe timeouts) on a timerfd
 *   probe.c   TCP and HTTP probes, IPv4 or IPv6, from the NLB node's
 *             address of the target's family (transparent sockets bound to
 *             the egress device)
 *   http.c    the HTTP status line and AWS's matcher syntax ("200,202-299")
 *   tproxy.c  the nft tables, ip rules and local routes (one of each per
 *             family) that bring the replies to the probes' sockets
 *
 * Everything runs in one thread: no locking anywhere.
 */
#ifndef PLHEALTHD_H
#define PLHEALTHD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <linux/privlink.h>

/* --- main.c ------------------------------------------------------------- */

struct plh_opts {
	int verbose;
	uint32_t mark;		/* fwmark of the probes' replies */
	uint32_t table;		/* routing table with the local route */
	uint32_t prio;		/* priority of the ip rule */
	unsigned int stats_interval;	/* seconds between stats lines, 0 never */
	unsigned int late_ms;	/* a probe this late counts as late */
};

extern struct plh_opts plh_opts;

void plh_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void plh_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Monotonic clock in nanoseconds. */
uint64_t plh_now(void);
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL

/* epoll registration: every fd's epoll data points to one of these. */
struct plh_io {
	void (*fn)(struct plh_io *io, uint32_t events);
	bool dead;	/* freed after the current batch of events */
};

int plh_io_add(int fd, uint32_t events, struct plh_io *io);
int plh_io_mod(int fd, uint32_t events, struct plh_io *io);
void plh_io_del(int fd);

/* --- sched.c ------------------------------------------------------------- */

struct plh_timer {
	uint64_t when;		/* monotonic ns */
	size_t idx;		/* in the heap, SIZE_MAX when not armed */
	void (*fn)(struct plh_timer *t, uint64_t now);
};

int sched_init(void);
void sched_exit(void);
void timer_init(struct plh_timer *t, void (*fn)(struct plh_timer *, uint64_t));
void timer_arm(struct plh_timer *t, uint64_t when);
void timer_cancel(struct plh_timer *t);
static inline bool timer_armed(const struct plh_timer *t)
{
	return t->idx != (size_t)-1;
}

/* --- model.c ------------------------------------------------------------- */

struct plh_check {
	uint8_t proto;		/* enum privlink_check_proto */
	uint16_t port;		/* 0: the traffic port */
	char path[PRIVLINK_CHECK_PATH_MAX];
	char codes[PRIVLINK_CHECK_CODES_MAX];
	uint16_t interval;	/* seconds */
	uint16_t timeout;	/* seconds */
	uint8_t healthy;	/* thresholds */
	uint8_t unhealthy;
};

/* A target's address, or a probe's source: IPv4 or IPv6. */
struct plh_addr {
	sa_family_t family;	/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

/*
 * An NLB node: an address of each family its service supports (see the
 * uapi's "Dual stack"): ADDR for IPv4, ADDR6 for IPv6, or both.
 */
struct plh_nlb {
	char az[PRIVLINK_NAME_MAX];
	bool has_addr, has_addr6;
	struct in_addr addr;
	struct in6_addr addr6;
};

struct plh_service {
	struct plh_service *next;
	char name[PRIVLINK_NAME_MAX];
	uint8_t ip_types;	/* enum privlink_ip_type */
	struct plh_check check;
	uint16_t first_target_port;	/* of the first listener */
	struct plh_nlb nodes[PRIVLINK_MAX_AZS];
	unsigned int n_nodes;
	bool seen;		/* mark of a re-dump */
};

struct plh_probe;

struct plh_target {
	struct plh_target *next;
	struct plh_service *svc;
	struct plh_addr addr;	/* ADDR or ADDR6 */
	uint16_t port;		/* the target's PORT, 0 = the listener's */
	char az[PRIVLINK_NAME_MAX];
	bool seen;

	/* as the kernel has it (dumps, events, TARGET_SET replies) */
	uint8_t kstate;		/* enum privlink_target_state */
	uint8_t kh_state;	/* HEALTH: enum privlink_health_state */
	uint8_t kh_reason;	/* enum privlink_health_reason */
	uint16_t kh_code;

	/* the checker's */
	uint8_t v_state;	/* verdict, enum privlink_health_state */
	uint8_t reason;		/* of the last probe */
	uint16_t code;		/* its HTTP status, 0 none */
	uint8_t passes, fails;	/* consecutive */
	struct plh_timer next_probe;
	struct plh_probe *probe;	/* in flight, or NULL */
	uint64_t last_start;
	int oif;		/* the route's device, looked up at oif_at */
	uint64_t oif_at;
};

extern struct plh_service *services;
extern struct plh_target *targets;

struct nlmsghdr;

/* Apply a SERVICE or TARGET message (dump reply or event) of @cmd. */
void model_service_msg(struct nlmsghdr *nlh, int cmd);
void model_target_msg(struct nlmsghdr *nlh, int cmd);
/* A re-dump starts (all objects unseen) and ends (drop what was unseen). */
void model_mark_unseen(const char *service);
void model_sweep_unseen(const char *service);
/* The module went away: forget everything. */
void model_clear(void);
/* The result of a probe of @t: @reason, @code. */
void model_probe_done(struct plh_target *t, uint8_t reason, uint16_t code);
/* The port the checks of @t go to, 0 if there is none. */
uint16_t target_check_port(const struct plh_target *t);
uint16_t target_traffic_port(const struct plh_target *t);
unsigned int model_count_targets(void);
/*
 * The source of @t's probes, in @src: the address of @t's family of the NLB
 * node of @t's AZ.  0, or -ENOENT (no NLB node in its AZ) or -EAFNOSUPPORT
 * (the node has no address of @t's family).
 */
int target_src(const struct plh_target *t, struct plh_addr *src);
/* "10.1.0.11:80 of svc1", "[fd00::11]:80 of svc1", in a static buffer. */
const char *target_str(const struct plh_target *t);
/* "10.1.0.11:80" or "[fd00::11]:80" into @buf (PLH_ADDRPORT_LEN). */
#define PLH_ADDRPORT_LEN	(INET6_ADDRSTRLEN + 8)
const char *plh_addrport_str(const struct plh_addr *a, uint16_t port,
			     char *buf, size_t len);
/* "IPv4" or "IPv6". */
const char *plh_family_str(sa_family_t family);
struct sockaddr_storage;
/* @a and @port as a sockaddr_in or sockaddr_in6 in @ss; its length. */
unsigned int plh_sockaddr(const struct plh_addr *a, uint16_t port,
			  struct sockaddr_storage *ss);
/* Health state and reason names: plctl's tables (tools/plctl/names.c). */

/* --- genl.c ------------------------------------------------------------- */

int genl_init(void);
void genl_exit(void);
/* Dump services and targets (all, or one service's targets) into the model. */
int genl_dump_all(void);
int genl_dump_targets(const char *service);
/* Report @t's verdict (TARGET_SET with HEALTH); 0 or -errno. */
int genl_report(struct plh_target *t, uint8_t state, uint8_t reason,
		uint16_t code);
struct nl_msg;
/*
 * The TARGET nest of a verdict into @msg: SERVICE, ADDR or ADDR6 (as @t's
 * family), PORT when @t has one, HEALTH.  0 or -EMSGSIZE.
 */
int genl_put_verdict(struct nl_msg *msg, const struct plh_target *t,
		     uint8_t state, uint8_t reason, uint16_t code);
bool genl_family_present(void);

/* --- probe.c ------------------------------------------------------------- */

int probe_init(void);
void probe_exit(void);
/* Start a probe of @t (it ends through model_probe_done()). */
void probe_start(struct plh_target *t, uint64_t now);
/* Decide @t's probe in flight now: its answer if it has one, else timeout. */
void probe_expire(struct plh_target *t);
/* Abandon @t's probe in flight without a result. */
void probe_cancel(struct plh_target *t);
/* Free the probes that ended during the last batch of epoll events. */
void probe_reap(void);

/* --- http.c -------------------------------------------------------------- */

/* Is AWS matcher @codes ("200,202-299") valid; does @code match it? */
bool http_codes_valid(const char *codes);
bool http_codes_match(const char *codes, unsigned int code);
/*
 * The status of the HTTP response that starts with @buf (@len bytes):
 * > 0 the status code, 0 incomplete (read more), -1 not an HTTP response.
 */
int http_status(const char *buf, size_t len);

/* --- tproxy.c ------------------------------------------------------------- */

/*
 * Install (0, or -1: logged) and remove what brings the probes' replies to
 * their sockets, for IPv4 and, when the kernel has it, IPv6.
 */
int tproxy_install(void);
void tproxy_remove(void);

/* --- stats (main.c) ------------------------------------------------------- */

void stats_probe_started(uint64_t lateness_ns);
void stats_probe_result(bool passed);
void stats_report(void);
void stats_print(void);

#endif
