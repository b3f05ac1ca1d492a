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

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define DUMP_TRIES	10
#define EV_RCVBUF	(8 << 20)
#define RETRY_NS	(1 * NSEC_PER_SEC)

static struct nl_sock *rq;	/* requests */
static struct nl_cb *rq_cb;
static int ev_fd = -1;		/* events (plain socket, our own parser) */
static int family = -1;		/* privlink's id while it exists */
static int events_grp = -1;
static struct plh_io ev_io;
static struct plh_timer retry;	/* a failed (re-)dump is tried again */

bool genl_family_present(void)
{
	return family >= 0;
}

/* --- requests --------------------------------------------------------- */

struct call {
	int err;
	int done;
	int intr;
	char errmsg[256];
	int (*cb)(struct nlmsghdr *nlh, void *arg);
	void *arg;
};

static struct call *cur;

static void parse_extack(struct call *c, struct nlmsgerr *e)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (NLMSG_HDRLEN + off > nlh->nlmsg_len)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)e + off),
		      nlh->nlmsg_len - NLMSG_HDRLEN - off, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 0)
		snprintf(c->errmsg, sizeof(c->errmsg), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	(void)who;
	(void)arg;
	if (cur) {
		parse_extack(cur, e);
		cur->err = e->error;
		cur->done = 1;
	}
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	if (cur)
		cur->done = 1;
	return NL_STOP;
}

static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	if (cur)
		cur->intr = 1;
	return NL_OK;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	(void)arg;
	if (cur && cur->cb)
		return cur->cb(nlmsg_hdr(msg), cur->arg);
	return NL_OK;
}

/* Send @msg (consumed) and read its answers up to the ACK or DONE. */
static int call(struct nl_msg *msg, struct call *c)
{
	int err;

	err = nl_send_auto(rq, msg);
	nlmsg_free(msg);
	if (err < 0)
		return -EIO;
	cur = c;
	while (!c->done) {
		err = nl_recvmsgs(rq, rq_cb);
		if (err == -NLE_DUMP_INTR) {
			c->intr = 1;
		} else if (err < 0 && !c->err) {
			c->err = err == -NLE_NOMEM ? -ENOMEM : -EIO;
			break;
		}
	}
	cur = NULL;
	return c->err;
}

static struct nl_msg *new_msg(int cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
			 NLM_F_REQUEST | flags, cmd, PRIVLINK_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* A dump's messages, copied. */
struct msgs {
	struct nlmsghdr **v;
	size_t n, cap;
};

static void msgs_free(struct msgs *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->v[i]);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

static int collect(struct nlmsghdr *nlh, void *arg)
{
	struct msgs *m = arg;
	struct nlmsghdr *copy;

	if (m->n == m->cap) {
		size_t ncap = m->cap ? 2 * m->cap : 64;
		struct nlmsghdr **v = realloc(m->v, ncap * sizeof(*v));

		if (!v)
			return NL_STOP;
		m->v = v;
		m->cap = ncap;
	}
	copy = malloc(nlh->nlmsg_len);
	if (!copy)
		return NL_STOP;
	memcpy(copy, nlh, nlh->nlmsg_len);
	m->v[m->n++] = copy;
	return NL_OK;
}

/*
 * Dump @cmd (TARGET_GET of @service only when given) until it is
 * consistent, into @m.
 */
static int dump(int cmd, const char *service, struct msgs *m)
{
	int tries, err = 0;

	for (tries = 0; tries < DUMP_TRIES; tries++) {
		struct call c = { .cb = collect, .arg = m };
		struct nl_msg *msg = new_msg(cmd, NLM_F_DUMP);
		struct nlattr *nest;

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
		msgs_free(m);
		err = call(msg, &c);
		if (err) {
			plh_log("Error: dumping the %s failed: %s%s%s",
				cmd == PRIVLINK_CMD_SERVICE_GET ? "services" : "targets",
				strerror(-err), c.errmsg[0] ? ": " : "", c.errmsg);
			return err;
		}
		if (!c.intr)
			return 0;
	}
	plh_log("Error: the %s changed during %d dumps in a row",
		cmd == PRIVLINK_CMD_SERVICE_GET ? "services" : "targets", DUMP_TRIES);
	return -EAGAIN;
}

static void apply(struct msgs *m, void (*fn)(struct nlmsghdr *, int), int cmd)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		fn(m->v[i], cmd);
}

static void retry_fire(struct plh_timer *t, uint64_t now)
{
	(void)t;
	(void)now;
	if (family >= 0)
		genl_dump_all();
}

