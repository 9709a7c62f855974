#!/bin/sh
# SPDX-License-Identifier: MIT
# run_bench.sh - `make bench`: every benchmark of docs/performance.md, then their verdicts.
#
#   tests/bench/run_bench.sh MINIVMM BENCH_DIR
#
# BENCH_DIR holds the built drivers (bare_loop, dirty_bench, startup_bench);
# the payloads are tests/guest_bench_*.bin and tests/guest_hlt.bin. In order:
# instructions per recorded exit (record_cost.sh), the wall ratio of the
# recording loop to a bare KVM_RUN loop (bare_loop), a kevent's cost
# (ktrace_cost.sh), dirty checkpoints (dirty_bench), start-up
# (startup_bench) and the exit-cost table (exits_bench.sh). Each figure is
# a ratio or a difference measured side by side in this one run. A missed
# target is printed, not an error: the exit status is 1 only when a
# benchmark could not run as it should, 77 when /dev/kvm is unusable.
#
# BENCH_ROUNDS (bare_loop, default 5), STARTUP_ROUNDS (default 21),
# EXITS_ROUNDS (default 3), RECORD_COST_EXITS, KTRACE_COST_EXITS; BENCH_ONLY
# names the sections to run (record wall ktrace dirty startup exits).
set -u
vmm=$1 bin=$2
only=${BENCH_ONLY:-record wall ktrace dirty startup exits}
if ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
	echo "bench: /dev/kvm is not usable here; nothing to measure"
	exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# section NAME TITLE COMMAND...: runs it, its output shown and kept.
section() {
	name=$1 title=$2
	shift 2
	case " $only " in
	*" $name "*) ;;
	*) return 0 ;;
	esac
	echo
	echo "=== $title"
	"$@" 2>&1 | tee "$dir/$name.out"
}

# status NAME COMMAND...: the command, and what its exit status means.
# shellcheck disable=SC2317 # called through section()
status() {
	name=$1
	shift
	st=0
	"$@" || st=$?
	case $st in
	0) ;;
	77) echo "(skipped: this host cannot run it)" ;;
	*)
		echo "(failed: exit status $st)"
		echo "$name" >>"$dir/failed"
		;;
	esac
}

section record "Recorded exits: user-space instructions per exit, per thread (callgrind)" \
	status record tests/bench/record_cost.sh "$vmm" tests/guest_bench_pio.bin \
	tests/guest_bench_mmio.bin
section wall "1M PIO exits: the recording run loop against a bare KVM_RUN loop, wall time" \
	status wall "$bin/bare_loop" tests/guest_bench_pio.bin "$dir/bench.trace" \
	"${BENCH_ROUNDS:-5}"
section ktrace "--ktrace: user-space instructions per kevent against per exit record (callgrind)" \
	status ktrace tests/bench/ktrace_cost.sh "$vmm" tests/guest_bench_pio.bin
section dirty "Dirty checkpoints over 1, 17 and 64 GiB slots: minivmm against the bare fetch" \
	status dirty "$bin/dirty_bench" tests/guest_bench_dirty.bin "$dir/dirty.trace"
section startup "Start-up: guest_hlt start-to-exit against a bare VMM doing the same set-up" \
	status startup "$bin/startup_bench" "$vmm" tests/guest_hlt.bin "${STARTUP_ROUNDS:-21}"
section exits "Exit costs: one round trip of each exit class, records on and off" \
	status exits tests/bench/exits_bench.sh "$vmm" tests/guest_bench_exits.bin

echo
echo "=== Verdicts"
for name in $only; do
	[ -f "$dir/$name.out" ] || continue
	grep -Eh "(: met|: MISSED|: missed|: within|: OVER| met$| MISSED$)" "$dir/$name.out" |
		sed "s/^/$name: /"
done
if [ -f "$dir/failed" ]; then
	echo "bench: these could not run as they should: $(tr '\n' ' ' <"$dir/failed")"
	exit 1
fi
exit 0
