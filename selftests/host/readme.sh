# SPDX-License-Identifier: GPL-2.0
#
# README.md's "Installing on a real router" is what the packaging test runs:
# its fenced blocks are tagged ("```sh TAG") and run from here as written.

# readme_block TAG: the lines of the block "```sh TAG" of README.md.
readme_block() {
	awk -v open='```sh '"$1" '$0 == open { on = 1; next } on && /^```/ { exit } on' \
		"$TOP/README.md"
}

# readme_run TAG: run that block from the top of the checkout with bash -e
# (the first command that fails ends it), commands traced.
readme_run() {
	local b

	b=$(readme_block "$1")
	[ -n "$b" ] || { echo "README.md has no block \"$1\""; return 1; }
	(cd "$TOP" && bash -e -x -c "$b")
}
