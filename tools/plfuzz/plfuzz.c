// SPDX-License-Identifier: GPL-2.0
/*
 * plfuzz: a fuzzer of the privlink generic netlink family.
 *
 * It resolves the "privlink" family (CTRL_CMD_GETFAMILY on a raw
 * NETLINK_GENERIC socket: most of what it sends could not be built with
 * libnl) and sends hostile messages, drawn from a seeded PRNG, until it has
 * sent COUNT messages or SECONDS have passed:
 *
 *   - valid requests built from a model of the objects that exist (the ones
 *     it created and, at start, what the namespace's dumps list), as they
 *     are or with one field mutated (removed, duplicated, retyped, resized,
 *     given a boundary value, a huge or invalid name, moved, wrapped, the
 *     command changed).  The model is dual stack: VPCs' IPv4 CIDRs and
 *     IPv6 prefixes, services' IP types, endpoints' IP type, targets and
 *     ENIs of both families; the requests build IPv4, IPv6-only and
 *     dualstack VPCs, services (IP types given or taken from the NLB
 *     nodes), targets, endpoints of each IP type and ENIs with the
 *     addresses of their endpoint's type;
 *   - dual-stack mutations (mutate6()): IPv6 addresses of wrong lengths or
 *     outside their prefix, prefixes with host bits or of a reserved kind,
 *     prefix lengths and IP types out of range, ADDR and ADDR6 together on
 *     a target, ENIs and NLB nodes of the wrong families, IP types the VPC
 *     or service lacks, duplicates, fields only an ADD sets.  Those the
 *     kernel must refuse whatever the rest of the request is are checked:
 *     one accepted is printed with the seed and its message number;
 *   - unknown and reserved commands, random attribute trees, deeply nested
 *     attributes (self-recursive nests beyond the policy's depth limit),
 *     huge names and lists, oversized messages, truncated messages and
 *     attributes, bogus header flags, version and length fields, several
 *     messages in one datagram;
 *   - dumps: plain, with filters, on commands that have none, interrupted by
 *     changes (NLM_F_DUMP_INTR is counted), abandoned half-way, overlapped
 *     by a request on the same socket;
 *   - bursts that create and delete thousands of endpoints, targets or VPCs,
 *     of both families (endpoints and VPCs IPv4, IPv6 and dualstack in
 *     turn, every other target of a dualstack service IPv6), checking that
 *     a dump lists exactly what the burst created.
 *
 * Every netlink message counts towards COUNT.  Replies are read with
 * MSG_DONTWAIT after each send: generic netlink handles a request in the
 * sender's sendmsg(), and a dump's next round is produced by the reader's
 * recvmsg().  The summary ends with a "result:" line of key=value pairs that
 * selftests/fuzz.sh reads; "accepted_writes" counts the requests of commands
 * that change something which the kernel answered with an object or an ACK
 * of error 0.  With -d (an unprivileged caller) it must be 0: plfuzz then
 * exits 3 when it is not.  It exits 4 when the kernel accepted a dual-stack
 * request it must refuse ("ds_invalid_accepted").
 *
 * The same seed in the same (fresh) namespace replays the same run: the
 * choices depend only on the seed and on the kernel's answers.  It changes
 * only the namespace it runs in, and lowers that namespace's object limit to
 * -m (default 20000) first; it never asks for a higher one.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/privlink.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define NAME_MAX_LEN	PRIVLINK_NAME_MAX
#define SENDBUF_SIZE	(512 * 1024)
#define RECVBUF_SIZE	(256 * 1024)
#define MAX_NODES	100000
#define ARENA_SIZE	(8 << 20)
#define POOL_CAP	8192
#define MAX_PENDING	16
#define MAX_ERRNO	256

/* ---- options and counters ------------------------------------------------ */

static uint64_t opt_seed;
static uint64_t opt_count = 100000;
static unsigned int opt_seconds;
static const char *opt_prefix = "plfuzz";
static uint32_t opt_max_objects = 20000;
static unsigned int opt_burst = 3000;
static bool opt_deny, opt_verbose, opt_links = true;

static struct {
	uint64_t messages, sends, send_errors, replies, acks, errors;
	uint64_t accepted_writes, write_requests, eperm;
	uint64_t dumps, dumps_done, dump_intr, dumps_abandoned, dump_busy;
	uint64_t bursts, burst_objects, burst_dump_bad, burst_dump_unchecked;
	uint64_t events, event_overruns, enobufs, foreign, unexpected, runaway;
	uint64_t mcast_denied, mcast_joined;
	uint64_t err[MAX_ERRNO], err_nomsg[MAX_ERRNO];
	char err_example[MAX_ERRNO][96];
} st;

static const char *kind_names[] = {
	"valid", "mutated", "unknown-cmd", "random-attrs", "header", "huge",
	"deep", "oversized", "truncated", "dump", "multi",
};

enum kind {
	K_VALID, K_MUTATED, K_UNKNOWN_CMD, K_RANDOM_ATTRS, K_HEADER, K_HUGE,
	K_DEEP, K_OVERSIZED, K_TRUNCATED, K_DUMP, K_MULTI, K_MAX
};

static uint64_t kind_count[K_MAX];

/* ---- PRNG: xoshiro256**, seeded with splitmix64 --------------------------- */

static uint64_t rs[4];

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rnd(void)
{
	uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;

	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rotl(rs[3], 45);
	return r;
}

static uint32_t rn(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(unsigned int pct)
{
	return rn(100) < pct;
}

/* ---- attribute trees ------------------------------------------------------ */

struct node {
	uint16_t type;		/* with NLA_F_NESTED/NLA_F_NET_BYTEORDER */
	bool nest;
	uint8_t *data;
	uint32_t len;
	struct node *kid, *last, *next, *parent;
};

static struct node nodes[MAX_NODES];
static unsigned int n_nodes;
static uint8_t *arena;
static size_t arena_used;
static bool tree_full;

static void tree_reset(void)
{
	n_nodes = 0;
	arena_used = 0;
	tree_full = false;
}

static uint8_t *arena_alloc(size_t len)
{
	uint8_t *p;

	if (arena_used + len > ARENA_SIZE) {
		tree_full = true;
		return NULL;
	}
	p = arena + arena_used;
	arena_used += len;
	return p;
}

static struct node *node_new(struct node *parent, uint16_t type, bool nest,
			     const void *data, uint32_t len)
{
	static struct node dummy;
	struct node *n;

	if (n_nodes == MAX_NODES) {
		tree_full = true;
		memset(&dummy, 0, sizeof(dummy));
		return &dummy;
	}
	n = &nodes[n_nodes++];
	memset(n, 0, sizeof(*n));
	n->type = type | (nest ? NLA_F_NESTED : 0);
	n->nest = nest;
	if (len) {
		n->data = arena_alloc(len);
		if (!n->data)
			len = 0;
		else if (data)
			memcpy(n->data, data, len);
		else
			memset(n->data, 0, len);
	}
	n->len = len;
	if (parent) {
		n->parent = parent;
		if (parent->last)
			parent->last->next = n;
		else
			parent->kid = n;
		parent->last = n;
	}
	return n;
}

static struct node *put_nest(struct node *p, uint16_t type)
{
	return node_new(p, type, true, NULL, 0);
}

static void put_str(struct node *p, uint16_t type, const char *s)
{
	node_new(p, type, false, s, strlen(s) + 1);
}

static void put_u8(struct node *p, uint16_t type, uint8_t v)
{
	node_new(p, type, false, &v, 1);
}

static void put_u16(struct node *p, uint16_t type, uint16_t v)
{
	node_new(p, type, false, &v, 2);
}

static void put_u32(struct node *p, uint16_t type, uint32_t v)
{
	node_new(p, type, false, &v, 4);
}

static void node_unlink(struct node *n)
{
	struct node *p = n->parent, *prev = NULL, *c;

	if (!p)
		return;
	for (c = p->kid; c && c != n; c = c->next)
		prev = c;
	if (!c)
		return;
	if (prev)
		prev->next = n->next;
	else
		p->kid = n->next;
	if (p->last == n)
		p->last = prev;
	n->next = NULL;
	n->parent = NULL;
}

/* Insert @n after @ref, in @ref's parent. */
static void node_insert_after(struct node *ref, struct node *n)
{
	struct node *p = ref->parent;

	n->parent = p;
	n->next = ref->next;
	ref->next = n;
	if (p && p->last == ref)
		p->last = n;
}

static void node_append(struct node *p, struct node *n)
{
	n->parent = p;
	n->next = NULL;
	if (p->last)
		p->last->next = n;
	else
		p->kid = n;
	p->last = n;
}

static struct node *node_copy(struct node *parent, const struct node *n,
			      int depth)
{
	struct node *c = node_new(NULL, 0, false, n->data, n->len);
	const struct node *k;

	c->type = n->type;
	c->nest = n->nest;
	if (parent)
		node_append(parent, c);
	if (depth < 64)
		for (k = n->kid; k; k = k->next)
			node_copy(c, k, depth + 1);
	return c;
}

static unsigned int tree_collect(struct node *n, struct node **out,
				 unsigned int max, unsigned int cnt)
{
	struct node *k;

	for (k = n->kid; k && cnt < max; k = k->next) {
		out[cnt++] = k;
		cnt = tree_collect(k, out, max, cnt);
	}
	return cnt;
}

/* Find the string member @type of the first top-level nest. */
static const char *tree_str(const struct node *root, uint16_t type)
{
	const struct node *top = root->kid, *k;

	if (!top)
		return NULL;
	for (k = top->kid; k; k = k->next)
		if ((k->type & NLA_TYPE_MASK) == type && k->len &&
		    memchr(k->data, 0, k->len))
			return (const char *)k->data;
	return NULL;
}

static bool tree_u32(const struct node *root, uint16_t type, uint32_t *v)
{
	const struct node *top = root->kid, *k;

	if (!top)
		return false;
	for (k = top->kid; k; k = k->next)
		if ((k->type & NLA_TYPE_MASK) == type && k->len == 4) {
			memcpy(v, k->data, 4);
			return true;
		}
	return false;
}

/* The 16-byte member @type of the first top-level nest. */
static const uint8_t *tree_a6(const struct node *root, uint16_t type)
{
	const struct node *top = root->kid, *k;

	if (!top)
		return NULL;
	for (k = top->kid; k; k = k->next)
		if ((k->type & NLA_TYPE_MASK) == type && k->len == 16)
			return k->data;
	return NULL;
}

/*
 * Serialise the children of @n into @buf at @off.  Lengths beyond 65535
 * wrap, as they would in a hostile sender's hands.
 */
static long serialize(const struct node *n, uint8_t *buf, size_t cap,
		      size_t off)
{
	const struct node *k;

	for (k = n->kid; k; k = k->next) {
		size_t start = off;
		struct nlattr nla;

		if (off + NLA_HDRLEN > cap)
			return -1;
		off += NLA_HDRLEN;
		if (k->nest) {
			long r = serialize(k, buf, cap, off);

			if (r < 0)
				return -1;
			off = r;
		} else {
			if (off + k->len > cap)
				return -1;
			if (k->len)
				memcpy(buf + off, k->data, k->len);
			off += k->len;
		}
		nla.nla_len = (uint16_t)(off - start);
		nla.nla_type = k->type;
		memcpy(buf + start, &nla, sizeof(nla));
		while (off % NLA_ALIGNTO) {
			if (off >= cap)
				return -1;
			buf[off++] = 0;
		}
	}
	return off;
}

/* ---- the model of existing objects --------------------------------------- */

struct obj {
	char name[NAME_MAX_LEN];
	char ref[NAME_MAX_LEN];		/* vpc of a service/endpoint, service
					 * of a target, endpoint of an ENI
					 */
	uint32_t addr;			/* be32: CIDR, target/ENI address */
	uint8_t plen;
	uint16_t port;
	uint8_t nazs;
	char azs[2][NAME_MAX_LEN];	/* a service's (an endpoint's
					 * service's) AZs; an ENI's AZ
					 */
	uint8_t a6[16];			/* IPv6 prefix of a VPC (a service's
					 * provider VPC's, an endpoint's
					 * consumer VPC's); an IPv6 target's
					 * or ENI's address
					 */
	uint8_t plen6;			/* 0: no IPv6 prefix */
	uint8_t types;			/* enum privlink_ip_type: a VPC's
					 * families, a service's IP types, an
					 * endpoint's IP type, a target's or
					 * ENI's families; 0 unknown
					 */
	uint8_t nlb6[16];		/* a service's first IPv6 NLB node */
};

enum { P_AZ, P_VPC, P_SVC, P_TGT, P_EP, P_ENI, P_MAX };

static struct pool {
	struct obj *v;
	unsigned int n;
} pools[P_MAX];

static int ifindexes[64];
static unsigned int n_ifindexes;
static unsigned int name_seq;

static const uint8_t zero6[16];

/*
 * An object by name, reference and address (those given: non-NULL, non-0).
 * A target is keyed by its service and its address, IPv4 (@addr) or IPv6
 * (@a6); an ENI by its endpoint and AZ (its name in the pool).
 */
static struct obj *pool_find(int p, const char *name, const char *ref,
			     uint32_t addr, const uint8_t *a6)
{
	unsigned int i;

	for (i = 0; i < pools[p].n; i++) {
		struct obj *o = &pools[p].v[i];

		if (name && strcmp(o->name, name))
			continue;
		if (ref && strcmp(o->ref, ref))
			continue;
		if (addr && o->addr != addr)
			continue;
		if (a6 && memcmp(o->a6, a6, 16))
			continue;
		return o;
	}
	return NULL;
}

static struct obj *pool_add(int p, const char *name, const char *ref,
			    uint32_t addr, const uint8_t *a6)
{
	struct obj *o = pool_find(p, name, ref, addr, a6);

	if (o)
		return o;
	if (pools[p].n == POOL_CAP)
		return NULL;
	o = &pools[p].v[pools[p].n++];
	memset(o, 0, sizeof(*o));
	snprintf(o->name, sizeof(o->name), "%s", name ? name : "");
	snprintf(o->ref, sizeof(o->ref), "%s", ref ? ref : "");
	o->addr = addr;
	if (a6)
		memcpy(o->a6, a6, 16);
	return o;
}

static void pool_del(int p, const char *name, const char *ref, uint32_t addr,
		     const uint8_t *a6)
{
	struct obj *o = pool_find(p, name, ref, addr, a6);

	if (o)
		*o = pools[p].v[--pools[p].n];
}

/* Every object of pool @p whose reference is @ref goes (a DEL's cascade). */
static void pool_del_refs(int p, const char *ref)
{
	unsigned int i = 0;

	while (i < pools[p].n)
		if (!strcmp(pools[p].v[i].ref, ref))
			pools[p].v[i] = pools[p].v[--pools[p].n];
		else
			i++;
}

static struct obj *pool_pick(int p)
{
	return pools[p].n ? &pools[p].v[rn(pools[p].n)] : NULL;
}

/*
 * An object of pool @p that has the families @want, or (after a few tries)
 * any: dualstack requests need objects that agree.
 */
static struct obj *pool_pick_fit(int p, uint8_t want)
{
	struct obj *o = pool_pick(p);
	unsigned int i;

	for (i = 0; i < 8 && o && (o->types & want) != want; i++)
		o = pool_pick(p);
	return o;
}

static const char *pick_name(int p)
{
	struct obj *o = pool_pick(p);

	return o ? o->name : NULL;
}

static uint32_t addr_in(uint32_t cidr, uint8_t plen)
{
	uint32_t size, host;

	if (!cidr || plen < 8 || plen > 30)
		return htonl(0x0a000000 | rn(1 << 24));
	size = 1u << (32 - plen);
	host = 1 + rn(size - 2);
	return htonl(ntohl(cidr) + host);
}

/* The first @plen bits of @a kept, the others cleared. */
static void mask6(uint8_t *a, unsigned int plen)
{
	unsigned int i;

	for (i = 0; i < 16; i++) {
		if (plen >= 8 * (i + 1))
			continue;
		a[i] &= plen > 8 * i ? (uint8_t)(0xff00 >> (plen - 8 * i)) : 0;
	}
}

/*
 * A random IPv6 VPC prefix of length @plen: a unique local one
 * (fdXX:XXXX:XXXX::/48 and longer) or, now and then, a documentation one
 * (2001:db8::/32).
 */
static void prefix6_rand(uint8_t *a, unsigned int plen)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		a[i] = rnd();
	a[0] = 0xfd;
	if (chance(20)) {
		a[0] = 0x20;
		a[1] = 0x01;
		a[2] = 0x0d;
		a[3] = 0xb8;
	}
	mask6(a, plen);
}

/* A VPC's IPv6 prefix length: mostly /48../64, now and then any valid. */
static uint8_t plen6_rand(void)
{
	static const uint8_t odd[] = { 8, 16, 32, 44, 96, 112, 120, 124, 126,
				       127, 128 };

	return chance(85) ? 48 + rn(17) : odd[rn(sizeof(odd))];
}

/*
 * An address inside @pfx/@plen that an ENI or NLB node may have (not the
 * prefix itself, the subnet-router anycast address, while plen <= 126); a
 * random unique local address when there is no prefix.
 */
static void addr6_in(uint8_t *out, const uint8_t *pfx, uint8_t plen)
{
	uint8_t r[16];
	unsigned int i;

	for (i = 0; i < 16; i++)
		r[i] = rnd();
	if (!plen) {
		memcpy(out, r, 16);
		out[0] = 0xfd;
		return;
	}
	/* mostly a small host part, as a human would number them */
	if (plen <= 112 && chance(70))
		memset(r, 0, 14);
	for (i = 0; i < 16; i++) {
		uint8_t keep = plen >= 8 * (i + 1) ? 0xff :
			       plen > 8 * i ? (uint8_t)(0xff00 >> (plen - 8 * i)) : 0;

		out[i] = (pfx[i] & keep) | (r[i] & ~keep);
	}
	if (plen <= 126 && !memcmp(out, pfx, 16))
		out[15] |= 1;
}

/* An address of @base/48 with @sub in bytes 6-7 and @host in 12-15. */
static void addr6_mk(uint8_t *out, const uint8_t *base, uint16_t sub,
		     uint32_t host)
{
	memcpy(out, base, 16);
	out[6] = sub >> 8;
	out[7] = sub;
	out[12] = host >> 24;
	out[13] = host >> 16;
	out[14] = host >> 8;
	out[15] = host;
}

/* A random non-zero subset of @mask's families (IPv4 alone when none). */
static uint8_t types_in(uint8_t mask)
{
	mask &= PRIVLINK_IP_DUALSTACK;
	if (mask == PRIVLINK_IP_DUALSTACK)
		return 1 + rn(3);
	return mask ? mask : PRIVLINK_IP_V4;
}

static void new_name(char *buf, const char *kind)
{
	snprintf(buf, NAME_MAX_LEN, "%s-%s%u", opt_prefix, kind, ++name_seq);
}

/* ---- netlink plumbing ----------------------------------------------------- */

