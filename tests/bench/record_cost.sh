#!/bin/sh
# SPDX-License-Identifier: MIT
# record_cost.sh - user-space instructions per recorded exit, per thread (callgrind).
#
#   tests/bench/record_cost.sh MINIVMM PAYLOAD...
#
# For each payload (a loop of one exit, like guest_bench_pio and
# guest_bench_mmio) and each way of recording it (a text trace, a JSON
# Lines trace, --no-exit-records), runs it under callgrind for N and for
# 2N exits (--max-exits; N is RECORD_COST_EXITS, default 20000). What the
# N more exits add, over N, is the cost of one exit: on the vCPU thread,
# which the guest waits for, on the writer thread, which renders records
# off it, and in all. Taking differences leaves out what happens once.
# Exact instruction counts (Ir), the kernel's work not included.
#
# Budget (issue 13): at most RECORD_COST_BUDGET (300) on the vCPU thread
# per recorded exit, text and JSONL. The script prints whether each row
# meets it; it exits 0 either way (a benchmark reports, it does not fail),
# 1 when a run did not end as expected, 77 without /dev/kvm or valgrind.
set -eu

if [ $# -lt 2 ]; then
	echo "usage: $0 MINIVMM PAYLOAD..." >&2
	exit 2
fi
vmm=$1
shift
n=${RECORD_COST_EXITS:-20000}
budget=${RECORD_COST_BUDGET:-300}

# shellcheck source=tests/bench/common.sh
. "$(dirname "$0")/common.sh"
bench_needs record_cost valgrind
bench_tmpdir

# thread_ir NAME FUNCTION: the Ir of the thread whose profile has FUNCTION
# (vcpu_thread, writer_thread), 0 when there is none.
thread_ir() {
	for f in "$dir/$1".cg.*; do
		if grep -Eq "^c?fn=(\([0-9]+\) )?$2\$" "$f"; then
			awk '/^totals:/ { print $2 }' "$f"
			return
		fi
	done
	echo 0
}

# run NAME PAYLOAD EXITS [OPTIONS]: per-thread Ir into NAME.ir ("vcpu writer all").
run() {
	name=$1 payload=$2 exits=$3
	shift 3
	st=0
	valgrind --tool=callgrind --separate-threads=yes \
		--callgrind-out-file="$dir/$name.cg.%p" "$vmm" run "$payload" "$@" \
		--max-exits "$exits" --quiet --trace "$dir/$name.trace" 2>"$dir/$name.err" || st=$?
	if ! grep -Eq "^end reason=max_exits .* exits=$exits |\"reason\":\"max_exits\".*\"exits\":$exits," \
		"$dir/$name.trace"; then
		echo "record_cost: run $name (status $st) did not end after $exits exits:" >&2
		grep -E '^end |"type":"end"' "$dir/$name.trace" >&2 || tail -3 "$dir/$name.err" >&2
		exit 1
	fi
	all=$(cat "$dir/$name".cg.* | awk '/^totals:/ { s += $2 } END { printf "%d\n", s }')
	echo "$(thread_ir "$name" vcpu_thread) $(thread_ir "$name" writer_thread) $all" \
		>"$dir/$name.ir"
	rm -f "$dir/$name".cg.*
}

echo "== callgrind: user-space instructions per exit, $n and $((2 * n)) exits (budget $budget on the vCPU thread)"
printf '%-18s %-8s %10s %10s %10s  %s\n' payload records vcpu writer all budget
for payload in "$@"; do
	for mode in text jsonl none; do
		case $mode in
		text) opts="--format text" ;;
		jsonl) opts="--format jsonl" ;;
		none) opts="--no-exit-records" ;;
		esac
		# shellcheck disable=SC2086 # $opts is a list of options
		run a "$payload" "$n" $opts
		# shellcheck disable=SC2086
		run b "$payload" "$((2 * n))" $opts
		read -r va wa aa <"$dir/a.ir"
		read -r vb wb ab <"$dir/b.ir"
		awk -v p="$(basename "$payload" .bin)" -v m="$mode" -v n="$n" -v budget="$budget" \
			-v va="$va" -v vb="$vb" -v wa="$wa" -v wb="$wb" -v aa="$aa" -v ab="$ab" '
		BEGIN {
			v = (vb - va) / n; w = (wb - wa) / n; a = (ab - aa) / n
			verdict = m == "none" ? "(nothing recorded)" : v <= budget ? "met" : "MISSED"
			printf "%-18s %-8s %10.0f %10.0f %10.0f  %s\n", p, m, v, w, a, verdict
		}'
	done
done
