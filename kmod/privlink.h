/* SPDX-License-Identifier: GPL-2.0 */
/*
 * privlink: module-internal declarations shared between the kmod/ files.
 *
 * Object model and rules (see include/uapi/linux/privlink.h for semantics):
 *
 * Every configuration object (az, vpc, service, target, endpoint, eni) lives
 * in exactly one network namespace and is reachable from that namespace's
 * struct privlink_net: on a per-kind list (creation order, for dumps and
 * teardown) and, where lookups need it, in an rhashtable.
 *
 * Locking:
 * - privlink_net.lock (a mutex) serialises every writer of the namespace's
 *   configuration: all netlink requests that change something, dumps (so a
 *   dump round sees a stable list), the netdevice notifier and netns exit.
 *   Lists and the plain (non-atomic) fields of objects are written only under
 *   it; control-plane readers hold it too.
 * - The packet path never takes the mutex.  It reads the rhashtables and the
 *   fields marked "RCU" below inside rcu_read_lock(); such fields are written
 *   with WRITE_ONCE()/rcu_assign_pointer() under the mutex.
 * - The generic netlink family is parallel_ops: genl_mutex is not held
 *   around privlink's doit/dumpit, and requests of different namespaces run
 *   concurrently.  Nothing may rely on it: per-namespace state is under
 *   privlink_net.lock; module-wide state is set at init (caches, conntrack
 *   templates), atomic (privlink_live_objects) or a module parameter read
 *   with READ_ONCE().  No request waits for a grace period or walks the
 *   conntrack table while it holds privlink_net.lock (flow_end.c): it notes
 *   what to end in a privlink_flow_batch of its own and ends it after the
 *   unlock.  The one exception: privlink_hooks_disable() (the last VPC
 *   goes, or the netns) waits for packets in flight under the lock.
 *
 * Lifetime:
 * - Every object has a refcount_t; the configuration (its lists and tables)
 *   holds one reference, and an object holds one on each object it points to
 *   (endpoint -> vpc/service, eni -> endpoint/az, target -> service/az,
 *   service -> vpc, nlb node -> az).  Deleting removes the object from its
 *   tables (readers may still see it until a grace period passes) and drops
 *   the configuration's reference; the last put frees it with call_rcu(), so
 *   nothing is freed while an RCU reader may hold it, and bulk deletes never
 *   wait for a grace period per object; a request that ended flows of
 *   ENIs or targets that carried some waits for one, after the unlock
 *   (privlink_flows_end(), flow_end.c).
 * - Deletes that would leave a dependent object dangling are refused instead
 *   (the usage counts below, under the mutex), except where AWS cascades:
 *   a service's targets and an endpoint's ENIs go with it.
 */
#ifndef _PRIVLINK_H
#define _PRIVLINK_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/refcount.h>
#include <linux/rhashtable.h>
#include <linux/siphash.h>
#include <linux/u64_stats_sync.h>
#include <linux/xarray.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_flow_table.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/sock.h>
#include <uapi/linux/privlink.h>

#define PRIVLINK_VERSION PRIVLINK_RELEASE	/* uapi: one version for all */

/* struct privlink_az - an availability zone. */
struct privlink_az {
	struct list_head node;		/* privlink_net.azs */
	char name[PRIVLINK_NAME_MAX];
	u8 state;			/* RCU: enum privlink_az_state */
	unsigned int users;		/* nlb nodes, targets, ENIs in it */
	refcount_t ref;
	struct rcu_head rcu;
};

/*
 * struct privlink_vpc_if - an interface (or VRF device) of a VPC.
 *
 * In privlink_net.ifaces from the VPC add/set that gives the VPC the
 * interface until a set drops it, the device unregisters or the VPC goes;
 * @ifindex and @vpc never change.  Inserted and removed under @lock; the
 * packet path finds it under RCU, so it is freed a grace period after its
 * removal (and before its VPC, which outlives it by the same rule).
 */
struct privlink_vpc_if {
	struct rhash_head hnode;	/* privlink_net.ifaces, by ifindex */
	int ifindex;
	struct privlink_vpc *vpc;	/* holds no reference: freed first */
	struct nf_hook_ops ingress;	/* fastpath.c, under the netns lock */
	bool ingress_on;
	struct rcu_head rcu;
};