static int fd_main = -1, fd_events = -1;
static uint16_t family_id;
static uint32_t mcgrp_events;
static uint32_t next_seq = 1;
static uint8_t *sendbuf, *recvbuf;

struct pending {
	uint32_t seq;
	uint16_t type;
	uint8_t cmd;
	bool write, accepted, dump, damaged;
};

/* The message being built had its header or bytes damaged. */
static bool cur_damaged;

/*
 * Errors without an extended ACK message, of well-formed requests of the
 * family, by command: the core's own (EPERM, EOPNOTSUPP, EBUSY of a second
 * dump) carry none, privlink's should all have one.
 */
static uint64_t nomsg_cmd[256][MAX_ERRNO];

static struct pending pend[MAX_PENDING];
static unsigned int n_pend;

/* Model bookkeeping for the request just sent (one at a time). */
static struct {
	bool active;
	uint8_t cmd;
	struct node *root;
	bool ok;
} last_req;

static int nl_socket(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, size = 4 << 20;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	size = 1 << 20;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	return fd;
}

static bool is_write_cmd(uint8_t cmd)
{
	switch (cmd) {
	case PRIVLINK_CMD_GET_INFO:
	case PRIVLINK_CMD_AZ_GET:
	case PRIVLINK_CMD_VPC_GET:
	case PRIVLINK_CMD_SERVICE_GET:
	case PRIVLINK_CMD_TARGET_GET:
	case PRIVLINK_CMD_ENDPOINT_GET:
	case PRIVLINK_CMD_ENI_GET:
		return false;
	default:
		return cmd >= PRIVLINK_CMD_AZ_ADD && cmd <= PRIVLINK_CMD_MAX;
	}
}

static struct pending *pend_find(uint32_t seq)
{
	unsigned int i;

	for (i = 0; i < n_pend; i++)
		if (pend[i].seq == seq)
			return &pend[i];
	return NULL;
}

/* Iterate the attributes in [p, p + len). */
#define for_each_attr(a, p, len, rem)					\
	for ((a) = (const struct nlattr *)(p), (rem) = (int)(len);	\
	     (rem) >= (int)NLA_HDRLEN && (a)->nla_len >= NLA_HDRLEN &&	\
	     (a)->nla_len <= (rem);					\
	     (rem) -= NLA_ALIGN((a)->nla_len),				\
	     (a) = (const struct nlattr *)((const char *)(a) +		\
					   NLA_ALIGN((a)->nla_len)))

static const void *nla_data_c(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

static int nla_plen(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static void nla_strcpy(char *dst, const struct nlattr *a)
{
	int n = nla_plen(a);

	if (n >= NAME_MAX_LEN)
		n = NAME_MAX_LEN - 1;
	memcpy(dst, nla_data_c(a), n);
	dst[n] = 0;
}

static uint32_t nla_u32v(const struct nlattr *a)
{
	uint32_t v = 0;

	if (nla_plen(a) >= 4)
		memcpy(&v, nla_data_c(a), 4);
	return v;
}

/* The IPv6 address attribute @a into @out (when it is one). */
static bool nla_a6(uint8_t *out, const struct nlattr *a)
{
	if (nla_plen(a) != 16)
		return false;
	memcpy(out, nla_data_c(a), 16);
	return true;
}

/* The IPv4 and IPv6 prefixes (and families) of VPC @name into @o. */
static void copy_vpc(struct obj *o, const char *name)
{
	const struct obj *v = pool_find(P_VPC, name, NULL, 0, NULL);

	if (!v)
		return;
	o->addr = v->addr;
	o->plen = v->plen;
	memcpy(o->a6, v->a6, 16);
	o->plen6 = v->plen6;
}

/* An ENI nest (of an ENI message or an endpoint's ENIS) into the model. */
static void learn_eni(const struct nlattr *nest, const char *endpoint)
{
	char az[NAME_MAX_LEN] = "", ep[NAME_MAX_LEN] = "";
	uint8_t a6[16] = {}, types = 0;
	const struct nlattr *a;
	uint32_t addr = 0;
	struct obj *o;
	int rem;

	if (endpoint)
		snprintf(ep, sizeof(ep), "%s", endpoint);
	for_each_attr(a, nla_data_c(nest), nla_plen(nest), rem) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case PRIVLINK_ENI_A_ENDPOINT:
			nla_strcpy(ep, a);
			break;
		case PRIVLINK_ENI_A_AZ:
			nla_strcpy(az, a);
			break;
		case PRIVLINK_ENI_A_ADDR:
			addr = nla_u32v(a);
			types |= PRIVLINK_IP_V4;
			break;
		case PRIVLINK_ENI_A_ADDR6:
			if (nla_a6(a6, a))
				types |= PRIVLINK_IP_V6;
			break;
		}
	}
	if (!*ep || !*az || !(o = pool_add(P_ENI, az, ep, 0, NULL)))
		return;
	o->addr = addr;
	memcpy(o->a6, a6, 16);
	o->types = types;
	snprintf(o->azs[0], sizeof(o->azs[0]), "%s", az);
}

/* Learn from every object message (the dumps at start), not only replies. */
static bool learn_all;

/* A burst's object (or a burst's service): "PREFIX.B<number>." */
static bool is_burst_name(const char *name)
{
	const char *b = strstr(name, ".B");

	return b && b[2] >= '0' && b[2] <= '9';
}

/* Learn the object a reply (or dump message) of the family describes. */
static void learn(const struct genlmsghdr *g, int len)
{
	const struct nlattr *top, *a, *b, *c;
	int rem, rem2, rem3, rem4;

	for_each_attr(top, g + 1, len - (int)GENL_HDRLEN, rem) {
		char name[NAME_MAX_LEN] = "", ref[NAME_MAX_LEN] = "";
		char ref2[NAME_MAX_LEN] = "";
		char azs[2][NAME_MAX_LEN] = { "", "" };
		const struct nlattr *enis = NULL;
		uint8_t a6[16] = {}, nlb6[16] = {};
		uint32_t addr = 0;
		uint16_t port = 0;
		uint8_t plen = 0, plen6 = 0, nazs = 0, types = 0;
		int kind = top->nla_type & NLA_TYPE_MASK;
		struct obj *o = NULL;

		for_each_attr(a, nla_data_c(top), nla_plen(top), rem2) {
			int t = a->nla_type & NLA_TYPE_MASK;

			switch (kind) {
			case PRIVLINK_A_AZ:
				if (t == PRIVLINK_AZ_A_NAME)
					nla_strcpy(name, a);
				break;
			case PRIVLINK_A_VPC:
				if (t == PRIVLINK_VPC_A_NAME)
					nla_strcpy(name, a);
				else if (t == PRIVLINK_VPC_A_CIDR_ADDR)
					addr = nla_u32v(a);
				else if (t == PRIVLINK_VPC_A_CIDR_PLEN &&
					 nla_plen(a) >= 1)
					plen = *(const uint8_t *)nla_data_c(a);
				else if (t == PRIVLINK_VPC_A_CIDR6_ADDR)
					nla_a6(a6, a);
				else if (t == PRIVLINK_VPC_A_CIDR6_PLEN &&
					 nla_plen(a) >= 1)
					plen6 = *(const uint8_t *)nla_data_c(a);
				break;
			case PRIVLINK_A_SERVICE:
				if (t == PRIVLINK_SERVICE_A_NAME)
					nla_strcpy(name, a);
				else if (t == PRIVLINK_SERVICE_A_VPC)
					nla_strcpy(ref, a);
				else if (t == PRIVLINK_SERVICE_A_IP_TYPES &&
					 nla_plen(a) >= 1)
					types = *(const uint8_t *)nla_data_c(a);
				if (t != PRIVLINK_SERVICE_A_NLB_NODES)
					break;
				for_each_attr(b, nla_data_c(a), nla_plen(a), rem3)
					for_each_attr(c, nla_data_c(b),
						      nla_plen(b), rem4) {
						int ct = c->nla_type & NLA_TYPE_MASK;

						if (ct == PRIVLINK_NLB_NODE_A_AZ &&
						    nazs < 2)
							nla_strcpy(azs[nazs++], c);
						if (ct == PRIVLINK_NLB_NODE_A_ADDR6 &&
						    !memcmp(nlb6, zero6, 16))
							nla_a6(nlb6, c);
					}
				break;
			case PRIVLINK_A_TARGET:
				if (t == PRIVLINK_TARGET_A_SERVICE)
					nla_strcpy(ref, a);
				else if (t == PRIVLINK_TARGET_A_ADDR)
					addr = nla_u32v(a);
				else if (t == PRIVLINK_TARGET_A_ADDR6)
					nla_a6(a6, a);
				else if (t == PRIVLINK_TARGET_A_PORT &&
					 nla_plen(a) >= 2)
					memcpy(&port, nla_data_c(a), 2);
				break;
			case PRIVLINK_A_ENDPOINT:
				if (t == PRIVLINK_ENDPOINT_A_NAME)
					nla_strcpy(name, a);
				else if (t == PRIVLINK_ENDPOINT_A_VPC)
					nla_strcpy(ref2, a);
				else if (t == PRIVLINK_ENDPOINT_A_SERVICE)
					nla_strcpy(ref, a);
				else if (t == PRIVLINK_ENDPOINT_A_IP_TYPE &&
					 nla_plen(a) >= 1)
					types = *(const uint8_t *)nla_data_c(a);
				else if (t == PRIVLINK_ENDPOINT_A_ENIS)
					enis = a;
				break;
			}
		}
		/*
		 * Another plfuzz's bursts, found by learn_existing(): not to
		 * be deleted under it, or its burst dumps would list fewer
		 * objects than it made (it checks the count).
		 */
		if (learn_all && (is_burst_name(name) || is_burst_name(ref)))
			continue;
		switch (kind) {
		case PRIVLINK_A_AZ:
			if (*name)
				pool_add(P_AZ, name, NULL, 0, NULL);
			break;
		case PRIVLINK_A_VPC:
			if (*name && (o = pool_add(P_VPC, name, NULL, 0, NULL))) {
				o->addr = addr;
				o->plen = plen;
				memcpy(o->a6, a6, 16);
				o->plen6 = plen6;
				o->types = (plen ? PRIVLINK_IP_V4 : 0) |
					   (plen6 ? PRIVLINK_IP_V6 : 0);
			}
			break;
		case PRIVLINK_A_SERVICE:
			if (!*name || !(o = pool_add(P_SVC, name, NULL, 0, NULL)))
				break;
			snprintf(o->ref, sizeof(o->ref), "%s", ref);
			copy_vpc(o, ref);
			o->types = types;
			memcpy(o->nlb6, nlb6, 16);
			o->nazs = nazs;
			memcpy(o->azs, azs, sizeof(azs));
			break;
		case PRIVLINK_A_TARGET:
			if (!*ref)
				break;
			if (addr)
				o = pool_add(P_TGT, NULL, ref, addr, zero6);
			else if (memcmp(a6, zero6, 16))
				o = pool_add(P_TGT, NULL, ref, 0, a6);
			if (o) {
				o->port = port;
				o->types = addr ? PRIVLINK_IP_V4 :
					   PRIVLINK_IP_V6;
			}
			break;
		case PRIVLINK_A_ENDPOINT:
			if (!*name || !(o = pool_add(P_EP, name, NULL, 0, NULL)))
				break;
			snprintf(o->ref, sizeof(o->ref), "%s", ref);
			copy_vpc(o, ref2);
			o->types = types;
			{
				const struct obj *v = pool_find(P_SVC, ref,
								NULL, 0, NULL);

				if (v) {
					o->nazs = v->nazs;
					memcpy(o->azs, v->azs, sizeof(o->azs));
				}
			}
			if (enis)
				for_each_attr(b, nla_data_c(enis),
					      nla_plen(enis), rem3)
					learn_eni(b, name);
			break;
		case PRIVLINK_A_ENI:
			learn_eni(top, NULL);
			break;
		}
	}
}

/* The model after a DEL that succeeded: what the request named goes. */
static void forget(uint8_t cmd, const struct node *root)
{
	const char *s, *s2;
	uint32_t addr = 0;
	const uint8_t *a6;

	switch (cmd) {
	case PRIVLINK_CMD_AZ_DEL:
		if ((s = tree_str(root, PRIVLINK_AZ_A_NAME)))
			pool_del(P_AZ, s, NULL, 0, NULL);
		break;
	case PRIVLINK_CMD_VPC_DEL:
		if ((s = tree_str(root, PRIVLINK_VPC_A_NAME)))
			pool_del(P_VPC, s, NULL, 0, NULL);
		break;
	case PRIVLINK_CMD_SERVICE_DEL:
		if ((s = tree_str(root, PRIVLINK_SERVICE_A_NAME))) {
			pool_del(P_SVC, s, NULL, 0, NULL);
			pool_del_refs(P_TGT, s);
		}
		break;
	case PRIVLINK_CMD_TARGET_DEL:
		s = tree_str(root, PRIVLINK_TARGET_A_SERVICE);
		tree_u32(root, PRIVLINK_TARGET_A_ADDR, &addr);
		a6 = tree_a6(root, PRIVLINK_TARGET_A_ADDR6);
		if (s && addr)
			pool_del(P_TGT, NULL, s, addr, zero6);
		else if (s && a6)
			pool_del(P_TGT, NULL, s, 0, a6);
		break;
	case PRIVLINK_CMD_ENDPOINT_DEL:
		if ((s = tree_str(root, PRIVLINK_ENDPOINT_A_NAME))) {
			pool_del(P_EP, s, NULL, 0, NULL);
			pool_del_refs(P_ENI, s);
		}
		break;
	case PRIVLINK_CMD_ENI_DEL:
		s = tree_str(root, PRIVLINK_ENI_A_ENDPOINT);
		s2 = tree_str(root, PRIVLINK_ENI_A_AZ);
		if (s && s2)
			pool_del(P_ENI, s2, s, 0, NULL);
		break;
	}
}

struct rx_stats {
	unsigned int msgs, intr, done;
	int last_error;
	bool dump_error;
	/* a dump being counted: names starting with @match */
	const char *match;
	int match_attr;
	unsigned int matched;
	/* and which: seen[K] for the name @match followed by K < nseen */
	uint8_t *seen;
	unsigned int nseen;
};

static void count_error(int err, const struct nlmsghdr *h,
			const struct pending *p)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	const struct nlattr *a;
	bool has_msg = false;
	int rem, off;

	if (err < 0)
		err = -err;
	if (err >= MAX_ERRNO)
		err = MAX_ERRNO - 1;
	st.errors++;
	st.err[err]++;
	if (err == EPERM)
		st.eperm++;
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		goto out;
	off = sizeof(*e);
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	else
		off = sizeof(*e);
	if (NLMSG_HDRLEN + off > (int)h->nlmsg_len)
		goto out;
	for_each_attr(a, (const char *)e + off,
		      (int)h->nlmsg_len - NLMSG_HDRLEN - off, rem) {
		if ((a->nla_type & NLA_TYPE_MASK) != NLMSGERR_ATTR_MSG)
			continue;
		has_msg = true;
		if (!st.err_example[err][0]) {
			int n = nla_plen(a);

			if (n > (int)sizeof(st.err_example[err]) - 1)
				n = sizeof(st.err_example[err]) - 1;
			memcpy(st.err_example[err], nla_data_c(a), n);
			st.err_example[err][n] = 0;
		}
	}
out:
	if (has_msg)
		return;
	st.err_nomsg[err]++;
	if (p && p->type == family_id && !p->damaged)
		nomsg_cmd[p->cmd][err]++;
}

/* A dump listed @a, a name @rx->match followed by a number: note which. */
static void mark_seen(struct rx_stats *rx, const struct nlattr *a)
{
	char name[NAME_MAX_LEN], *end;
	unsigned long k;

	if (!rx->seen)
		return;
	nla_strcpy(name, a);
	k = strtoul(name + strlen(rx->match), &end, 10);
	if (*end == '\0' && end != name + strlen(rx->match) && k < rx->nseen)
		rx->seen[k] = 1;
}

static void rx_one(const struct nlmsghdr *h, struct rx_stats *rx)
{
	struct pending *p = pend_find(h->nlmsg_seq);
	const struct genlmsghdr *g;
	const struct nlattr *top, *a;
	int rem, rem2;

	st.replies++;
	rx->msgs++;
	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		rx->intr++;
	if (h->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(h);

		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
			return;
		rx->last_error = e->error;
		if (!e->error) {
			st.acks++;
			if (p && p->write)
				p->accepted = true;
			if (p && last_req.active)
				last_req.ok = true;
		} else {
			count_error(e->error, h, p);
		}
		return;
	}
	if (h->nlmsg_type == NLMSG_DONE) {
		rx->done++;
		if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) &&
		    *(const int *)NLMSG_DATA(h)) {
			rx->dump_error = true;
			count_error(*(const int *)NLMSG_DATA(h), h, p);
		}
		return;
	}
	if (h->nlmsg_type != family_id ||
	    h->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN)) {
		st.foreign++;	/* the controller's answers */
		return;
	}
	if (p && p->write && !p->dump)
		p->accepted = true;
	if (p && last_req.active)
		last_req.ok = true;
	g = NLMSG_DATA(h);
	if (learn_all || (p && p->write && !p->dump))
		learn(g, h->nlmsg_len - NLMSG_HDRLEN);
	if (!rx->match)
		return;
	for_each_attr(top, g + 1, (int)h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN),
		      rem)
		for_each_attr(a, nla_data_c(top), nla_plen(top), rem2)
			if ((a->nla_type & NLA_TYPE_MASK) == rx->match_attr &&
			    nla_plen(a) > (int)strlen(rx->match) &&
			    !strncmp(nla_data_c(a), rx->match,
				     strlen(rx->match))) {
				rx->matched++;
				mark_seen(rx, a);
			}
}

/*
 * Read what @fd has, without waiting: replies were queued by sendmsg(), and
 * each read of a dump makes the kernel fill its next round.  At most @max
 * datagrams (0: all).
 */
static int drain(int fd, struct rx_stats *rx, unsigned int max)
{
	unsigned int n = 0;

	for (;;) {
		const struct nlmsghdr *h;
		ssize_t len;
		int rem;

		if (max && n >= max)
			return 0;
		if (++n > 200000) {
			st.runaway++;
			return -1;
		}
		len = recv(fd, recvbuf, RECVBUF_SIZE, MSG_DONTWAIT);
		if (len < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				st.enobufs++;
				continue;
			}
			st.unexpected++;
			return 0;
		}
		for (h = (const struct nlmsghdr *)recvbuf, rem = len;
		     NLMSG_OK(h, rem); h = NLMSG_NEXT(h, rem))
			rx_one(h, rx);
	}
}

static void drain_events(void)
{
	ssize_t len;

	if (fd_events < 0)
		return;
	for (;;) {
		len = recv(fd_events, recvbuf, RECVBUF_SIZE, MSG_DONTWAIT);
		if (len > 0) {
			st.events++;
			continue;
		}
		if (len < 0 && errno == ENOBUFS) {
			st.event_overruns++;
			continue;
		}
		return;
	}
}

static void progress(void);

