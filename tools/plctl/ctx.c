// SPDX-License-Identifier: GPL-2.0
/*
 * plctl: the process-wide context: global options and the one netlink
 * connection every command (and every line of a batch) shares.
 */
#include "plctl.h"

struct plctl_opts plctl_opts;

static struct plnl conn;
static int conn_open;

struct plnl *plctl_nl(void)
{
	if (!conn_open) {
		if (plnl_open(&conn) < 0)
			return NULL;
		conn_open = 1;
	}
	return &conn;
}

void plctl_nl_close(void)
{
	if (conn_open)
		plnl_close(&conn);
	conn_open = 0;
}
