// SPDX-License-Identifier: GPL-2.0
/*
 * plhealthd: the privlink generic netlink family.
 *
 * Two sockets.  The request socket (blocking) resolves the family, runs the
 * dumps and sends the verdicts (TARGET_SET); the event socket (non-blocking,
 * in the epoll set) is a member of nlctrl's "notify" group, to see the
 * family come and go with the module, and of privlink's "events" group while
 * the family exists.  The model is built from one dump of the services and
 * targets and then follows the events alone; it is dumped again only when
 * events were lost (ENOBUFS on the event socket), when the family comes back
 * (module reloaded: the group's members were dropped with it), and, for one
 * service's targets, after a SERVICE_SET event (the kernel resets the
 * targets' HEALTH when a check is set, and says so in no target event).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "plhealthd.h"
#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define EV_RCVBUF	(8 << 20)
#define RETRY_NS	(1 * NSEC_PER_SEC)

/*
 * Requests go through plctl's nl.c (extended ACKs, dumps retried while
 * interrupted); rq.family is privlink's id while it exists, else -1.
 */
static struct plnl rq = { .family = -1 };
static int ev_fd = -1;		/* events (plain socket, our own parser) */
static int events_grp = -1;
static struct plh_io ev_io;
static struct plh_timer retry;	/* a failed (re-)dump is tried again */

bool genl_family_present(void)
{
	return rq.family >= 0;
}

/* --- requests --------------------------------------------------------- */

/*
 * Dump @cmd (TARGET_GET of @service only when given) until it is
 * consistent, into @m.
 */
static int dump(int cmd, const char *service, struct plnl_msgs *m)
{
	const char *what = cmd == PRIVLINK_CMD_SERVICE_GET ? "services" : "targets";
	struct nl_msg *msg = plnl_msg(&rq, cmd, 1);
	struct nlattr *nest;
	int err;

	if (!msg)
		return -ENOMEM;
	if (service) {
		nest = nla_nest_start(msg, PRIVLINK_A_TARGET);
		if (!nest || nla_put_string(msg, PRIVLINK_TARGET_A_SERVICE,
					    service) < 0) {
			nlmsg_free(msg);
			return -EMSGSIZE;
		}
		nla_nest_end(msg, nest);
	}
	err = plnl_dump(&rq, msg, m);
	if (err == PLNL_EDUMPINTR) {
		plh_log("Error: the %s changed during %d dumps in a row", what,
			PLNL_DUMP_TRIES);
		return -EAGAIN;
	}
	if (err)
		plh_log("Error: dumping the %s failed: %s%s%s", what,
			strerror(-err), rq.errmsg[0] ? ": " : "", rq.errmsg);
	return err;
}

static void apply(struct plnl_msgs *m, void (*fn)(struct nlmsghdr *, int),
		  int cmd)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		fn(nlmsg_hdr(m->v[i]), cmd);
}

static void retry_fire(struct plh_timer *t, uint64_t now)
{
	(void)t;
	(void)now;
	if (rq.family >= 0)
		genl_dump_all();
}

int genl_dump_all(void)
{
	struct plnl_msgs sm = {}, tm = {};
	int err;

	if (rq.family < 0)
		return -ENOENT;
	err = dump(PRIVLINK_CMD_SERVICE_GET, NULL, &sm);
	if (!err)
		err = dump(PRIVLINK_CMD_TARGET_GET, NULL, &tm);
	if (err) {
		plnl_msgs_free(&sm);
		plnl_msgs_free(&tm);
		timer_arm(&retry, plh_now() + RETRY_NS);
		return err;
	}
	timer_cancel(&retry);
	model_mark_unseen(NULL);
	apply(&sm, model_service_msg, PRIVLINK_CMD_SERVICE_GET);
	apply(&tm, model_target_msg, PRIVLINK_CMD_TARGET_GET);
	model_sweep_unseen(NULL);
	plnl_msgs_free(&sm);
	plnl_msgs_free(&tm);
	plh_debug("dumped: %u targets", model_count_targets());
	return 0;
}

int genl_dump_targets(const char *service)
{
	struct plnl_msgs tm = {};
	int err;

	if (rq.family < 0)
		return -ENOENT;
	err = dump(PRIVLINK_CMD_TARGET_GET, service, &tm);
	if (err) {
		plnl_msgs_free(&tm);
		timer_arm(&retry, plh_now() + RETRY_NS);
		return err;
	}
	model_mark_unseen(service);
	apply(&tm, model_target_msg, PRIVLINK_CMD_TARGET_GET);
	model_sweep_unseen(service);
	plnl_msgs_free(&tm);
	return 0;
}