/*
 * The object limit is a privileged knob: whatever the fuzzing did to a
 * datagram, no INFO nest in it asks for more than -m.  Walks it as
 * netlink_rcv_skb() and nla_parse() would.
 */
static void clamp_limits(uint8_t *buf, size_t len)
{
	size_t off = 0, msglen;

	while (len - off >= NLMSG_HDRLEN) {
		struct nlmsghdr *h = (struct nlmsghdr *)(buf + off);
		const struct nlattr *a, *b;
		int rem, rem2;

		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len - off)
			return;
		if (h->nlmsg_type == family_id &&
		    h->nlmsg_len >= NLMSG_LENGTH(GENL_HDRLEN)) {
			for_each_attr(a, buf + off + NLMSG_LENGTH(GENL_HDRLEN),
				      h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN),
				      rem) {
				if ((a->nla_type & NLA_TYPE_MASK) !=
				    PRIVLINK_A_INFO)
					continue;
				for_each_attr(b, nla_data_c(a), nla_plen(a),
					      rem2) {
					uint8_t *v = (uint8_t *)buf +
						     ((const uint8_t *)b - buf) +
						     NLA_HDRLEN;
					uint32_t x;

					if ((b->nla_type & NLA_TYPE_MASK) !=
					    PRIVLINK_INFO_A_MAX_OBJECTS ||
					    nla_plen(b) < 4)
						continue;
					memcpy(&x, v, 4);
					if (x > opt_max_objects) {
						x = opt_max_objects;
						memcpy(v, &x, 4);
					}
				}
			}
		}
		msglen = NLMSG_ALIGN(h->nlmsg_len);
		if (msglen > len - off)
			msglen = len - off;
		off += msglen;
	}
}

/*
 * Send @len bytes of @buf (one or more messages, as built) on @fd and
 * account for them.  @nmsgs: how many messages this counts as.
 */
static int xmit(int fd, void *buf, size_t len, unsigned int nmsgs)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t r;

	st.sends++;
	st.messages += nmsgs;
	progress();
	clamp_limits((uint8_t *)buf, len);
	r = sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa));
	if (r < 0) {
		st.send_errors++;
		return -errno;
	}
	return 0;
}

/* Register the requests in a datagram for reply matching. */
static void pend_add(const struct nlmsghdr *h)
{
	const struct genlmsghdr *g = NLMSG_DATA(h);
	struct pending *p;

	if (n_pend == MAX_PENDING)
		return;
	p = &pend[n_pend++];
	memset(p, 0, sizeof(*p));
	p->seq = h->nlmsg_seq;
	p->type = h->nlmsg_type;
	p->cmd = g->cmd;
	p->dump = (h->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	p->damaged = cur_damaged;
	p->write = h->nlmsg_type == family_id && is_write_cmd(g->cmd) &&
		   (h->nlmsg_flags & NLM_F_REQUEST);
	if (p->write)
		st.write_requests++;
}

static void pend_settle(void)
{
	unsigned int i;

	for (i = 0; i < n_pend; i++)
		if (pend[i].accepted) {
			st.accepted_writes++;
			if (opt_deny)
				fprintf(stderr,
					"plfuzz: write accepted: cmd %u seq %u\n",
					pend[i].cmd, pend[i].seq);
		}
	n_pend = 0;
}

/* Build the header of a message around a serialised tree. */
static size_t build(uint8_t *buf, size_t cap, uint16_t type, uint16_t flags,
		    uint8_t cmd, uint8_t version, const struct node *root)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct genlmsghdr *g = NLMSG_DATA(h);
	long off;

	memset(buf, 0, NLMSG_LENGTH(GENL_HDRLEN));
	off = serialize(root, buf, cap, NLMSG_LENGTH(GENL_HDRLEN));
	if (off < 0)
		return 0;
	h->nlmsg_len = off;
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = next_seq++;
	g->cmd = cmd;
	g->version = version;
	return off;
}

/*
 * One request on the main socket: send, read the replies, settle the
 * model.  Returns the error of the last NLMSG_ERROR seen (0 for an ACK or a
 * reply), 1 when nothing answered.
 */
static int request(uint16_t flags, uint8_t cmd, struct node *root,
		   struct rx_stats *rx_out)
{
	struct rx_stats rx = {};
	size_t len;

	if (rx_out)
		rx = *rx_out;
	len = build(sendbuf, SENDBUF_SIZE, family_id, flags, cmd,
		    PRIVLINK_GENL_VERSION, root);
	if (!len)
		return 1;
	pend_add((struct nlmsghdr *)sendbuf);
	last_req.active = true;
	last_req.ok = false;
	last_req.cmd = cmd;
	last_req.root = root;
	rx.last_error = 1;
	if (!xmit(fd_main, sendbuf, len, 1))
		drain(fd_main, &rx, 0);
	if (last_req.ok && !rx.last_error)
		forget(cmd, root);
	last_req.active = false;
	pend_settle();
	if (rx_out)
		*rx_out = rx;
	return rx.last_error;
}

/* ---- family resolution ---------------------------------------------------- */

static int resolve_family(void)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
		char buf[64];
	} req = {};
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlattr *a = (struct nlattr *)req.buf;
	const struct nlmsghdr *h;
	ssize_t len;
	int rem;

	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(PRIVLINK_GENL_NAME);
	memcpy(req.buf + NLA_HDRLEN, PRIVLINK_GENL_NAME,
	       sizeof(PRIVLINK_GENL_NAME));
	req.h.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + NLA_ALIGN(a->nla_len);
	req.h.nlmsg_type = GENL_ID_CTRL;
	req.h.nlmsg_flags = NLM_F_REQUEST;
	req.h.nlmsg_seq = next_seq++;
	req.g.cmd = CTRL_CMD_GETFAMILY;
	req.g.version = 1;
	if (sendto(fd_main, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return -errno;
	len = recv(fd_main, recvbuf, RECVBUF_SIZE, 0);
	if (len < 0)
		return -errno;
	for (h = (struct nlmsghdr *)recvbuf, rem = len; NLMSG_OK(h, rem);
	     h = NLMSG_NEXT(h, rem)) {
		const struct nlattr *b, *c, *d;
		int r2, r3, r4;

		if (h->nlmsg_type == NLMSG_ERROR)
			return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
		if (h->nlmsg_type != GENL_ID_CTRL)
			continue;
		for_each_attr(b, (const char *)NLMSG_DATA(h) + GENL_HDRLEN,
			      h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), r2) {
			if (b->nla_type == CTRL_ATTR_FAMILY_ID)
				memcpy(&family_id, nla_data_c(b), 2);
			if ((b->nla_type & NLA_TYPE_MASK) !=
			    CTRL_ATTR_MCAST_GROUPS)
				continue;
			for_each_attr(c, nla_data_c(b), nla_plen(b), r3) {
				uint32_t id = 0;
				bool ev = false;

				for_each_attr(d, nla_data_c(c), nla_plen(c),
					      r4) {
					if (d->nla_type == CTRL_ATTR_MCAST_GRP_ID)
						id = nla_u32v(d);
					if (d->nla_type ==
					    CTRL_ATTR_MCAST_GRP_NAME &&
					    !strcmp(nla_data_c(d),
						    PRIVLINK_GENL_MCGRP_EVENTS))
						ev = true;
				}
				if (ev)
					mcgrp_events = id;
			}
		}
	}
	return family_id ? 0 : -ENOENT;
}

/* ---- valid requests -------------------------------------------------------- */

static const char *accounts[] = { "111111111111", "222222222222",
				  "333333333333", "*" };

static const char *existing_or_junk(int p)
{
	const char *s = pick_name(p);

	return s ? s : "nonexistent";
}

/*
 * Build a plausible request of command @cmd under @root.  Returns the
 * netlink flags it wants (NLM_F_DUMP for dumps).
 */
/*
 * A service's HEALTH_CHECK: mostly valid (members within the policy, the
 * timeout not above the interval), sometimes a path or codes the kernel's
 * own checks refuse, or protocol none (which removes the check).
 */
static void put_check(struct node *n)
{
	static const char *const paths[] = { "/", "/health", "/a?b=c", "x", "/a b" };
	static const char *const codes[] = {
		"200", "200-399", "200,202-299", "199", "300-200", "2xx", "200,",
	};
	struct node *c = put_nest(n, PRIVLINK_SERVICE_A_HEALTH_CHECK);
	uint8_t proto = rn(3);
	uint16_t iv = 1 + rn(PRIVLINK_CHECK_INTERVAL_MAX);

	put_u8(c, PRIVLINK_CHECK_A_PROTO, proto);
	if (proto == PRIVLINK_CHECK_NONE)
		return;
	if (chance(50))
		put_u16(c, PRIVLINK_CHECK_A_PORT, rn(65536));
	if (proto == PRIVLINK_CHECK_HTTP && chance(60))
		put_str(c, PRIVLINK_CHECK_A_PATH, paths[rn(5)]);
	if (proto == PRIVLINK_CHECK_HTTP && chance(60))
		put_str(c, PRIVLINK_CHECK_A_CODES, codes[rn(7)]);
	put_u16(c, PRIVLINK_CHECK_A_INTERVAL, iv);
	put_u16(c, PRIVLINK_CHECK_A_TIMEOUT, 1 + rn(chance(90) ? iv : 120));
	if (chance(50))
		put_u8(c, PRIVLINK_CHECK_A_HEALTHY, 2 + rn(9));
	if (chance(50))
		put_u8(c, PRIVLINK_CHECK_A_UNHEALTHY, 2 + rn(9));
}

/*
 * The dual-stack kinds of valid requests, whose answers are counted
 * (plfuzz's summary, "ok_*" in the result line).
 */
enum ds_label {
	DS_NONE, DS_VPC4, DS_VPC6, DS_VPC46, DS_SVC4, DS_SVC6, DS_SVC46,
	DS_TGT4, DS_TGT6, DS_EP4, DS_EP6, DS_EP46, DS_ENI4, DS_ENI6, DS_ENI46,
	DS_MAX
};

static const char *const ds_names[DS_MAX] = {
	"", "vpc4", "vpc6", "vpc_dual", "svc4", "svc6", "svc_dual", "tgt4",
	"tgt6", "ep4", "ep6", "ep_dual", "eni4", "eni6", "eni_dual",
};

static uint64_t ds_sent[DS_MAX], ds_ok[DS_MAX];

/*
 * What gen_valid() built last, for the dual-stack mutations: the object
 * nest, the nests that carry addresses (NLB nodes, ENIs, the target), the
 * address leaves of each family, the IPv6 prefix length and IP type(s)
 * leaves, and what the model says the request's families must be.
 */
#define GV_MAX	8
static struct {
	struct node *top;
	struct node *hold[GV_MAX];	/* nests that hold addresses */
	struct node *a4[GV_MAX], *a6[GV_MAX];	/* by hold[] index */
	unsigned int n_hold;
	struct node *plen6, *types;
	uint8_t want;		/* families the addresses must have; 0: any */
	bool want_sure;		/* the model knows them (IP types given, or
				 * the endpoint's type learned from the
				 * kernel)
				 */
	uint8_t mask;		/* the families the objects involved support
				 * (VPC and service), 0 unknown
				 */
	uint32_t pfx4;		/* the prefixes the addresses lie in */
	uint8_t plen4, pfx6[16], plen6v;
	uint16_t t4, t6;	/* the address attributes of hold[] */
	enum ds_label label;
} gv;

static void gv_hold(struct node *n, struct node *a4, struct node *a6)
{
	if (gv.n_hold == GV_MAX)
		return;
	gv.hold[gv.n_hold] = n;
	gv.a4[gv.n_hold] = a4;
	gv.a6[gv.n_hold++] = a6;
}

static void gv_prefixes(const struct obj *o)
{
	if (!o)
		return;
	gv.pfx4 = o->addr;
	gv.plen4 = o->plen;
	memcpy(gv.pfx6, o->a6, 16);
	gv.plen6v = o->plen6;
}

static struct node *put_a6(struct node *p, uint16_t type, const uint8_t *a)
{
	return node_new(p, type, false, a, 16);
}

/*
 * The addresses of @fams under @n (an NLB node, an ENI, a target): ADDR
 * and ADDR6 of their nest types @t4 and @t6, inside the prefixes of @o (a
 * VPC, or an object that carries its VPC's prefixes).
 */
static void put_addrs(struct node *n, uint8_t fams, uint16_t t4, uint16_t t6,
		      const struct obj *o)
{
	struct node *a4 = NULL, *a6 = NULL;
	uint8_t b[16];

	gv.t4 = t4;
	gv.t6 = t6;
	if (fams & PRIVLINK_IP_V4) {
		a4 = node_new(n, t4, false, NULL, 4);
		if (a4->data) {
			uint32_t v = addr_in(o ? o->addr : 0, o ? o->plen : 0);

			memcpy(a4->data, &v, 4);
		}
	}
	if (fams & PRIVLINK_IP_V6) {
		addr6_in(b, o ? o->a6 : zero6, o ? o->plen6 : 0);
		a6 = put_a6(n, t6, b);
	}
	gv_hold(n, a4, a6);
}

