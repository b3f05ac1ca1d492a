/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plctl flow: the live flows of interface endpoints, read from conntrack.
 *
 * A privlink flow is a conntrack entry whose original-direction zone is a
 * VPC's zone (the module puts a VPC's flows in its zone, ORIG direction only)
 * and whose original destination is an ENI address of that VPC:
 *
 *   orig:  consumer:port  -> ENI:port          (zone-orig = the VPC's zone)
 *   reply: target:tport   -> NLB node:nport    (after DNAT and SNAT)
 *
 * in either family: a flow keeps its family (an IPv6 flow to an ENI's IPv6
 * address, from its NLB node's IPv6 address to an IPv6 target).
 *
 * The pieces that need no kernel (the VPC/ENI table built from netlink
 * messages, the match of a conntrack entry against it, the printer) are
 * exposed here for the unit tests.
 */
#ifndef PLCTL_FLOW_H
#define PLCTL_FLOW_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/privlink.h>
#include <netlink/msg.h>

struct nf_conntrack;

struct flow_vpc {
	char name[PRIVLINK_NAME_MAX];
	uint16_t zone;
};

struct flow_eni {
	char endpoint[PRIVLINK_NAME_MAX];
	char vpc[PRIVLINK_NAME_MAX];
	int has4, has6;			/* which of its addresses it has */
	uint32_t addr;			/* network byte order */
	struct in6_addr addr6;
};

/* What the flows are matched against: the VPCs (zones) and their ENIs. */
struct flow_table {
	struct flow_vpc *vpcs;
	size_t nvpcs;
	struct flow_eni *enis;
	size_t nenis;
};

struct flow_addr {
	uint32_t addr;			/* IPv4, network byte order */
	struct in6_addr addr6;		/* IPv6 */
	uint16_t port;			/* host byte order */
};

struct flow {
	char endpoint[PRIVLINK_NAME_MAX];
	uint8_t family;			/* AF_INET (addr) or AF_INET6 (addr6) */
	uint8_t proto;			/* IPPROTO_TCP or IPPROTO_UDP */
	char state[16];			/* TCP state, or UDP's UNREPLIED/REPLIED/ASSURED */
	uint16_t zone;
	struct flow_addr consumer, eni, nlb, target;
};

/*
 * Add the VPC or ENI carried by a reply message (PRIVLINK_A_VPC with a zone,
 * or PRIVLINK_A_ENI) to @t.  0, or -1 when the message holds neither (or a
 * malformed one) or memory ran out.
 */
int flow_table_add_msg(struct flow_table *t, struct nl_msg *msg);
void flow_table_free(struct flow_table *t);
/* The ENI of the VPC whose zone is @zone at @addr, or NULL. */
const struct flow_eni *flow_table_lookup(const struct flow_table *t,
					 uint16_t zone, uint32_t addr);
/* The same for an IPv6 address. */
const struct flow_eni *flow_table_lookup6(const struct flow_table *t,
					  uint16_t zone,
					  const struct in6_addr *addr);

/* Fill @f from @ct when it is a privlink flow; 0, or -1 when it is not. */
int flow_from_ct(const struct flow_table *t, const struct nf_conntrack *ct,
		 struct flow *f);

/* qsort() order: endpoint, proto, family, consumer address and port. */
int flow_cmp(const void *a, const void *b);

/* One flow: a text line, or a JSON object (an array element). */
void flow_print(const struct flow *f);

int do_flow(int argc, char **argv);

#endif
