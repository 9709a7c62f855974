#!/bin/sh
# SPDX-License-Identifier: MIT
# run_bench.sh - `make bench`: the PIO-exit and dirty-checkpoint benchmarks, traces to a temp dir.
set -eu
vmm=$1 bare=$2 pio_payload=$3 dirty=$4 dirty_payload=$5
rounds=${BENCH_ROUNDS:-3}
if ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
	echo "bench: /dev/kvm is not usable here; nothing to measure"
	exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

echo "== 1M PIO exits: recording run loop against a bare KVM_RUN loop ($rounds rounds)"
"$bare" "$pio_payload" "$dir/bench.trace" "$rounds"
echo "trace size per run: $(wc -c <"$dir/bench.trace") bytes"
start=$(date +%s%N)
"$vmm" run "$pio_payload" --trace "$dir/cmd.trace" --quiet
end=$(date +%s%N)
echo "minivmm run, the whole command once (VM set-up included): $(((end - start) / 1000000)) ms"

echo
echo "== dirty checkpoint over 1, 17 and 64 GiB slots, bitmap, clear and ring: minivmm against the bare fetch"
"$dirty" "$dirty_payload" "$dir/dirty.trace"