/* struct privlink_vpc - a network attached to the router. */
struct privlink_vpc {
	struct list_head node;		/* privlink_net.vpcs */
	struct rhash_head hnode;	/* privlink_net.vpc_names */
	char name[PRIVLINK_NAME_MAX];
	char account[PRIVLINK_NAME_MAX];
	/*
	 * The prefixes: read and written under @lock only (requests; no
	 * packet reads them).  VPC_SET may give a family it lacks.
	 */
	__be32 cidr;
	u8 plen;			/* 0: no IPv4 CIDR */
	u8 plen6;			/* 0: no IPv6 prefix */
	u8 families;			/* enum privlink_ip_type: those it has */
	struct in6_addr cidr6;
	u16 zone;			/* conntrack zone, 1..65535, unique per
					 * netns, fixed (see vpc_zones)
					 */
	unsigned int n_ifaces;		/* under @lock, as @ifaces */
	struct privlink_vpc_if *ifaces[PRIVLINK_MAX_IFACES];
	unsigned int services;		/* services it provides */
	unsigned int endpoints;		/* endpoints in it */
	int route_ifindex;		/* RCU: device its traffic is routed by:
					 * its VRF, else its first interface
					 */
	bool vrf;			/* RCU: attached through a VRF */
	bool tracked;			/* a packet got its zone: set once by
					 * privlink_classify() (WRITE_ONCE),
					 * read by its delete, which then ends
					 * the zone's conntrack entries
					 */
	refcount_t ref;
	struct rcu_head rcu;
};

struct privlink_listener {
	u8 proto;			/* IPPROTO_TCP or IPPROTO_UDP */
	__be16 port;
	__be16 target_port;
};

/*
 * An NLB node of a service: the addresses its targets see flows come from in
 * one AZ, one of each family the service supports.  Embedded in its
 * service; in privlink_net.nlbs (IPv4) and nlbs6 (by address, unique in the
 * netns) from the service's creation to its removal.
 */
struct privlink_nlb_node {
	struct rhash_head hnode;	/* privlink_net.nlbs, if IPv4 */
	struct rhash_head hnode6;	/* privlink_net.nlbs6, if IPv6 */
	__be32 addr;
	struct in6_addr addr6;
	struct privlink_az *az;		/* holds a reference */
	struct privlink_service *service;	/* the one it is embedded in */
};

/* struct privlink_service - an endpoint service. */
struct privlink_service {
	struct list_head node;		/* privlink_net.services (RCU) */
	struct rhash_head hnode;	/* privlink_net.service_names */
	char name[PRIVLINK_NAME_MAX];
	struct privlink_vpc *vpc;	/* provider; holds a reference */
	u8 acceptance;			/* enum privlink_acceptance */
	u8 ip_types;			/* enum privlink_ip_type, fixed */
	u8 cross_zone;			/* RCU */
	u32 idle_timeout;		/* seconds (see timeouts) */
	unsigned int n_listeners;
	struct privlink_listener listeners[PRIVLINK_MAX_LISTENERS];
	unsigned int n_nlb_nodes;
	struct privlink_nlb_node nlb_nodes[PRIVLINK_MAX_AZS];
	unsigned int n_principals;
	char (*principals)[PRIVLINK_NAME_MAX];	/* kmalloc'ed array */
	/*
	 * TCP, UDP conntrack timeout policies: replaced under the netns
	 * lock, read by privlink_nat() under RCU, refcounted (timeout.c).
	 */
	struct nf_ct_timeout __rcu *timeouts[2];
	struct list_head targets;	/* privlink_target.svc_node (RCU) */
	unsigned int n_targets;
	unsigned int endpoints;		/* endpoints using it */
	struct privlink_check *check;	/* NULL: none; privlink_net.lock */
	refcount_t ref;
	struct rcu_head rcu;
};

/*
 * struct privlink_check - how a checker probes a service's targets
 * (health.c).  Owned by its service; replaced as a whole, read and freed
 * under privlink_net.lock only (the packet path never reads it: a
 * verdict reaches it as the target's state).
 */
