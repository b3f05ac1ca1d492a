/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * privlink: PrivateLink-style endpoint NAT for Linux routers.
 *
 * This header is the whole protocol between the kernel module (privlink.ko)
 * and userspace (plctl).  It is a generic netlink family:
 *
 *   family name:     "privlink"       (PRIVLINK_GENL_NAME)
 *   family version:  1                (PRIVLINK_GENL_VERSION)
 *   netns aware:     yes; every request acts on the network namespace of the
 *                    socket that sent it, and every namespace has its own,
 *                    independent configuration.
 *
 * Commands
 * --------
 *
 * PRIVLINK_CMD_GET_INFO (doit; no permission needed)
 *   Request:  no attributes.
 *   Reply:    PRIVLINK_CMD_GET_INFO with
 *               PRIVLINK_A_INFO_VERSION   NUL-terminated string, the module's
 *                                         version ("0.1.0")
 *               PRIVLINK_A_INFO_HOOKS     u8, 1 when privlink's netfilter
 *                                         hooks are registered in this netns
 *
 * Errors
 * ------
 * Every error carries an extended ACK message (NLMSGERR_ATTR_MSG) written for
 * humans; plctl prints it verbatim.
 */
#ifndef _UAPI_LINUX_PRIVLINK_H
#define _UAPI_LINUX_PRIVLINK_H

#define PRIVLINK_GENL_NAME	"privlink"
#define PRIVLINK_GENL_VERSION	1

enum privlink_cmd {
	PRIVLINK_CMD_UNSPEC,
	PRIVLINK_CMD_GET_INFO,
	__PRIVLINK_CMD_MAX
};

#define PRIVLINK_CMD_MAX (__PRIVLINK_CMD_MAX - 1)

enum privlink_attr {
	PRIVLINK_A_UNSPEC,
	PRIVLINK_A_INFO_VERSION,	/* string */
	PRIVLINK_A_INFO_HOOKS,		/* u8 */
	__PRIVLINK_A_MAX
};

#define PRIVLINK_A_MAX (__PRIVLINK_A_MAX - 1)

#endif /* _UAPI_LINUX_PRIVLINK_H */