static uint16_t gen_valid(uint8_t cmd, struct node *root)
{
	char nb[NAME_MAX_LEN];
	struct node *n, *l, *e;
	struct obj *o, *v;
	unsigned int i, k;
	uint8_t t, b6[16];

	memset(&gv, 0, sizeof(gv));
	switch (cmd) {
	case PRIVLINK_CMD_GET_INFO:
		return 0;
	case PRIVLINK_CMD_SET_INFO:
		n = put_nest(root, PRIVLINK_A_INFO);
		k = 1 + rn(7);
		if (k & 1)
			put_u32(n, PRIVLINK_INFO_A_MAX_FLOWS,
				chance(50) ? 0 : rn(100000));
		if (k & 2) {
			uint8_t key[PRIVLINK_HASH_KEY_LEN];

			for (i = 0; i < sizeof(key); i++)
				key[i] = rn(256);
			node_new(n, PRIVLINK_INFO_A_HASH_KEY, false, key,
				 sizeof(key));
		}
		if (k & 4)	/* never above the limit set at start */
			put_u32(n, PRIVLINK_INFO_A_MAX_OBJECTS,
				rn(opt_max_objects + 1));
		return 0;
	case PRIVLINK_CMD_AZ_ADD:
		n = put_nest(root, PRIVLINK_A_AZ);
		new_name(nb, "az");
		put_str(n, PRIVLINK_AZ_A_NAME, nb);
		if (chance(30))
			put_u8(n, PRIVLINK_AZ_A_STATE, rn(2));
		return 0;
	case PRIVLINK_CMD_AZ_DEL:
	case PRIVLINK_CMD_AZ_SET:
	case PRIVLINK_CMD_AZ_GET:
		n = put_nest(root, PRIVLINK_A_AZ);
		if (cmd == PRIVLINK_CMD_AZ_GET && chance(50)) {
			return NLM_F_DUMP;
		}
		put_str(n, PRIVLINK_AZ_A_NAME, existing_or_junk(P_AZ));
		if (cmd == PRIVLINK_CMD_AZ_SET)
			put_u8(n, PRIVLINK_AZ_A_STATE,
			       chance(80) ? PRIVLINK_AZ_UP : PRIVLINK_AZ_DOWN);
		return 0;
	case PRIVLINK_CMD_VPC_ADD:
		n = put_nest(root, PRIVLINK_A_VPC);
		new_name(nb, "vpc");
		put_str(n, PRIVLINK_VPC_A_NAME, nb);
		put_str(n, PRIVLINK_VPC_A_ACCOUNT, accounts[rn(3)]);
		gv.top = n;
		/* IPv4 (half of them), IPv6 only, or dualstack */
		t = chance(50) ? PRIVLINK_IP_V4 : 1 + rn(3);
		gv.label = t == PRIVLINK_IP_V4 ? DS_VPC4 :
			   t == PRIVLINK_IP_V6 ? DS_VPC6 : DS_VPC46;
		if (t & PRIVLINK_IP_V4) {
			put_u32(n, PRIVLINK_VPC_A_CIDR_ADDR,
				htonl(0x0a000000 | (rn(256) << 16)));
			put_u8(n, PRIVLINK_VPC_A_CIDR_PLEN, 16 + rn(9));
		}
		if (t & PRIVLINK_IP_V6) {
			uint8_t pl = plen6_rand();

			prefix6_rand(b6, pl);
			gv_hold(n, NULL, put_a6(n, PRIVLINK_VPC_A_CIDR6_ADDR,
						b6));
			gv.plen6 = node_new(n, PRIVLINK_VPC_A_CIDR6_PLEN, false,
					    &pl, 1);
			memcpy(gv.pfx6, b6, 16);
			gv.plen6v = pl;
		}
		if (n_ifindexes && chance(60)) {
			l = put_nest(n, PRIVLINK_VPC_A_IFACES);
			for (k = 1 + rn(2), i = 0; i < k; i++)
				put_u32(l, PRIVLINK_VPC_A_IFINDEX,
					ifindexes[rn(n_ifindexes)]);
		}
		if (chance(20))
			put_u16(n, PRIVLINK_VPC_A_ZONE, 1 + rn(65535));
		return 0;
	case PRIVLINK_CMD_VPC_DEL:
	case PRIVLINK_CMD_VPC_SET:
	case PRIVLINK_CMD_VPC_GET:
		n = put_nest(root, PRIVLINK_A_VPC);
		if (cmd == PRIVLINK_CMD_VPC_GET && chance(50))
			return NLM_F_DUMP;
		put_str(n, PRIVLINK_VPC_A_NAME, existing_or_junk(P_VPC));
		gv.top = n;
		if (cmd == PRIVLINK_CMD_VPC_SET) {
			l = put_nest(n, PRIVLINK_VPC_A_IFACES);
			for (k = rn(3), i = 0; i < k && n_ifindexes; i++)
				put_u32(l, PRIVLINK_VPC_A_IFINDEX,
					ifindexes[rn(n_ifindexes)]);
		}
		return 0;
	case PRIVLINK_CMD_SERVICE_ADD:
		n = put_nest(root, PRIVLINK_A_SERVICE);
		v = chance(50) ? pool_pick_fit(P_VPC, 2 + rn(2)) :
		    pool_pick(P_VPC);
		if (chance(80)) {
			new_name(nb, "svc");
			put_str(n, PRIVLINK_SERVICE_A_NAME, nb);
		}
		put_str(n, PRIVLINK_SERVICE_A_VPC, v ? v->name : "none");
		gv.top = n;
		gv_prefixes(v);
		/* the IP types: those of the VPC (now and then any), given
		 * or taken from the NLB nodes
		 */
		gv.mask = v ? v->types : 0;
		t = chance(95) ? types_in(gv.mask) : 1 + rn(3);
		gv.want = t;
		gv.label = t == PRIVLINK_IP_V4 ? DS_SVC4 :
			   t == PRIVLINK_IP_V6 ? DS_SVC6 : DS_SVC46;
		if (chance(60)) {
			gv.types = node_new(n, PRIVLINK_SERVICE_A_IP_TYPES,
					    false, &t, 1);
			gv.want_sure = true;
		}
		l = put_nest(n, PRIVLINK_SERVICE_A_LISTENERS);
		for (k = 1 + rn(3), i = 0; i < k; i++) {
			e = put_nest(l, PRIVLINK_SERVICE_A_LISTENER);
			put_u8(e, PRIVLINK_LISTENER_A_PROTO,
			       chance(70) ? 6 : 17);
			put_u16(e, PRIVLINK_LISTENER_A_PORT, 1 + rn(65535));
			if (chance(50))
				put_u16(e, PRIVLINK_LISTENER_A_TARGET_PORT,
					1 + rn(65535));
		}
		l = put_nest(n, PRIVLINK_SERVICE_A_NLB_NODES);
		for (k = 1 + rn(2), i = 0; i < k; i++) {
			e = put_nest(l, PRIVLINK_SERVICE_A_NLB_NODE);
			put_str(e, PRIVLINK_NLB_NODE_A_AZ,
				existing_or_junk(P_AZ));
			put_addrs(e, t, PRIVLINK_NLB_NODE_A_ADDR,
				  PRIVLINK_NLB_NODE_A_ADDR6, v);
		}
		if (chance(50))
			put_u8(n, PRIVLINK_SERVICE_A_ACCEPTANCE, rn(2));
		if (chance(70)) {
			l = put_nest(n, PRIVLINK_SERVICE_A_PRINCIPALS);
			for (k = 1 + rn(3), i = 0; i < k; i++)
				put_str(l, PRIVLINK_SERVICE_A_PRINCIPAL,
					accounts[rn(4)]);
		}
		if (chance(30))
			put_u8(n, PRIVLINK_SERVICE_A_CROSS_ZONE, rn(2));
		if (chance(30))
			put_u32(n, PRIVLINK_SERVICE_A_IDLE_TIMEOUT,
				PRIVLINK_IDLE_TIMEOUT_MIN + rn(1000));
		if (chance(30))
			put_check(n);
		return 0;
	case PRIVLINK_CMD_SERVICE_DEL:
	case PRIVLINK_CMD_SERVICE_SET:
	case PRIVLINK_CMD_SERVICE_GET:
		n = put_nest(root, PRIVLINK_A_SERVICE);
		if (cmd == PRIVLINK_CMD_SERVICE_GET && chance(50))
			return NLM_F_DUMP;
		put_str(n, PRIVLINK_SERVICE_A_NAME, existing_or_junk(P_SVC));
		gv.top = n;
		if (cmd != PRIVLINK_CMD_SERVICE_SET)
			return 0;
		if (chance(50))
			put_u8(n, PRIVLINK_SERVICE_A_ACCEPTANCE, rn(2));
		if (chance(40)) {
			l = put_nest(n, PRIVLINK_SERVICE_A_PRINCIPALS);
			for (k = rn(3), i = 0; i < k; i++)
				put_str(l, PRIVLINK_SERVICE_A_PRINCIPAL,
					accounts[rn(4)]);
		}
		if (chance(40))
			put_u8(n, PRIVLINK_SERVICE_A_CROSS_ZONE, rn(2));
		if (chance(40))
			put_u32(n, PRIVLINK_SERVICE_A_IDLE_TIMEOUT,
				PRIVLINK_IDLE_TIMEOUT_MIN + rn(1000));
		if (chance(40))
			put_check(n);
		return 0;
	case PRIVLINK_CMD_TARGET_ADD:
		n = put_nest(root, PRIVLINK_A_TARGET);
		o = pool_pick(P_SVC);
		put_str(n, PRIVLINK_TARGET_A_SERVICE, o ? o->name : "none");
		gv.top = n;
		gv_prefixes(o);
		gv.mask = o ? o->types : 0;
		/* one family, of those the service supports */
		t = types_in(gv.mask);
		if (t == PRIVLINK_IP_DUALSTACK)
			t = chance(50) ? PRIVLINK_IP_V4 : PRIVLINK_IP_V6;
		gv.want = t;
		gv.label = t == PRIVLINK_IP_V4 ? DS_TGT4 : DS_TGT6;
		put_addrs(n, t, PRIVLINK_TARGET_A_ADDR, PRIVLINK_TARGET_A_ADDR6,
			  o);
		put_str(n, PRIVLINK_TARGET_A_AZ, o && o->nazs ?
			o->azs[rn(o->nazs)] : existing_or_junk(P_AZ));
		if (chance(40))
			put_u16(n, PRIVLINK_TARGET_A_PORT, rn(65536));
		if (chance(40))
			put_u16(n, PRIVLINK_TARGET_A_WEIGHT, 1 + rn(100));
		if (chance(40))
			put_u8(n, PRIVLINK_TARGET_A_STATE, rn(3));
		return 0;
	case PRIVLINK_CMD_TARGET_DEL:
	case PRIVLINK_CMD_TARGET_SET:
		n = put_nest(root, PRIVLINK_A_TARGET);
		o = pool_pick(P_TGT);
		put_str(n, PRIVLINK_TARGET_A_SERVICE, o ? o->ref :
			existing_or_junk(P_SVC));
		gv.top = n;
		gv.t4 = PRIVLINK_TARGET_A_ADDR;
		gv.t6 = PRIVLINK_TARGET_A_ADDR6;
		if (o && o->types == PRIVLINK_IP_V6)
			gv_hold(n, NULL, put_a6(n, PRIVLINK_TARGET_A_ADDR6,
						o->a6));
		else
			gv_hold(n, node_new(n, PRIVLINK_TARGET_A_ADDR, false,
					    NULL, 4), NULL);
		if (gv.a4[0] && gv.a4[0]->data) {
			uint32_t a = o ? o->addr : addr_in(0, 0);

			memcpy(gv.a4[0]->data, &a, 4);
		}
		if (o && o->port)
			put_u16(n, PRIVLINK_TARGET_A_PORT, o->port);
		if (cmd == PRIVLINK_CMD_TARGET_SET && chance(30)) {
			/* a checker's verdict (alone, as it must be) */
			l = put_nest(n, PRIVLINK_TARGET_A_HEALTH);
			put_u8(l, PRIVLINK_HEALTH_A_STATE, rn(3));
			put_u8(l, PRIVLINK_HEALTH_A_REASON, rn(8));
			if (chance(50))
				put_u16(l, PRIVLINK_HEALTH_A_CODE, rn(600));
		} else if (cmd == PRIVLINK_CMD_TARGET_SET) {
			if (chance(60))
				put_u16(n, PRIVLINK_TARGET_A_WEIGHT,
					1 + rn(100));
			if (chance(60))
				put_u8(n, PRIVLINK_TARGET_A_STATE, rn(3));
		}
		return 0;
	case PRIVLINK_CMD_TARGET_GET:
		n = put_nest(root, PRIVLINK_A_TARGET);
		if (chance(50))
			put_str(n, PRIVLINK_TARGET_A_SERVICE,
				existing_or_junk(P_SVC));
		return NLM_F_DUMP;
	case PRIVLINK_CMD_ENDPOINT_ADD:
		n = put_nest(root, PRIVLINK_A_ENDPOINT);
		/* half of them: a VPC and a service that have a family
		 * (or both) in common
		 */
		t = chance(50) ? 1 + rn(3) : 0;
		o = pool_pick_fit(P_SVC, t);
		v = pool_pick_fit(P_VPC, t);
		if (chance(80)) {
			new_name(nb, "ep");
			put_str(n, PRIVLINK_ENDPOINT_A_NAME, nb);
		}
		put_str(n, PRIVLINK_ENDPOINT_A_VPC, v ? v->name : "none");
		put_str(n, PRIVLINK_ENDPOINT_A_SERVICE, o ? o->name : "none");
		gv.top = n;
		gv_prefixes(v);
		/* an IP type both support; the default (IPv4 when both
		 * have it, else IPv6) or given
		 */
		gv.mask = (v ? v->types : PRIVLINK_IP_V4) &
			  (o ? o->types : PRIVLINK_IP_V4);
		t = chance(95) ? types_in(gv.mask) : 1 + rn(3);
		if (chance(60) || t != (gv.mask & PRIVLINK_IP_V4 ?
					PRIVLINK_IP_V4 : PRIVLINK_IP_V6)) {
			gv.types = node_new(n, PRIVLINK_ENDPOINT_A_IP_TYPE,
					    false, &t, 1);
			gv.want_sure = true;
		}
		gv.want = t;
		gv.label = t == PRIVLINK_IP_V4 ? DS_EP4 :
			   t == PRIVLINK_IP_V6 ? DS_EP6 : DS_EP46;
		if (o && o->nazs && chance(70)) {
			l = put_nest(n, PRIVLINK_ENDPOINT_A_ENIS);
			for (k = 1 + rn(o->nazs), i = 0; i < k; i++) {
				e = put_nest(l, PRIVLINK_ENDPOINT_A_ENI);
				put_str(e, PRIVLINK_ENI_A_AZ, o->azs[i]);
				put_addrs(e, t, PRIVLINK_ENI_A_ADDR,
					  PRIVLINK_ENI_A_ADDR6, v);
			}
		}
		if (chance(20))
			put_u32(n, PRIVLINK_ENDPOINT_A_MAX_FLOWS, rn(1000));
		return 0;
	case PRIVLINK_CMD_ENDPOINT_DEL:
	case PRIVLINK_CMD_ENDPOINT_GET:
	case PRIVLINK_CMD_ENDPOINT_ACCEPT:
	case PRIVLINK_CMD_ENDPOINT_REJECT:
	case PRIVLINK_CMD_ENDPOINT_SET:
		n = put_nest(root, PRIVLINK_A_ENDPOINT);
		if (cmd == PRIVLINK_CMD_ENDPOINT_GET && chance(50))
			return NLM_F_DUMP;
		put_str(n, PRIVLINK_ENDPOINT_A_NAME, existing_or_junk(P_EP));
		gv.top = n;
		if (cmd == PRIVLINK_CMD_ENDPOINT_SET)
			put_u32(n, PRIVLINK_ENDPOINT_A_MAX_FLOWS, rn(1000));
		return 0;
	case PRIVLINK_CMD_ENI_ADD:
		n = put_nest(root, PRIVLINK_A_ENI);
		o = chance(50) ? pool_pick_fit(P_EP, 2 + rn(2)) :
		    pool_pick(P_EP);
		put_str(n, PRIVLINK_ENI_A_ENDPOINT, o ? o->name : "none");
		put_str(n, PRIVLINK_ENI_A_AZ, o && o->nazs ?
			o->azs[rn(o->nazs)] : existing_or_junk(P_AZ));
		gv.top = n;
		gv_prefixes(o);
		/* the addresses of the endpoint's IP type */
		t = o && o->types ? o->types : PRIVLINK_IP_V4;
		gv.want = t;
		gv.want_sure = o && o->types;
		gv.label = t == PRIVLINK_IP_V4 ? DS_ENI4 :
			   t == PRIVLINK_IP_V6 ? DS_ENI6 : DS_ENI46;
		put_addrs(n, t, PRIVLINK_ENI_A_ADDR, PRIVLINK_ENI_A_ADDR6, o);
		return 0;
	case PRIVLINK_CMD_ENI_DEL:
		n = put_nest(root, PRIVLINK_A_ENI);
		o = pool_pick(P_ENI);
		put_str(n, PRIVLINK_ENI_A_ENDPOINT, o ? o->ref :
			existing_or_junk(P_EP));
		put_str(n, PRIVLINK_ENI_A_AZ, o ? o->azs[0] :
			existing_or_junk(P_AZ));
		return 0;
	case PRIVLINK_CMD_ENI_GET:
		n = put_nest(root, PRIVLINK_A_ENI);
		if (chance(50))
			put_str(n, PRIVLINK_ENI_A_ENDPOINT,
				existing_or_junk(P_EP));
		return NLM_F_DUMP;
	}
	return 0;
}

/* A command, weighted towards adds while the model is small. */
static uint8_t pick_cmd(void)
{
	static const uint8_t adds[] = {
		PRIVLINK_CMD_AZ_ADD, PRIVLINK_CMD_VPC_ADD,
		PRIVLINK_CMD_SERVICE_ADD, PRIVLINK_CMD_TARGET_ADD,
		PRIVLINK_CMD_ENDPOINT_ADD, PRIVLINK_CMD_ENI_ADD,
	};
	unsigned int total = 0, p;

	for (p = 0; p < P_MAX; p++)
		total += pools[p].n;
	if (chance(total < 40 ? 50 : 15)) {
		/* AZs are few (PRIVLINK_MAX_AZS): add them rarely */
		p = rn(sizeof(adds));
		if (p == 0 && pools[P_AZ].n >= 6 && chance(90))
			p = 1 + rn(sizeof(adds) - 1);
		return adds[p];
	}
	return 1 + rn(PRIVLINK_CMD_MAX);
}

/* ---- hostile material ----------------------------------------------------- */

static void rand_bytes(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = rnd();
}

/*
 * A name: valid, invalid, huge, unterminated, empty.  @small: at most 256
 * characters (for lists of many).
 */
static void put_bad_name_len(struct node *p, uint16_t type, bool small)
{
	static const uint32_t lens[] = { 0, 1, 62, 63, 64, 65, 128, 255, 256,
					 1000, 4096, 16000, 65000 };
	uint32_t len = lens[rn(small ? 9 : sizeof(lens) / sizeof(lens[0]))];
	struct node *n;
	uint32_t i;

	n = node_new(p, type, false, NULL, len + 1);
	if (!n->data)
		return;
	memset(n->data, "abcXYZ019._:-"[rn(13)], len);
	for (i = 0; i < len && i < 64; i++)
		n->data[rn(len)] = "abcXYZ019._:-"[rn(13)];
	switch (rn(6)) {
	case 0:		/* no NUL */
		n->data[len] = 'z';
		break;
	case 1:		/* embedded NUL */
		if (len > 2)
			n->data[rn(len)] = 0;
		break;
	case 2:		/* invalid characters */
		if (len)
			n->data[rn(len)] = " /\xff\x01%*"[rn(6)];
		break;
	case 3:		/* the prefix, then long */
		memcpy(n->data, opt_prefix,
		       len < strlen(opt_prefix) ? len : strlen(opt_prefix));
		break;
	}
}

static void put_bad_name(struct node *p, uint16_t type)
{
	put_bad_name_len(p, type, false);
}

static void put_random_attr(struct node *p, int depth)
{
	uint16_t type = chance(80) ? rn(16) : rn(65536);
	uint32_t len;
	struct node *n;
	unsigned int i, k;

	if (depth < 4 && chance(25)) {
		n = put_nest(p, type & NLA_TYPE_MASK);
		if (chance(20))
			n->type &= ~NLA_F_NESTED;
		for (k = rn(4), i = 0; i < k; i++)
			put_random_attr(n, depth + 1);
		return;
	}
	switch (rn(5)) {
	case 0:
		len = 0;
		break;
	case 1:
		len = 1 << rn(4);
		break;
	case 2:
		len = rn(16);
		break;
	case 3:
		put_bad_name(p, type & NLA_TYPE_MASK);
		return;
	default:
		len = rn(300);
	}
	n = node_new(p, type, false, NULL, len);
	if (n->data)
		rand_bytes(n->data, len);
}

static const uint64_t boundaries[] = {
	0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000,
	65535, 65536, 86400, 86401, 1000000, 0x7fffffff, 0x80000000,
	0xffffffff, 0xffffffffffffffffULL,
};

/* One mutation of one node of @root; @cmd may change too. */
static void mutate(struct node *root, uint8_t *cmd)
{
	static struct node *all[4096];
	unsigned int n = tree_collect(root, all, 4096, 0), i, k;
	struct node *t, *w;
	uint64_t v;

	if (!n || chance(5)) {
		*cmd = chance(50) ? rn(PRIVLINK_CMD_MAX + 1) : rn(256);
		return;
	}
	t = all[rn(n)];
	switch (rn(14)) {
	case 0:		/* missing */
		node_unlink(t);
		break;
	case 1:		/* duplicated */
		w = node_copy(NULL, t, 0);
		node_insert_after(t, w);
		if (chance(30))
			for (k = rn(40), i = 0; i < k; i++)
				node_insert_after(t, node_copy(NULL, t, 0));
		break;
	case 2:		/* another type */
		t->type = (t->type & ~NLA_TYPE_MASK) |
			  (chance(60) ? ((t->type & NLA_TYPE_MASK) + rn(3) - 1) &
			   NLA_TYPE_MASK : rn(32));
		break;
	case 3:		/* flags */
		t->type ^= chance(70) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER;
		break;
	case 4:		/* wrong size */
		if (t->nest)
			goto nest_to_leaf;
		k = rn(10);
		w = node_new(NULL, 0, false, NULL, k);
		if (w->data) {
			rand_bytes(w->data, k);
			t->data = w->data;
			t->len = k;
		}
		break;
	case 5:		/* boundary value, same size */
		if (t->nest || !t->len || t->len > 8)
			goto bitflip;
		v = boundaries[rn(sizeof(boundaries) / sizeof(boundaries[0]))];
		if (chance(30))
			v = __builtin_bswap64(v) >> (64 - 8 * (t->len > 8 ? 8 : t->len));
		memcpy(t->data, &v, t->len < 8 ? t->len : 8);
		break;
	case 6:
bitflip:
		if (t->nest || !t->len)
			goto add_kid;
		for (k = 1 + rn(3), i = 0; i < k; i++)
			t->data[rn(t->len)] ^= 1 << rn(8);
		break;
	case 7:		/* a hostile name in its place */
		w = node_new(NULL, 0, false, NULL, 0);
		put_bad_name(w, t->type & NLA_TYPE_MASK);
		if (w->kid) {
			w->kid->parent = NULL;
			w = w->kid;
			w->next = NULL;
			w->type = t->type & ~NLA_F_NESTED;
			if (t->parent) {
				node_insert_after(t, w);
				node_unlink(t);
			}
		}
		break;
	case 8:
add_kid:	/* an extra member */
		if (!t->nest)
			t = t->parent ? t->parent : root;
		put_random_attr(t, 2);
		break;
	case 9:
nest_to_leaf:	/* a nest becomes a blob, or a blob a nest */
		if (t->nest) {
			t->nest = false;
			t->kid = t->last = NULL;
			k = rn(12);
			w = node_new(NULL, 0, false, NULL, k);
			t->data = w->data;
			t->len = w->data ? k : 0;
			if (t->data)
				rand_bytes(t->data, k);
		} else {
			t->nest = true;
			t->type |= NLA_F_NESTED;
			t->len = 0;
			put_random_attr(t, 3);
		}
		break;
	case 10:	/* wrapped in nests */
		if (!t->parent)
			break;
		w = put_nest(NULL, chance(50) ? t->parent->type & NLA_TYPE_MASK :
			     rn(16));
		node_insert_after(t, w);
		node_unlink(t);
		node_append(w, t);
		for (k = rn(12), i = 0; i < k; i++) {
			struct node *o = put_nest(NULL, w->type & NLA_TYPE_MASK);

			node_insert_after(w, o);
			node_unlink(w);
			node_append(o, w);
			w = o;
		}
		break;
	case 11:	/* moved to the top level, or its grandparent */
		if (!t->parent || t->parent == root)
			goto add_kid;
		w = chance(50) || !t->parent->parent ? root : t->parent->parent;
		node_unlink(t);
		node_append(w, t);
		break;
	case 12:	/* a list member, many times */
		if (!t->parent || t->parent == root)
			goto bitflip;
		for (k = 16 + rn(2000), i = 0; i < k && !tree_full; i++)
			node_insert_after(t, node_copy(NULL, t, 0));
		break;
	default:	/* the command */
		*cmd = chance(70) ? 1 + rn(PRIVLINK_CMD_MAX) : rn(256);
		break;
	}
}

