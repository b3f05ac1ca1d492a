/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plctl: shared declarations of the command front end.
 */
#ifndef PLCTL_H
#define PLCTL_H

#include <stdint.h>
#include <stdio.h>

#include <linux/privlink.h>
#include "nl.h"

#define PLCTL_VERSION PRIVLINK_RELEASE	/* the module's too (uapi) */

/* Exit statuses, as iproute2: 0 ok, 1 a request failed, 2 usage error. */
#define EXIT_FAIL  1
#define EXIT_USAGE 2

/* Global options (ctx.c). */
struct plctl_opts {
	int json;
	int pretty;
	int echo;
	int stats;	/* -s: show prints the counters of endpoints/targets */
};
extern struct plctl_opts plctl_opts;

struct plnl *plctl_nl(void);	/* the connection, opened on first use */
void plctl_nl_close(void);

/* Run one command line (without the leading "plctl" and options). */
int plctl_cmd(int argc, char **argv);

int do_version(int argc, char **argv);
int do_az(int argc, char **argv);
int do_vpc(int argc, char **argv);
int do_service(int argc, char **argv);
int do_target(int argc, char **argv);
int do_endpoint(int argc, char **argv);
int do_eni(int argc, char **argv);
int do_limit(int argc, char **argv);
int do_monitor(int argc, char **argv);
int do_save(int argc, char **argv);
int do_batch(const char *file);
int do_flush(int argc, char **argv);	/* batch.c */
int do_restore(int argc, char **argv);	/* batch.c */

/*
 * The object printers: one object nest (PRIVLINK_A_AZ, ...) as one text line
 * or one JSON object named @key (NULL inside an array).  With PR_SAVE, the
 * text is the "add" command's arguments, without the line's end: read-only
 * members are left out, and a service says "acceptance required" (save.c).
 * They return -1 when the nest is malformed (nothing printed then).
 */
#define PR_SAVE 1
#define PR_KIND 2	/* print_object_msg(): name it after its kind ("az") */
#define PR_STATS 4	/* endpoints and targets: their counters too (-s) */
int az_print(const struct nlattr *nest, const char *key, int flags);
int vpc_print(const struct nlattr *nest, const char *key, int flags);
int service_print(const struct nlattr *nest, const char *key, int flags);
int target_print(const struct nlattr *nest, const char *key, int flags);
int endpoint_print(const struct nlattr *nest, const char *key, int flags);
int eni_print(const struct nlattr *nest, const char *key, int flags);
/*
 * The namespace's settings of a PRIVLINK_A_INFO nest: "max-flows N
 * max-objects N hash-key HEX" (the last two when the nest has them; the key
 * only reaches CAP_NET_ADMIN), JSON max_flows, max_objects, hash_key.
 * With PR_SAVE, the words of "limit set" (save.c).
 */
int limit_print(const struct nlattr *nest, int flags);
/* The same as the JSON object @key: "limit" in a limit-set event. */
int limit_print_key(const struct nlattr *nest, const char *key, int flags);

/* What one "limit set" changes (limit.c): the settings given, their values. */
struct limit_set {
	int has_max_flows, has_max_objects, has_hash_key;
	uint32_t max_flows, max_objects;
	uint8_t hash_key[PRIVLINK_HASH_KEY_LEN];
};
/* The words after "limit set": 0, or EXIT_USAGE with "Error: ..." printed. */
int limit_set_parse(int argc, char **argv, struct limit_set *ls);
/* @ls as the INFO nest of a SET_INFO request; -1 when it does not fit. */
int limit_set_put(struct nl_msg *msg, const struct limit_set *ls);
/*
 * save.c: the dumps "plctl save" prints, in this order, and the printer of
 * the batch file (on stdout) from them and the GET_INFO reply @info (NULL:
 * none).
 */
enum { SAVE_AZ, SAVE_VPC, SAVE_SERVICE, SAVE_TARGET, SAVE_ENDPOINT,
       SAVE_DUMPS };
void save_print(struct plnl_msgs *d, struct nl_msg *info);

/* A GET_INFO reply as "plctl version" prints it (version.c). */
void version_print(struct nl_msg *msg);

/* The ENI attributes' policy, shared with endpoint.c (ENIs of an endpoint). */
extern struct nla_policy eni_policy[];
/* nla_get_string(@a), or "" when @a is NULL. */
const char *nla_str_or_empty(struct nlattr *a);
/* The policy of an IPv6 address attribute: exactly PRIVLINK_ADDR6_LEN bytes. */
#define NLA_POLICY_ADDR6 { .minlen = PRIVLINK_ADDR6_LEN, \
			   .maxlen = PRIVLINK_ADDR6_LEN }
struct ip_pair;
/*
 * @p from an IPv4 (be32) attribute @a4 and an IPv6 one @a6 (validated by
 * a policy), either NULL; returns 0 when both are NULL, else 1.
 */
int nla_get_ip_pair(struct nlattr *a4, struct nlattr *a6, struct ip_pair *p);
/* The addresses @p has as attributes @t4 (be32) and @t6; 0 or -1. */
int nla_put_ip_pair(struct nl_msg *msg, int t4, int t6,
		    const struct ip_pair *p);

/*
 * The counters of an endpoint, ENI or target (a nest of
 * privlink_obj_stats_attr): text " new-flows N drops N packets N bytes N",
 * JSON "stats":{"new_flows":N,"drops":N,"packets":N,"bytes":N}.  Nothing
 * when @nest is NULL or malformed.
 */
void print_obj_stats(struct nlattr *nest);

/* Print the object carried by a reply or event message; -1 if none. */
int print_object_msg(struct nl_msg *msg, const char *key, int flags);

/*
 * Shared command helpers (cmd.c).
 * cmd_msg(): a request for @cmd (a dump request when @dump) of @size bytes
 * (0: the default), on the shared connection; NULL (error printed) when
 * there is none.  cmd_msg_end(): @msg, or NULL after freeing it and printing
 * an error when @bad (an nla_put() failed).  Both NULLs are accepted by
 * cmd_request() and cmd_show(), which then return EXIT_FAIL.
 * cmd_request(): send @msg; on failure print "Error: ..." and return 1.  With
 * @print_reply, the object in the reply is printed as "show" would (a JSON
 * array of one).
 * cmd_show(): "show" of one object (@msg a doit request) or all (a dump).
 */
struct nl_msg *cmd_msg(int cmd, int dump, size_t size);
struct nl_msg *cmd_msg_end(struct nl_msg *msg, int bad);
int cmd_request(struct nl_msg *msg, int print_reply);
int cmd_show(struct nl_msg *msg);
/*
 * cmd_name(): OBJECT VERB [NAME] for del, show, accept, reject: a request
 * @cmd whose object nest @attr holds only @name_attr.  argv[-1] is the verb.
 */
#define CN_OPTIONAL	1	/* NAME may be left out (then: a dump) */
#define CN_DUMP		2	/* always a dump (NAME filters it) */
#define CN_SHOW		4	/* print the replies, as show */
#define CN_ECHO		8	/* print the reply with -echo */
#define CN_STATS	16	/* show: -s/-stats may follow the verb too */
int cmd_name(int cmd, int attr, int name_attr, int argc, char **argv,
	     int flags);
/* "Error: command "VERB" is unknown, try "plctl OBJ help"."; EXIT_USAGE */
int cmd_unknown(const char *obj, const char *verb);
/* The error message for a failed request, on stderr. */
void cmd_perror(struct plnl *nl, int err);

#endif
