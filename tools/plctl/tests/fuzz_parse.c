// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of plctl's argument parsers and batch line splitter:
 * "make -C tools/plctl fuzz" (clang, with ASan and UBSan).  The input is
 * one batch line; it is split, every word goes through every parser, and
 * whatever quote_word() makes of a word must split back to that word.
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