struct privlink_check {
	u8 proto;			/* enum privlink_check_proto, not NONE */
	u8 healthy;			/* thresholds */
	u8 unhealthy;
	u16 port;			/* 0: the traffic port */
	u16 interval;			/* seconds */
	u16 timeout;
	char codes[PRIVLINK_CHECK_CODES_MAX];
	char path[PRIVLINK_CHECK_PATH_MAX];
};

/*
 * struct privlink_health - a checker's last verdict on a target
 * (health.c); meaningful while its service has a check.  Under
 * privlink_net.lock.
 */
struct privlink_health {
	u8 state;			/* enum privlink_health_state */
	u8 reason;			/* enum privlink_health_reason */
	u16 code;			/* last HTTP status, 0: none */
};

/*
 * Counters of one endpoint, ENI or target, per CPU (stats.c).  The block is
 * allocated at the object's first flow: the object's pointer is NULL until
 * then, set once with cmpxchg() under RCU, read with READ_ONCE(), and freed
 * with the object after its grace period.
 */
struct privlink_obj_stats {
	u64_stats_t new_flows;
	u64_stats_t drops;		/* new flows refused */
	u64_stats_t packets;		/* both directions, in FORWARD */
	u64_stats_t bytes;
	struct u64_stats_sync syncp;
};

/* struct privlink_target - a backend of a service. */
struct privlink_target {
	struct list_head node;		/* privlink_net.targets */
	struct list_head svc_node;	/* privlink_service.targets */
	struct privlink_service *service;	/* holds a reference */
	struct privlink_az *az;		/* holds a reference */
	union nf_inet_addr addr;	/* of @family; the rest zeroed */
	u8 family;			/* NFPROTO_IPV4 or NFPROTO_IPV6 */
	__be16 port;			/* 0: the listener's target port */
	u16 weight;			/* RCU */
	u8 state;			/* RCU: enum privlink_target_state */
	struct privlink_health health;	/* privlink_net.lock */
	bool used;			/* as privlink_eni.used */
	bool dead;			/* as privlink_eni.dead */
	struct privlink_obj_stats __percpu *stats;
	refcount_t ref;
	struct rcu_head rcu;
};

/* struct privlink_endpoint - an interface endpoint. */
struct privlink_endpoint {
	struct list_head node;		/* privlink_net.endpoints */
	struct rhash_head hnode;	/* privlink_net.endpoint_names */
	char name[PRIVLINK_NAME_MAX];
	struct privlink_vpc *vpc;	/* consumer; holds a reference */
	struct privlink_service *service;	/* holds a reference */
	u8 state;			/* RCU: enum privlink_endpoint_state */
	u8 ip_type;			/* enum privlink_ip_type, fixed */
	u32 id;				/* nf_conncount key, unique in netns */
	u32 max_flows;			/* RCU: 0 = no limit */
	struct list_head enis;		/* privlink_eni.ep_node */
	struct privlink_obj_stats __percpu *stats;
	refcount_t ref;
	struct rcu_head rcu;
};

/* Key of privlink_net.enis: (consumer VPC's zone, ENI address). */
struct privlink_eni_key {
	__be32 addr;
	u16 zone;
	u16 pad;			/* always 0 */
};

/* Key of privlink_net.enis6: (consumer VPC's zone, IPv6 ENI address). */
struct privlink_eni_key6 {
	struct in6_addr addr;
	u16 zone;
	u16 pad;			/* always 0 */
};

/*
 * struct privlink_eni6 - the IPv6 address of an ENI whose endpoint has
 * IPv6, in privlink_net.enis6.  Allocated with its ENI and freed with it,
 * in the ENI's RCU callback (readers of enis6 may hold it until then):
 * IPv4-only ENIs, most of them, pay a pointer for it, not its 40 bytes.
 */
struct privlink_eni6 {
	struct rhash_head hnode;	/* privlink_net.enis6 */
	struct privlink_eni_key6 key;
	struct privlink_eni *eni;	/* no reference: lives as long */
};

/*
 * struct privlink_eni - an endpoint's addresses in one AZ: one of each
 * family of its endpoint's ip_type (@key in enis if IPv4, @v6 in enis6 if
 * IPv6).
 */
