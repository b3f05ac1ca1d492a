/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plctl: talking to the privlink generic netlink family over libnl-genl-3.
 */
#ifndef PLCTL_NL_H
#define PLCTL_NL_H

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

struct plnl {
	struct nl_sock *sk;
	int family;
	char errmsg[256];	/* extack text of the last failed request */
	int erroff;		/* NLMSGERR_ATTR_OFFS of it, or -1 */
};

/* Connect; on failure print a human message and return -1. */
int plnl_open(struct plnl *nl);
void plnl_close(struct plnl *nl);

/* A new request message for @cmd (with NLM_F_DUMP when @dump). */
struct nl_msg *plnl_msg(struct plnl *nl, int cmd, int dump);

/*
 * Send @msg (consumed), call @cb for every reply message, wait for the ACK or
 * the end of the dump.  Returns 0, or a negative errno with nl->errmsg set to
 * the kernel's extack text ("" if it sent none).
 */
int plnl_call(struct plnl *nl, struct nl_msg *msg,
	      int (*cb)(struct nl_msg *msg, void *arg), void *arg);

#endif
