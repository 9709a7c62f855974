#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh - runs one fuzz harness for a while and judges it (make fuzz):
#
#   tests/fuzz/run.sh DIR HARNESS SECONDS
#
# DIR/fuzz_HARNESS runs for SECONDS over DIR/corpus/HARNESS (what it found
# before, kept) and DIR/seeds/HARNESS. Exit 0 and one summary line when it
# found nothing; else 1, with the input it wrote to DIR/findings/HARNESS/,
# the report, and the command that reruns it. Its whole output is in
# DIR/logs/HARNESS.log.
set -u

dir=$1
h=$2
secs=$3
bin=$dir/fuzz_$h
corpus=$dir/corpus/$h
seeds=$dir/seeds/$h
findings=$dir/findings/$h
log=$dir/logs/$h.log

mkdir -p "$corpus" "$seeds" "$findings" "$dir/logs"
# ASan's and UBSan's reports end the run (the binary is built not to
# recover); a leak is a finding too. -timeout: an input that hangs 25 s is one.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	"$bin" -max_total_time="$secs" -timeout=25 -print_final_stats=1 \
	-artifact_prefix="$findings/" "$corpus" "$seeds" >"$log" 2>&1
status=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
if [ $status -eq 0 ]; then
	printf '  FUZZ    %-10s %s runs in %s s, corpus %s inputs, no finding\n' "$h" \
		"${runs:-?}" "$secs" "$(ls "$corpus" | wc -l)"
	exit 0
fi
unit=$(sed -n "s/.*Test unit written to //p" "$log" | tail -1)
echo "fuzz: $h found a problem (status $status); its report, from $log:"
grep -a -m1 -A24 -E 'check failed|ERROR: |runtime error|Deadly signal|deadly signal|leak' "$log" |
	sed 's/^/    /'
if [ -n "$unit" ]; then
	echo "fuzz: $h: the input is $unit"
	echo "fuzz: rerun it with: $bin $unit"
else
	echo "fuzz: $h wrote no input (see $log)"
fi
exit 1
