// SPDX-License-Identifier: GPL-2.0
/*
 * plhealthd: what brings the replies of the probes to their sockets
 * (Documentation/networking/tproxy.rst, "Making non-local sockets work"),
 * for IPv4:
 *
 *   table ip plhealthd {
 *       chain prerouting {
 *           type filter hook prerouting priority mangle; policy accept;
 *           meta l4proto tcp socket transparent 1 meta mark set MARK
 *       }
 *   }
 *   ip rule add fwmark MARK lookup TABLE priority PRIO
 *   ip route add local 0.0.0.0/0 dev lo table TABLE
 *
 * and the same for IPv6: "table ip6 plhealthd" with the same chain and
 * rule, "ip -6 rule add fwmark MARK lookup TABLE priority PRIO", "ip -6
 * route add local ::/0 dev lo table TABLE".
 *
 * A reply to a probe is addressed to an NLB node address, which is not the
 * router's: without these it would be forwarded.  The socket expression
 * looks the packet up as TCP's input would (nf_sk_lookup_slow_v4() and
 * nf_sk_lookup_slow_v6(): the established socket, honouring its bound
 * device), so only packets of a live probe, arriving through the device the
 * probe was sent through, are marked and delivered locally.
 *
 * Installed at start, idempotently (the tables are flushed and filled
 * again, the rules and routes are replaced), removed at exit.  The nft
 * tables through libnftables, the rules and routes through libnl-route-3.
 * A kernel without IPv6 (socket(AF_INET6) fails with EAFNOSUPPORT) gets
 * the IPv4 part alone: IPv6 targets cannot be probed there anyway.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/route.h>
#include <netlink/route/rule.h>
#include <nftables/libnftables.h>

#include "plhealthd.h"

#define NFT_TABLE "plhealthd"

/* One address family's table, rule and route. */
struct fam {
	int family;
	const char *nft;	/* nft's family */
	const char *ip;		/* "ip" or "ip -6", for the messages */
	const char *any;	/* the local route's prefix */
	bool nft_done, rule_done, route_done;
};

static struct fam fams[] = {
	{ .family = AF_INET, .nft = "ip", .ip = "ip", .any = "0.0.0.0/0" },
	{ .family = AF_INET6, .nft = "ip6", .ip = "ip -6", .any = "::/0" },
};

static int nft_run(const char *cmd, bool quiet)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	int err;

	if (!nft)
		return -ENOMEM;
	nft_ctx_buffer_error(nft);
	err = nft_run_cmd_from_buffer(nft, cmd);
	if (err && !quiet)
		plh_log("Error: nft: %s", nft_ctx_get_error_buffer(nft));
	nft_ctx_free(nft);
	return err ? -EINVAL : 0;
}

static struct rtnl_rule *make_rule(const struct fam *f)
{
	struct rtnl_rule *r = rtnl_rule_alloc();

	if (!r)
		return NULL;
	rtnl_rule_set_family(r, f->family);
	rtnl_rule_set_mark(r, plh_opts.mark);
	rtnl_rule_set_mask(r, 0xffffffff);
	rtnl_rule_set_table(r, plh_opts.table);
	rtnl_rule_set_prio(r, plh_opts.prio);
	rtnl_rule_set_action(r, FR_ACT_TO_TBL);
	return r;
}

static struct rtnl_route *make_route(const struct fam *f)
{
	struct rtnl_route *r = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = NULL;

	if (!r || !nh || nl_addr_parse(f->any, f->family, &dst) < 0) {
		rtnl_route_put(r);
		rtnl_route_nh_free(nh);
		return NULL;
	}
	rtnl_route_set_family(r, f->family);
	rtnl_route_set_table(r, plh_opts.table);
	rtnl_route_set_type(r, RTN_LOCAL);
	rtnl_route_set_scope(r, RT_SCOPE_HOST);
	rtnl_route_set_protocol(r, RTPROT_STATIC);
	rtnl_route_set_dst(r, dst);
	nl_addr_put(dst);
	rtnl_route_nh_set_ifindex(nh, if_nametoindex("lo"));
	rtnl_route_add_nexthop(r, nh);
	return r;
}