/*
 * Dual-stack mutations: one defect in the IPv6 or IP type fields of a valid
 * request (of the last gen_valid()).  Most of them make a request the
 * kernel must refuse whatever else it says ("must"); a request of those
 * that is accepted is a kernel bug, printed with its seed and message
 * number, and counted in ds_invalid_accepted.
 */
enum m6 {
	M6_LEN, M6_GARBAGE, M6_OUTSIDE, M6_HOSTBITS, M6_SPECIAL, M6_ODD_PREFIX,
	M6_PLEN, M6_PLEN_EDGE, M6_NOPLEN, M6_PLEN_ALONE, M6_TYPES,
	M6_TYPES_NODES, M6_NODES_DISAGREE, M6_TGT_BOTH, M6_FAMILY,
	M6_ENI_FAMILY, M6_EP_TYPE, M6_DUP_REQ, M6_DUP_OBJ, M6_MAPPED,
	M6_ANYCAST, M6_FIXED, M6_MAX
};

static const char *const m6_names[M6_MAX] = {
	"addr6_len", "addr6_garbage", "addr6_outside", "prefix_host_bits",
	"prefix_special", "prefix_odd", "plen6_range", "plen6_edge",
	"plen6_missing", "plen6_alone", "ip_type_value", "ip_types_vs_nodes",
	"nodes_disagree", "target_addr_and_addr6", "family_unsupported",
	"eni_family", "ep_type_unsupported", "dup_in_request",
	"dup_of_object", "addr6_v4mapped", "eni_anycast", "fixed_field",
};

static uint64_t m6_sent[M6_MAX], m6_accepted[M6_MAX], m6_must[M6_MAX],
	m6_bad[M6_MAX];

/* A leaf of @len bytes in place of @t (same type). */
static void resize_leaf(struct node *t, uint32_t len)
{
	struct node *w = node_new(NULL, 0, false, NULL, len);

	t->data = w->data;
	t->len = w->data ? len : 0;
	if (t->data)
		rand_bytes(t->data, t->len);
}

/* Flip one of the first @plen bits of @a: outside its prefix. */
static void leave_prefix(uint8_t *a, unsigned int plen)
{
	unsigned int bit = rn(plen);

	a[bit / 8] ^= 0x80 >> (bit % 8);
}

static int mutate6(uint8_t cmd, bool *must)
{
	struct node *a6s[GV_MAX], *n;
	unsigned int n6 = 0, i, k;
	uint8_t ops[M6_MAX], nops = 0, v, b[16];
	bool add = cmd == PRIVLINK_CMD_SERVICE_ADD ||
		   cmd == PRIVLINK_CMD_TARGET_ADD ||
		   cmd == PRIVLINK_CMD_ENDPOINT_ADD ||
		   cmd == PRIVLINK_CMD_ENI_ADD;
	bool nests = cmd == PRIVLINK_CMD_SERVICE_ADD ||
		     cmd == PRIVLINK_CMD_ENDPOINT_ADD;
	int op;

	*must = false;
	if (!gv.top)
		return -1;
	for (i = 0; i < gv.n_hold; i++)
		if (gv.a6[i])
			a6s[n6++] = gv.a6[i];

#define OP(x) (ops[nops++] = (x))
	if (n6) {
		OP(M6_LEN);
		OP(M6_GARBAGE);
	}
	if (n6 && add && gv.plen6v)
		OP(M6_OUTSIDE);
	if (n6 && add)
		OP(M6_MAPPED);
	if (cmd == PRIVLINK_CMD_VPC_ADD && n6) {
		if (gv.plen6v < 128)
			OP(M6_HOSTBITS);
		OP(M6_SPECIAL);
		OP(M6_ODD_PREFIX);
		OP(M6_PLEN);
		OP(M6_PLEN_EDGE);
		OP(M6_NOPLEN);
	}
	if (cmd == PRIVLINK_CMD_VPC_ADD && !n6)
		OP(M6_PLEN_ALONE);
	if (cmd == PRIVLINK_CMD_SERVICE_ADD ||
	    cmd == PRIVLINK_CMD_ENDPOINT_ADD)
		OP(M6_TYPES);
	if (cmd == PRIVLINK_CMD_SERVICE_ADD && gv.n_hold) {
		OP(M6_TYPES_NODES);
		if (gv.n_hold >= 2 || gv.types)
			OP(M6_NODES_DISAGREE);
	}
	if ((cmd == PRIVLINK_CMD_TARGET_ADD || cmd == PRIVLINK_CMD_TARGET_DEL ||
	     cmd == PRIVLINK_CMD_TARGET_SET) && gv.n_hold)
		OP(M6_TGT_BOTH);
	if ((cmd == PRIVLINK_CMD_TARGET_ADD ||
	     cmd == PRIVLINK_CMD_SERVICE_ADD) && gv.n_hold &&
	    gv.mask && gv.mask != PRIVLINK_IP_DUALSTACK)
		OP(M6_FAMILY);
	if (((cmd == PRIVLINK_CMD_ENDPOINT_ADD && gv.want_sure) ||
	     cmd == PRIVLINK_CMD_ENI_ADD) && gv.n_hold)
		OP(M6_ENI_FAMILY);
	if (cmd == PRIVLINK_CMD_ENDPOINT_ADD && gv.mask &&
	    gv.mask != PRIVLINK_IP_DUALSTACK)
		OP(M6_EP_TYPE);
	if (nests && gv.n_hold >= 2)
		OP(M6_DUP_REQ);
	if (n6 && add)
		OP(M6_DUP_OBJ);
	if (n6 && gv.plen6v && gv.plen6v <= 126 &&
	    (cmd == PRIVLINK_CMD_ENI_ADD || cmd == PRIVLINK_CMD_ENDPOINT_ADD))
		OP(M6_ANYCAST);
	if (cmd == PRIVLINK_CMD_VPC_SET || cmd == PRIVLINK_CMD_SERVICE_SET ||
	    cmd == PRIVLINK_CMD_ENDPOINT_SET)
		OP(M6_FIXED);
#undef OP
	if (!nops)
		return -1;
	op = ops[rn(nops)];
	n = a6s[n6 ? rn(n6) : 0];
	switch (op) {
	case M6_LEN: {		/* the policy's exact length */
		static const uint8_t lens[] = { 0, 4, 15, 17, 32 };

		resize_leaf(n, lens[rn(sizeof(lens))]);
		*must = true;
		break;
	}
	case M6_GARBAGE:	/* 16 bytes, anything */
		rand_bytes(n->data, 16);
		break;
	case M6_OUTSIDE:
		leave_prefix(n->data, gv.plen6v);
		*must = true;
		break;
	case M6_MAPPED:		/* an IPv4 address written as IPv6 */
		memset(n->data, 0, 16);
		n->data[10] = n->data[11] = 0xff;
		v = rn(gv.n_hold);
		if (gv.a4[v] && gv.a4[v]->len == 4)
			memcpy(n->data + 12, gv.a4[v]->data, 4);
		else
			rand_bytes(n->data + 12, 4);
		/* outside a prefix that is not ::ffff:0:0/96 or shorter */
		*must = add && gv.plen6v && gv.pfx6[0];
		break;
	case M6_HOSTBITS:
		k = gv.plen6v + rn(128 - gv.plen6v);
		n->data[k / 8] |= 0x80 >> (k % 8);
		*must = true;
		break;
	case M6_SPECIAL: {	/* multicast, link-local, loopback, mapped */
		static const struct { uint8_t b[4]; uint8_t plen; } sp[] = {
			{ { 0xff, 0x00 }, 8 }, { { 0xff, 0x02 }, 16 },
			{ { 0xfe, 0x80 }, 10 }, { { 0xfe, 0x80 }, 64 },
			{ { 0 }, 128 }, { { 0 }, 96 },
		};
		k = rn(sizeof(sp) / sizeof(sp[0]));
		memset(n->data, 0, 16);
		memcpy(n->data, sp[k].b, 4);
		if (k == 4)
			n->data[15] = 1;	/* ::1/128 */
		if (k == 5)
			n->data[10] = n->data[11] = 0xff; /* ::ffff:0:0/96 */
		if (gv.plen6 && gv.plen6->len == 1)
			gv.plen6->data[0] = sp[k].plen;
		*must = true;
		break;
	}
	case M6_ODD_PREFIX: {	/* ::/8, v4-compatible, 6to4, NAT64, ... */
		static const struct { uint8_t b[4]; uint8_t plen; } sp[] = {
			{ { 0 }, 8 }, { { 0 }, 96 }, { { 0x20, 0x02 }, 16 },
			{ { 0x00, 0x64, 0xff, 0x9b }, 96 }, { { 0xfe, 0xc0 }, 10 },
			{ { 0x01, 0x00 }, 64 }, { { 0x20, 0x01, 0x0d, 0xb8 }, 32 },
		};
		k = rn(sizeof(sp) / sizeof(sp[0]));
		memset(n->data, 0, 16);
		memcpy(n->data, sp[k].b, 4);
		if (gv.plen6 && gv.plen6->len == 1)
			gv.plen6->data[0] = sp[k].plen;
		break;
	}
	case M6_PLEN: {
		static const uint8_t bad[] = { 0, 1, 7, 129, 200, 255 };

		if (!gv.plen6 || gv.plen6->len != 1)
			return -1;
		gv.plen6->data[0] = bad[rn(sizeof(bad))];
		*must = true;
		break;
	}
	case M6_PLEN_EDGE:	/* 8 (host bits then) or 128 */
		if (!gv.plen6 || gv.plen6->len != 1)
			return -1;
		gv.plen6->data[0] = chance(50) ? 8 : 128;
		break;
	case M6_NOPLEN:
		if (!gv.plen6)
			return -1;
		node_unlink(gv.plen6);
		*must = true;
		break;
	case M6_PLEN_ALONE:	/* a prefix length, no prefix */
		v = 8 + rn(121);
		node_new(gv.top, PRIVLINK_VPC_A_CIDR6_PLEN, false, &v, 1);
		break;
	case M6_TYPES: {	/* the policy's range */
		static const uint8_t bad[] = { 0, 4, 7, 128, 255 };

		v = bad[rn(sizeof(bad))];
		if (gv.types && gv.types->len == 1)
			gv.types->data[0] = v;
		else
			gv.types = node_new(gv.top,
					    cmd == PRIVLINK_CMD_SERVICE_ADD ?
					    PRIVLINK_SERVICE_A_IP_TYPES :
					    PRIVLINK_ENDPOINT_A_IP_TYPE,
					    false, &v, 1);
		if (chance(20))
			resize_leaf(gv.types, chance(50) ? 0 : 4);
		*must = true;
		break;
	}
	case M6_TYPES_NODES:	/* IP_TYPES that its NLB nodes do not have */
		v = gv.want % 3 + 1;
		if (chance(50) && v % 3 + 1 != gv.want)
			v = v % 3 + 1;
		if (gv.types && gv.types->len == 1)
			gv.types->data[0] = v;
		else
			node_new(gv.top, PRIVLINK_SERVICE_A_IP_TYPES, false,
				 &v, 1);
		*must = true;
		break;
	case M6_NODES_DISAGREE:
	case M6_ENI_FAMILY:	/* one nest with another set of families */
		k = rn(gv.n_hold);
		if (gv.a4[k] && gv.a6[k]) {
			node_unlink(chance(50) ? gv.a4[k] : gv.a6[k]);
		} else if (gv.a4[k]) {
			addr6_in(b, gv.pfx6, gv.plen6v);
			put_a6(gv.hold[k], gv.t6, b);
			if (chance(30))
				node_unlink(gv.a4[k]);
		} else if (gv.a6[k]) {
			put_u32(gv.hold[k], gv.t4,
				addr_in(gv.pfx4, gv.plen4));
			if (chance(30))
				node_unlink(gv.a6[k]);
		}
		/* an ENI's families: those of the endpoint the kernel told */
		*must = op == M6_NODES_DISAGREE || gv.want_sure;
		break;
	case M6_TGT_BOTH:	/* ADDR and ADDR6 together */
		if (gv.a4[0]) {
			addr6_in(b, gv.pfx6, gv.plen6v);
			put_a6(gv.hold[0], PRIVLINK_TARGET_A_ADDR6, b);
		} else {
			put_u32(gv.hold[0], PRIVLINK_TARGET_A_ADDR,
				addr_in(gv.pfx4, gv.plen4));
		}
		*must = true;
		break;
	case M6_FAMILY:		/* a family the service or its VPC lacks */
		for (k = 0; k < gv.n_hold; k++) {
			if (gv.mask == PRIVLINK_IP_V4 && !gv.a6[k]) {
				addr6_in(b, zero6, 0);
				put_a6(gv.hold[k], gv.t6, b);
				if (cmd == PRIVLINK_CMD_TARGET_ADD && gv.a4[k])
					node_unlink(gv.a4[k]);
			} else if (gv.mask == PRIVLINK_IP_V6 && !gv.a4[k]) {
				put_u32(gv.hold[k], gv.t4,
					htonl(0x0a000000 | rn(1 << 24)));
				if (cmd == PRIVLINK_CMD_TARGET_ADD && gv.a6[k])
					node_unlink(gv.a6[k]);
			}
		}
		if (cmd == PRIVLINK_CMD_SERVICE_ADD) {
			v = PRIVLINK_IP_DUALSTACK;
			if (gv.types && gv.types->len == 1)
				gv.types->data[0] = v;
			else if (chance(50))
				node_new(gv.top, PRIVLINK_SERVICE_A_IP_TYPES,
					 false, &v, 1);
		}
		*must = true;
		break;
	case M6_EP_TYPE:	/* an IP type the service or VPC lacks */
		v = gv.mask == PRIVLINK_IP_V4 ?
		    (chance(50) ? PRIVLINK_IP_V6 : PRIVLINK_IP_DUALSTACK) :
		    (chance(50) ? PRIVLINK_IP_V4 : PRIVLINK_IP_DUALSTACK);
		if (gv.types && gv.types->len == 1)
			gv.types->data[0] = v;
		else
			node_new(gv.top, PRIVLINK_ENDPOINT_A_IP_TYPE, false,
				 &v, 1);
		*must = true;
		break;
	case M6_DUP_REQ:	/* two NLB nodes / ENIs, one address */
		if (gv.a6[0] && gv.a6[1] && chance(70)) {
			memcpy(gv.a6[1]->data, gv.a6[0]->data, 16);
		} else if (gv.a4[0] && gv.a4[1]) {
			memcpy(gv.a4[1]->data, gv.a4[0]->data, 4);
		} else {
			return -1;
		}
		*must = true;
		break;
	case M6_DUP_OBJ: {	/* the address of an object that exists */
		const struct obj *o = NULL;

		if (cmd == PRIVLINK_CMD_SERVICE_ADD)
			o = pool_pick(P_SVC);
		else if (cmd == PRIVLINK_CMD_TARGET_ADD)
			o = pool_pick(P_TGT);
		else
			o = pool_pick(P_ENI);
		if (!o)
			return -1;
		memcpy(n->data, cmd == PRIVLINK_CMD_SERVICE_ADD ? o->nlb6 :
		       o->a6, 16);
		break;
	}
	case M6_ANYCAST:
		memcpy(n->data, gv.pfx6, 16);
		*must = true;
		break;
	case M6_FIXED:		/* what only an ADD sets */
		if (cmd != PRIVLINK_CMD_VPC_SET) {
			v = 1 + rn(3);
			node_new(gv.top, cmd == PRIVLINK_CMD_SERVICE_SET ?
				 PRIVLINK_SERVICE_A_IP_TYPES :
				 PRIVLINK_ENDPOINT_A_IP_TYPE, false, &v, 1);
			*must = true;
			break;
		}
		/*
		 * A VPC's zone never changes.  An IPv6 prefix it may be given
		 * once (when it lacks one and no VPC of its table overlaps
		 * it), so a prefix with its length is no must-refuse: taken,
		 * the reply teaches the model the VPC's new family.
		 */
		if (chance(40)) {
			uint16_t z = 1 + rn(65535);

			node_new(gv.top, PRIVLINK_VPC_A_ZONE, false, &z, 2);
			*must = true;
			break;
		}
		prefix6_rand(b, 64);
		put_a6(gv.top, PRIVLINK_VPC_A_CIDR6_ADDR, b);
		v = 64;
		if (chance(60))
			node_new(gv.top, PRIVLINK_VPC_A_CIDR6_PLEN, false, &v, 1);
		else
			*must = true;	/* the length is missing */
		break;
	}
	return op;
}

/* A chain of nests @depth deep, of a self-recursive list type. */
static void gen_deep(struct node *root, uint8_t *cmd)
{
	static const struct {
		uint8_t cmd;
		uint16_t top, list, leaf;
	} chains[] = {
		{ PRIVLINK_CMD_VPC_SET, PRIVLINK_A_VPC, PRIVLINK_VPC_A_IFACES,
		  PRIVLINK_VPC_A_IFINDEX },
		{ PRIVLINK_CMD_VPC_ADD, PRIVLINK_A_VPC, PRIVLINK_VPC_A_IFACES,
		  PRIVLINK_VPC_A_IFINDEX },
		{ PRIVLINK_CMD_SERVICE_ADD, PRIVLINK_A_SERVICE,
		  PRIVLINK_SERVICE_A_LISTENERS, PRIVLINK_SERVICE_A_LISTENER },
		{ PRIVLINK_CMD_SERVICE_ADD, PRIVLINK_A_SERVICE,
		  PRIVLINK_SERVICE_A_NLB_NODES, PRIVLINK_SERVICE_A_NLB_NODE },
		{ PRIVLINK_CMD_SERVICE_SET, PRIVLINK_A_SERVICE,
		  PRIVLINK_SERVICE_A_PRINCIPALS, PRIVLINK_SERVICE_A_PRINCIPAL },
		{ PRIVLINK_CMD_ENDPOINT_ADD, PRIVLINK_A_ENDPOINT,
		  PRIVLINK_ENDPOINT_A_ENIS, PRIVLINK_ENDPOINT_A_ENI },
	};
	static const unsigned int depths[] = { 2, 5, 8, 9, 10, 11, 12, 20,
					       100, 1000, 4000, 16000 };
	unsigned int c = rn(sizeof(chains) / sizeof(chains[0]));
	unsigned int depth = depths[rn(sizeof(depths) / sizeof(depths[0]))];
	struct node *n, *top;
	unsigned int i;

	*cmd = chains[c].cmd;
	gen_valid(*cmd, root);
	top = root->kid;
	if (!top) {
		top = put_nest(root, chains[c].top);
		put_str(top, 1, existing_or_junk(P_VPC));
	}
	n = top;
	for (i = 0; i < depth && !tree_full; i++)
		n = put_nest(n, chance(95) ? chains[c].list : rn(16));
	if (chance(50))
		put_u32(n, chains[c].leaf, n_ifindexes ? ifindexes[0] : 1);
	else
		put_nest(n, chains[c].leaf);
}

