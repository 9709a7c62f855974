#!/bin/sh
# SPDX-License-Identifier: MIT
# run_bench.sh - `make bench`: the PIO-exit benchmark, with its trace on a temporary file.
set -eu
vmm=$1 bare=$2 payload=$3
rounds=${BENCH_ROUNDS:-3}
if ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
	echo "bench: /dev/kvm is not usable here; nothing to measure"
	exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "bench: $payload, $rounds rounds; trace to $dir (text, full recording)"
"$bare" "$payload" "$dir/bench.trace" "$rounds"
echo "trace size per run: $(wc -c <"$dir/bench.trace") bytes"
# The installed command end to end, once, for scale (includes VM set-up).
start=$(date +%s.%N)
"$vmm" run "$payload" --trace "$dir/cmd.trace" --quiet
end=$(date +%s.%N)
echo "minivmm run (whole command): $(echo "$end - $start" | bc) s"