static struct nl_sock *rt_sock(void)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (!sk)
		return NULL;
	if (nl_connect(sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

/* Does the kernel have IPv6 (not booted with ipv6.disable=1, ...)? */
static bool have_ipv6(void)
{
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return errno != EAFNOSUPPORT;
	close(fd);
	return true;
}

/* @f's table, rule and route, through @sk: 0 or -1 (logged). */
static int install(struct nl_sock *sk, struct fam *f)
{
	struct rtnl_route *route = NULL;
	struct rtnl_rule *rule = NULL;
	char cmd[512];
	int err, rc = -1;

	snprintf(cmd, sizeof(cmd),
		 "add table %s " NFT_TABLE "\n"
		 "flush table %s " NFT_TABLE "\n"
		 "add chain %s " NFT_TABLE " prerouting { type filter hook prerouting priority mangle; policy accept; }\n"
		 "add rule %s " NFT_TABLE " prerouting meta l4proto tcp socket transparent 1 meta mark set 0x%x\n",
		 f->nft, f->nft, f->nft, f->nft, plh_opts.mark);
	if (nft_run(cmd, false))
		return -1;
	f->nft_done = true;

	rule = make_rule(f);
	route = make_route(f);
	if (!rule || !route) {
		plh_log("Error: out of memory");
		goto out;
	}
	err = rtnl_rule_add(sk, rule, NLM_F_EXCL);
	if (err < 0 && err != -NLE_EXIST) {
		plh_log("Error: %s rule add fwmark 0x%x lookup %u priority %u: %s",
			f->ip, plh_opts.mark, plh_opts.table, plh_opts.prio,
			nl_geterror(err));
		goto out;
	}
	f->rule_done = true;
	err = rtnl_route_add(sk, route, NLM_F_REPLACE);
	if (err < 0) {
		plh_log("Error: %s route add local %s dev lo table %u: %s",
			f->ip, f->any, plh_opts.table, nl_geterror(err));
		goto out;
	}
	f->route_done = true;
	plh_log("installed: nft table %s %s, rule fwmark 0x%x lookup %u priority %u, route local %s dev lo table %u",
		f->nft, NFT_TABLE, plh_opts.mark, plh_opts.table, plh_opts.prio,
		f->any, plh_opts.table);
	rc = 0;
out:
	if (rule)
		rtnl_rule_put(rule);
	if (route)
		rtnl_route_put(route);
	return rc;
}

int tproxy_install(void)
{
	struct nl_sock *sk = rt_sock();
	size_t i;

	if (!sk) {
		plh_log("Error: cannot open a route netlink socket");
		return -1;
	}
	for (i = 0; i < sizeof(fams) / sizeof(*fams); i++) {
		if (fams[i].family == AF_INET6 && !have_ipv6()) {
			plh_log("the kernel has no IPv6: IPv6 targets cannot be probed");
			continue;
		}
		if (install(sk, &fams[i])) {
			nl_socket_free(sk);
			tproxy_remove();
			return -1;
		}
	}
	nl_socket_free(sk);
	return 0;
}

static void remove_fam(struct nl_sock *sk, struct fam *f)
{
	int err;

	if (sk && f->route_done) {
		struct rtnl_route *route = make_route(f);

		err = route ? rtnl_route_delete(sk, route, 0) : -NLE_NOMEM;
		if (err < 0 && err != -NLE_OBJ_NOTFOUND)
			plh_log("Error: removing the %s route of table %u: %s",
				plh_family_str(f->family), plh_opts.table,
				nl_geterror(err));
		rtnl_route_put(route);
	}
	if (sk && f->rule_done) {
		struct rtnl_rule *rule = make_rule(f);

		err = rule ? rtnl_rule_delete(sk, rule, 0) : -NLE_NOMEM;
		if (err < 0 && err != -NLE_OBJ_NOTFOUND)
			plh_log("Error: removing the %s rule fwmark 0x%x: %s",
				plh_family_str(f->family), plh_opts.mark,
				nl_geterror(err));
		rtnl_rule_put(rule);
	}
	if (f->nft_done) {
		char cmd[64];

		snprintf(cmd, sizeof(cmd), "delete table %s " NFT_TABLE "\n",
			 f->nft);
		nft_run(cmd, false);
	}
	if (f->nft_done || f->rule_done || f->route_done)
		plh_log("removed: nft table %s %s, %s rule and route", f->nft,
			NFT_TABLE, plh_family_str(f->family));
	f->nft_done = f->rule_done = f->route_done = false;
}

void tproxy_remove(void)
{
	struct nl_sock *sk = rt_sock();
	size_t i;

	for (i = 0; i < sizeof(fams) / sizeof(*fams); i++)
		remove_fam(sk, &fams[i]);
	if (sk)
		nl_socket_free(sk);
}
