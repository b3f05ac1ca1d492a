// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: choosing a target for a new flow.
 *
 * Weighted rendezvous (highest random weight) hashing: every candidate
 * target gets the score  weight / -log2(h / 2^64)  where h is a hash of the
 * flow and the target; the highest score wins.  It is consistent (a target
 * coming or going moves only the flows that pick it), weighted (a target's
 * share is proportional to its weight), and depends on the configuration
 * alone, so every router with the same config picks the same target for
 * the same flow.
 *
 * Candidates, in order of preference (see the uapi header):
 *   1. healthy targets in the ENI's AZ (all up AZs when cross-zone is on);
 *   2. healthy targets in any up AZ (zonal failover);
 *   3. every target that is not draining, in an up AZ (fail open).
 * Draining targets never get new flows.  Only targets of the flow's family
 * are candidates: each family's targets are a pool of their own (uapi,
 * "Dual stack").  Runs under RCU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/math64.h>

#include "privlink.h"

/* -log2(h / 2^64) in 16.16 fixed point, for h > 0 (always > 0). */
static u32 privlink_neglog2(u64 h)
{
	unsigned int k = ilog2(h), i;
	u32 frac = 0;
	u64 m;

	/* h = 2^k * x, x = m / 2^31 in [1, 2); log2(x) bit by bit */
	m = k >= 31 ? h >> (k - 31) : h << (31 - k);
	for (i = 0; i < 16; i++) {
		m = (m * m) >> 31;
		frac <<= 1;
		if (m >= (1ULL << 32)) {
			m >>= 1;
			frac |= 1;
		}
	}
	return ((64 - k) << 16) - frac;
}

static u64 privlink_score(const struct privlink_target *t, u32 flow_hash)
{
	/* an IPv4 target's address: its word, as before dual stack */
	u32 addr = t->family == NFPROTO_IPV4 ? (__force u32)t->addr.ip :
		   jhash2(t->addr.all, 4, 0);
	u64 h = ((u64)jhash_2words(addr, (__force u32)t->port, flow_hash) << 32) |
		jhash_2words(flow_hash, addr,
			     (__force u32)t->port ^ 0x9e3779b9);

	/* weight / -log2(x): larger is better; weight <= 100 < 2^7 */
	return div_u64((u64)READ_ONCE(t->weight) << 40,
		       privlink_neglog2(h | 1));
}

enum privlink_pool { POOL_ZONAL, POOL_HEALTHY, POOL_OPEN };

static bool privlink_candidate(const struct privlink_target *t,
			       const struct privlink_az *az, u8 family,
			       bool cross, enum privlink_pool pool)
{
	u8 state = READ_ONCE(t->state);

	if (t->family != family || READ_ONCE(t->az->state) != PRIVLINK_AZ_UP)
		return false;
	switch (pool) {
	case POOL_ZONAL:
		return state == PRIVLINK_TARGET_HEALTHY && (cross || t->az == az);
	case POOL_HEALTHY:
		return state == PRIVLINK_TARGET_HEALTHY;
	default:
		return state != PRIVLINK_TARGET_DRAINING;
	}
}

struct privlink_target *privlink_select(const struct privlink_service *svc,
					const struct privlink_az *az,
					u8 family, u32 flow_hash)
{
	bool cross = READ_ONCE(svc->cross_zone);
	struct privlink_target *t, *best;
	enum privlink_pool pool;
	u64 score, top;

	for (pool = POOL_ZONAL; pool <= POOL_OPEN; pool++) {
		best = NULL;
		top = 0;
		list_for_each_entry_rcu(t, &svc->targets, svc_node) {
			if (!privlink_candidate(t, az, family, cross, pool))
				continue;
			score = privlink_score(t, flow_hash);
			if (!best || score > top) {
				best = t;
				top = score;
			}
		}
		if (best)
			return best;
	}
	return NULL;
}