int genl_dump_all(void)
{
	struct msgs sm = {}, tm = {};
	int err;

	if (family < 0)
		return -ENOENT;
	err = dump(PRIVLINK_CMD_SERVICE_GET, NULL, &sm);
	if (!err)
		err = dump(PRIVLINK_CMD_TARGET_GET, NULL, &tm);
	if (err) {
		msgs_free(&sm);
		msgs_free(&tm);
		timer_arm(&retry, plh_now() + RETRY_NS);
		return err;
	}
	timer_cancel(&retry);
	model_mark_unseen(NULL);
	apply(&sm, model_service_msg, PRIVLINK_CMD_SERVICE_GET);
	apply(&tm, model_target_msg, PRIVLINK_CMD_TARGET_GET);
	model_sweep_unseen(NULL);
	msgs_free(&sm);
	msgs_free(&tm);
	plh_debug("dumped: %u targets", model_count_targets());
	return 0;
}

int genl_dump_targets(const char *service)
{
	struct msgs tm = {};
	int err;

	if (family < 0)
		return -ENOENT;
	err = dump(PRIVLINK_CMD_TARGET_GET, service, &tm);
	if (err) {
		msgs_free(&tm);
		timer_arm(&retry, plh_now() + RETRY_NS);
		return err;
	}
	model_mark_unseen(service);
	apply(&tm, model_target_msg, PRIVLINK_CMD_TARGET_GET);
	model_sweep_unseen(service);
	msgs_free(&tm);
	return 0;
}

static int on_reply(struct nlmsghdr *nlh, void *arg)
{
	(void)arg;
	model_target_msg(nlh, PRIVLINK_CMD_TARGET_SET);
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
	struct call c = { .cb = on_reply };
	struct nl_msg *msg;
	int err;

	if (family < 0)
		return -ENOENT;
	msg = new_msg(PRIVLINK_CMD_TARGET_SET, NLM_F_ACK);
	if (!msg)
		return -ENOMEM;
	if (genl_put_verdict(msg, t, state, reason, code)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	err = call(msg, &c);
	if (err && err != -ENOENT)
		plh_log("Error: reporting target %s: %s%s%s", target_str(t),
			strerror(-err), c.errmsg[0] ? ": " : "", c.errmsg);
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

	family = id;
	grp = genl_ctrl_resolve_grp(rq, PRIVLINK_GENL_NAME,
				    PRIVLINK_GENL_MCGRP_EVENTS);
	if (grp < 0) {
		plh_log("Error: the privlink family has no \"%s\" group",
			PRIVLINK_GENL_MCGRP_EVENTS);
		family = -1;
		return;
	}
	err = join(grp);
	if (err) {
		plh_log("Error: cannot join the \"%s\" group: %s%s",
			PRIVLINK_GENL_MCGRP_EVENTS, strerror(-err),
			err == -EPERM ? " (it needs CAP_NET_ADMIN)" : "");
		family = -1;
		return;
	}
	events_grp = grp;
	plh_log("privlink family %d: following its events", family);
	genl_dump_all();
}

static void family_down(void)
{
	plh_log("the privlink module went away: waiting for it to come back");
	family = -1;
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
		if (family >= 0)
			family_down();	/* we missed its DELFAMILY */
		family_up(nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]));
	} else if (g->cmd == CTRL_CMD_DELFAMILY && family >= 0) {
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
	if (family < 0 || nlh->nlmsg_type != family)
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
	if (lost && family >= 0) {
		plh_log("events were lost (receive buffer overrun): dumping again");
		genl_dump_all();
	}
}

int genl_init(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, sz = EV_RCVBUF, grp, id;

	timer_init(&retry, retry_fire);
	rq = nl_socket_alloc();
	rq_cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!rq || !rq_cb || genl_connect(rq) < 0) {
		plh_log("Error: cannot open a generic netlink socket: %s",
			strerror(errno));
		return -1;
	}
	setsockopt(nl_socket_get_fd(rq), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	setsockopt(nl_socket_get_fd(rq), SOL_NETLINK, NETLINK_CAP_ACK, &one,
		   sizeof(one));
	nl_cb_err(rq_cb, NL_CB_CUSTOM, on_error, NULL);
	nl_cb_set(rq_cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, NULL);
	nl_cb_set(rq_cb, NL_CB_FINISH, NL_CB_CUSTOM, on_ack, NULL);
	nl_cb_set(rq_cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, NULL);
	nl_cb_set(rq_cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, NULL);

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
	grp = genl_ctrl_resolve_grp(rq, "nlctrl", "notify");
	if (grp < 0 || join(grp) < 0) {
		plh_log("Error: cannot join nlctrl's \"notify\" group");
		return -1;
	}
	ev_io.fn = ev_readable;
	if (plh_io_add(ev_fd, EPOLLIN, &ev_io) < 0)
		return -1;
	id = genl_ctrl_resolve(rq, PRIVLINK_GENL_NAME);
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
	if (rq)
		nl_socket_free(rq);
	if (rq_cb)
		nl_cb_put(rq_cb);
	rq = NULL;
	rq_cb = NULL;
}
