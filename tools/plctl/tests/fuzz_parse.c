// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of plctl's argument parsers and batch line splitter:
 * "make -C tools/plctl fuzz" (clang, with ASan and UBSan).  The input is
 * one batch line; it is split, every word goes through every parser,
 * whatever quote_word() makes of a word must split back to that word, and
 * the addresses format_ip_port() and format_ip_pair() print of a word must
 * parse back to the same addresses.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../parse.h"

#define MAX_WORDS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), *argv[MAX_WORDS], buf[4 * 256 + 3];
	char back[sizeof(buf)], *bargv[2];
	uint32_t addr, v;
	uint16_t port, tport;
	uint8_t plen, proto, key[16];
	char fbuf[IP_PAIR_STRLEN + IP_PORT_STRLEN];
	struct in6_addr a6;
	struct ip_pair pair, pair2;
	struct ip_addr ia, ia2;
	uint16_t port2;
	int argc, i;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	argc = split_line(line, argv, MAX_WORDS);
	for (i = 0; i < argc; i++) {
		const char *w = argv[i], *q;

		parse_ipv4(w, &addr);
		parse_cidr(w, &addr, &plen);
		parse_addr_port(w, &addr, &port);
		parse_ipv6(w, &a6);
		parse_cidr6(w, &a6, &plen);
		/* what parses formats back to itself, as save relies on */
		if (!parse_ip_port(w, &ia, &port)) {
			format_ip_port(&ia, port ? port : -1, fbuf, sizeof(fbuf));
			if (parse_ip_port(fbuf, &ia2, &port2) ||
			    ia2.family != ia.family || port2 != port ||
			    (ia.family == AF_INET ? ia.v4 != ia2.v4 :
			     memcmp(&ia.v6, &ia2.v6, sizeof(ia.v6))))
				abort();
		}
		if (!parse_ip_pair(w, &pair, NULL, NULL)) {
			format_ip_pair(&pair, fbuf, sizeof(fbuf));
			if (parse_ip_pair(fbuf, &pair2, NULL, NULL) ||
			    pair2.has4 != pair.has4 || pair2.has6 != pair.has6 ||
			    (pair.has4 && pair.v4 != pair2.v4) ||
			    (pair.has6 && memcmp(&pair.v6, &pair2.v6, sizeof(pair.v6))))
				abort();
		}
		parse_listener(w, &proto, &port, &tport);
		parse_u32(w, 1, 100, &v);
		parse_hex(w, key, sizeof(key));
		parse_name(w);
		parse_account(w);
		matches(w, "endpoint");
		if (strlen(w) < 256) {
			q = quote_word(w, buf, sizeof(buf));
			strcpy(back, q);
			if (split_line(back, bargv, 2) != 1 ||
			    strcmp(bargv[0], w))
				abort();
		}
	}
	free(line);
	return 0;
}
