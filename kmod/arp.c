// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: the router answers ARP for ENI addresses on the consumer VPC's
 * interfaces, and for NLB node addresses on the provider VPC's interfaces
 * (with its own MAC on that interface), so consumers reach an ENI and
 * targets answer their NLB node with no address or proxy-ARP configuration
 * on the router.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <net/arp.h>

#include "privlink.h"

unsigned int privlink_arp_in(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	struct privlink_net *pn = privlink_pernet(state->net);
	struct net_device *dev = state->in;
	union nf_inet_addr tip = {};
	struct privlink_vpc *vpc;
	const struct arphdr *arp;
	const unsigned char *p;
	unsigned char sha[MAX_ADDR_LEN];
	__be32 sip;

	if (!dev || dev->type != ARPHRD_ETHER ||
	    !pskb_may_pull(skb, arp_hdr_len(dev)))
		return NF_ACCEPT;
	arp = arp_hdr(skb);
	if (arp->ar_op != htons(ARPOP_REQUEST) ||
	    arp->ar_pro != htons(ETH_P_IP) || arp->ar_pln != 4 ||
	    arp->ar_hln != dev->addr_len)
		return NF_ACCEPT;
	vpc = privlink_vpc_of_dev(pn, dev);
	if (!vpc)
		return NF_ACCEPT;
	p = (const unsigned char *)(arp + 1);
	memcpy(sha, p, dev->addr_len);
	memcpy(&sip, p + dev->addr_len, 4);
	memcpy(&tip.ip, p + 2 * dev->addr_len + 4, 4);
	if (!privlink_vpc_owns(pn, NFPROTO_IPV4, vpc, &tip, NULL))
		return NF_ACCEPT;
	arp_send(ARPOP_REPLY, ETH_P_ARP, sip, dev, tip.ip, sha,
		 dev->dev_addr, sha);
	privlink_stats_inc(pn, PRIVLINK_STAT_ARP_REPLIES);
	return NF_DROP;		/* answered; nobody else needs it */
}
