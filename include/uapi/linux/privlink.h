/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * privlink: PrivateLink-style endpoint NAT for Linux routers.
 *
 * This header is the whole protocol between the kernel module (privlink.ko)
 * and userspace (plctl).  It is a generic netlink family:
 *
 *   family name:      "privlink"       (PRIVLINK_GENL_NAME)
 *   family version:   1                (PRIVLINK_GENL_VERSION)
 *   multicast group:  "events"         (PRIVLINK_GENL_MCGRP_EVENTS)
 *   netns aware:      yes; every request acts on the network namespace of
 *                     the socket that sent it, and every namespace has its
 *                     own, independent configuration.
 *
 * The object model
 * ----------------
 * It mirrors AWS PrivateLink as its users know it:
 *
 *   az        an availability zone of this router: a name ("use1-az1") and a
 *             state, up or down.  Taking an AZ down is a zone failure.
 *   vpc       a network attached to the router: a name, the owner account
 *             (the "principal"), its IPv4 CIDR, its IPv6 prefix or both,
 *             the router interfaces (or a VRF device) its traffic arrives
 *             on, and its conntrack zone.
 *             Consumer VPCs may use overlapping or identical address space;
 *             the zone keeps their flows apart.  A VPC is routed by the
 *             main table, or by its VRF's when one of its interfaces is a
 *             VRF or a port of one; two VPCs whose CIDRs overlap may not be
 *             routed by the same table (VPC_ADD/VPC_SET fail with EEXIST).
 *   service   an endpoint service of a provider VPC: the IP address types
 *             it supports (IPv4, IPv6 or both), listeners
 *             (proto/port -> target port), one NLB node per AZ it serves
 *             with an address of each type (the source address its
 *             targets see), acceptance
 *             (auto or required), allowed principals, cross-zone load
 *             balancing and an idle timeout.
 *   target    a backend of a service: address (IPv4 or IPv6), port, AZ,
 *             weight, state.
 *   endpoint  an interface endpoint: consumer VPC + service + state + IP
 *             address type (ipv4, ipv6 or dualstack).
 *   eni       an endpoint's network interface in one AZ: an address of each
 *             family of its endpoint's IP address type, in the consumer
 *             VPC.  At most one per AZ per endpoint.
 *
 * Every object is named by a string of 1..PRIVLINK_NAME_MAX-1 ASCII
 * characters out of [A-Za-z0-9._:-], and so are accounts and principals
 * (a principal may also be "*").  Targets are named by their service,
 * address and port instead, ENIs by their endpoint and AZ (the address is
 * what ENI_ADD gives them, not what names them).  Endpoint and service names
 * default to AWS-style ids ("vpce-" / "vpce-svc-" and 17 hex digits) when
 * the add request has none.
 *
 * Requests
 * --------
 * Every request carries at most one object nest: PRIVLINK_A_AZ, _VPC,
 * _SERVICE, _TARGET, _ENDPOINT or _ENI, whose members are listed below.
 * Unknown attributes, wrong types, out-of-range values and over-long strings
 * are rejected (strict validation) with an extended ACK naming the attribute.
 *
 *   cmd                 object    needs        does
 *   GET_INFO            -         -            module version, hooks, counts
 *   AZ_ADD              AZ        NAME         new AZ (STATE default up)
 *   AZ_DEL              AZ        NAME         refused while anything uses it
 *   AZ_SET              AZ        NAME STATE   up/down
 *   AZ_GET              AZ        (NAME)       one, or dump all
 *   VPC_ADD             VPC       NAME ACCOUNT and CIDR_ADDR CIDR_PLEN
 *                                 and/or CIDR6_ADDR CIDR6_PLEN
 *                                 (IFACES) (ZONE: 1..65535, default the
 *                                 lowest free; 0 is the default zone)
 *   VPC_DEL             VPC       NAME         refused while services or
 *                                              endpoints use it
 *   VPC_SET             VPC       NAME + any of IFACES (replaces the
 *                                 interface list), CIDR_ADDR CIDR_PLEN,
 *                                 CIDR6_ADDR CIDR6_PLEN (the prefix of a
 *                                 family the VPC does not have yet)
 *   VPC_GET             VPC       (NAME)
 *   SERVICE_ADD         SERVICE   VPC LISTENERS NLB_NODES (NAME ACCEPTANCE
 *                                 PRINCIPALS CROSS_ZONE IDLE_TIMEOUT
 *                                 HEALTH_CHECK IP_TYPES)
 *   SERVICE_DEL         SERVICE   NAME         refused while endpoints exist;
 *                                              its targets go with it
 *   SERVICE_SET         SERVICE   NAME + any of ACCEPTANCE PRINCIPALS
 *                                 CROSS_ZONE IDLE_TIMEOUT HEALTH_CHECK
 *                                 (PRINCIPALS and HEALTH_CHECK are
 *                                 replaced as a whole)
 *   SERVICE_GET         SERVICE   (NAME)
 *   TARGET_ADD          TARGET    SERVICE ADDR|ADDR6 AZ (PORT WEIGHT STATE)
 *   TARGET_DEL          TARGET    SERVICE ADDR|ADDR6 (PORT)
 *   TARGET_SET          TARGET    SERVICE ADDR|ADDR6 (PORT) + WEIGHT and/or
 *                                 STATE,
 *                                 or HEALTH alone (a health checker's
 *                                 verdict; see "Health checks")
 *   TARGET_GET          TARGET    (SERVICE): dump, all or one service's
 *   ENDPOINT_ADD        ENDPOINT  VPC SERVICE (NAME ENIS MAX_FLOWS
 *                                 IP_TYPE)
 *   ENDPOINT_DEL        ENDPOINT  NAME         its ENIs go with it
 *   ENDPOINT_GET        ENDPOINT  (NAME)       replies include the ENIs
 *   ENDPOINT_ACCEPT     ENDPOINT  NAME         provider verb
 *   ENDPOINT_REJECT     ENDPOINT  NAME         provider verb
 *   ENI_ADD             ENI       ENDPOINT AZ ADDR and/or ADDR6 (those
 *                                 of the endpoint's IP_TYPE)
 *   ENI_DEL             ENI       ENDPOINT AZ
 *   ENI_GET             ENI       (ENDPOINT): dump
 *   SET_INFO            INFO      any of MAX_FLOWS HASH_KEY MAX_OBJECTS
 *   ENDPOINT_SET        ENDPOINT  NAME MAX_FLOWS
 *
 * (NAME) in a GET means: with it, a doit answering one object; without it
 * (NLM_F_DUMP), a dump of all of them.
 *
 * ADD, SET, ACCEPT and REJECT reply with the object as it is after the change,
 * in a message with the same command; DEL replies with a bare ACK.
 *
 * Permissions: every request that changes something needs CAP_NET_ADMIN in
 * the user namespace that owns the network namespace (GENL_UNS_ADMIN_PERM,
 * so a container root manages its own netns).  Reading (GET, dumps) is open
 * to everyone, as with rtnetlink, except the HASH_KEY.  Subscribing to the
 * "events" group needs CAP_NET_ADMIN over the netns too: events carry
 * accounts and principals of every tenant.  Writes run concurrently with
 * other generic netlink families (the family is parallel_ops): no request
 * holds a lock other subsystems need while it waits for a grace period or
 * walks the conntrack table - except deleting a namespace's last VPC,
 * which unhooks privlink and waits one grace period (for packets in
 * flight) under the namespace's own lock.
 *
 * Dumps: every namespace has a generation counter bumped by each change; a
 * dump that spans a change has NLM_F_DUMP_INTR set on its messages (see
 * genl_dump_check_consistent()) and must be retried.  plctl does.
 *
 * Events: every successful change is multicast to the "events" group of the
 * namespace, as a message whose command is the request's (AZ_SET for an AZ
 * going down, ENDPOINT_ACCEPT for an acceptance, ...) and whose payload is the
 * object after the change; for *_DEL, the object as it was (an endpoint then
 * says PRIVLINK_ENDPOINT_DELETING).  SET_INFO's event carries the INFO nest
 * as GET_INFO answers it, without the HASH_KEY (a change of the key alone is
 * an event too, whose payload does not show it).  Deleting a service or
 * endpoint sends one event for each target or ENI that goes with it, before
 * the object's own.  These are AWS's "connection notifications".  Changes
 * the module makes on its own are no events: an interface that disappears
 * leaves its VPC silently (see Semantics).
 *
 * Semantics
 * ---------
 * - Endpoint creation: refused with EACCES unless the consumer VPC's account
 *   is among the service's PRINCIPALS (or they contain "*"); otherwise the
 *   endpoint starts AVAILABLE when ACCEPTANCE is AUTO and PENDING_ACCEPTANCE
 *   when it is REQUIRED.  ACCEPT moves PENDING_ACCEPTANCE or REJECTED to
 *   AVAILABLE; REJECT moves PENDING_ACCEPTANCE or AVAILABLE to REJECTED (an
 *   available endpoint then takes no new flows).
 * - ENIs: the AZ must be one the service serves (it has an NLB node there);
 *   an IPv4 address must lie inside the consumer VPC's CIDR (not its network
 *   or broadcast address), an IPv6 address inside its IPv6 prefix (not the
 *   prefix's first address, the subnet-router anycast address); either must
 *   be unused by other ENIs of that VPC.  The router answers ARP (IPv4) and
 *   neighbour solicitations (IPv6) for ENI addresses on the consumer VPC's
 *   interfaces itself: no address, proxy-ARP or proxy-NDP configuration is
 *   needed.
 * - NLB node and target addresses must lie inside the provider VPC's CIDR
 *   or IPv6 prefix, as their family says; targets must be in an AZ the
 *   service serves.
 * - Limits: an endpoint's MAX_FLOWS and the namespace's INFO MAX_FLOWS
 *   bound the live flows (counted with the kernel's nf_conncount, as
 *   connlimit does); a new flow beyond a limit is dropped and counted
 *   (DROP_LIMIT) instead of filling the conntrack table.  Lowering a limit
 *   ends no flow.  A flow that nf_nat cannot bind (e.g. the NLB node's source
 *   ports towards one target are exhausted) is dropped, counted in
 *   DROP_NAT_FAILED and logged (rate-limited).
 * - Deleting an AZ is refused while services have NLB nodes, targets or ENIs
 *   in it.  Deleting a VPC is refused while it has services or endpoints;
 *   a VPC deleted ends every conntrack entry of its zone (translated or
 *   not), so that none is taken for a flow of the next VPC given the zone.
 * - An interface belongs to at most one VPC; an interface that disappears is
 *   dropped from its VPC (an AZ/VPC/... event is not sent for that).
 *
 * Dual stack
 * ----------
 * IPv4 and IPv6 are two independent address families of one model, as in
 * AWS:
 * - A VPC has an IPv4 CIDR (CIDR_ADDR/CIDR_PLEN), an IPv6 prefix
 *   (CIDR6_ADDR/CIDR6_PLEN) or both.  Its families are those it has.
 *   VPC_SET can give it the prefix of a family it lacks (AWS's "associate
 *   an IPv6 CIDR block with a VPC": an IPv4 VPC becomes dual stack while
 *   its endpoints and services, and their flows, go on); a prefix it has
 *   cannot change or go (EEXIST: its ENIs, NLB nodes and targets were
 *   checked against it), nor can ACCOUNT or ZONE (EOPNOTSUPP).  A prefix
 *   given by VPC_SET is checked as at VPC_ADD (no host bits, a global or
 *   unique local IPv6 prefix, no overlap with another VPC routed by the
 *   same table: EEXIST).  Only requests read a VPC's prefixes, never a
 *   packet: the new family serves the objects created after it.
 * - A service supports the IP_TYPES PRIVLINK_IP_V4, PRIVLINK_IP_V6 or both
 *   (PRIVLINK_IP_DUALSTACK); each must be a family of its provider VPC,
 *   and every NLB node has an address of each (ADDR, ADDR6) and of no other
 *   family.  Without IP_TYPES, SERVICE_ADD takes the families its NLB nodes
 *   have (all alike).  Fixed at SERVICE_ADD, as its NLB nodes are.
 * - A target is IPv4 (ADDR) or IPv6 (ADDR6), of a family the service
 *   supports.  Each family's targets are a pool of their own: a flow goes
 *   to a target of its own family, chosen among that family's targets by
 *   the rules of "Target selection" (zonal, cross-zone, fail-open), as if
 *   the two families were two target groups.
 * - An endpoint's IP_TYPE is PRIVLINK_IP_V4, PRIVLINK_IP_V6 or
 *   PRIVLINK_IP_DUALSTACK; it must be supported by the service and be a
 *   family (or both) of the consumer VPC (EINVAL otherwise, with a message
 *   naming which).  Default: IPv4 when the service and the VPC both have
 *   it, else IPv6.  Every ENI of the endpoint has exactly the addresses of
 *   its IP_TYPE: AWS's A and AAAA records.
 * - A flow keeps its family: an IPv4 flow to an ENI's IPv4 address goes to
 *   an IPv4 target from the NLB node's IPv4 address, an IPv6 flow to its
 *   IPv6 address to an IPv6 target from the node's IPv6 address; there is
 *   no translation between families.  A flow whose family has no target
 *   is dropped (DROP_NO_TARGET).
 * - Both families use the same conntrack zones, counters, limits (a
 *   MAX_FLOWS counts the flows of both) and isolation rules.
 *
 * Isolation
 * ---------
 * A consumer VPC reaches the listeners of its own endpoints and nothing else,
 * and a provider VPC can only answer.  The module enforces, in every netns
 * that has a VPC (Documentation/architecture.md has the threat model):
 * - Between two different VPCs only privlink's flows pass, and each of their
 *   packets only from the side it belongs to: the original direction from
 *   the flow's consumer VPC (its interfaces or VRF), the reply direction from
 *   the service's provider VPC.  Everything else that would cross from one
 *   VPC to another is dropped: new flows not to an ENI, packets conntrack
 *   leaves untracked or judges invalid, ICMP and ICMPv6 of any type not
 *   related to a privlink flow, in both families.  Counted in
 *   DROP_WRONG_VPC.
 * - A packet of a privlink flow that arrives from anywhere else (another
 *   VPC, an interface of no VPC) is dropped; one that would be taken for a
 *   reply (addressed to an NLB node and matching a live flow's reply tuple)
 *   is dropped before conntrack sees it, so it cannot change the flow's
 *   state.  Counted in DROP_SPOOFED.
 * - Interfaces that belong to no VPC are routed as before: traffic between
 *   them, and between them and a VPC, is the router operator's business
 *   (filter it with nftables as on any router), except for the two rules
 *   above.
 * - NLB node addresses are unique in a netns: replies of all providers share
 *   one address space (the default conntrack zone).
 *
 * Stray packets
 * -------------
 * ENI and NLB node addresses belong to no host: the router answers ARP and
 * neighbour solicitations for them and translates the flows privlink
 * binds, and nothing else.  A packet
 * routed through the router to an ENI address, from the ENI's own consumer
 * VPC, or to an NLB node address, from the node's provider VPC, that is no
 * privlink flow's is dropped and counted in DROP_INVALID (and, for an ENI,
 * in its endpoint's and its own DROPS) before it is routed: not sent back
 * into the VPC towards an address nobody answers for, and not answered with
 * an ICMP redirect.  Replies to connections the router opened itself from
 * an NLB node address (a health checker's probes) are not stray.  These are the packets
 * conntrack judges invalid and leaves untracked - TCP flag sets no TCP
 * sends (SYN+FIN, none, ...), segments outside the window of a live
 * connection, truncated TCP/UDP/ICMP headers, bad TCP/UDP checksums
 * (net.netfilter.nf_conntrack_checksum), ICMP errors that quote no flow or
 * quote a flow as the other side sees it - and packets of conntrack entries
 * that privlink did not translate.  What the kernel drops before netfilter
 * is counted by the kernel (IpExt InTruncatedPkts, InCsumErrors,
 * ReasmOverlaps in /proc/net/netstat).  From an interface of no VPC the
 * addresses are routed as before (see Isolation).
 *
 * Health checks
 * -------------
 * A target's STATE says whether it takes new flows: HEALTHY ones do,
 * UNHEALTHY and DRAINING ones do not (but see fail-open below).  Without a
 * health check (HEALTH_CHECK's PROTO is NONE, the default) STATE is what the
 * operator last set.  With one, a checker (plhealthd, or anything holding
 * CAP_NET_ADMIN) probes every target as an NLB does - from the NLB node
 * address of the target's AZ, to the check PORT (0: the traffic port, i.e.
 * the target's PORT, else the first listener's target port), every INTERVAL
 * seconds, failing a probe after TIMEOUT - and reports its verdict with
 * TARGET_SET's HEALTH nest once HEALTHY_THRESHOLD consecutive probes passed
 * or UNHEALTHY_THRESHOLD consecutive probes failed, whenever the last
 * probe's result or reason changes, and when a target that is not DRAINING
 * has a STATE other than its verdict.  The module keeps the verdict in the
 * target (TARGET_GET shows it as HEALTH) and, unless the target is
 * DRAINING, sets STATE to it (HEALTHY or UNHEALTHY; INITIAL changes
 * nothing).  Draining is the operator's alone: a verdict never ends it and
 * never starts it; setting STATE back to HEALTHY hands the target back to
 * the checker, whose next verdict applies.
 * - A target added to a service that has a check, without a STATE, starts
 *   UNHEALTHY with HEALTH INITIAL, as an NLB's target does until it passed
 *   HEALTHY_THRESHOLD probes.
 * - Setting HEALTH_CHECK (SERVICE_ADD/SET) resets every target's HEALTH to
 *   INITIAL and leaves their STATE alone; PROTO NONE removes it (targets
 *   keep their last STATE).  HEALTH on a service without a check is
 *   refused (EINVAL).
 * - Fail-open: when no target of a flow's pool is HEALTHY, new flows go to
 *   every non-DRAINING target of the pool, healthy or not (AWS NLB's "fail
 *   open" when all targets are unhealthy); see plctl(8) "TARGET SELECTION".
 * Defaults are AWS's for a network load balancer's target group: TCP
 * checks, traffic port, path "/", codes "200-399", interval 30 s, timeout
 * 10 s, thresholds 5 (healthy) and 2 (unhealthy).  privlink also allows
 * intervals below AWS's 5 s, down to 1 s.  TIMEOUT may not exceed
 * INTERVAL.
 *
 * Target selection
 * ----------------
 * A new flow's target is chosen by weighted rendezvous hashing of the flow's
 * addresses, ports, protocol and consumer zone, keyed with the namespace's
 * secret HASH_KEY (SipHash), so that a consumer cannot choose a target by
 * choosing its source port.  Routers that share a HASH_KEY (an HA pair: plctl
 * save carries it) and a configuration pick the same target for the same
 * flow.  Changing the key moves no existing flow.
 *
 * Limits
 * ------
 * Each netns holds at most MAX_OBJECTS configuration objects (default
 * PRIVLINK_MAX_OBJECTS_DEFAULT, or the module parameter max_objects); an ADD
 * beyond it fails with ENOSPC.  Lowering the limit needs CAP_NET_ADMIN over
 * the netns; raising it needs CAP_NET_ADMIN in the initial user namespace
 * (the host's administrator), so a container's root cannot lift it.  Object
 * memory is charged to the memory cgroup of the task that creates it.
 *
 * Errors
 * ------
 * Every error carries an extended ACK message (NLMSGERR_ATTR_MSG) written for
 * humans, and plctl prints it verbatim.  Common errnos: ENOENT (no such
 * object), EEXIST (duplicate name or address), EBUSY (object in use),
 * EACCES (principal not allowed), EINVAL (inconsistent request), EPERM (not
 * CAP_NET_ADMIN), ENOSPC (a limit below was reached).
 */
#ifndef _UAPI_LINUX_PRIVLINK_H
#define _UAPI_LINUX_PRIVLINK_H

/*
 * The release of privlink: the module reports it (GET_INFO's VERSION,
 * modinfo) and plctl prints it (plctl -V, plctl version); both are built
 * from this one definition.
 */
#define PRIVLINK_RELEASE		"0.2.0"

#define PRIVLINK_GENL_NAME		"privlink"
#define PRIVLINK_GENL_VERSION		1
#define PRIVLINK_GENL_MCGRP_EVENTS	"events"

#define PRIVLINK_NAME_MAX		64	/* incl. the NUL */
#define PRIVLINK_MAX_AZS		32	/* per netns */
#define PRIVLINK_MAX_IFACES		16	/* per VPC */
#define PRIVLINK_VPC_PLEN_MIN		8	/* shortest VPC prefix */
#define PRIVLINK_VPC_PLEN6_MIN		8	/* shortest IPv6 VPC prefix */
#define PRIVLINK_ADDR6_LEN		16	/* an IPv6 address attribute:
						 * struct in6_addr, network
						 * byte order
						 */
#define PRIVLINK_MAX_LISTENERS		16	/* per service */
#define PRIVLINK_MAX_PRINCIPALS		64	/* per service */
#define PRIVLINK_MAX_TARGETS		1024	/* per service */
#define PRIVLINK_MAX_WEIGHT		100
#define PRIVLINK_IDLE_TIMEOUT_DEFAULT	350	/* seconds, as AWS NLB (TCP) */
#define PRIVLINK_IDLE_TIMEOUT_MIN	10
#define PRIVLINK_IDLE_TIMEOUT_MAX	86400
#define PRIVLINK_HASH_KEY_LEN		16	/* bytes: a SipHash key */
#define PRIVLINK_MAX_OBJECTS_DEFAULT	1000000	/* per netns */

/*
 * IP address types (see "Dual stack"): a bit per family.  A service's
 * IP_TYPES and an endpoint's IP_TYPE take one of the three values.
 */
enum privlink_ip_type {
	PRIVLINK_IP_V4 = 1,
	PRIVLINK_IP_V6 = 2,
	PRIVLINK_IP_DUALSTACK = PRIVLINK_IP_V4 | PRIVLINK_IP_V6,
};

enum privlink_cmd {
	PRIVLINK_CMD_UNSPEC,
	PRIVLINK_CMD_GET_INFO,
	PRIVLINK_CMD_AZ_ADD,
	PRIVLINK_CMD_AZ_DEL,
	PRIVLINK_CMD_AZ_SET,
	PRIVLINK_CMD_AZ_GET,
	PRIVLINK_CMD_VPC_ADD,
	PRIVLINK_CMD_VPC_DEL,
	PRIVLINK_CMD_VPC_SET,
	PRIVLINK_CMD_VPC_GET,
	PRIVLINK_CMD_SERVICE_ADD,
	PRIVLINK_CMD_SERVICE_DEL,
	PRIVLINK_CMD_SERVICE_SET,
	PRIVLINK_CMD_SERVICE_GET,
	PRIVLINK_CMD_TARGET_ADD,
	PRIVLINK_CMD_TARGET_DEL,
	PRIVLINK_CMD_TARGET_SET,
	PRIVLINK_CMD_TARGET_GET,
	PRIVLINK_CMD_ENDPOINT_ADD,
	PRIVLINK_CMD_ENDPOINT_DEL,
	PRIVLINK_CMD_ENDPOINT_GET,
	PRIVLINK_CMD_ENDPOINT_ACCEPT,
	PRIVLINK_CMD_ENDPOINT_REJECT,
	PRIVLINK_CMD_ENI_ADD,
	PRIVLINK_CMD_ENI_DEL,
	PRIVLINK_CMD_ENI_GET,
	PRIVLINK_CMD_SET_INFO,
	PRIVLINK_CMD_ENDPOINT_SET,
	__PRIVLINK_CMD_MAX
};

#define PRIVLINK_CMD_MAX (__PRIVLINK_CMD_MAX - 1)

/* Top-level attributes: one object nest per message. */
enum privlink_attr {
	PRIVLINK_A_UNSPEC,
	PRIVLINK_A_INFO,		/* nest, enum privlink_info_attr */
	PRIVLINK_A_AZ,			/* nest, enum privlink_az_attr */
	PRIVLINK_A_VPC,			/* nest, enum privlink_vpc_attr */
	PRIVLINK_A_SERVICE,		/* nest, enum privlink_service_attr */
	PRIVLINK_A_TARGET,		/* nest, enum privlink_target_attr */
	PRIVLINK_A_ENDPOINT,		/* nest, enum privlink_endpoint_attr */
	PRIVLINK_A_ENI,			/* nest, enum privlink_eni_attr */
	__PRIVLINK_A_MAX
};

#define PRIVLINK_A_MAX (__PRIVLINK_A_MAX - 1)

enum privlink_info_attr {
	PRIVLINK_INFO_A_UNSPEC,
	PRIVLINK_INFO_A_VERSION,	/* string: the module's version,
					 * PRIVLINK_RELEASE
					 */
	PRIVLINK_INFO_A_HOOKS,		/* u8: 1 when hooks are registered here */
	PRIVLINK_INFO_A_GENERATION,	/* u32: this netns's config generation */
	PRIVLINK_INFO_A_AZS,		/* u32: number of AZs in this netns */
	PRIVLINK_INFO_A_VPCS,		/* u32 */
	PRIVLINK_INFO_A_SERVICES,	/* u32 */
	PRIVLINK_INFO_A_TARGETS,	/* u32 */
	PRIVLINK_INFO_A_ENDPOINTS,	/* u32 */
	PRIVLINK_INFO_A_ENIS,		/* u32 */
	PRIVLINK_INFO_A_OBJECTS_LIVE,	/* u64: objects allocated, module-wide,
					 * not yet freed (leak check)
					 */
	PRIVLINK_INFO_A_STATS,		/* nest, enum privlink_stats_attr */
	PRIVLINK_INFO_A_MAX_FLOWS,	/* u32: live privlink flows allowed in
					 * this netns, 0 (default) = no limit
					 */
	PRIVLINK_INFO_A_HASH_KEY,	/* binary, PRIVLINK_HASH_KEY_LEN bytes:
					 * the secret key of target selection
					 * (see "Target selection" above);
					 * random at the namespace's creation.
					 * Only callers with CAP_NET_ADMIN over
					 * the netns see it in GET_INFO.
					 */
	PRIVLINK_INFO_A_MAX_OBJECTS,	/* u32: configuration objects (AZs,
					 * VPCs, services, targets, endpoints,
					 * ENIs) allowed in this netns; see
					 * "Limits" above
					 */
	__PRIVLINK_INFO_A_MAX
};

#define PRIVLINK_INFO_A_MAX (__PRIVLINK_INFO_A_MAX - 1)

/* Packet-path counters of a netns (u64 each, summed over CPUs). */
enum privlink_stats_attr {
	PRIVLINK_STATS_A_UNSPEC,
	PRIVLINK_STATS_A_PAD,
	PRIVLINK_STATS_A_NEW_FLOWS,	/* flows translated to a target */
	PRIVLINK_STATS_A_DROP_NOT_ACCEPTED, /* endpoint not available */
	PRIVLINK_STATS_A_DROP_NO_LISTENER, /* port is no listener: RST/ICMP */
	PRIVLINK_STATS_A_DROP_NO_TARGET, /* no target could take the flow */
	PRIVLINK_STATS_A_DROP_AZ_DOWN,	/* the ENI's AZ is down */
	PRIVLINK_STATS_A_DROP_WRONG_VPC, /* a packet between two VPCs that is
					  * not of a privlink flow: new flows
					  * not to an ENI, untracked and
					  * invalid packets, ICMP (no peering;
					  * see "Isolation"), both families
					  */
	PRIVLINK_STATS_A_DROP_NAT_FAILED, /* nf_nat could not bind the flow */
	PRIVLINK_STATS_A_ARP_REPLIES,	/* ARP requests answered for ENIs
					 * and NLB nodes
					 */
	PRIVLINK_STATS_A_DROP_LIMIT,	/* a max-flows limit was reached */
	PRIVLINK_STATS_A_DROP_SPOOFED,	/* a packet of a privlink flow (or
					 * posing as a reply of one) that
					 * arrived from where it does not
					 * belong (see "Isolation")
					 */
	PRIVLINK_STATS_A_DROP_INVALID,	/* a packet to an ENI or NLB node
					 * address, from that address's VPC,
					 * that is no privlink flow's:
					 * conntrack judged it invalid or
					 * left it untracked (see "Stray
					 * packets")
					 */
	PRIVLINK_STATS_A_ND_REPLIES,	/* IPv6 neighbour solicitations
					 * answered for ENIs and NLB nodes
					 */
	__PRIVLINK_STATS_A_MAX
};

#define PRIVLINK_STATS_A_MAX (__PRIVLINK_STATS_A_MAX - 1)

/*
 * Counters of one endpoint, ENI or target (u64 each, summed over CPUs, from
 * the object's creation).
 *
 * PACKETS and BYTES count every packet of the object's flows that the router
 * forwards, both directions, measured in FORWARD as IP packets (IP header
 * included; a GRO super-packet counts once), as conntrack accounting does: an
 * endpoint's BYTES equal the sum of its flows' "bytes=" in `conntrack -L`
 * with nf_conntrack_acct on.  ICMP errors about a flow are not counted.
 * With the fast path (module parameter fastpath=1) packets that nf_flow_table
 * forwards bypass FORWARD and are not counted here; conntrack accounting
 * still counts them per flow.
 */
enum privlink_obj_stats_attr {
	PRIVLINK_OBJ_STATS_A_UNSPEC,
	PRIVLINK_OBJ_STATS_A_PAD,
	PRIVLINK_OBJ_STATS_A_NEW_FLOWS,	/* flows translated */
	PRIVLINK_OBJ_STATS_A_DROPS,	/* new flows refused.  Endpoint, ENI:
					 * not accepted, no listener, no
					 * target, AZ down, limit, NAT failed;
					 * target: NAT failed (no free source
					 * port on the NLB node towards it)
					 */
	PRIVLINK_OBJ_STATS_A_PACKETS,	/* packets of its flows, forwarded */
	PRIVLINK_OBJ_STATS_A_BYTES,	/* their bytes (IP length) */
	__PRIVLINK_OBJ_STATS_A_MAX
};

#define PRIVLINK_OBJ_STATS_A_MAX (__PRIVLINK_OBJ_STATS_A_MAX - 1)

enum privlink_az_state {
	PRIVLINK_AZ_UP,
	PRIVLINK_AZ_DOWN,
};

enum privlink_az_attr {
	PRIVLINK_AZ_A_UNSPEC,
	PRIVLINK_AZ_A_NAME,		/* string */
	PRIVLINK_AZ_A_STATE,		/* u8, enum privlink_az_state */
	__PRIVLINK_AZ_A_MAX
};

#define PRIVLINK_AZ_A_MAX (__PRIVLINK_AZ_A_MAX - 1)

enum privlink_vpc_attr {
	PRIVLINK_VPC_A_UNSPEC,
	PRIVLINK_VPC_A_NAME,		/* string */
	PRIVLINK_VPC_A_ACCOUNT,		/* string: owner, the principal */
	PRIVLINK_VPC_A_CIDR_ADDR,	/* be32: IPv4 network address; with
					 * CIDR_PLEN, absent from an IPv6-only
					 * VPC
					 */
	PRIVLINK_VPC_A_CIDR_PLEN,	/* u8: prefix length,
					 * PRIVLINK_VPC_PLEN_MIN..32
					 */
	PRIVLINK_VPC_A_IFACES,		/* nest of PRIVLINK_VPC_A_IFINDEX */
	PRIVLINK_VPC_A_IFINDEX,		/* u32, only inside IFACES; an interface,
					 * a VRF device or a VRF's port of this
					 * netns
					 */
	PRIVLINK_VPC_A_ZONE,		/* u16: conntrack zone of its flows */
	PRIVLINK_VPC_A_CIDR6_ADDR,	/* binary, PRIVLINK_ADDR6_LEN: IPv6
					 * prefix (no host bits), global
					 * unicast (2000::/3) or unique
					 * local (fc00::/7)
					 */
	PRIVLINK_VPC_A_CIDR6_PLEN,	/* u8: PRIVLINK_VPC_PLEN6_MIN..128 */
	__PRIVLINK_VPC_A_MAX
};

#define PRIVLINK_VPC_A_MAX (__PRIVLINK_VPC_A_MAX - 1)

enum privlink_acceptance {
	PRIVLINK_ACCEPTANCE_AUTO,
	PRIVLINK_ACCEPTANCE_REQUIRED,
};

enum privlink_service_attr {
	PRIVLINK_SERVICE_A_UNSPEC,
	PRIVLINK_SERVICE_A_NAME,	/* string */
	PRIVLINK_SERVICE_A_VPC,		/* string: the provider VPC */
	PRIVLINK_SERVICE_A_LISTENERS,	/* nest of PRIVLINK_SERVICE_A_LISTENER */
	PRIVLINK_SERVICE_A_LISTENER,	/* nest, enum privlink_listener_attr */
	PRIVLINK_SERVICE_A_NLB_NODES,	/* nest of PRIVLINK_SERVICE_A_NLB_NODE */
	PRIVLINK_SERVICE_A_NLB_NODE,	/* nest, enum privlink_nlb_node_attr */
	PRIVLINK_SERVICE_A_ACCEPTANCE,	/* u8, enum privlink_acceptance;
					 * default REQUIRED, as AWS
					 */
	PRIVLINK_SERVICE_A_PRINCIPALS,	/* nest of PRIVLINK_SERVICE_A_PRINCIPAL;
					 * default: none allowed
					 */
	PRIVLINK_SERVICE_A_PRINCIPAL,	/* string: an account, or "*" */
	PRIVLINK_SERVICE_A_CROSS_ZONE,	/* u8: 0 off (default), 1 on */
	PRIVLINK_SERVICE_A_IDLE_TIMEOUT, /* u32: seconds */
	PRIVLINK_SERVICE_A_ENDPOINTS,	/* u32, read-only: endpoints using it */
	PRIVLINK_SERVICE_A_HEALTH_CHECK, /* nest, enum privlink_check_attr:
					  * how its targets are checked;
					  * members left out take the defaults.
					  * GET shows it (all members) only
					  * when PROTO is not NONE
					  */
	PRIVLINK_SERVICE_A_IP_TYPES,	/* u8, enum privlink_ip_type: the
					 * families it supports; default
					 * those of its NLB nodes
					 */
	__PRIVLINK_SERVICE_A_MAX
};

#define PRIVLINK_SERVICE_A_MAX (__PRIVLINK_SERVICE_A_MAX - 1)

/* Health checks of a service's targets; see "Health checks" above. */
enum privlink_check_proto {
	PRIVLINK_CHECK_NONE,		/* no check: STATE is the operator's */
	PRIVLINK_CHECK_TCP,		/* a TCP handshake completes */
	PRIVLINK_CHECK_HTTP,		/* GET PATH answers with one of CODES */
};

#define PRIVLINK_CHECK_PATH_MAX		1024	/* incl. the NUL, as AWS */
#define PRIVLINK_CHECK_CODES_MAX	64	/* incl. the NUL */
#define PRIVLINK_CHECK_PATH_DEFAULT	"/"
#define PRIVLINK_CHECK_CODES_DEFAULT	"200-399"
#define PRIVLINK_CHECK_INTERVAL_DEFAULT	30	/* seconds */
#define PRIVLINK_CHECK_INTERVAL_MAX	300
#define PRIVLINK_CHECK_TIMEOUT_DEFAULT	10	/* seconds */
#define PRIVLINK_CHECK_TIMEOUT_MAX	120
#define PRIVLINK_CHECK_HEALTHY_DEFAULT	5	/* consecutive probes */
#define PRIVLINK_CHECK_UNHEALTHY_DEFAULT 2
#define PRIVLINK_CHECK_THRESHOLD_MIN	2
#define PRIVLINK_CHECK_THRESHOLD_MAX	10

enum privlink_check_attr {
	PRIVLINK_CHECK_A_UNSPEC,
	PRIVLINK_CHECK_A_PROTO,		/* u8, enum privlink_check_proto */
	PRIVLINK_CHECK_A_PORT,		/* u16: 0 (default) = traffic port */
	PRIVLINK_CHECK_A_PATH,		/* string (HTTP): 1..1023 printable
					 * ASCII characters without spaces,
					 * starting with '/'
					 */
	PRIVLINK_CHECK_A_CODES,		/* string (HTTP): the status codes
					 * that pass, as AWS's matcher: codes
					 * and ranges 200..599, comma
					 * separated, e.g. "200,202-299"
					 */
	PRIVLINK_CHECK_A_INTERVAL,	/* u16: seconds, 1..INTERVAL_MAX */
	PRIVLINK_CHECK_A_TIMEOUT,	/* u16: seconds, 1..TIMEOUT_MAX and
					 * not above INTERVAL
					 */
	PRIVLINK_CHECK_A_HEALTHY,	/* u8: consecutive passed probes that
					 * make a target healthy,
					 * THRESHOLD_MIN..THRESHOLD_MAX
					 */
	PRIVLINK_CHECK_A_UNHEALTHY,	/* u8: consecutive failed probes that
					 * make it unhealthy, same range
					 */
	__PRIVLINK_CHECK_A_MAX
};

#define PRIVLINK_CHECK_A_MAX (__PRIVLINK_CHECK_A_MAX - 1)

enum privlink_listener_attr {
	PRIVLINK_LISTENER_A_UNSPEC,
	PRIVLINK_LISTENER_A_PROTO,	/* u8: IPPROTO_TCP or IPPROTO_UDP */
	PRIVLINK_LISTENER_A_PORT,	/* u16: port on the ENI */
	PRIVLINK_LISTENER_A_TARGET_PORT, /* u16: default PORT */
	__PRIVLINK_LISTENER_A_MAX
};

#define PRIVLINK_LISTENER_A_MAX (__PRIVLINK_LISTENER_A_MAX - 1)

enum privlink_nlb_node_attr {
	PRIVLINK_NLB_NODE_A_UNSPEC,
	PRIVLINK_NLB_NODE_A_AZ,		/* string */
	PRIVLINK_NLB_NODE_A_ADDR,	/* be32, inside the provider VPC's
					 * CIDR; iff the service supports IPv4
					 */
	PRIVLINK_NLB_NODE_A_ADDR6,	/* binary, PRIVLINK_ADDR6_LEN: inside
					 * its IPv6 prefix; iff the service
					 * supports IPv6
					 */
	__PRIVLINK_NLB_NODE_A_MAX
};

#define PRIVLINK_NLB_NODE_A_MAX (__PRIVLINK_NLB_NODE_A_MAX - 1)

enum privlink_target_state {
	PRIVLINK_TARGET_HEALTHY,
	PRIVLINK_TARGET_UNHEALTHY,
	PRIVLINK_TARGET_DRAINING,
};

enum privlink_target_attr {
	PRIVLINK_TARGET_A_UNSPEC,
	PRIVLINK_TARGET_A_SERVICE,	/* string */
	PRIVLINK_TARGET_A_ADDR,		/* be32, inside the provider VPC's
					 * CIDR; or ADDR6, not both
					 */
	PRIVLINK_TARGET_A_PORT,		/* u16: 0 (default) = the listener's
					 * target port
					 */
	PRIVLINK_TARGET_A_AZ,		/* string */
	PRIVLINK_TARGET_A_WEIGHT,	/* u16: 1..PRIVLINK_MAX_WEIGHT, default 1 */
	PRIVLINK_TARGET_A_STATE,	/* u8, enum privlink_target_state;
					 * default HEALTHY
					 */
	PRIVLINK_TARGET_A_STATS,	/* nest, enum privlink_obj_stats_attr;
					 * read-only
					 */
	PRIVLINK_TARGET_A_HEALTH,	/* nest, enum privlink_health_attr: the
					 * checker's verdict; GET shows it when
					 * the service has a check
					 */
	PRIVLINK_TARGET_A_ADDR6,	/* binary, PRIVLINK_ADDR6_LEN: an IPv6
					 * target, inside the provider VPC's
					 * IPv6 prefix
					 */
	__PRIVLINK_TARGET_A_MAX
};

#define PRIVLINK_TARGET_A_MAX (__PRIVLINK_TARGET_A_MAX - 1)

enum privlink_health_state {
	PRIVLINK_HEALTH_INITIAL,	/* no verdict yet */
	PRIVLINK_HEALTH_HEALTHY,
	PRIVLINK_HEALTH_UNHEALTHY,
};

/* Why the last probe failed (AWS's target health reason codes). */
enum privlink_health_reason {
	PRIVLINK_HEALTH_R_PASSED,	/* the last probe passed */
	PRIVLINK_HEALTH_R_INITIAL,	/* no probe answered yet */
	PRIVLINK_HEALTH_R_TIMEOUT,	/* no answer within TIMEOUT */
	PRIVLINK_HEALTH_R_REFUSED,	/* connection refused or reset */
	PRIVLINK_HEALTH_R_UNREACHABLE,	/* no route, host unreachable */
	PRIVLINK_HEALTH_R_CODE_MISMATCH, /* HTTP status not among CODES */
	PRIVLINK_HEALTH_R_BAD_RESPONSE,	/* not an HTTP response */
	PRIVLINK_HEALTH_R_ERROR,	/* the checker could not probe */
};

enum privlink_health_attr {
	PRIVLINK_HEALTH_A_UNSPEC,
	PRIVLINK_HEALTH_A_STATE,	/* u8, enum privlink_health_state */
	PRIVLINK_HEALTH_A_REASON,	/* u8, enum privlink_health_reason:
					 * of the last probe
					 */
	PRIVLINK_HEALTH_A_CODE,		/* u16: the last HTTP status, 0 none */
	__PRIVLINK_HEALTH_A_MAX
};

#define PRIVLINK_HEALTH_A_MAX (__PRIVLINK_HEALTH_A_MAX - 1)

enum privlink_endpoint_state {
	PRIVLINK_ENDPOINT_PENDING_ACCEPTANCE,
	PRIVLINK_ENDPOINT_AVAILABLE,
	PRIVLINK_ENDPOINT_REJECTED,
	PRIVLINK_ENDPOINT_DELETING,
};

enum privlink_endpoint_attr {
	PRIVLINK_ENDPOINT_A_UNSPEC,
	PRIVLINK_ENDPOINT_A_NAME,	/* string */
	PRIVLINK_ENDPOINT_A_VPC,	/* string: the consumer VPC */
	PRIVLINK_ENDPOINT_A_SERVICE,	/* string */
	PRIVLINK_ENDPOINT_A_STATE,	/* u8, enum privlink_endpoint_state;
					 * read-only
					 */
	PRIVLINK_ENDPOINT_A_ACCOUNT,	/* string, read-only: the consumer */
	PRIVLINK_ENDPOINT_A_ENIS,	/* nest of PRIVLINK_ENDPOINT_A_ENI */
	PRIVLINK_ENDPOINT_A_ENI,	/* nest, enum privlink_eni_attr (in ADD
					 * requests: AZ, ADDR and ADDR6 only)
					 */
	PRIVLINK_ENDPOINT_A_MAX_FLOWS,	/* u32: live flows allowed through
					 * this endpoint, 0 (default) = no limit
					 */
	PRIVLINK_ENDPOINT_A_STATS,	/* nest, enum privlink_obj_stats_attr;
					 * read-only
					 */
	PRIVLINK_ENDPOINT_A_IP_TYPE,	/* u8, enum privlink_ip_type; see
					 * "Dual stack" for the default
					 */
	__PRIVLINK_ENDPOINT_A_MAX
};

#define PRIVLINK_ENDPOINT_A_MAX (__PRIVLINK_ENDPOINT_A_MAX - 1)

enum privlink_eni_attr {
	PRIVLINK_ENI_A_UNSPEC,
	PRIVLINK_ENI_A_ENDPOINT,	/* string */
	PRIVLINK_ENI_A_AZ,		/* string */
	PRIVLINK_ENI_A_ADDR,		/* be32, inside the consumer VPC's
					 * CIDR: an IPv4 or dualstack
					 * endpoint's ENI
					 */
	PRIVLINK_ENI_A_VPC,		/* string, read-only */
	PRIVLINK_ENI_A_STATS,		/* nest, enum privlink_obj_stats_attr;
					 * read-only
					 */
	PRIVLINK_ENI_A_ADDR6,		/* binary, PRIVLINK_ADDR6_LEN, inside
					 * the consumer VPC's IPv6 prefix: an
					 * IPv6 or dualstack endpoint's ENI
					 */
	__PRIVLINK_ENI_A_MAX
};

#define PRIVLINK_ENI_A_MAX (__PRIVLINK_ENI_A_MAX - 1)

#endif /* _UAPI_LINUX_PRIVLINK_H */
