// SPDX-License-Identifier: GPL-2.0
/*
 * privlink: the router answers IPv6 neighbour solicitations for ENI
 * addresses on the consumer VPC's interfaces, and for NLB node addresses on
 * the provider VPC's interfaces (with its own MAC on that interface), as
 * arp.c answers ARP: hosts reach an ENI and targets answer their NLB node
 * with no address or proxy-NDP configuration on the router.
 *
 * Hooked in IPv6 PRE_ROUTING before conntrack: a solicitation arrives there
 * whether it is sent to the target's solicited-node multicast address
 * (resolution) or to the target itself (unreachability detection), and
 * the kernel's own ndisc_rcv() would not answer for an address the router
 * does not have.  Only a well-formed solicitation is answered (hop limit
 * 255, ICMPv6 code 0 and checksum right, RFC 4861 7.1.1), only on an
 * interface of the VPC the address belongs to, and never a duplicate
 * address detection probe (unspecified source): a host of the VPC that
 * probes an ENI's address before taking it gets no answer from privlink.
 * The answer is sent with ndisc_send_skb(), as the kernel's own
 * advertisements are, from the router's address on the interface.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmpv6.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter_ipv6.h>
#include <net/addrconf.h>
#include <net/ndisc.h>

#include "privlink.h"

/* Advertise @target (with @dev's MAC) to @daddr, out of @dev. */
static void privlink_ndisc_send_na(struct net_device *dev,
				   const struct in6_addr *daddr,
				   const struct in6_addr *target)
{
	int optlen = ndisc_opt_addr_space(dev, NDISC_NEIGHBOUR_ADVERTISEMENT);
	int hlen = LL_RESERVED_SPACE(dev) + sizeof(struct ipv6hdr);
	struct in6_addr saddr;
	struct sk_buff *skb;
	struct nd_msg *msg;

	if (ipv6_dev_get_saddr(dev_net(dev), dev, daddr, 0, &saddr))
		return;		/* no address of the router's to send from */
	skb = alloc_skb(hlen + sizeof(*msg) + optlen + dev->needed_tailroom,
			GFP_ATOMIC);
	if (!skb)
		return;
	skb->protocol = htons(ETH_P_IPV6);
	skb->dev = dev;
	skb_reserve(skb, hlen);
	skb_reset_transport_header(skb);
	msg = skb_put(skb, sizeof(*msg));
	*msg = (struct nd_msg) {
		.icmph = {
			.icmp6_type = NDISC_NEIGHBOUR_ADVERTISEMENT,
			.icmp6_solicited = 1,
			.icmp6_override = 1,
		},
		.target = *target,
	};
	__ndisc_fill_addr_option(skb, ND_OPT_TARGET_LL_ADDR, dev->dev_addr,
				 dev->addr_len,
				 ndisc_addr_option_pad(dev->type));
	ndisc_send_skb(skb, daddr, &saddr);	/* consumes @skb */
}

unsigned int privlink_ndisc_in(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct privlink_net *pn = privlink_pernet(state->net);
	unsigned int off = skb_network_offset(skb);
	struct net_device *dev = state->in;
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	const struct privlink_vpc *vpc;
	union nf_inet_addr target = {};
	const struct nd_msg *msg;
	struct in6_addr saddr;

	if (ip6h->nexthdr != IPPROTO_ICMPV6 || ip6h->hop_limit != 255 ||
	    !dev || !dev->addr_len || ipv6_addr_any(&ip6h->saddr) ||
	    ntohs(ip6h->payload_len) < sizeof(*msg) ||
	    !pskb_may_pull(skb, off + sizeof(*ip6h) + sizeof(*msg)))
		return NF_ACCEPT;
	ip6h = ipv6_hdr(skb);
	msg = (const struct nd_msg *)(ip6h + 1);
	if (msg->icmph.icmp6_type != NDISC_NEIGHBOUR_SOLICITATION ||
	    msg->icmph.icmp6_code || ipv6_addr_is_multicast(&msg->target))
		return NF_ACCEPT;
	vpc = privlink_vpc_of_dev(pn, dev);
	target.in6 = msg->target;
	if (!vpc || !privlink_vpc_owns(pn, NFPROTO_IPV6, vpc, &target, NULL))
		return NF_ACCEPT;
	if (nf_ip6_checksum(skb, state->hook, off + sizeof(*ip6h),
			    IPPROTO_ICMPV6))
		return NF_DROP;		/* corrupt: nobody would answer it */
	saddr = ip6h->saddr;
	privlink_ndisc_send_na(dev, &saddr, &target.in6);
	privlink_stats_inc(pn, PRIVLINK_STAT_ND_REPLIES);
	return NF_DROP;		/* answered; nobody else needs it */
}