struct privlink_eni {
	struct rhash_head hnode;	/* privlink_net.enis */
	struct privlink_eni_key key;
	struct privlink_eni6 *v6;	/* NULL unless IPv6; fixed */
	struct list_head node;		/* privlink_net.eni_list */
	struct list_head ep_node;	/* privlink_endpoint.enis */
	struct privlink_endpoint *endpoint;	/* holds a reference */
	struct privlink_az *az;		/* holds a reference */
	refcount_t ref;
	/*
	 * used: a flow went through it; set once by privlink_flow_claim()
	 * (packet path, WRITE_ONCE) - removal ends flows only then.
	 * dead: set (WRITE_ONCE, under the netns lock) when it is removed,
	 * before smp_mb() and reading used; the packet path stores used,
	 * smp_mb(), then drops its new flow if dead (or the endpoint not
	 * available): one of the two always sees the other (flow_end.c).
	 */
	bool used;
	bool dead;
	struct privlink_obj_stats __percpu *stats;	/* lazy, see above */
	struct rcu_head rcu;
};

/* Packet-path counters of a netns, per CPU (see privlink_stats_inc()). */
enum privlink_stat {
	PRIVLINK_STAT_NEW_FLOWS,	/* flows translated */
	PRIVLINK_STAT_DROP_NOT_ACCEPTED, /* endpoint not available */
	PRIVLINK_STAT_DROP_NO_LISTENER,	/* ENI port is no listener */
	PRIVLINK_STAT_DROP_NO_TARGET,	/* service has no usable target */
	PRIVLINK_STAT_DROP_AZ_DOWN,	/* the ENI's AZ is down */
	PRIVLINK_STAT_DROP_WRONG_VPC,	/* new flow between VPCs, not ours */
	PRIVLINK_STAT_DROP_NAT_FAILED,	/* nf_nat could not bind */
	PRIVLINK_STAT_ARP_REPLIES,	/* ARP answered for ENIs */
	PRIVLINK_STAT_DROP_LIMIT,	/* a max-flows limit was reached */
	PRIVLINK_STAT_DROP_SPOOFED,	/* arrived from the wrong side */
	PRIVLINK_STAT_DROP_INVALID,	/* to an ENI/NLB node, no flow's */
	PRIVLINK_STAT_ND_REPLIES,	/* neighbour solicitations answered */
	PRIVLINK_STAT_MAX
};

struct privlink_stats {
	u64 v[PRIVLINK_STAT_MAX];
};

/*
 * struct privlink_net - privlink's state in one network namespace.
 *
 * Allocated and zeroed by the pernet core (privlink_net_ops.size) before
 * privlink_net_init() runs and freed after privlink_net_exit(); it lives
 * exactly as long as the namespace.
 *
 * @lock:     serialises all writers (see the top of this file).
 * @gen:      bumped under @lock by every change; dumps use it to detect that
 *            they spanned a change (genl_dump_check_consistent()).
 * @hooks_on: netfilter hooks registered in this netns (while it has a
 *            VPC); written under @lock, read with READ_ONCE() for reporting.
 * @stats:    per-CPU packet-path counters, lifetime of the netns.
 * @n_*:      object counts, under @lock.
 * lists:     every object of a kind, in creation order, under @lock.
 * tables:    rhashtables; writers hold @lock, readers RCU.
 */
