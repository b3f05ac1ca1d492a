/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plctl: the one place for the names of enum values and commands.  Each table
 * is indexed by the uapi enum value and NULL-terminated, so it doubles as the
 * keyword list for parse_keyword().
 */
#ifndef PLCTL_NAMES_H
#define PLCTL_NAMES_H

extern const char *const az_state_names[];	  /* up down */
extern const char *const target_state_names[];	  /* healthy ... */
extern const char *const endpoint_state_names[];  /* pendingAcceptance ... */
extern const char *const acceptance_names[];	  /* auto required */
extern const char *const onoff_names[];		  /* off on */
extern const char *const check_proto_names[];	  /* none tcp http */
extern const char *const health_state_names[];	  /* initial ... */
extern const char *const health_reason_names[];	  /* passed ... */
extern const char *const ip_type_names[];	  /* ipv4 ipv6 dualstack */

/* @tbl[@v], or "unknown" when @v is out of range. */
const char *enum_name(const char *const *tbl, unsigned int v);
/* "tcp", "udp", or NULL. */
const char *proto_name(unsigned int proto);

/* The event name of a command ("endpoint-accept"), NULL if it has none. */
const char *cmd_event_name(unsigned int cmd);

#endif