static int on_reply(struct nl_msg *msg, void *arg)
{
	(void)arg;
	model_target_msg(nlmsg_hdr(msg), PRIVLINK_CMD_TARGET_SET);
	return NL_OK;
}

int genl_put_verdict(struct nl_msg *msg, const struct plh_target *t,
		     uint8_t state, uint8_t reason, uint16_t code)
{
	struct nlattr *nest, *h;
	int err;

	nest = nla_nest_start(msg, PRIVLINK_A_TARGET);
	if (!nest ||
	    nla_put_string(msg, PRIVLINK_TARGET_A_SERVICE, t->svc->name) < 0)
		return -EMSGSIZE;
	/* the target is named by its address of its family, and its port */
	if (t->addr.family == AF_INET6)
		err = nla_put(msg, PRIVLINK_TARGET_A_ADDR6, PRIVLINK_ADDR6_LEN,
			      &t->addr.v6);
	else
		err = nla_put_u32(msg, PRIVLINK_TARGET_A_ADDR, t->addr.v4.s_addr);
	if (err < 0 ||
	    (t->port && nla_put_u16(msg, PRIVLINK_TARGET_A_PORT, t->port) < 0))
		return -EMSGSIZE;
	h = nla_nest_start(msg, PRIVLINK_TARGET_A_HEALTH);
	if (!h || nla_put_u8(msg, PRIVLINK_HEALTH_A_STATE, state) < 0 ||
	    nla_put_u8(msg, PRIVLINK_HEALTH_A_REASON, reason) < 0 ||
	    nla_put_u16(msg, PRIVLINK_HEALTH_A_CODE, code) < 0)
		return -EMSGSIZE;
	nla_nest_end(msg, h);
	nla_nest_end(msg, nest);
	return 0;
}

int genl_report(struct plh_target *t, uint8_t state, uint8_t reason,
		uint16_t code)
{
	struct nl_msg *msg;
	int err;

	if (rq.family < 0)
		return -ENOENT;
	msg = plnl_msg(&rq, PRIVLINK_CMD_TARGET_SET, 0);
	if (!msg)
		return -ENOMEM;
	if (genl_put_verdict(msg, t, state, reason, code)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	err = plnl_call(&rq, msg, on_reply, NULL);
	if (err && err != -ENOENT)
		plh_log("Error: reporting target %s: %s%s%s", target_str(t),
			strerror(-err), rq.errmsg[0] ? ": " : "", rq.errmsg);
	return err;
}

/* --- the family coming and going, events ------------------------------ */

static int join(int grp)
{
	if (setsockopt(ev_fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
		       sizeof(grp)) < 0)
		return -errno;
	return 0;
}

/* The family exists (at start, or NEWFAMILY): join its events, dump. */
static void family_up(int id)
{
	int grp, err;

	rq.family = id;
	grp = genl_ctrl_resolve_grp(rq.sk, PRIVLINK_GENL_NAME,
				    PRIVLINK_GENL_MCGRP_EVENTS);
	if (grp < 0) {
		plh_log("Error: the privlink family has no \"%s\" group",
			PRIVLINK_GENL_MCGRP_EVENTS);
		rq.family = -1;
		return;
	}
	err = join(grp);
	if (err) {
		plh_log("Error: cannot join the \"%s\" group: %s%s",
			PRIVLINK_GENL_MCGRP_EVENTS, strerror(-err),
			err == -EPERM ? " (it needs CAP_NET_ADMIN)" : "");
		rq.family = -1;
		return;
	}
	events_grp = grp;
	plh_log("privlink family %d: following its events", rq.family);
	genl_dump_all();
}

static void family_down(void)
{
	plh_log("the privlink module went away: waiting for it to come back");
	rq.family = -1;
	events_grp = -1;
	timer_cancel(&retry);
	model_clear();
}

static void ctrl_msg(struct nlmsghdr *nlh)
{
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct nlattr *tb[CTRL_ATTR_MAX + 1];

	if (genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, NULL) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_NAME] ||
	    strcmp(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]), PRIVLINK_GENL_NAME))
		return;
	if (g->cmd == CTRL_CMD_NEWFAMILY && tb[CTRL_ATTR_FAMILY_ID]) {
		if (rq.family >= 0)
			family_down();	/* we missed its DELFAMILY */
		family_up(nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]));
	} else if (g->cmd == CTRL_CMD_DELFAMILY && rq.family >= 0) {
		family_down();
	}
}

