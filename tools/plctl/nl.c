// SPDX-License-Identifier: GPL-2.0
/*
 * plctl: talking to the privlink generic netlink family over libnl-genl-3.
 */
#include <errno.h>
#include <stdio.h>
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

int plnl_open(struct plnl *nl)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		fprintf(stderr, "plctl: out of memory\n");
		return -1;
	}
	if (genl_connect(nl->sk) < 0) {
		fprintf(stderr, "plctl: cannot open a generic netlink socket: %s\n",
			strerror(errno));
		goto err;
	}
	/* Ask for the kernel's error text, and not a copy of our request. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl->family = genl_ctrl_resolve(nl->sk, PRIVLINK_GENL_NAME);
	if (nl->family < 0) {
		fprintf(stderr,
			"plctl: the privlink kernel module is not loaded (load it with 'modprobe privlink' or 'insmod privlink.ko')\n");
		goto err;
	}
	return 0;
err:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return -1;
}

void plnl_close(struct plnl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

struct nl_msg *plnl_msg(struct plnl *nl, int cmd, int dump)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0),
			 cmd, PRIVLINK_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

struct call_state {
	struct plnl *nl;
	int err;
	int done;
	int (*cb)(struct nl_msg *msg, void *arg);
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
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(nl->errmsg, sizeof(nl->errmsg), "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS])
		nl->erroff = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct call_state *st = arg;

	(void)who;
	parse_extack(st->nl, e);
	st->err = e->error;
	st->done = 1;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct call_state *st = arg;

	(void)msg;
	st->done = 1;
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct call_state *st = arg;

	if (st->cb)
		return st->cb(msg, st->arg);
	return NL_OK;
}

int plnl_call(struct plnl *nl, struct nl_msg *msg,
	      int (*cb)(struct nl_msg *msg, void *arg), void *arg)
{
	struct call_state st = { .nl = nl, .cb = cb, .arg = arg };
	struct nl_cb *nlcb;
	int err;

	nl->errmsg[0] = '\0';
	nl->erroff = -1;
	nlcb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nlcb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_err(nlcb, NL_CB_CUSTOM, on_error, &st);
	nl_cb_set(nlcb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &st);
	nl_cb_set(nlcb, NL_CB_FINISH, NL_CB_CUSTOM, on_ack, &st);
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &st);

	err = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (err < 0) {
		nl_cb_put(nlcb);
		return -EIO;
	}
	while (!st.done) {
		err = nl_recvmsgs(nl->sk, nlcb);
		if (err < 0 && !st.err) {
			st.err = -EIO;
			break;
		}
	}
	nl_cb_put(nlcb);
	return st.err;
}
