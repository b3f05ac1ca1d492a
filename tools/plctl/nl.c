// SPDX-License-Identifier: GPL-2.0
/*
 * plctl: talking to the privlink generic netlink family over libnl-genl-3.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include <linux/privlink.h>
#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define DUMP_TRIES PLNL_DUMP_TRIES

struct plnl_call {
	int err;
	int done;
	int intr;
	plnl_cb_t cb;
	void *arg;
};

/* Pull NLMSGERR_ATTR_MSG/OFFS out of an error or ACK with TLVs. */
static void parse_extack(struct plnl *nl, struct nlmsgerr *e)
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
		snprintf(nl->errmsg, sizeof(nl->errmsg), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) >= 4)
		nl->erroff = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct plnl *nl = arg;

	(void)who;
	parse_extack(nl, e);
	if (nl->cur) {
		nl->cur->err = e->error;
		nl->cur->done = 1;
	}
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct plnl *nl = arg;

	(void)msg;
	if (nl->cur)
		nl->cur->done = 1;
	return NL_STOP;
}

static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct plnl *nl = arg;

	(void)msg;
	if (nl->cur)
		nl->cur->intr = 1;
	return NL_OK;	/* still deliver it, and read up to NLMSG_DONE */
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct plnl *nl = arg;

	if (nl->cur && nl->cur->cb)
		return nl->cur->cb(msg, nl->cur->arg);
	return NL_OK;
}

int plnl_connect(struct plnl *nl)
{
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->family = -1;
	nl->sk = nl_socket_alloc();
	nl->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nl->sk || !nl->cb) {
		plnl_close(nl);
		return -ENOMEM;
	}
	if (genl_connect(nl->sk) < 0) {
		err = errno ? -errno : -EIO;
		plnl_close(nl);
		return err;
	}
	/* Ask for the kernel's error text, and not a copy of our request. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl_cb_err(nl->cb, NL_CB_CUSTOM, on_error, nl);
	nl_cb_set(nl->cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, nl);
	nl_cb_set(nl->cb, NL_CB_FINISH, NL_CB_CUSTOM, on_ack, nl);
	nl_cb_set(nl->cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, nl);
	nl_cb_set(nl->cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, nl);
	return 0;
}

int plnl_open(struct plnl *nl)
{
	int err = plnl_connect(nl);

	if (err) {
		if (err == -ENOMEM)
			fprintf(stderr, "Error: out of memory\n");
		else
			fprintf(stderr, "Error: cannot open a generic netlink socket: %s\n",
				strerror(-err));
		return -1;
	}
	nl->family = genl_ctrl_resolve(nl->sk, PRIVLINK_GENL_NAME);
	if (nl->family < 0) {
		fprintf(stderr,
			"Error: the privlink kernel module is not loaded (load it with 'modprobe privlink' or 'insmod privlink.ko')\n");
		plnl_close(nl);
		return -1;
	}
	return 0;
}

void plnl_close(struct plnl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	if (nl->cb)
		nl_cb_put(nl->cb);
	nl->sk = NULL;
	nl->cb = NULL;
}

struct nl_msg *plnl_msg(struct plnl *nl, int cmd, int dump)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK),
			 cmd, PRIVLINK_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* Send @msg (not consumed) and wait for its answer. */
static int call(struct plnl *nl, struct nl_msg *msg, plnl_cb_t cb, void *arg)
{
	struct plnl_call st = { .cb = cb, .arg = arg };
	int err;

	nl->errmsg[0] = '\0';
	nl->erroff = -1;
	nlmsg_hdr(msg)->nlmsg_seq = NL_AUTO_SEQ;	/* a fresh one if resent */
	err = nl_send_auto(nl->sk, msg);
	if (err < 0)
		return -EIO;
	nl->cur = &st;
	while (!st.done) {
		err = nl_recvmsgs(nl->sk, nl->cb);
		if (err == -NLE_DUMP_INTR) {
			st.intr = 1;
		} else if (err < 0 && !st.err) {
			st.err = err == -NLE_NOMEM ? -ENOMEM : -EIO;
			break;
		}
	}
	nl->cur = NULL;
	if (!st.err && st.intr)
		return PLNL_EDUMPINTR;
	return st.err;
}

int plnl_call(struct plnl *nl, struct nl_msg *msg, plnl_cb_t cb, void *arg)
{
	int err = call(nl, msg, cb, arg);

	nlmsg_free(msg);
	return err;
}

static int collect(struct nl_msg *msg, void *arg)
{
	struct plnl_msgs *m = arg;

	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		struct nl_msg **v = realloc(m->v, cap * sizeof(*v));

		if (!v)
			return NL_STOP;
		m->v = v;
		m->cap = cap;
	}
	nlmsg_get(msg);
	m->v[m->n++] = msg;
	return NL_OK;
}

static void msgs_drop(struct plnl_msgs *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		nlmsg_free(m->v[i]);
	m->n = 0;
}

void plnl_msgs_free(struct plnl_msgs *m)
{
	msgs_drop(m);
	free(m->v);
	m->v = NULL;
	m->cap = 0;
}

int plnl_dump(struct plnl *nl, struct nl_msg *msg, struct plnl_msgs *out)
{
	int err, tries;

	for (tries = 0; tries < DUMP_TRIES; tries++) {
		msgs_drop(out);
		err = call(nl, msg, collect, out);
		if (err != PLNL_EDUMPINTR)
			break;
	}
	nlmsg_free(msg);
	return err;
}

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int plnl_subscribe(struct plnl *nl, const char *group)
{
	int grp = genl_ctrl_resolve_grp(nl->sk, PRIVLINK_GENL_NAME, group);

	if (grp < 0)
		return -ENOENT;
	/* events carry sequence number 0: no check on our callback set */
	nl_socket_disable_seq_check(nl->sk);
	nl_cb_set(nl->cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	/* the events group needs CAP_NET_ADMIN over the namespace */
	switch (nl_socket_add_membership(nl->sk, grp)) {
	case 0:
		return 0;
	case -NLE_PERM:
		return -EPERM;
	default:
		return -EIO;
	}
}

int plnl_recv(struct plnl *nl, plnl_cb_t cb, void *arg)
{
	struct plnl_call st = { .cb = cb, .arg = arg };
	int err;

	nl->cur = &st;
	err = nl_recvmsgs(nl->sk, nl->cb);
	nl->cur = NULL;
	if (err == -NLE_NOMEM)
		return -ENOBUFS;	/* events were lost; keep going */
	return err < 0 ? -EIO : 0;
}
