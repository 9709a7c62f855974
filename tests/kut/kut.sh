#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/kut/kut.sh - kvm-unit-tests' own runner driving minivmm-qemu.
#
#   kut.sh check KUT_DIR MINIVMM_QEMU [TEST...]
#	runs each test with QEMU=MINIVMM_QEMU ./run_tests.sh TEST in KUT_DIR (a
#	configured and built x86_64 tree); fails when a test targets.txt marks
#	"pass" does not pass. Exit 77 when KUT_DIR is not given.
#   kut.sh bench KUT_DIR MINIVMM_QEMU [TEST...]
#	runs each test the same way under qemu-system-x86_64 and under minivmm,
#	one after the other, and prints the verdicts, each VMM's own wall time
#	(timed-vmm: the test's run, without the runner's shell work), the
#	runner's wall time, and the ratio of the VMM times.
#
# TEST defaults to every test in targets.txt. KUT is not part of minivmm:
# build it from its public repository (docs/kernels.md, "Running KUT").
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
mode=${1:-}
kut=${2:-}
mvm=${3:-}
shift 3 2>/dev/null || true

if [ -z "$kut" ]; then
	echo "kut: skipped: no kvm-unit-tests tree given (make $mode-kut KUT=DIR)"
	exit 77
fi
if [ ! -x "$kut/run_tests.sh" ] || [ ! -f "$kut/config.mak" ] || [ ! -f "$kut/x86/vmexit.flat" ]; then
	echo "kut: $kut is not a built kvm-unit-tests x86_64 tree (./configure --arch=x86_64 && make)" >&2
	exit 2
fi
case "$mvm" in /*) ;; *) mvm="$PWD/$mvm" ;; esac
if [ ! -x "$mvm" ]; then
	echo "kut: $mvm is not executable (make builds minivmm-qemu)" >&2
	exit 2
fi

declare -A want
tests=()
while read -r name verdict; do
	case "$name" in '' | '#'*) continue ;; esac
	want[$name]=$verdict
	tests+=("$name")
done <"$here/targets.txt"
[ $# -gt 0 ] && tests=("$@")

# run_tests.sh keeps only its last run's logs: each test's is copied here.
logs=${KUT_LOGS:-$PWD/build/kut}
mkdir -p "$logs"

# One test through run_tests.sh: prints "VERDICT SECONDS DETAIL"; its log
# goes to $logs/VMM-TEST.log.
run_one() {
	local qemu=$1 name=$2 start end line verdict
	start=$(date +%s.%N)
	line=$(cd "$kut" && QEMU="$qemu" ./run_tests.sh "$name" 2>&1 | tail -1)
	end=$(date +%s.%N)
	cp "$kut/logs/$name.log" "$logs/$(basename "${KUT_VMM:-$qemu}")-$name.log" 2>/dev/null
	# run_tests.sh colours its verdict word.
	line=$(printf '%s' "$line" | sed 's/\x1b\[[0-9;]*m//g')
	verdict=${line%% *}
	case "$verdict" in PASS | FAIL | SKIP) ;; *) verdict=ERROR ;; esac
	printf '%s %.2f %s\n' "$verdict" "$(echo "$end - $start" | bc)" "${line#* }"
}

status=0
case "$mode" in
check)
	for t in "${tests[@]}"; do
		read -r verdict secs detail < <(run_one "$mvm" "$t")
		printf '%-26s %-5s %6ss  %s\n' "$t" "$verdict" "$secs" "$detail"
		if [ "${want[$t]:-report}" = pass ] && [ "$verdict" != PASS ]; then
			echo "kut: $t should pass under minivmm and did not (log: $logs/$(basename "$mvm")-$t.log)" >&2
			status=1
		fi
	done
	;;
bench)
	qemu=$(command -v qemu-system-x86_64 || true)
	if [ -z "$qemu" ]; then
		echo "kut: bench needs qemu-system-x86_64 to compare with (apt-get install qemu-system-x86)" >&2
		exit 2
	fi
	# The VMM's own seconds (timed-vmm) and the runner's, each VMM in turn.
	times=$(mktemp)
	trap 'rm -f "$times"' EXIT
	vmm_secs() {
		local ms
		ms=$(tail -1 "$times" 2>/dev/null)
		[ -n "$ms" ] && printf '%d.%03d' $((ms / 1000)) $((ms % 1000)) || printf 'n/a'
	}
	printf '%-26s %-5s %8s %8s   %-5s %8s %8s   %s\n' test QEMU vmm_s run_s mvm vmm_s run_s \
		'vmm: mvm/QEMU'
	for t in "${tests[@]}"; do
		: >"$times"
		read -r qv qr _ < <(KUT_VMM=$qemu KUT_TIMES=$times run_one "$here/timed-vmm" "$t")
		qs=$(vmm_secs)
		: >"$times"
		read -r mv mr _ < <(KUT_VMM=$mvm KUT_TIMES=$times run_one "$here/timed-vmm" "$t")
		ms=$(vmm_secs)
		ratio=n/a
		[ "$qs" != n/a ] && [ "$ms" != n/a ] && ratio=$(printf '%.3f' "$(echo "$ms / $qs" | bc -l)")
		printf '%-26s %-5s %8s %8s   %-5s %8s %8s   %s\n' "$t" "$qv" "$qs" "$qr" "$mv" "$ms" \
			"$mr" "$ratio"
	done
	;;
*)
	echo "usage: kut.sh check|bench KUT_DIR MINIVMM_QEMU [TEST...]" >&2
	exit 2
	;;
esac
exit $status
