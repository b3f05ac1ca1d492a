/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plctl: talking to the privlink generic netlink family over libnl-genl-3.
 */
#ifndef PLCTL_NL_H
#define PLCTL_NL_H

#include <stddef.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

/* plnl_call()'s result for a dump that spanned a change: retry it. */
#define PLNL_EDUMPINTR	(-4096)
/* plnl_dump() gives up (PLNL_EDUMPINTR) after this many interrupted dumps. */
#define PLNL_DUMP_TRIES	10

typedef int (*plnl_cb_t)(struct nl_msg *msg, void *arg);

struct plnl_call;

struct plnl {
	struct nl_sock *sk;
	struct nl_cb *cb;	/* one callback set, reused by every call */
	struct plnl_call *cur;	/* the call in progress */
	int family;
	char errmsg[256];	/* extack text of the last failed request */
	int erroff;		/* NLMSGERR_ATTR_OFFS of it, or -1 */
};

/*
 * Open the socket (extended ACKs on, requests not echoed in errors) with its
 * callbacks, without resolving the family: 0 or -errno, nothing printed.
 * nl->family is -1 until the caller sets it (plhealthd follows the family
 * coming and going).
 */
int plnl_connect(struct plnl *nl);
/* Connect and resolve the family; on failure print a human message, -1. */
int plnl_open(struct plnl *nl);
void plnl_close(struct plnl *nl);

/* A new request message for @cmd (a dump request when @dump). */
struct nl_msg *plnl_msg(struct plnl *nl, int cmd, int dump);

/*
 * Send @msg (consumed), call @cb for every reply message, wait for the ACK or
 * the end of the dump.  Returns 0, PLNL_EDUMPINTR for an inconsistent dump
 * (the messages were all delivered), or a negative errno with nl->errmsg set
 * to the kernel's extack text ("" if it sent none).
 */
int plnl_call(struct plnl *nl, struct nl_msg *msg, plnl_cb_t cb, void *arg);

/* A list of reply messages (each holds a reference). */
struct plnl_msgs {
	struct nl_msg **v;
	size_t n, cap;
};

/*
 * Run the dump request @msg (consumed) and collect its messages in @out,
 * retrying transparently (a few times) when the dump was interrupted by a
 * concurrent change.  Returns 0 or as plnl_call().  Free @out with
 * plnl_msgs_free() in any case.
 */
int plnl_dump(struct plnl *nl, struct nl_msg *msg, struct plnl_msgs *out);
void plnl_msgs_free(struct plnl_msgs *m);

/* Join the multicast group @group of the family; -errno on failure. */
int plnl_subscribe(struct plnl *nl, const char *group);
/* Receive what is pending (blocking once) and call @cb for each message. */
int plnl_recv(struct plnl *nl, plnl_cb_t cb, void *arg);

#endif