struct privlink_net {
	struct mutex lock;		/* see @lock above */
	u32 gen;
	bool hooks_on;
	struct privlink_stats __percpu *stats;
	u32 max_flows;			/* RCU: 0 = no limit */
	u32 next_endpoint_id;		/* under @lock */
	struct nf_conncount_data *conncount;	/* live flows per endpoint
						 * (key: id) and in all (key:
						 * 0); set while hooks_on
						 */
	unsigned int n_azs, n_vpcs, n_services, n_targets, n_endpoints, n_enis;
	u32 max_objects;		/* under @lock: limit of the sum of
					 * the n_* above (object.c)
					 */
	struct list_head azs;
	struct list_head vpcs;
	struct list_head services;
	struct list_head targets;
	struct list_head endpoints;
	struct list_head eni_list;
	struct rhashtable vpc_names;
	struct rhashtable service_names;
	struct rhashtable endpoint_names;
	struct rhashtable ifaces;	/* ifindex -> privlink_vpc_if */
	struct rhashtable enis;		/* privlink_eni_key -> privlink_eni */
	struct rhashtable enis6;	/* privlink_eni_key6 -> privlink_eni6 */
	struct xarray vpc_zones;	/* zone -> privlink_vpc, and the zone
					 * allocator (XA_FLAGS_ALLOC1): written
					 * under @lock, xa_load() under RCU;
					 * a zone being added is reserved
					 * (xa_load() NULL) under @lock only,
					 * a deleted VPC's while its entries
					 * are ended (@zones_ending)
					 */
	unsigned int zones_ending;	/* under @lock: zones of deleted VPCs
					 * still reserved in @vpc_zones while
					 * their entries are ended (vpc.c)
					 */
	unsigned int vrf_vpcs;		/* VPCs attached through a VRF; written
					 * under @lock, READ_ONCE() in steer.c
					 */
	struct rhashtable nlbs;		/* NLB node address -> its
					 * privlink_nlb_node (flow.c)
					 */
	struct rhashtable nlbs6;	/* the same for IPv6 addresses */
	siphash_key_t hash_key;		/* target selection (nat.c); written
					 * under @lock with WRITE_ONCE() per
					 * word, read locklessly: a flow set
					 * up during a change may hash with
					 * a mix of both keys, which only
					 * picks another valid target
					 */
	struct nf_flowtable ft;		/* fastpath.c: while ft_on */
	bool ft_on;			/* set under @lock with the hooks */
};

extern unsigned int privlink_net_id;

static inline struct privlink_net *privlink_pernet(const struct net *net)
{
	return net_generic(net, privlink_net_id);
}

/* A configuration change: invalidate running dumps.  Never 0. */
static inline void privlink_changed(struct privlink_net *pn)
{
	if (!++pn->gen)
		pn->gen = 1;
}

/*
 * A required member @type of the request's object nest @nest is missing:
 * report it (attribute and a message) and return true.
 */
#define privlink_missing(info, nest, tb, type, msg) ({			\
	struct genl_info *__info = (info);				\
	bool __miss = !(tb)[type];					\
									\
	if (__miss) {							\
		NL_SET_ERR_ATTR_MISS(__info->extack,			\
				     __info->attrs[nest], type);	\
		NL_SET_ERR_MSG(__info->extack, msg);			\
	}								\
	__miss;								\
})

/* object.c: allocation accounting shared by all kinds */
extern atomic64_t privlink_live_objects;
extern struct kmem_cache *privlink_endpoint_cache, *privlink_eni_cache;
int privlink_caches_init(void);
void privlink_caches_exit(void);
void *privlink_obj_alloc(size_t size);
void *privlink_cache_alloc(struct kmem_cache *cache);
extern unsigned int privlink_max_objects_param;
bool privlink_objects_room(struct privlink_net *pn, unsigned int n,
			   struct netlink_ext_ack *extack);
unsigned int privlink_nla_count(const struct nlattr *nest);
/* Free an object (with a "struct rcu_head rcu") after a grace period. */
#define privlink_obj_free(obj) do {				\
		atomic64_dec(&privlink_live_objects);		\
		kfree_rcu(obj, rcu);				\
	} while (0)
bool privlink_name_valid(const char *name, struct netlink_ext_ack *extack);
typedef bool (*privlink_name_used_t)(struct privlink_net *pn,
				     const char *name);
void privlink_name_generate(struct privlink_net *pn, const char *prefix,
			    privlink_name_used_t used, char *name);
bool privlink_addr_in(__be32 addr, __be32 net, u8 plen);

/* Are @a and @b, addresses of @family (NFPROTO_IPV4/6), the same? */
static inline bool privlink_addr_eq(u8 family, const union nf_inet_addr *a,
				    const union nf_inet_addr *b)
{
	return family == NFPROTO_IPV4 ? a->ip == b->ip :
					ipv6_addr_equal(&a->in6, &b->in6);
}

bool privlink_addr6_in(const struct in6_addr *addr,
		       const struct in6_addr *net, u8 plen);

