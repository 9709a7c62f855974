#!/bin/sh
# SPDX-License-Identifier: MIT
# seeds.sh - makes the fuzz harnesses' seed corpora anew, from this tree and host only:
#
#   tests/fuzz/seeds.sh DIR SEEDGEN HARNESS...
#
# payload:    tests/guest_*.bin and tests/kernel_*.elf (built by make), after an
#             override block of zeros (fuzz_payload.c's layout)
# trace_read: tests/golden/*.jsonl and *.trace, cut into pieces of 8 lines
# tracefs:    this host's events/kvm*/*/format files, when tracefs is readable
#             (it is not mounted for this), each with a raw sample
# all:        what SEEDGEN (seedgen.c) writes
set -eu

dir=$1
seedgen=$2
shift 2

rm -rf "$dir"
mkdir -p "$dir"
for h in "$@"; do
	mkdir -p "$dir/$h"
done
"$seedgen" "$dir"

if [ -d "$dir/payload" ]; then
	for f in tests/guest_*.bin tests/kernel_*.elf; do
		[ -f "$f" ] || continue
		{ head -c 40 /dev/zero; cat "$f"; } >"$dir/payload/$(basename "$f")"
	done
fi

if [ -d "$dir/trace_read" ]; then
	for f in tests/golden/*.jsonl tests/golden/*.trace; do
		[ -f "$f" ] || continue
		split -l 8 -a 3 "$f" "$dir/trace_read/$(basename "$f")."
	done
fi

if [ -d "$dir/tracefs" ]; then
	# The raw sample after each text: bytes counting up from 0x10, 96 of them.
	sample=$dir/.sample
	i=16
	while [ $i -lt 112 ]; do
		printf "\\$(printf %o $i)"
		i=$((i + 1))
	done >"$sample"
	for root in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		[ -r "$root/events/kvm" ] || continue
		for fmt in "$root"/events/kvm*/*/format; do
			[ -r "$fmt" ] || continue
			ev=$(basename "$(dirname "$fmt")")
			# A format file that cannot be read (permissions) is left out.
			if text=$(cat "$fmt" 2>/dev/null) && [ -n "$text" ]; then
				{ printf '%s\n' "$text"; printf '\0'; cat "$sample"; } \
					>"$dir/tracefs/$ev"
			fi
		done
		break
	done
	rm -f "$sample"
fi

for h in "$@"; do
	printf '  SEEDS   %s: %s files\n' "$h" "$(ls "$dir/$h" | wc -l)"
done
