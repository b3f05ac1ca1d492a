/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plctl: a service's health check and a target's health (check.c).
 */
#ifndef PLCTL_CHECK_H
#define PLCTL_CHECK_H

#include <stdint.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

/* The check words of service add/set; 0 members were not given. */
struct check_args {
	int given;			/* "check" was */
	uint8_t proto;			/* enum privlink_check_proto */
	int has_port;
	uint16_t port;			/* 0: traffic-port */
	const char *path, *codes;
	uint16_t interval, timeout;
	uint8_t healthy, unhealthy;
};

/*
 * If **@argv is a check word, take it and its value (advancing *@argc and
 * *@argv to the value): 1; 0 when it is none of them; -1 with "Error: ..."
 * printed when its value is wrong.
 */
int check_parse(struct check_args *c, int *argc, char ***argv);
/* After the last word: 0, or -1 with "Error: ..." (words that do not fit). */
int check_finish(const struct check_args *c);
/* The HEALTH_CHECK nest (when "check" was given); -1 when it does not fit. */
int check_put(struct nl_msg *msg, const struct check_args *c);

/*
 * A service's HEALTH_CHECK nest: text " check http check-port traffic-port
 * check-path / ..." (the words of service add, so save can use them), JSON
 * "health_check":{...}; nothing without a check.
 */
void check_print(struct nlattr *nest, int flags);
/*
 * A target's HEALTH nest: text " health STATE reason REASON [code N]", JSON
 * "health":{"state":..,"reason":..,"code":N}; nothing when @nest is NULL.
 */
void health_print(struct nlattr *nest);

#endif