/* netns.c */
int privlink_netns_register(void);
void privlink_netns_unregister(void);

/* netlink.c */
extern struct genl_family privlink_genl_family;
int privlink_genl_register(void);
void privlink_genl_unregister(void);

typedef int (*privlink_fill_t)(struct sk_buff *skb, const void *obj);
int privlink_nl_reply(struct genl_info *info, privlink_fill_t fill,
		      const void *obj);
void privlink_nl_notify(struct net *net, u8 cmd, privlink_fill_t fill,
			const void *obj);
int privlink_nl_dump_list(struct sk_buff *skb, struct netlink_callback *cb,
			  struct list_head *head, size_t node_off,
			  privlink_fill_t fill,
			  bool (*match)(const void *obj, const void *arg),
			  const void *arg);
int privlink_nl_nest(struct genl_info *info, int attr, struct nlattr **tb,
		     int maxtype, const struct nla_policy *policy);
int privlink_nl_get_name(const struct nlattr *attr, char *name,
			 struct netlink_ext_ack *extack);

static inline void privlink_stats_inc(struct privlink_net *pn,
				      enum privlink_stat s)
{
	this_cpu_inc(pn->stats->v[s]);
}

/* hooks.c: registered while the netns has at least one VPC */
int privlink_hooks_enable(struct net *net);
void privlink_hooks_disable(struct net *net);

/* classify.c: the VPC a packet arrived from (RCU), its zone */
int privlink_classify_init(void);
void privlink_classify_exit(void);
struct privlink_vpc *privlink_vpc_of_dev(struct privlink_net *pn,
					 const struct net_device *dev);
unsigned int privlink_classify(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state);
unsigned int privlink_stray(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state);
unsigned int privlink_forward(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state);
unsigned int privlink_ndisc_in(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state);

/* flow.c: what a privlink flow is; where its packets may come from */
struct privlink_flow {
	struct privlink_eni *eni;
	struct privlink_endpoint *endpoint;
	struct privlink_vpc *consumer;		/* the zone's VPC */
	struct privlink_vpc *provider;		/* the service's VPC */
};

extern const struct rhashtable_params privlink_nlb_params;
extern const struct rhashtable_params privlink_nlb6_params;
struct privlink_eni *privlink_eni_find(struct privlink_net *pn, u8 pf,
				       const union nf_inet_addr *addr,
				       u16 zone);
const struct privlink_nlb_node *
privlink_nlb_find(struct privlink_net *pn, u8 pf,
		  const union nf_inet_addr *addr);
void privlink_skb_daddr(u8 pf, const struct sk_buff *skb,
			union nf_inet_addr *addr);
bool privlink_flow_get(struct privlink_net *pn, const struct nf_conn *ct,
		       struct privlink_flow *f);
bool privlink_flow_spoofed(struct net *net, struct privlink_net *pn, u8 pf,
			   const struct sk_buff *skb,
			   const struct privlink_vpc *from);
const struct privlink_vpc *privlink_flow_side(const struct privlink_flow *f,
					      enum ip_conntrack_dir dir);
bool privlink_vpc_owns(struct privlink_net *pn, u8 pf,
		       const struct privlink_vpc *vpc,
		       const union nf_inet_addr *addr,
		       struct privlink_eni **eni);
bool privlink_flow_stray(struct privlink_net *pn, u8 pf,
			 const struct sk_buff *skb,
			 const struct privlink_vpc *from,
			 struct privlink_eni **eni);

/* stats.c: per-object counters */
void privlink_obj_new_flow(struct privlink_obj_stats __percpu **slot);
void privlink_obj_drop(struct privlink_obj_stats __percpu **slot);
void privlink_account(const struct privlink_flow *f, const struct nf_conn *ct,
		      enum ip_conntrack_info ctinfo, const struct sk_buff *skb);
int privlink_obj_stats_fill(struct sk_buff *skb, int attr,
			    const struct privlink_obj_stats __percpu *stats,
			    bool drops);

/* nat.c: new flows to ENIs */
unsigned int privlink_nat(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state);