/* Huge names and lists in a valid request. */
static void gen_huge(struct node *root, uint8_t *cmd)
{
	static const uint8_t cmds[] = {
		PRIVLINK_CMD_AZ_ADD, PRIVLINK_CMD_VPC_ADD,
		PRIVLINK_CMD_SERVICE_ADD, PRIVLINK_CMD_SERVICE_SET,
		PRIVLINK_CMD_ENDPOINT_ADD, PRIVLINK_CMD_TARGET_ADD,
		PRIVLINK_CMD_ENI_ADD, PRIVLINK_CMD_ENDPOINT_GET,
		PRIVLINK_CMD_AZ_DEL, PRIVLINK_CMD_VPC_SET,
	};
	static struct node *all[4096];
	struct node *t, *l;
	unsigned int n, i, k;

	*cmd = cmds[rn(sizeof(cmds))];
	gen_valid(*cmd, root);
	n = tree_collect(root, all, 4096, 0);
	if (!n)
		return;
	switch (rn(3)) {
	case 0:		/* every string replaced */
		for (i = 0; i < n; i++) {
			t = all[i];
			if (t->nest || t->len < 2 || t->data[t->len - 1] ||
			    !t->parent || !chance(60))
				continue;
			l = node_new(NULL, 0, false, NULL, 0);
			put_bad_name(l, 0);
			if (l->kid) {
				t->data = l->kid->data;
				t->len = l->kid->len;
			}
		}
		break;
	default:	/* a list of many members */
		t = root->kid;
		if (!t)
			return;
		l = put_nest(t, 5 + rn(5));
		for (k = 17 + rn(chance(50) ? 100 : 6000), i = 0;
		     i < k && arena_used < 200000; i++) {
			if (chance(50)) {
				put_u32(l, rn(8), rn(64));
			} else {
				struct node *e = put_nest(l, 4 + rn(4));

				put_bad_name_len(e, 1, true);
				put_u32(e, 2, rnd());
			}
		}
	}
}

/* ---- dumps ----------------------------------------------------------------- */

static const uint8_t get_cmds[] = {
	PRIVLINK_CMD_AZ_GET, PRIVLINK_CMD_VPC_GET, PRIVLINK_CMD_SERVICE_GET,
	PRIVLINK_CMD_TARGET_GET, PRIVLINK_CMD_ENDPOINT_GET, PRIVLINK_CMD_ENI_GET,
};

/* A plain dump of @cmd on @fd; counts the members named @match... */
static int dump(int fd, uint8_t cmd, struct rx_stats *rx)
{
	struct node *root;
	size_t len;

	tree_reset();
	root = node_new(NULL, 0, true, NULL, 0);
	len = build(sendbuf, SENDBUF_SIZE, family_id,
		    NLM_F_REQUEST | NLM_F_DUMP, cmd, 1, root);
	st.dumps++;
	pend_add((struct nlmsghdr *)sendbuf);
	if (xmit(fd, sendbuf, len, 1))
		return -1;
	drain(fd, rx, 0);
	pend_settle();
	st.dump_intr += rx->intr ? 1 : 0;
	st.dumps_done += rx->done;
	return 0;
}

/* burst_made[i]: the burst's i-th object was created (its ACK came) */
static uint8_t *burst_made;
static unsigned int burst_n;	/* objects the burst tried */

/*
 * Dumps around a configuration of many objects of @cmd's kind, whose names
 * start with @match (attribute @attr): a full dump must list @want of them;
 * a dump interrupted by deletions must be flagged; one abandoned half-way
 * must leave nothing behind; a request on a socket with a dump running is
 * refused.  @del deletes one object (the i-th of the burst).
 */
static void dumps_around(uint8_t cmd, const char *match, int attr,
			 unsigned int want, void (*del)(unsigned int),
			 unsigned int *deleted)
{
	/* which objects a dump listed, when their names are numbered (the
	 * targets are counted by their service's name)
	 */
	uint8_t *seen = cmd == PRIVLINK_CMD_TARGET_GET ? NULL :
			calloc(burst_n ? burst_n : 1, 1);
	unsigned int i, shown = 0;
	uint64_t enobufs = st.enobufs, unexpected = st.unexpected;
	struct rx_stats rx;
	int fd, tries;

	for (tries = 0; tries < 3; tries++) {
		memset(&rx, 0, sizeof(rx));
		rx.match = match;
		rx.match_attr = attr;
		if (seen) {
			memset(seen, 0, burst_n);
			rx.seen = seen;
			rx.nseen = burst_n;
		}
		dump(fd_main, cmd, &rx);
		if (!rx.intr)
			break;
	}
	if (rx.intr) {
		/* another writer in the namespace kept changing it */
		st.burst_dump_unchecked++;
	} else if (rx.matched != want || rx.dump_error) {
		st.burst_dump_bad++;
		printf("plfuzz: burst dump of cmd %u listed %u of %u (%s%s)\n",
		       cmd, rx.matched, want, rx.intr ? "interrupted" : "whole",
		       rx.dump_error ? ", error" : "");
		/* how the dump's receiving went */
		printf("plfuzz: it had %u messages, %u DONE, last error %d, try %d; ENOBUFS %" PRIu64
		       ", other receive errors %" PRIu64 " meanwhile\n",
		       rx.msgs, rx.done, rx.last_error, tries + 1,
		       st.enobufs - enobufs, st.unexpected - unexpected);
		/* the first few created and not listed, by name */
		for (i = 0; seen && burst_made && i < burst_n && shown < 8; i++)
			if (burst_made[i] && !seen[i]) {
				printf("plfuzz: burst object %s%u was created and not listed\n",
				       match, i);
				shown++;
			}
	}
	free(seen);

	/* interrupted: one round, a change, the rest */
	fd = nl_socket();
	if (fd < 0)
		return;
	tree_reset();
	{
		struct node *root = node_new(NULL, 0, true, NULL, 0);
		size_t len = build(sendbuf, SENDBUF_SIZE, family_id,
				   NLM_F_REQUEST | NLM_F_DUMP, cmd, 1, root);

		memset(&rx, 0, sizeof(rx));
		st.dumps++;
		if (!xmit(fd, sendbuf, len, 1)) {
			drain(fd, &rx, 1);
			/* a request on the socket whose dump is running */
			len = build(sendbuf, SENDBUF_SIZE, family_id,
				    NLM_F_REQUEST | NLM_F_DUMP, cmd, 1, root);
			if (!xmit(fd, sendbuf, len, 1))
				st.dump_busy++;
			del((*deleted)++);
			drain(fd, &rx, 0);
			st.dump_intr += rx.intr ? 1 : 0;
			st.dumps_done += rx.done;
		}
	}
	close(fd);

	/* abandoned: one round, then the socket goes */
	fd = nl_socket();
	if (fd < 0)
		return;
	tree_reset();
	{
		struct node *root = node_new(NULL, 0, true, NULL, 0);
		size_t len = build(sendbuf, SENDBUF_SIZE, family_id,
				   NLM_F_REQUEST | NLM_F_DUMP, cmd, 1, root);

		memset(&rx, 0, sizeof(rx));
		st.dumps++;
		if (!xmit(fd, sendbuf, len, 1))
			drain(fd, &rx, 1 + rn(2));
		st.dumps_abandoned++;
	}
	close(fd);
}

/* ---- bursts ---------------------------------------------------------------- */

static char scaf_az[2][NAME_MAX_LEN], scaf_prov[NAME_MAX_LEN],
	scaf_cons[NAME_MAX_LEN], scaf_svc[NAME_MAX_LEN];
static unsigned int burst_no;
static int scaf_ifindex[2];	/* -i: the provider's, the consumer's */
static unsigned int scaf_no;	/* from the prefix: NLB node addresses */
static char burst_prefix[NAME_MAX_LEN];
static unsigned int *burst_order;
static bool burst_dual;		/* a target burst's service is dualstack */
static uint64_t burst_ds_objects;	/* IPv6-only and dualstack ones */

/* The scaffold's IPv6 prefixes: fd00:ac1f::/48 (the provider, beside
 * 172.31.0.0/16) and fd00:10:200::/48 (the consumer, beside 10.200.0.0/16).
 */
static const uint8_t prov6[16] = { 0xfd, 0x00, 0xac, 0x1f };
static const uint8_t cons6[16] = { 0xfd, 0x00, 0x00, 0x10, 0x02, 0x00 };

/* The objects bursts build on (re-made when the fuzzing removed them). */
static void scaffold(void)
{
	struct node *root, *n, *l, *e;
	char nb[NAME_MAX_LEN];
	uint8_t b6[16];
	unsigned int i;

	snprintf(scaf_prov, sizeof(scaf_prov), "%s-s-prov", opt_prefix);
	snprintf(scaf_cons, sizeof(scaf_cons), "%s-s-cons", opt_prefix);
	snprintf(scaf_svc, sizeof(scaf_svc), "%s-s-svc", opt_prefix);
	for (i = 0; i < 2; i++) {
		snprintf(scaf_az[i], sizeof(scaf_az[i]), "%s-s-az%u",
			 opt_prefix, i + 1);
		tree_reset();
		root = node_new(NULL, 0, true, NULL, 0);
		n = put_nest(root, PRIVLINK_A_AZ);
		put_str(n, PRIVLINK_AZ_A_NAME, scaf_az[i]);
		request(NLM_F_REQUEST | NLM_F_ACK, PRIVLINK_CMD_AZ_ADD, root,
			NULL);
		tree_reset();
		root = node_new(NULL, 0, true, NULL, 0);
		n = put_nest(root, PRIVLINK_A_AZ);
		put_str(n, PRIVLINK_AZ_A_NAME, scaf_az[i]);
		put_u8(n, PRIVLINK_AZ_A_STATE, PRIVLINK_AZ_UP);
		request(NLM_F_REQUEST | NLM_F_ACK, PRIVLINK_CMD_AZ_SET, root,
			NULL);
	}
	for (i = 0; i < 2; i++) {
		tree_reset();
		root = node_new(NULL, 0, true, NULL, 0);
		n = put_nest(root, PRIVLINK_A_VPC);
		put_str(n, PRIVLINK_VPC_A_NAME, i ? scaf_cons : scaf_prov);
		put_str(n, PRIVLINK_VPC_A_ACCOUNT, accounts[i]);
		put_u32(n, PRIVLINK_VPC_A_CIDR_ADDR,
			htonl(i ? 0x0ac80000 : 0xac1f0000));
		put_u8(n, PRIVLINK_VPC_A_CIDR_PLEN, 16);
		put_a6(n, PRIVLINK_VPC_A_CIDR6_ADDR, i ? cons6 : prov6);
		put_u8(n, PRIVLINK_VPC_A_CIDR6_PLEN, 48);
		if (scaf_ifindex[i]) {
			l = put_nest(n, PRIVLINK_VPC_A_IFACES);
			put_u32(l, PRIVLINK_VPC_A_IFINDEX, scaf_ifindex[i]);
		}
		if (request(NLM_F_REQUEST | NLM_F_ACK, PRIVLINK_CMD_VPC_ADD,
			    root, NULL) && scaf_ifindex[i]) {
			/* it exists: its interface back, if the fuzzing
			 * moved it
			 */
			tree_reset();
			root = node_new(NULL, 0, true, NULL, 0);
			n = put_nest(root, PRIVLINK_A_VPC);
			put_str(n, PRIVLINK_VPC_A_NAME,
				i ? scaf_cons : scaf_prov);
			l = put_nest(n, PRIVLINK_VPC_A_IFACES);
			put_u32(l, PRIVLINK_VPC_A_IFINDEX, scaf_ifindex[i]);
			request(NLM_F_REQUEST | NLM_F_ACK,
				PRIVLINK_CMD_VPC_SET, root, NULL);
		}
	}
	tree_reset();
	root = node_new(NULL, 0, true, NULL, 0);
	n = put_nest(root, PRIVLINK_A_SERVICE);
	put_str(n, PRIVLINK_SERVICE_A_NAME, scaf_svc);
	put_str(n, PRIVLINK_SERVICE_A_VPC, scaf_prov);
	l = put_nest(n, PRIVLINK_SERVICE_A_LISTENERS);
	e = put_nest(l, PRIVLINK_SERVICE_A_LISTENER);
	put_u8(e, PRIVLINK_LISTENER_A_PROTO, 6);
	put_u16(e, PRIVLINK_LISTENER_A_PORT, 443);
	e = put_nest(l, PRIVLINK_SERVICE_A_LISTENER);
	put_u8(e, PRIVLINK_LISTENER_A_PROTO, 17);
	put_u16(e, PRIVLINK_LISTENER_A_PORT, 53);
	put_u16(e, PRIVLINK_LISTENER_A_TARGET_PORT, 5353);
	/* dualstack: NLB nodes 172.31.255.X and fd00:ac1f::ffX */
	put_u8(n, PRIVLINK_SERVICE_A_IP_TYPES, PRIVLINK_IP_DUALSTACK);
	l = put_nest(n, PRIVLINK_SERVICE_A_NLB_NODES);
	for (i = 0; i < 2; i++) {
		e = put_nest(l, PRIVLINK_SERVICE_A_NLB_NODE);
		put_str(e, PRIVLINK_NLB_NODE_A_AZ, scaf_az[i]);
		put_u32(e, PRIVLINK_NLB_NODE_A_ADDR,
			htonl(0xac1fff00 + 2 * scaf_no + i));
		addr6_mk(b6, prov6, 0, 0xff00 + 2 * scaf_no + i);
		put_a6(e, PRIVLINK_NLB_NODE_A_ADDR6, b6);
	}
	put_u8(n, PRIVLINK_SERVICE_A_ACCEPTANCE, PRIVLINK_ACCEPTANCE_AUTO);
	l = put_nest(n, PRIVLINK_SERVICE_A_PRINCIPALS);
	put_str(l, PRIVLINK_SERVICE_A_PRINCIPAL, "*");
	request(NLM_F_REQUEST | NLM_F_ACK, PRIVLINK_CMD_SERVICE_ADD, root,
		NULL);
	/* a target of each family in each AZ (172.31.1.10, .11,
	 * fd00:ac1f:0:1::a, ::b)
	 */
	for (i = 0; i < 4; i++) {
		tree_reset();
		root = node_new(NULL, 0, true, NULL, 0);
		n = put_nest(root, PRIVLINK_A_TARGET);
		put_str(n, PRIVLINK_TARGET_A_SERVICE, scaf_svc);
		addr6_mk(b6, prov6, 1, 0x0a + (i & 1));
		if (i < 2)
			put_u32(n, PRIVLINK_TARGET_A_ADDR,
				htonl(0xac1f010a + i));
		else
			put_a6(n, PRIVLINK_TARGET_A_ADDR6, b6);
		put_str(n, PRIVLINK_TARGET_A_AZ, scaf_az[i & 1]);
		request(NLM_F_REQUEST | NLM_F_ACK, PRIVLINK_CMD_TARGET_ADD,
			root, NULL);
	}
	/* a dualstack endpoint that stays: ENIs 10.200.255.10 and .11,
	 * fd00:10:200:ff::a and ::b
	 */
	tree_reset();
	root = node_new(NULL, 0, true, NULL, 0);
	n = put_nest(root, PRIVLINK_A_ENDPOINT);
	snprintf(nb, sizeof(nb), "%s-s-ep", opt_prefix);
	put_str(n, PRIVLINK_ENDPOINT_A_NAME, nb);
	put_str(n, PRIVLINK_ENDPOINT_A_VPC, scaf_cons);
	put_str(n, PRIVLINK_ENDPOINT_A_SERVICE, scaf_svc);
	put_u8(n, PRIVLINK_ENDPOINT_A_IP_TYPE, PRIVLINK_IP_DUALSTACK);
	l = put_nest(n, PRIVLINK_ENDPOINT_A_ENIS);
	for (i = 0; i < 2; i++) {
		e = put_nest(l, PRIVLINK_ENDPOINT_A_ENI);
		put_str(e, PRIVLINK_ENI_A_AZ, scaf_az[i]);
		put_u32(e, PRIVLINK_ENI_A_ADDR, htonl(0x0ac8ff0a + i));
		addr6_mk(b6, cons6, 0xff, 0x0a + i);
		put_a6(e, PRIVLINK_ENI_A_ADDR6, b6);
	}
	request(NLM_F_REQUEST | NLM_F_ACK, PRIVLINK_CMD_ENDPOINT_ADD, root,
		NULL);
	tree_reset();
	root = node_new(NULL, 0, true, NULL, 0);
	n = put_nest(root, PRIVLINK_A_ENDPOINT);
	put_str(n, PRIVLINK_ENDPOINT_A_NAME, nb);
	request(NLM_F_REQUEST | NLM_F_ACK, PRIVLINK_CMD_ENDPOINT_ACCEPT, root,
		NULL);
}

static void burst_name(char *buf, unsigned int i)
{
	snprintf(buf, NAME_MAX_LEN, "%.40s%u", burst_prefix, i);
}

static void burst_del_endpoint(unsigned int i)
{
	char nb[NAME_MAX_LEN];
	struct node *root, *n;

	burst_name(nb, burst_order ? burst_order[i] : i);
	tree_reset();
	root = node_new(NULL, 0, true, NULL, 0);
	n = put_nest(root, PRIVLINK_A_ENDPOINT);
	put_str(n, PRIVLINK_ENDPOINT_A_NAME, nb);
	request(NLM_F_REQUEST | NLM_F_ACK, PRIVLINK_CMD_ENDPOINT_DEL, root,
		NULL);
}

static void burst_del_vpc(unsigned int i)
{
	char nb[NAME_MAX_LEN];
	struct node *root, *n;

	burst_name(nb, burst_order ? burst_order[i] : i);
	tree_reset();
	root = node_new(NULL, 0, true, NULL, 0);
	n = put_nest(root, PRIVLINK_A_VPC);
	put_str(n, PRIVLINK_VPC_A_NAME, nb);
	request(NLM_F_REQUEST | NLM_F_ACK, PRIVLINK_CMD_VPC_DEL, root, NULL);
}

/* The address of a target burst's @i-th target: every other one IPv6
 * (fd00:ac1f:0:2::X) when the burst's service is dualstack.
 */
static void burst_target_addr(struct node *n, unsigned int i)
{
	uint8_t b6[16];

	if (burst_dual && (i & 1)) {
		addr6_mk(b6, prov6, 2, 256 + i);
		put_a6(n, PRIVLINK_TARGET_A_ADDR6, b6);
	} else {
		put_u32(n, PRIVLINK_TARGET_A_ADDR, htonl(0xac1f0000 + 256 + i));
	}
}

