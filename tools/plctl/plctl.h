/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plctl: shared declarations of the command front end.
 */
#ifndef PLCTL_H
#define PLCTL_H

#include "nl.h"

#define PLCTL_VERSION "0.1.0"

/* Exit statuses, as iproute2: 0 ok, 1 a request failed, 2 usage error. */
#define EXIT_USAGE 2

struct plnl *plctl_nl(void);	/* the connection, opened on first use */

int do_version(int argc, char **argv);

#endif
