// SPDX-License-Identifier: GPL-2.0
/*
 * plhealthd: what brings the replies of the probes to their sockets
 * (Documentation/networking/tproxy.rst, "Making non-local sockets work"):
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
 * A reply to a probe is addressed to an NLB node address, which is not the
 * router's: without these it would be forwarded.  The socket expression
 * looks the packet up as TCP's input would (nf_sk_lookup_slow_v4(): the
 * established socket, honouring its bound device), so only packets of a
 * live probe, arriving through the device the probe was sent through, are
 * marked and delivered locally.
 *
 * Installed at start, idempotently (the table is flushed and filled again,
 * the rule and route are replaced), removed at exit.  The nft table through
 * libnftables, the rule and route through libnl-route-3.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/route.h>
#include <netlink/route/rule.h>
#include <nftables/libnftables.h>

#include "plhealthd.h"

#define NFT_TABLE "plhealthd"

static bool nft_done, rule_done, route_done;

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

static struct rtnl_rule *make_rule(void)
{
	struct rtnl_rule *r = rtnl_rule_alloc();

	if (!r)
		return NULL;
	rtnl_rule_set_family(r, AF_INET);
	rtnl_rule_set_mark(r, plh_opts.mark);
	rtnl_rule_set_mask(r, 0xffffffff);
	rtnl_rule_set_table(r, plh_opts.table);
	rtnl_rule_set_prio(r, plh_opts.prio);
	rtnl_rule_set_action(r, FR_ACT_TO_TBL);
	return r;
}

static struct rtnl_route *make_route(void)
{
	struct rtnl_route *r = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = NULL;

	if (!r || !nh || nl_addr_parse("0.0.0.0/0", AF_INET, &dst) < 0) {
		rtnl_route_put(r);
		rtnl_route_nh_free(nh);
		return NULL;
	}
	rtnl_route_set_family(r, AF_INET);
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

int tproxy_install(void)
{
	struct rtnl_route *route = NULL;
	struct rtnl_rule *rule = NULL;
	struct nl_sock *sk = NULL;
	char cmd[512];
	int err;

	snprintf(cmd, sizeof(cmd),
		 "add table ip " NFT_TABLE "\n"
		 "flush table ip " NFT_TABLE "\n"
		 "add chain ip " NFT_TABLE " prerouting { type filter hook prerouting priority mangle; policy accept; }\n"
		 "add rule ip " NFT_TABLE " prerouting meta l4proto tcp socket transparent 1 meta mark set 0x%x\n",
		 plh_opts.mark);
	if (nft_run(cmd, false))
		goto fail;
	nft_done = true;

	sk = rt_sock();
	rule = make_rule();
	route = make_route();
	if (!sk || !rule || !route) {
		plh_log("Error: cannot open a route netlink socket");
		goto fail;
	}
	err = rtnl_rule_add(sk, rule, NLM_F_EXCL);
	if (err < 0 && err != -NLE_EXIST) {
		plh_log("Error: ip rule add fwmark 0x%x lookup %u priority %u: %s",
			plh_opts.mark, plh_opts.table, plh_opts.prio,
			nl_geterror(err));
		goto fail;
	}
	rule_done = true;
	err = rtnl_route_add(sk, route, NLM_F_REPLACE);
	if (err < 0) {
		plh_log("Error: ip route add local 0.0.0.0/0 dev lo table %u: %s",
			plh_opts.table, nl_geterror(err));
		goto fail;
	}
	route_done = true;
	plh_log("installed: nft table ip %s, rule fwmark 0x%x lookup %u priority %u, route local 0.0.0.0/0 dev lo table %u",
		NFT_TABLE, plh_opts.mark, plh_opts.table, plh_opts.prio,
		plh_opts.table);
	rtnl_rule_put(rule);
	rtnl_route_put(route);
	nl_socket_free(sk);
	return 0;
fail:
	if (rule)
		rtnl_rule_put(rule);
	if (route)
		rtnl_route_put(route);
	if (sk)
		nl_socket_free(sk);
	tproxy_remove();
	return -1;
}

void tproxy_remove(void)
{
	struct nl_sock *sk = rt_sock();
	int err;

	if (sk && route_done) {
		struct rtnl_route *route = make_route();

		err = route ? rtnl_route_delete(sk, route, 0) : -NLE_NOMEM;
		if (err < 0 && err != -NLE_OBJ_NOTFOUND)
			plh_log("Error: removing the route of table %u: %s",
				plh_opts.table, nl_geterror(err));
		rtnl_route_put(route);
	}
	if (sk && rule_done) {
		struct rtnl_rule *rule = make_rule();

		err = rule ? rtnl_rule_delete(sk, rule, 0) : -NLE_NOMEM;
		if (err < 0 && err != -NLE_OBJ_NOTFOUND)
			plh_log("Error: removing the rule fwmark 0x%x: %s",
				plh_opts.mark, nl_geterror(err));
		rtnl_rule_put(rule);
	}
	if (sk)
		nl_socket_free(sk);
	if (nft_done)
		nft_run("delete table ip " NFT_TABLE "\n", false);
	if (nft_done || rule_done || route_done)
		plh_log("removed: nft table, rule and route");
	nft_done = rule_done = route_done = false;
}
