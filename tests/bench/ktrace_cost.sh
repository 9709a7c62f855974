#!/bin/sh
# SPDX-License-Identifier: MIT
# ktrace_cost.sh - user-space instructions per kevent record against per exit record (callgrind).
#
#   tests/bench/ktrace_cost.sh MINIVMM PAYLOAD
#
# Runs PAYLOAD under callgrind four times: without and with --ktrace, each
# for N and for 2N exits (--max-exits; N is KTRACE_COST_EXITS, default
# 10000). The cost of an exit record is what the N extra exits of a plain
# run add; the cost of a kevent record is what the same N exits add with
# --ktrace beyond that, per kevent they bring. Taking differences leaves
# out what happens once (VM set-up, the format files, the end). Exact
# instruction counts (Ir), all threads, the kernel's work not included.
#
# KTRACE_COST_EVENTS=LIST measures --ktrace=LIST instead of the default
# list; KTRACE_COST_ARGS adds options to every run (e.g. --stats, or
# --format jsonl for JSON Lines records).
# Budget: a kevent at most twice an exit record; the last line says
# whether it holds. Exit: 0 either way (a benchmark reports, it does not
# fail), 1 when a run failed, 77 without /dev/kvm, valgrind or tracefs.
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 MINIVMM PAYLOAD" >&2
	exit 2
fi
vmm=$1 payload=$2
n=${KTRACE_COST_EXITS:-10000}
budget=2
if [ -n "${KTRACE_COST_EVENTS:-}" ]; then
	ktrace="--ktrace=$KTRACE_COST_EVENTS"
else
	ktrace=--ktrace
fi
extra=${KTRACE_COST_ARGS:-}

# shellcheck source=tests/bench/common.sh
. "$(dirname "$0")/common.sh"
bench_needs ktrace_cost valgrind
bench_tmpdir

# minivmm finds or mounts tracefs itself; 3 is no tracefs or no perf access.
st=0
# shellcheck disable=SC2086 # $extra is a list of options
"$vmm" run "$payload" $ktrace $extra --max-exits 1 --quiet --trace "$dir/probe.trace" \
	2>"$dir/probe.err" || st=$?
if [ "$st" = 3 ]; then
	echo "ktrace_cost: --ktrace cannot run here: $(cat "$dir/probe.err")"
	exit 77
fi

# The trace's exits and kevents, text or JSONL (KTRACE_COST_ARGS=--format=jsonl).
exits() {
	sed -n -e 's/^end .* exits=\([0-9]*\) .*/\1/p' \
		-e 's/^{"type":"end",.*"exits":\([0-9]*\),.*/\1/p' "$dir/$1.trace"
}
kev_re='^ *[0-9]* vcpu[0-9]* kevent |^\{"seq":[0-9]*,"vcpu":[0-9]*,"type":"kevent"'
kevents() { grep -Ec "$kev_re" "$dir/$1.trace" || true; }
pass_re='^end reason=exit verdict=pass|^\{"type":"end","reason":"exit","verdict":"pass"'

# run NAME EXITS [OPTIONS]: callgrind's instructions of all threads, and the trace.
run() {
	name=$1 exits=$2
	shift 2
	st=0
	# shellcheck disable=SC2086
	valgrind --tool=callgrind --separate-threads=yes \
		--callgrind-out-file="$dir/$name.cg.%p" "$vmm" run "$payload" "$@" $extra \
		--max-exits "$exits" --quiet --trace "$dir/$name.trace" 2>"$dir/$name.err" || st=$?
	if [ "$(exits "$name")" != "$exits" ] && ! grep -Eq "$pass_re" "$dir/$name.trace"; then
		echo "ktrace_cost: run $name (status $st) did not end as expected:" >&2
		grep -E '^end |"type":"end"' "$dir/$name.trace" >&2 || tail -3 "$dir/$name.err" >&2
		exit 1
	fi
	cat "$dir/$name".cg.* | awk '/^totals:/ { s += $2 } END { printf "%d\n", s }' \
		>"$dir/$name.ir"
	rm -f "$dir/$name".cg.*
}
ir() { cat "$dir/$1.ir"; }

echo "== callgrind: $payload, $n and $((2 * n)) exits, without and with $ktrace${extra:+ $extra}"
run plain1 "$n"
run plain2 "$((2 * n))"
run kt1 "$n" "$ktrace"
run kt2 "$((2 * n))" "$ktrace"

awk -v p1="$(ir plain1)" -v p2="$(ir plain2)" -v k1="$(ir kt1)" -v k2="$(ir kt2)" \
	-v e1="$(exits plain1)" -v e2="$(exits plain2)" \
	-v ke1="$(kevents kt1)" -v ke2="$(kevents kt2)" -v budget="$budget" '
BEGIN {
	printf "plain:    %d exits %d Ir, %d exits %d Ir\n", e1, p1, e2, p2
	printf "--ktrace: %d kevents %d Ir, %d kevents %d Ir\n", ke1, k1, ke2, k2
	if (e2 <= e1 || ke2 <= ke1) {
		print "ktrace_cost: the longer runs brought no more exits or kevents"
		exit 1
	}
	exit_ir = (p2 - p1) / (e2 - e1)
	kev_ir = ((k2 - k1) - (p2 - p1)) / (ke2 - ke1)
	printf "per exit record:   %.0f Ir\n", exit_ir
	printf "per kevent record: %.0f Ir (%.1f kevents per exit)\n", kev_ir,
		(ke2 - ke1) / (e2 - e1)
	printf "per exit with --ktrace: %.0f Ir\n", (k2 - k1) / (e2 - e1)
	ratio = kev_ir / exit_ir
	printf "kevent / exit record: %.2fx, budget %.2fx: %s\n", ratio, budget,
		ratio <= budget ? "within" : "OVER"
}'
