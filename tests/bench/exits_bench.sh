#!/bin/sh
# SPDX-License-Identifier: MIT
# exits_bench.sh - what each exit class costs, with minivmm's exit records and without them.
#
#	tests/bench/exits_bench.sh MINIVMM PAYLOAD
#
# Runs PAYLOAD (tests/guest_bench_exits.bin) EXITS_ROUNDS times (default 3) with a
# text trace of every exit and as often with --no-exit-records (the same trace less
# its exit records), the two alternating and each round starting with the other, so
# that a slow spell of a shared host lands on both. Each run prints, per class, the
# median of its batches; the table gives, per class, the median of those over the
# runs, the difference, and nanoseconds from the TSC rate the guest calibrated
# against the in-kernel PIT. docs/performance.md explains the classes.
# Exit status: 0, 1 if a run failed, 77 if /dev/kvm is unusable or the payload skipped.
set -eu
if [ $# -ne 2 ]; then
	echo "usage: $0 MINIVMM PAYLOAD" >&2
	exit 2
fi
vmm=$1 payload=$2
rounds=${EXITS_ROUNDS:-3}
case $rounds in
'' | *[!0-9]* | 0)
	echo "exits_bench: EXITS_ROUNDS=$rounds is not a positive count" >&2
	exit 2
	;;
esac
if ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
	echo "exits_bench: /dev/kvm is not usable here; nothing to measure"
	exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# One run: mode (on or off), round; its classes go to $dir/results as "mode class median".
run_one() {
	trace=$dir/$1.$2.trace
	if [ "$1" = off ]; then
		set -- "$1" "$2" --no-exit-records
	else
		set -- "$1" "$2"
	fi
	status=0
	"$vmm" run "$payload" --trace "$trace" --quiet ${3:+"$3"} || status=$?
	if [ "$status" = 77 ]; then
		echo "exits_bench: the payload skipped: $(grep '^end ' "$trace" || true)"
		exit 77
	fi
	if [ "$status" != 0 ]; then
		echo "exits_bench: $vmm run $payload ${3:-} exited $status; trace: $(grep '^end ' "$trace" || true)" >&2
		exit 1
	fi
	{
		sed -n "s/.*text=\"bench_exits class=\([a-z0-9_]*\) n=[0-9]* batches=[0-9]* min=[0-9]* median=\([0-9]*\).*/$1 \1 \2/p" \
			"$trace"
		sed -n 's/.*text="bench_exits tsc_khz=\([0-9]*\) .*/khz - \1/p' "$trace"
		wc -c <"$trace" | sed "s/^ */bytes $1 /"
	} >>"$dir/results"
}

: >"$dir/results"
i=1
while [ "$i" -le "$rounds" ]; do
	if [ $((i % 2)) = 1 ]; then
		run_one off "$i"
		run_one on "$i"
	else
		run_one on "$i"
		run_one off "$i"
	fi
	i=$((i + 1))
done

echo "== exit costs: $(basename "$payload"), $rounds runs with exit records (on) and $rounds without (off)"
awk -v rounds="$rounds" '
function median(key,    n, i, j, t, v) {
	n = cnt[key]
	for (i = 1; i <= n; i++)
		v[i] = val[key, i]
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
		}
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
{
	key = $1 SUBSEP $2
	if (!(key in cnt) && $1 != "khz" && $1 != "bytes" && !($2 in seen)) {
		seen[$2] = 1
		order[++nclass] = $2
	}
	val[key, ++cnt[key]] = $3
}
END {
	khz = ("khz" SUBSEP "-") in cnt ? median("khz" SUBSEP "-") : 0
	if (khz > 0)
		printf "TSC %d kHz (the guest'"'"'s calibration against the in-kernel PIT)\n", khz
	else
		print "TSC rate unknown: cycles only"
	printf "trace per run: %d bytes on, %d bytes off\n", median("bytes" SUBSEP "on"),
		median("bytes" SUBSEP "off")
	print "cycles per round trip: the median over the runs of each run'"'"'s median batch"
	printf "%-15s %12s %12s %12s", "class", "off cycles", "on cycles", "on-off"
	if (khz > 0)
		printf " %10s %10s %10s", "off ns", "on ns", "on-off ns"
	printf "\n"
	for (c = 1; c <= nclass; c++) {
		k = order[c]
		if (cnt["off" SUBSEP k] != rounds || cnt["on" SUBSEP k] != rounds) {
			printf "%-15s missing from some runs\n", k
			bad = 1
			continue
		}
		off = median("off" SUBSEP k)
		on = median("on" SUBSEP k)
		printf "%-15s %12d %12d %12d", k, off, on, on - off
		if (khz > 0)
			printf " %10.0f %10.0f %10.0f", off * 1e6 / khz, on * 1e6 / khz,
				(on - off) * 1e6 / khz
		printf "\n"
	}
	if (!nclass) {
		print "no bench_exits class lines in the traces: not guest_bench_exits?"
		bad = 1
	}
	exit bad
}' "$dir/results"
