#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the kernel's checkpatch.pl over the module and the uapi header.
# It comes with 'apt-get install linux-source-6.1' (unpacked under /usr/src).
set -eu
cd "$(dirname "$0")/.."
cp=${CHECKPATCH:-$(ls /usr/src/linux-source-*/scripts/checkpatch.pl 2>/dev/null | tail -n1)}
if [ -z "$cp" ]; then
	echo "checkpatch.pl not found: apt-get install linux-source-6.1 and unpack" \
		"/usr/src/linux-source-6.1.tar.xz, or set CHECKPATCH=" >&2
	exit 1
fi
exec "$cp" --no-tree --strict --terse --show-types \
	--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES \
	-f $(ls kmod/*.c kmod/*.h | grep -v "\.mod\.c$") include/uapi/linux/privlink.h