/*
 * flow_end.c: the flows one request ends, noted under privlink_net.lock
 * (values, no pointers to objects) and ended after the unlock by
 * privlink_flows_end().  On the request's stack, zero-initialised.
 */
struct privlink_flow_batch {
	unsigned long *zones;			/* bitmap: all their flows */
	struct privlink_flow_eni *enis;
	struct privlink_flow_target *targets;
	struct privlink_flow_nlbs *nlbs;	/* of the targets' services */
	unsigned int n_enis, n_targets, n_nlbs;
	unsigned int max_enis, max_targets, max_nlbs;
	bool quiesced;		/* the hooks are gone and a grace period
				 * passed since: no packet can still set up
				 * a flow the walk would miss
				 */
};

int privlink_flow_batch_reserve(struct privlink_flow_batch *b,
				unsigned int enis, unsigned int targets,
				struct netlink_ext_ack *extack);
void privlink_flow_batch_eni(struct privlink_flow_batch *b,
			     const struct privlink_eni *e);
void privlink_flow_batch_target(struct privlink_flow_batch *b,
				const struct privlink_target *t);
void privlink_flow_batch_zone(struct privlink_flow_batch *b, u16 zone);
void privlink_flows_end(struct net *net, struct privlink_flow_batch *b);
enum privlink_stat privlink_flow_claim(struct privlink_eni *eni,
				       struct privlink_target *t);

/* timeout.c */
int privlink_timeouts_set(struct net *net, struct privlink_service *svc);
void privlink_timeouts_release(struct privlink_service *svc);
void privlink_timeout_attach(struct nf_conn *ct,
			     const struct privlink_service *svc, u8 proto);

/* fastpath.c */
extern bool privlink_fastpath_param;
int privlink_fastpath_init(struct net *net, struct privlink_net *pn);
void privlink_fastpath_fini(struct privlink_net *pn);
void privlink_fastpath_attach(struct net *net, struct privlink_net *pn,
			      struct privlink_vpc_if *vif);
void privlink_fastpath_detach(struct net *net, struct privlink_vpc_if *vif);
unsigned int privlink_fastpath_offload(void *priv, struct sk_buff *skb,
				       const struct nf_hook_state *state);

/* steer.c */
unsigned int privlink_steer(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state);

/* select.c */
struct privlink_target *privlink_select(const struct privlink_service *svc,
					const struct privlink_az *az,
					u8 family, u32 flow_hash);

/* arp.c */
unsigned int privlink_arp_in(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state);

/* az.c */
extern const struct nla_policy privlink_az_policy[];
struct privlink_az *privlink_az_find(struct privlink_net *pn,
				     const char *name);
struct privlink_az *privlink_az_lookup(struct privlink_net *pn,
				       const struct nlattr *attr,
				       struct netlink_ext_ack *extack);
void privlink_az_put(struct privlink_az *az);
void privlink_az_flush(struct privlink_net *pn);
int privlink_az_add(struct sk_buff *skb, struct genl_info *info);
int privlink_az_del(struct sk_buff *skb, struct genl_info *info);
int privlink_az_set(struct sk_buff *skb, struct genl_info *info);
int privlink_az_get(struct sk_buff *skb, struct genl_info *info);
int privlink_az_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* vpc.c */
extern const struct nla_policy privlink_vpc_policy[];
struct privlink_vpc *privlink_vpc_lookup(struct privlink_net *pn,
					 const struct nlattr *attr,
					 struct netlink_ext_ack *extack);
void privlink_vpc_put(struct privlink_vpc *vpc);
void privlink_vpc_flush(struct net *net, struct privlink_net *pn);
void privlink_vpc_iface_gone(struct net *net, int ifindex);
void privlink_vpc_iface_moved(struct net *net, int ifindex);
int privlink_vpc_add(struct sk_buff *skb, struct genl_info *info);
int privlink_vpc_del(struct sk_buff *skb, struct genl_info *info);
int privlink_vpc_set(struct sk_buff *skb, struct genl_info *info);
int privlink_vpc_get(struct sk_buff *skb, struct genl_info *info);
int privlink_vpc_dump(struct sk_buff *skb, struct netlink_callback *cb);
extern const struct rhashtable_params privlink_vpc_name_params;
extern const struct rhashtable_params privlink_iface_params;