static void burst_del_target(unsigned int i)
{
	struct node *root, *n;
	unsigned int k = burst_order ? burst_order[i] : i;

	tree_reset();
	root = node_new(NULL, 0, true, NULL, 0);
	n = put_nest(root, PRIVLINK_A_TARGET);
	put_str(n, PRIVLINK_TARGET_A_SERVICE, burst_prefix);
	burst_target_addr(n, k);
	request(NLM_F_REQUEST | NLM_F_ACK, PRIVLINK_CMD_TARGET_DEL, root,
		NULL);
}

static void shuffle(unsigned int *v, unsigned int n)
{
	unsigned int i, j, t;

	for (i = 0; i < n; i++)
		v[i] = i;
	for (i = n; i > 1; i--) {
		j = rn(i);
		t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* Create thousands of objects, dump them, delete them. */
static void burst(void)
{
	unsigned int kind = rn(3), n = opt_burst / 3 + rn(opt_burst * 2 / 3 + 1);
	unsigned int i, made = 0, deleted = 0;
	char nb[NAME_MAX_LEN];
	struct node *root, *t, *l, *e;
	void (*del)(unsigned int);
	uint8_t ty, b6[16];

	st.bursts++;
	burst_no++;
	if (!opt_deny)
		scaffold();
	if (kind == 1 && n > PRIVLINK_MAX_TARGETS)
		n = PRIVLINK_MAX_TARGETS;
	burst_n = n;
	burst_made = calloc(n ? n : 1, 1);
	/* "B" is in no other name plfuzz makes */
	snprintf(burst_prefix, sizeof(burst_prefix), "%s.B%u.", opt_prefix,
		 burst_no);
	if (kind == 1) {	/* a service of its own, for its targets */
		snprintf(burst_prefix, sizeof(burst_prefix), "%s.B%u.svc",
			 opt_prefix, burst_no);
		tree_reset();
		root = node_new(NULL, 0, true, NULL, 0);
		t = put_nest(root, PRIVLINK_A_SERVICE);
		put_str(t, PRIVLINK_SERVICE_A_NAME, burst_prefix);
		put_str(t, PRIVLINK_SERVICE_A_VPC, opt_deny ?
			existing_or_junk(P_VPC) : scaf_prov);
		l = put_nest(t, PRIVLINK_SERVICE_A_LISTENERS);
		e = put_nest(l, PRIVLINK_SERVICE_A_LISTENER);
		put_u8(e, PRIVLINK_LISTENER_A_PROTO, 17);
		put_u16(e, PRIVLINK_LISTENER_A_PORT, 53);
		l = put_nest(t, PRIVLINK_SERVICE_A_NLB_NODES);
		e = put_nest(l, PRIVLINK_SERVICE_A_NLB_NODE);
		put_str(e, PRIVLINK_NLB_NODE_A_AZ, opt_deny ?
			existing_or_junk(P_AZ) : scaf_az[0]);
		put_u32(e, PRIVLINK_NLB_NODE_A_ADDR,
			htonl(0xac1f8000 + (scaf_no << 8) + (burst_no & 0xff)));
		burst_dual = chance(50);
		if (burst_dual) {	/* fd00:ac1f:0:80::X */
			uint8_t b6[16];

			addr6_mk(b6, prov6, 0x80,
				 (scaf_no << 8) + (burst_no & 0xff));
			put_a6(e, PRIVLINK_NLB_NODE_A_ADDR6, b6);
		}
		request(NLM_F_REQUEST | NLM_F_ACK, PRIVLINK_CMD_SERVICE_ADD,
			root, NULL);
	}
	if (opt_verbose)
		fprintf(stderr, "plfuzz: burst %u: kind %u, %u objects\n",
			burst_no, kind, n);
	for (i = 0; i < n && (!opt_count || st.messages < opt_count); i++) {
		tree_reset();
		root = node_new(NULL, 0, true, NULL, 0);
		burst_name(nb, i);
		switch (kind) {
		case 0:
			t = put_nest(root, PRIVLINK_A_ENDPOINT);
			put_str(t, PRIVLINK_ENDPOINT_A_NAME, nb);
			put_str(t, PRIVLINK_ENDPOINT_A_VPC, opt_deny ?
				existing_or_junk(P_VPC) : scaf_cons);
			put_str(t, PRIVLINK_ENDPOINT_A_SERVICE, opt_deny ?
				existing_or_junk(P_SVC) : scaf_svc);
			/* IPv4, IPv6 and dualstack in turn: ENIs
			 * 10.200.X.Y and/or fd00:10:200::X
			 */
			ty = 1 + i % 3;
			put_u8(t, PRIVLINK_ENDPOINT_A_IP_TYPE, ty);
			l = put_nest(t, PRIVLINK_ENDPOINT_A_ENIS);
			e = put_nest(l, PRIVLINK_ENDPOINT_A_ENI);
			put_str(e, PRIVLINK_ENI_A_AZ, opt_deny ?
				existing_or_junk(P_AZ) : scaf_az[i & 1]);
			if (ty & PRIVLINK_IP_V4)
				put_u32(e, PRIVLINK_ENI_A_ADDR,
					htonl(0x0ac80000 + 2 + i));
			if (ty & PRIVLINK_IP_V6) {
				addr6_mk(b6, cons6, 0, 2 + i);
				put_a6(e, PRIVLINK_ENI_A_ADDR6, b6);
			}
			if (!request(NLM_F_REQUEST | NLM_F_ACK,
				     PRIVLINK_CMD_ENDPOINT_ADD, root, NULL)) {
				made++;
				if (burst_made)
					burst_made[i] = 1;
				burst_ds_objects += ty != PRIVLINK_IP_V4;
			}
			break;
		case 1:
			t = put_nest(root, PRIVLINK_A_TARGET);
			put_str(t, PRIVLINK_TARGET_A_SERVICE, burst_prefix);
			burst_target_addr(t, i);
			put_str(t, PRIVLINK_TARGET_A_AZ, opt_deny ?
				existing_or_junk(P_AZ) : scaf_az[0]);
			if (!request(NLM_F_REQUEST | NLM_F_ACK,
				     PRIVLINK_CMD_TARGET_ADD, root, NULL)) {
				made++;
				if (burst_made)
					burst_made[i] = 1;
				burst_ds_objects += burst_dual && (i & 1);
			}
			break;
		default:
			t = put_nest(root, PRIVLINK_A_VPC);
			put_str(t, PRIVLINK_VPC_A_NAME, nb);
			put_str(t, PRIVLINK_VPC_A_ACCOUNT, accounts[i % 3]);
			/* IPv4, IPv6 and dualstack in turn: 11.X.Y.0/24
			 * and/or fd0b:B:X::/64
			 */
			ty = 1 + i % 3;
			if (ty & PRIVLINK_IP_V4) {
				put_u32(t, PRIVLINK_VPC_A_CIDR_ADDR,
					htonl(0x0b000000 + (i << 8)));
				put_u8(t, PRIVLINK_VPC_A_CIDR_PLEN, 24);
			}
			if (ty & PRIVLINK_IP_V6) {
				memset(b6, 0, sizeof(b6));
				b6[0] = 0xfd;
				b6[1] = 0x0b;
				b6[2] = burst_no >> 8;
				b6[3] = burst_no;
				b6[4] = i >> 8;
				b6[5] = i;
				put_a6(t, PRIVLINK_VPC_A_CIDR6_ADDR, b6);
				put_u8(t, PRIVLINK_VPC_A_CIDR6_PLEN, 64);
			}
			if (!request(NLM_F_REQUEST | NLM_F_ACK,
				     PRIVLINK_CMD_VPC_ADD, root, NULL)) {
				made++;
				if (burst_made)
					burst_made[i] = 1;
				burst_ds_objects += ty != PRIVLINK_IP_V4;
			}
			break;
		}
		if (!(i % 64))
			drain_events();
	}
	n = i;
	st.burst_objects += made;
	/* refused deletes of what the burst's objects depend on */
	if (kind == 0 && !opt_deny) {
		tree_reset();
		root = node_new(NULL, 0, true, NULL, 0);
		t = put_nest(root, PRIVLINK_A_SERVICE);
		put_str(t, PRIVLINK_SERVICE_A_NAME, scaf_svc);
		request(NLM_F_REQUEST | NLM_F_ACK, PRIVLINK_CMD_SERVICE_DEL,
			root, NULL);
		tree_reset();
		root = node_new(NULL, 0, true, NULL, 0);
		t = put_nest(root, PRIVLINK_A_VPC);
		put_str(t, PRIVLINK_VPC_A_NAME, scaf_cons);
		request(NLM_F_REQUEST | NLM_F_ACK, PRIVLINK_CMD_VPC_DEL,
			root, NULL);
	}
	burst_order = calloc(n ? n : 1, sizeof(*burst_order));
	if (!burst_order) {
		free(burst_made);
		burst_made = NULL;
		return;
	}
	shuffle(burst_order, n);
	del = kind == 0 ? burst_del_endpoint : kind == 1 ? burst_del_target :
	      burst_del_vpc;
	if (n)
		dumps_around(kind == 0 ? PRIVLINK_CMD_ENDPOINT_GET :
			     kind == 1 ? PRIVLINK_CMD_TARGET_GET :
			     PRIVLINK_CMD_VPC_GET,
			     kind == 1 ? burst_prefix : burst_prefix,
			     kind == 1 ? PRIVLINK_TARGET_A_SERVICE : 1,
			     made, del, &deleted);
	if (kind == 1 && chance(50)) {
		/* the service goes, its targets with it */
		tree_reset();
		root = node_new(NULL, 0, true, NULL, 0);
		t = put_nest(root, PRIVLINK_A_SERVICE);
		put_str(t, PRIVLINK_SERVICE_A_NAME, burst_prefix);
		request(NLM_F_REQUEST | NLM_F_ACK, PRIVLINK_CMD_SERVICE_DEL,
			root, NULL);
		deleted = n;
	}
	for (; deleted < n; deleted++) {
		del(deleted);
		if (!(deleted % 64))
			drain_events();
	}
	if (kind == 1) {
		tree_reset();
		root = node_new(NULL, 0, true, NULL, 0);
		t = put_nest(root, PRIVLINK_A_SERVICE);
		put_str(t, PRIVLINK_SERVICE_A_NAME, burst_prefix);
		request(NLM_F_REQUEST | NLM_F_ACK, PRIVLINK_CMD_SERVICE_DEL,
			root, NULL);
	}
	free(burst_order);
	burst_order = NULL;
	free(burst_made);
	burst_made = NULL;
	drain_events();
}

/* ---- interfaces that come and go (rtnetlink) ------------------------------ */

static int fd_rt = -1;
static struct {
	char name[IFNAMSIZ];
	bool vrf;
} links[16];
static unsigned int n_links, link_no;
static uint64_t link_ops, link_ok;

/* -x: interfaces the random requests leave alone (comma-separated names) */
static char *opt_exclude;

static bool excluded(const char *name)
{
	const char *p = opt_exclude;
	size_t n = strlen(name);

	while (p && *p) {
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

static void refresh_ifindexes(void)
{
	struct if_nameindex *ifs = if_nameindex(), *p;

	n_ifindexes = 0;
	for (p = ifs; p && p->if_index && n_ifindexes < 64; p++)
		if (!excluded(p->if_name))
			ifindexes[n_ifindexes++] = p->if_index;
	if (ifs)
		if_freenameindex(ifs);
}

static struct nlattr *rt_put(struct nlmsghdr *h, uint16_t type,
			     const void *data, uint16_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)h +
					     NLMSG_ALIGN(h->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}

static void rt_end(struct nlmsghdr *h, struct nlattr *nest)
{
	nest->nla_len = (char *)h + h->nlmsg_len - (char *)nest;
}

/*
 * One change of the namespace's interfaces under privlink's VPCs: a dummy
 * or a VRF device appears, one of those goes, one is enslaved to a VRF or
 * released.  The netdevice notifier drops vanished interfaces from VPCs;
 * new interfaces (and reused indexes) go into the requests.
 */
static void link_churn(void)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
		char attrs[256];
	} m;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlattr *li, *data;
	unsigned int k, op = rn(4);
	uint32_t v;
	ssize_t len;

	if (fd_rt < 0)
		return;
	memset(&m, 0, sizeof(m));
	m.h.nlmsg_len = NLMSG_LENGTH(sizeof(m.i));
	m.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	m.h.nlmsg_seq = next_seq++;
	m.i.ifi_family = AF_UNSPEC;
	if (op <= 1 && n_links < 16) {		/* a new dummy or VRF */
		k = n_links++;
		links[k].vrf = op == 1;
		snprintf(links[k].name, IFNAMSIZ, "f%u%c%u",
			 (unsigned int)getpid() % 1000, op ? 'v' : 'd',
			 link_no++ % 10000);
		m.h.nlmsg_type = RTM_NEWLINK;
		m.h.nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
		m.i.ifi_flags = m.i.ifi_change = IFF_UP;
		rt_put(&m.h, IFLA_IFNAME, links[k].name,
		       strlen(links[k].name) + 1);
		li = rt_put(&m.h, IFLA_LINKINFO | NLA_F_NESTED, NULL, 0);
		rt_put(&m.h, IFLA_INFO_KIND, op ? "vrf" : "dummy",
		       op ? 4 : 6);
		if (op) {
			data = rt_put(&m.h, IFLA_INFO_DATA | NLA_F_NESTED,
				      NULL, 0);
			v = 1000 + k;
			rt_put(&m.h, IFLA_VRF_TABLE, &v, 4);
			rt_end(&m.h, data);
		}
		rt_end(&m.h, li);
	} else if (op == 2 && n_links) {	/* one goes */
		k = rn(n_links);
		m.h.nlmsg_type = RTM_DELLINK;
		rt_put(&m.h, IFLA_IFNAME, links[k].name,
		       strlen(links[k].name) + 1);
		links[k] = links[--n_links];
	} else if (n_links) {			/* enslaved or released */
		k = rn(n_links);
		m.h.nlmsg_type = RTM_NEWLINK;
		rt_put(&m.h, IFLA_IFNAME, links[k].name,
		       strlen(links[k].name) + 1);
		v = 0;
		for (op = 0; op < n_links; op++)
			if (links[op].vrf && op != k && chance(50))
				v = if_nametoindex(links[op].name);
		rt_put(&m.h, IFLA_MASTER, &v, 4);
	} else {
		return;
	}
	link_ops++;
	if (sendto(fd_rt, &m, m.h.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return;
	len = recv(fd_rt, recvbuf, RECVBUF_SIZE, 0);
	if (len >= (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) &&
	    !((struct nlmsgerr *)NLMSG_DATA((struct nlmsghdr *)recvbuf))->error)
		link_ok++;
	else if (m.h.nlmsg_type == RTM_NEWLINK &&
		 (m.h.nlmsg_flags & NLM_F_CREATE))
		n_links--;	/* not made (no vrf module?) */
	refresh_ifindexes();
}

/* ---- one hostile message --------------------------------------------------- */

/* Byte-level damage to a built message of @len bytes; returns the length
 * to send (nlmsg_len may then disagree with it).
 */
static size_t damage(uint8_t *buf, size_t len)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	size_t cut;

	switch (rn(6)) {
	case 0:		/* truncated: nlmsg_len follows */
		cut = rn(len + 1);
		h->nlmsg_len = cut < NLMSG_HDRLEN ? h->nlmsg_len : cut;
		return cut < NLMSG_HDRLEN ? NLMSG_HDRLEN : cut;
	case 1:		/* truncated: nlmsg_len says more */
		return NLMSG_HDRLEN + rn(len - NLMSG_HDRLEN + 1);
	case 2:		/* nlmsg_len says less, attributes cut */
		h->nlmsg_len = NLMSG_HDRLEN + rn(len - NLMSG_HDRLEN + 1);
		return len;
	case 3: {	/* an attribute's length */
		size_t off = NLMSG_LENGTH(GENL_HDRLEN);

		if (len <= off + NLA_HDRLEN)
			return len;
		off += 4 * rn((len - off) / 4);
		if (off + 2 <= len) {
			uint16_t v = chance(50) ? rn(65536) : rn(16);

			memcpy(buf + off, &v, 2);
		}
		return len;
	}
	case 4:		/* random bytes after the genl header */
		for (cut = 1 + rn(4); cut; cut--)
			buf[NLMSG_HDRLEN + rn(len - NLMSG_HDRLEN)] ^= 1 << rn(8);
		return len;
	default:	/* garbage appended, nlmsg_len covering it or not */
		cut = rn(64);
		rand_bytes(buf + len, cut);
		if (chance(50))
			h->nlmsg_len = len + cut;
		return len + cut;
	}
}

static void header_mutation(struct nlmsghdr *h)
{
	struct genlmsghdr *g = NLMSG_DATA(h);

	switch (rn(8)) {
	case 0:
		h->nlmsg_flags = rn(65536);
		break;
	case 1:
		h->nlmsg_flags |= NLM_F_DUMP;
		break;
	case 2:
		h->nlmsg_flags &= ~NLM_F_REQUEST;
		break;
	case 3:
		h->nlmsg_flags |= 1 << rn(16);
		break;
	case 4:
		g->version = rnd();
		break;
	case 5:
		g->reserved = rnd();
		break;
	case 6:		/* control types; the generic netlink controller */
		h->nlmsg_type = chance(60) ? rn(NLMSG_MIN_TYPE + 1) :
				GENL_ID_CTRL;
		if (h->nlmsg_type == GENL_ID_CTRL)
			g->cmd = CTRL_CMD_GETFAMILY;
		break;
	default:
		h->nlmsg_pid = rnd();
		h->nlmsg_seq = rnd();
		break;
	}
}

static const char *cmd_name(uint8_t cmd)
{
	static char b[8];

	snprintf(b, sizeof(b), "%u", cmd);
	return b;
}

/*
 * A request the kernel must have refused was accepted: the reproducer (the
 * seed and the message's number replay it; its bytes) on stdout.
 */
static void report_bad(const char *what, uint8_t cmd, size_t len)
{
	static unsigned int shown;
	size_t i;

	printf("plfuzz: ACCEPTED although invalid (%s): seed %" PRIu64
	       ", message %" PRIu64 ", command %u, %zu bytes\n", what,
	       opt_seed, st.messages, cmd, len);
	if (shown++ >= 20)
		return;
	printf("plfuzz:   ");
	for (i = 0; i < len && i < 1024; i++)
		printf("%02x%s", sendbuf[i], (i + 1) % 32 ? "" : "\nplfuzz:   ");
	printf("\n");
	fflush(stdout);
}

static uint64_t ds_bad_total(void)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < M6_MAX; i++)
		n += m6_bad[i];
	return n;
}

static void one(void)
{
	unsigned int r = rn(1000);
	enum kind kind;
	struct node *root;
	uint16_t flags;
	uint8_t cmd;
	size_t len, sent;
	unsigned int nmsgs = 1, i;
	struct rx_stats rx = {};
	enum ds_label label = DS_NONE;
	int m6 = -1;
	bool must = false, accepted;

	tree_reset();
	root = node_new(NULL, 0, true, NULL, 0);
	if (r < 330)
		kind = K_VALID;
	else if (r < 660)
		kind = K_MUTATED;
	else if (r < 700)
		kind = K_UNKNOWN_CMD;
	else if (r < 740)
		kind = K_RANDOM_ATTRS;
	else if (r < 790)
		kind = K_HEADER;
	else if (r < 830)
		kind = K_HUGE;
	else if (r < 870)
		kind = K_DEEP;
	else if (r < 890)
		kind = K_OVERSIZED;
	else if (r < 940)
		kind = K_TRUNCATED;
	else if (r < 980)
		kind = K_DUMP;
	else
		kind = K_MULTI;
	kind_count[kind]++;

	cmd = pick_cmd();
	flags = NLM_F_REQUEST | (chance(90) ? NLM_F_ACK : 0);
	switch (kind) {
	case K_VALID:
		flags |= gen_valid(cmd, root);
		label = gv.label;
		break;
	case K_MUTATED:
		flags |= gen_valid(cmd, root);
		/* the dual-stack fields, when the request has them */
		if (chance(45))
			m6 = mutate6(cmd, &must);
		if (m6 < 0)
			mutate(root, &cmd);
		break;
	case K_UNKNOWN_CMD:
		cmd = chance(30) ? 0 : PRIVLINK_CMD_MAX + 1 + rn(256 - PRIVLINK_CMD_MAX - 1);
		if (chance(50))
			gen_valid(pick_cmd(), root);
		else
			put_random_attr(root, 0);
		if (chance(30))
			flags |= NLM_F_DUMP;
		break;
	case K_RANDOM_ATTRS:
		for (i = rn(6); i; i--)
			put_random_attr(root, 0);
		if (chance(20))
			flags |= NLM_F_DUMP;
		break;
	case K_HEADER:
		flags |= gen_valid(cmd, root);
		break;
	case K_HUGE:
		gen_huge(root, &cmd);
		break;
	case K_DEEP:
		gen_deep(root, &cmd);
		break;
	case K_OVERSIZED: {
		struct node *t;
		uint32_t k;

		flags |= gen_valid(cmd, root);
		t = root->kid ? root->kid : root;
		k = 60000 + rn(5000);
		if (chance(50)) {	/* one attribute near 64k */
			struct node *b = node_new(t, rn(12), false, NULL, k);

			if (b->data)
				rand_bytes(b->data, 64);
		} else {		/* a nest beyond 64k: its length wraps */
			struct node *b = put_nest(t, 1 + rn(10));

			for (i = 3 + rn(3); i; i--)
				node_new(b, rn(12), false, NULL, k);
		}
		break;
	}
	case K_TRUNCATED:
	case K_MULTI:
		flags |= gen_valid(cmd, root);
		if (chance(30))
			mutate(root, &cmd);
		break;
	case K_DUMP:
		cmd = chance(85) ? get_cmds[rn(sizeof(get_cmds))] :
		      rn(PRIVLINK_CMD_MAX + 2);
		gen_valid(cmd, root);
		flags |= NLM_F_DUMP;
		if (chance(30))
			mutate(root, &cmd);
		break;
	default:
		break;
	}
	if (tree_full) {
		tree_reset();
		root = node_new(NULL, 0, true, NULL, 0);
	}
	len = build(sendbuf, SENDBUF_SIZE / 2, family_id, flags, cmd,
		    PRIVLINK_GENL_VERSION, root);
	if (!len) {
		tree_reset();
		root = node_new(NULL, 0, true, NULL, 0);
		len = build(sendbuf, SENDBUF_SIZE / 2, family_id, flags, cmd,
			    PRIVLINK_GENL_VERSION, root);
	}
	sent = len;
	cur_damaged = kind == K_HEADER || kind == K_TRUNCATED ||
		      kind == K_MULTI;
	if (kind == K_HEADER)
		header_mutation((struct nlmsghdr *)sendbuf);
	pend_add((struct nlmsghdr *)sendbuf);
	if (kind == K_TRUNCATED)
		sent = damage(sendbuf, len);
	if (kind == K_MULTI) {
		/* several requests in one datagram, the last maybe cut */
		for (nmsgs = 2 + rn(6), i = 1; i < nmsgs; i++) {
			struct node *r2;
			uint8_t c2 = pick_cmd();
			size_t l2;

			tree_reset();
			r2 = node_new(NULL, 0, true, NULL, 0);
			flags = NLM_F_REQUEST | NLM_F_ACK | gen_valid(c2, r2);
			if (chance(30))
				mutate(r2, &c2);
			l2 = build(sendbuf + sent, SENDBUF_SIZE / 2 - sent,
				   family_id, flags, c2, 1, r2);
			if (!l2)
				break;
			pend_add((struct nlmsghdr *)(sendbuf + sent));
			if (i == nmsgs - 1 && chance(30))
				l2 = damage(sendbuf + sent, l2);
			sent += NLMSG_ALIGN(l2);
		}
		nmsgs = i;
	}
	if (opt_verbose)
		fprintf(stderr, "%" PRIu64 " %s cmd %s flags 0x%x len %zu\n",
			st.messages, kind_names[kind], cmd_name(cmd), flags,
			sent);
	last_req.active = nmsgs == 1;
	last_req.ok = false;
	last_req.cmd = cmd;
	last_req.root = root;
	rx.last_error = 1;
	if (!xmit(fd_main, sendbuf, sent, nmsgs))
		drain(fd_main, &rx, 0);
	if (kind == K_DUMP) {
		st.dumps++;
		st.dump_intr += rx.intr ? 1 : 0;
		st.dumps_done += rx.done;
	}
	if (last_req.active && last_req.ok && !rx.last_error &&
	    ((struct nlmsghdr *)sendbuf)->nlmsg_type == family_id)
		forget(cmd, root);
	accepted = last_req.ok && rx.last_error <= 0;
	if (label) {
		ds_sent[label]++;
		ds_ok[label] += accepted;
	}
	if (m6 >= 0) {
		m6_sent[m6]++;
		m6_accepted[m6] += accepted;
		m6_must[m6] += must;
		if (must && accepted) {
			m6_bad[m6]++;
			report_bad(m6_names[m6], cmd, sent);
		}
	}
	last_req.active = false;
	pend_settle();
	cur_damaged = false;
}

/* ---- main ------------------------------------------------------------------ */

static struct timespec t0;

static double elapsed(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9;
}

static int kmsg_fd = -1;

/* Every 5000 messages: a line on stdout and in the kernel log. */
static void progress(void)
{
	static uint64_t next = 5000;
	char line[160];
	int n;

	if (st.messages < next)
		return;
	next += 5000;
	n = snprintf(line, sizeof(line),
		     "plfuzz: seed %" PRIu64 ": %" PRIu64 " messages, %.0f/s\n",
		     opt_seed, st.messages, st.messages / elapsed());
	fputs(line, stdout);
	fflush(stdout);
	if (kmsg_fd >= 0 && write(kmsg_fd, line, n) < 0) {
		close(kmsg_fd);
		kmsg_fd = -1;
	}
}

static void learn_existing(void)
{
	struct rx_stats rx;
	unsigned int i;

	learn_all = true;
	for (i = 0; i < sizeof(get_cmds); i++) {
		memset(&rx, 0, sizeof(rx));
		dump(fd_main, get_cmds[i], &rx);
	}
	learn_all = false;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: plfuzz [-s SEED] [-n COUNT] [-t SECONDS] [-p PREFIX] [-m MAX_OBJECTS]\n"
		"              [-b BURST] [-i CONSUMER_IF,PROVIDER_IF] [-x IF,...] [-d] [-l] [-v]\n"
		"  -s SEED        the PRNG's seed (default: from the clock; printed)\n"
		"  -n COUNT       netlink messages to send (default 100000; 0: no limit)\n"
		"  -t SECONDS     stop after SECONDS (soak)\n"
		"  -p PREFIX      prefix of the names it creates (default plfuzz)\n"
		"  -m N           lower the namespace's object limit to N first, never ask\n"
		"                 for more (default 20000)\n"
		"  -b N           objects per burst, at most (default 3000)\n"
		"  -i C,P         put its scaffold's consumer VPC (10.200.0.0/16 and\n"
		"                 fd00:10:200::/48: the ENIs of endpoint bursts, and\n"
		"                 10.200.255.10-11, fd00:10:200:ff::a-b always) on C and its\n"
		"                 provider VPC (172.31.0.0/16 and fd00:ac1f::/48, targets\n"
		"                 172.31.1.10-11, fd00:ac1f:0:1::a-b, udp/53 to 5353, tcp/443)\n"
		"                 on P, for traffic of both families during the fuzzing\n"
		"  -x IF,...      interfaces no random request names (default: those of -i)\n"
		"  -d             the caller may not change anything: exit 3 if a change\n"
		"                 was accepted\n"
		"  -l             leave the namespace's interfaces alone (by default, as\n"
		"                 root, it adds and removes dummy and VRF devices)\n"
		"  -v             trace every message on stderr\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t seed_state;
	struct node *root, *n;
	unsigned int i;
	int c, err;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	opt_seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	while ((c = getopt(argc, argv, "s:n:t:p:m:b:i:x:dlvh")) != -1) {
		switch (c) {
		case 's':
			opt_seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			opt_count = strtoull(optarg, NULL, 0);
			break;
		case 't':
			opt_seconds = strtoul(optarg, NULL, 0);
			if (!opt_seconds)
				usage();
			break;
		case 'p':
			opt_prefix = optarg;
			if (!*optarg || strlen(optarg) > 24)
				usage();
			break;
		case 'm':
			opt_max_objects = strtoul(optarg, NULL, 0);
			if (!opt_max_objects)
				usage();
			break;
		case 'b':
			opt_burst = strtoul(optarg, NULL, 0);
			break;
		case 'd':
			opt_deny = true;
			break;
		case 'l':
			opt_links = false;
			break;
		case 'x':
			opt_exclude = optarg;
			break;
		case 'i': {
			char *ifs = strdup(optarg), *comma;

			if (!opt_exclude)	/* the scaffold's alone */
				opt_exclude = optarg;
			comma = ifs ? strchr(ifs, ',') : NULL;
			if (!comma)
				usage();
			*comma = 0;
			scaf_ifindex[0] = if_nametoindex(comma + 1);
			scaf_ifindex[1] = if_nametoindex(ifs);
			free(ifs);
			if (!scaf_ifindex[0] || !scaf_ifindex[1]) {
				fprintf(stderr, "plfuzz: -i %s: no such interface\n",
					optarg);
				return 2;
			}
			break;
		}
		case 'v':
			opt_verbose = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	for (i = 0; opt_prefix[i]; i++)
		scaf_no = scaf_no * 31 + (unsigned char)opt_prefix[i];
	scaf_no %= 100;
	if (opt_seconds && !opt_count)
		opt_count = 0;
	if (!opt_seconds && !opt_count)
		usage();
	seed_state = opt_seed;
	for (i = 0; i < 4; i++)
		rs[i] = splitmix64(&seed_state);

	sendbuf = calloc(1, SENDBUF_SIZE + 64);
	recvbuf = malloc(RECVBUF_SIZE);
	arena = malloc(ARENA_SIZE);
	for (i = 0; i < P_MAX; i++)
		pools[i].v = calloc(POOL_CAP, sizeof(struct obj));
	if (!sendbuf || !recvbuf || !arena || !pools[P_MAX - 1].v) {
		fprintf(stderr, "plfuzz: out of memory\n");
		return 1;
	}
	fd_main = nl_socket();
	if (fd_main < 0) {
		perror("plfuzz: netlink socket");
		return 1;
	}
	err = resolve_family();
	if (err) {
		fprintf(stderr, "plfuzz: no \"%s\" generic netlink family: %s\n",
			PRIVLINK_GENL_NAME, strerror(-err));
		return 1;
	}
	printf("plfuzz: seed %" PRIu64 " (replay: plfuzz -s %" PRIu64, opt_seed,
	       opt_seed);
	for (i = 1; i < (unsigned int)argc; i++) {
		if (!strcmp(argv[i], "-s")) {
			i++;
			continue;
		}
		if (strncmp(argv[i], "-s", 2))
			printf(" %s", argv[i]);
	}
	printf("), family %u, events group %u\n", family_id, mcgrp_events);
	kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (kmsg_fd >= 0) {
		char line[128];
		int len = snprintf(line, sizeof(line),
				   "plfuzz: seed %" PRIu64 ", %" PRIu64
				   " messages\n", opt_seed, opt_count);

		if (write(kmsg_fd, line, len) < 0) {
			close(kmsg_fd);
			kmsg_fd = -1;
		}
	}

	refresh_ifindexes();
	if (!opt_deny) {
		fd_rt = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
			       NETLINK_ROUTE);
		if (fd_rt >= 0 && opt_links) {
			struct timeval tv = { .tv_sec = 10 };

			setsockopt(fd_rt, SOL_SOCKET, SO_RCVTIMEO, &tv,
				   sizeof(tv));
		} else if (fd_rt >= 0) {
			close(fd_rt);
			fd_rt = -1;
		}
	}

	fd_events = nl_socket();
	if (fd_events >= 0 && mcgrp_events) {
		if (setsockopt(fd_events, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			       &mcgrp_events, sizeof(mcgrp_events))) {
			st.mcast_denied++;
			close(fd_events);
			fd_events = -1;
		} else {
			st.mcast_joined++;
		}
	}

	/* the object limit of this namespace: lowered, never raised */
	tree_reset();
	root = node_new(NULL, 0, true, NULL, 0);
	n = put_nest(root, PRIVLINK_A_INFO);
	put_u32(n, PRIVLINK_INFO_A_MAX_OBJECTS, opt_max_objects);
	request(NLM_F_REQUEST | NLM_F_ACK, PRIVLINK_CMD_SET_INFO, root, NULL);

	learn_existing();
	if (!opt_deny)
		scaffold();

	while (!opt_count || st.messages < opt_count) {
		if (opt_seconds && elapsed() >= opt_seconds)
			break;
		/* a burst early on, then now and then */
		if ((st.bursts == 0 && st.messages >= 1000) ||
		    rn(15000) == 0)
			burst();
		else
			one();
		if (!(st.sends % 64))
			drain_events();
		if (fd_rt >= 0 && !rn(250))
			link_churn();
		/* the traffic's path (-i) back now and then */
		if (scaf_ifindex[0] && !opt_deny && !rn(1500))
			scaffold();
	}
	drain_events();

	{
		double secs = elapsed();
		uint64_t ds_invalid = 0, ds_invalid_accepted = 0,
			 ds_mutated = 0;

		printf("plfuzz: seed %" PRIu64 ": %" PRIu64
		       " messages in %.1f s, %.0f messages/s\n", opt_seed,
		       st.messages, secs, st.messages / secs);
		printf("plfuzz: kinds:");
		for (i = 0; i < K_MAX; i++)
			printf(" %s=%" PRIu64, kind_names[i], kind_count[i]);
		printf("\n");
		printf("plfuzz: dual stack, valid requests accepted/sent:");
		for (i = 1; i < DS_MAX; i++)
			printf(" %s=%" PRIu64 "/%" PRIu64, ds_names[i], ds_ok[i],
			       ds_sent[i]);
		printf("\nplfuzz: dual-stack mutations (accepted/sent, must be refused):");
		for (i = 0; i < M6_MAX; i++) {
			printf(" %s=%" PRIu64 "/%" PRIu64, m6_names[i],
			       m6_accepted[i], m6_sent[i]);
			if (m6_must[i])
				printf("(%" PRIu64 ")", m6_must[i]);
			ds_invalid += m6_must[i];
			ds_invalid_accepted += m6_bad[i];
			ds_mutated += m6_sent[i];
		}
		printf("\nplfuzz: dual-stack bursts: %" PRIu64 " objects, %" PRIu64
		       " of them IPv6 or dualstack\n", st.burst_objects,
		       burst_ds_objects);
		for (i = 0; i < MAX_ERRNO; i++)
			if (st.err[i])
				printf("plfuzz: errno %u (%s): %" PRIu64
				       ", %" PRIu64 " without a message%s%s%s\n",
				       i, strerror(i), st.err[i], st.err_nomsg[i],
				       st.err_example[i][0] ? ", e.g. \"" : "",
				       st.err_example[i],
				       st.err_example[i][0] ? "\"" : "");
		for (c = 0; c < 256; c++)
			for (i = 0; i < MAX_ERRNO; i++)
				if (nomsg_cmd[c][i] && i != EPERM &&
				    i != EOPNOTSUPP && i != EBUSY)
					printf("plfuzz: command %d: errno %u (%s) without a message: %" PRIu64 "\n",
					       c, i, strerror(i), nomsg_cmd[c][i]);
		printf("result: seed=%" PRIu64 " messages=%" PRIu64
		       " seconds=%.0f rate=%.0f sends=%" PRIu64
		       " send_errors=%" PRIu64 " replies=%" PRIu64
		       " acks=%" PRIu64 " errors=%" PRIu64
		       " write_requests=%" PRIu64 " accepted_writes=%" PRIu64
		       " eperm=%" PRIu64 " dumps=%" PRIu64
		       " dumps_done=%" PRIu64 " dump_intr=%" PRIu64
		       " dumps_abandoned=%" PRIu64 " bursts=%" PRIu64
		       " burst_objects=%" PRIu64 " burst_dump_bad=%" PRIu64
		       " burst_dump_unchecked=%" PRIu64
		       " events=%" PRIu64 " event_overruns=%" PRIu64
		       " enobufs=%" PRIu64 " foreign=%" PRIu64 " unexpected=%" PRIu64
		       " runaway=%" PRIu64 " mcast_joined=%" PRIu64
		       " mcast_denied=%" PRIu64 " link_ops=%" PRIu64
		       " link_ok=%" PRIu64 " ds_mutated=%" PRIu64
		       " ds_invalid=%" PRIu64 " ds_invalid_accepted=%" PRIu64
		       " burst_ds_objects=%" PRIu64,
		       opt_seed, st.messages, secs, st.messages / secs,
		       st.sends, st.send_errors, st.replies, st.acks,
		       st.errors, st.write_requests, st.accepted_writes,
		       st.eperm, st.dumps, st.dumps_done, st.dump_intr,
		       st.dumps_abandoned, st.bursts, st.burst_objects,
		       st.burst_dump_bad, st.burst_dump_unchecked, st.events, st.event_overruns,
		       st.enobufs, st.foreign, st.unexpected, st.runaway, st.mcast_joined,
		       st.mcast_denied, link_ops, link_ok, ds_mutated,
		       ds_invalid, ds_invalid_accepted, burst_ds_objects);
		for (i = 1; i < DS_MAX; i++)
			printf(" ok_%s=%" PRIu64, ds_names[i], ds_ok[i]);
		printf("\n");
	}
	if (opt_deny && st.accepted_writes)
		return 3;
	if (ds_bad_total())
		return 4;
	return 0;
}