static bool event_msg(struct nlmsghdr *nlh)
{
	struct genlmsghdr *g = NLMSG_DATA(nlh);

	if (nlh->nlmsg_type == GENL_ID_CTRL) {
		ctrl_msg(nlh);
		return false;
	}
	if (rq.family < 0 || nlh->nlmsg_type != rq.family)
		return false;
	switch (g->cmd) {
	case PRIVLINK_CMD_SERVICE_ADD:
	case PRIVLINK_CMD_SERVICE_DEL:
		model_service_msg(nlh, g->cmd);
		break;
	case PRIVLINK_CMD_SERVICE_SET:
		model_service_msg(nlh, g->cmd);
		return true;	/* its targets' HEALTH may have been reset */
	case PRIVLINK_CMD_TARGET_ADD:
	case PRIVLINK_CMD_TARGET_DEL:
	case PRIVLINK_CMD_TARGET_SET:
		model_target_msg(nlh, g->cmd);
		break;
	}
	return false;
}

/* Name of the service of a SERVICE_SET event, for the re-dump. */
static void service_name(struct nlmsghdr *nlh, char *name, size_t len)
{
	struct nlattr *tb[PRIVLINK_A_MAX + 1], *sb[PRIVLINK_SERVICE_A_MAX + 1];

	name[0] = '\0';
	if (genlmsg_parse(nlh, 0, tb, PRIVLINK_A_MAX, NULL) < 0 ||
	    !tb[PRIVLINK_A_SERVICE] ||
	    nla_parse_nested(sb, PRIVLINK_SERVICE_A_MAX, tb[PRIVLINK_A_SERVICE],
			     NULL) < 0 || !sb[PRIVLINK_SERVICE_A_NAME])
		return;
	snprintf(name, len, "%s", nla_get_string(sb[PRIVLINK_SERVICE_A_NAME]));
}

static void ev_readable(struct plh_io *io, uint32_t events)
{
	static char buf[64 << 10] __attribute__((aligned(NLMSG_ALIGNTO)));
	bool lost = false;

	(void)io;
	(void)events;
	for (;;) {
		struct nlmsghdr *nlh;
		ssize_t len = recv(ev_fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				lost = true;
				continue;
			}
			if (errno != EAGAIN)
				plh_log("Error: receiving events: %s", strerror(errno));
			break;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, (size_t)len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (event_msg(nlh)) {
				char name[PRIVLINK_NAME_MAX];

				service_name(nlh, name, sizeof(name));
				if (name[0])
					genl_dump_targets(name);
			}
		}
	}
	if (lost && rq.family >= 0) {
		plh_log("events were lost (receive buffer overrun): dumping again");
		genl_dump_all();
	}
}

int genl_init(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int sz = EV_RCVBUF, grp, id, err;

	timer_init(&retry, retry_fire);
	err = plnl_connect(&rq);
	if (err) {
		plh_log("Error: cannot open a generic netlink socket: %s",
			strerror(-err));
		return -1;
	}
	ev_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
		       NETLINK_GENERIC);
	if (ev_fd < 0 || bind(ev_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		plh_log("Error: cannot open a generic netlink socket: %s",
			strerror(errno));
		return -1;
	}
	/* FORCE needs CAP_NET_ADMIN, which we have; else the rmem limit */
	if (setsockopt(ev_fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(ev_fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	grp = genl_ctrl_resolve_grp(rq.sk, "nlctrl", "notify");
	if (grp < 0 || join(grp) < 0) {
		plh_log("Error: cannot join nlctrl's \"notify\" group");
		return -1;
	}
	ev_io.fn = ev_readable;
	if (plh_io_add(ev_fd, EPOLLIN, &ev_io) < 0)
		return -1;
	id = genl_ctrl_resolve(rq.sk, PRIVLINK_GENL_NAME);
	if (id < 0)
		plh_log("the privlink module is not loaded: waiting for it");
	else
		family_up(id);
	return 0;
}

void genl_exit(void)
{
	if (ev_fd >= 0)
		close(ev_fd);
	ev_fd = -1;
	plnl_close(&rq);
	rq.family = -1;
}