/* service.c */
extern const struct nla_policy privlink_service_policy[];
struct privlink_service *privlink_service_lookup(struct privlink_net *pn,
						 const struct nlattr *attr,
						 struct netlink_ext_ack *ext);
bool privlink_service_serves(const struct privlink_service *svc,
			     const struct privlink_az *az);
bool privlink_service_allows(const struct privlink_service *svc,
			     const char *account);
void privlink_service_put(struct privlink_service *svc);
void privlink_service_flush(struct privlink_net *pn);
int privlink_service_add(struct sk_buff *skb, struct genl_info *info);
int privlink_service_del(struct sk_buff *skb, struct genl_info *info);
int privlink_service_set(struct sk_buff *skb, struct genl_info *info);
int privlink_service_get(struct sk_buff *skb, struct genl_info *info);
int privlink_service_dump(struct sk_buff *skb, struct netlink_callback *cb);
extern const struct rhashtable_params privlink_service_name_params;

/* target.c */
extern const struct nla_policy privlink_target_policy[];
void privlink_target_remove(struct privlink_net *pn, struct net *net,
			    struct privlink_target *t,
			    struct privlink_flow_batch *fb);
int privlink_target_add(struct sk_buff *skb, struct genl_info *info);
int privlink_target_del(struct sk_buff *skb, struct genl_info *info);
int privlink_target_set(struct sk_buff *skb, struct genl_info *info);
int privlink_target_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* health.c */
extern const struct nla_policy privlink_check_policy[];
extern const struct nla_policy privlink_health_policy[];
int privlink_check_parse(const struct nlattr *nest, struct privlink_check **c,
			 struct netlink_ext_ack *extack);
void privlink_check_replace(struct privlink_net *pn,
			    struct privlink_service *svc,
			    struct privlink_check *c);
int privlink_check_fill(struct sk_buff *skb, const struct privlink_check *c);
void privlink_health_init(struct privlink_target *t, bool state_given);
int privlink_health_set(struct privlink_net *pn, struct privlink_target *t,
			const struct nlattr *nest,
			struct netlink_ext_ack *extack);
int privlink_health_fill(struct sk_buff *skb, const struct privlink_target *t);

/* endpoint.c */
extern const struct nla_policy privlink_endpoint_policy[];
struct privlink_endpoint *privlink_endpoint_lookup(struct privlink_net *pn,
						   const struct nlattr *attr,
						   struct netlink_ext_ack *ext);
void privlink_endpoint_put(struct privlink_endpoint *ep);
int privlink_endpoint_set(struct sk_buff *skb, struct genl_info *info);
void privlink_endpoint_flush(struct privlink_net *pn);
int privlink_endpoint_add(struct sk_buff *skb, struct genl_info *info);
int privlink_endpoint_del(struct sk_buff *skb, struct genl_info *info);
int privlink_endpoint_get(struct sk_buff *skb, struct genl_info *info);
int privlink_endpoint_dump(struct sk_buff *skb, struct netlink_callback *cb);
int privlink_endpoint_accept(struct sk_buff *skb, struct genl_info *info);
int privlink_endpoint_reject(struct sk_buff *skb, struct genl_info *info);
extern const struct rhashtable_params privlink_endpoint_name_params;

/* eni.c */
extern const struct nla_policy privlink_eni_policy[];
int privlink_eni_create(struct privlink_net *pn,
			struct privlink_endpoint *ep, struct nlattr **tb,
			struct netlink_ext_ack *extack,
			struct privlink_eni **out);
void privlink_eni_remove(struct privlink_net *pn, struct net *net,
			 struct privlink_eni *eni,
			 struct privlink_flow_batch *fb);
int privlink_eni_fill_brief(struct sk_buff *skb, const struct privlink_eni *e);
int privlink_eni_add(struct sk_buff *skb, struct genl_info *info);
int privlink_eni_del(struct sk_buff *skb, struct genl_info *info);
int privlink_eni_dump(struct sk_buff *skb, struct netlink_callback *cb);
extern const struct rhashtable_params privlink_eni_params;
extern const struct rhashtable_params privlink_eni6_params;

#endif /* _PRIVLINK_H */
