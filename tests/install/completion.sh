#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# completion.sh - the bash completion (docs/bash-completion/minivmm) completes what it
# should, and names every option `minivmm --help` lists.
#
#	tests/install/completion.sh ./minivmm
#
# Needs bash only; exit 0 pass, 1 fail.
set -u
cd "$(dirname "$0")/../.."
MINIVMM=${1:-./minivmm}
COMPLETION=docs/bash-completion/minivmm
passed=0 failed=0

# shellcheck source=../../docs/bash-completion/minivmm
source "$COMPLETION" || exit 1

# expect WANTED WORD...: completing the last WORD gives exactly the words WANTED, in
# any order (files come in the directory's order).
expect()
{
	local want got

	want=$(tr ' ' '\n' <<<"$1" | sort | tr '\n' ' ')
	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	_minivmm
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
	if [[ $got == "$want" ]]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: completing '$*': wanted '$want', got '$got'"
	fi
}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/mvm-completion-XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/pay" "$scratch/here/sub"
: >"$scratch/pay/guest_one.bin"
: >"$scratch/pay/guest_two.bin"
: >"$scratch/pay/guest_two.sym"
: >"$scratch/here/a.bin"
: >"$scratch/here/a.sym"
: >"$scratch/here/t.jsonl"
: >"$scratch/here/notes.txt"
# Not the host's installed payloads: the script's own directory is set below.
_minivmm_payload_dir=$scratch/none

expect 'run show diff replay caps qemu explain help --help --version' minivmm ''
expect 'run replay' minivmm r
expect '--mode' minivmm run --mo
expect 'real prot32 paging32 pae long la57' minivmm run --mode ''
expect 'long la57' minivmm run --mode = l
expect 'none kernel split' minivmm run --irqchip ''
expect 'minivmm pc' minivmm run --machine ''
expect 'host qemu64' minivmm run --cpu ''
expect 'anon thp hugetlb' minivmm run --backing ''
expect 'bitmap clear ring' minivmm run --dirty ''
expect 'jsonl' minivmm run --format j
expect '--progress' minivmm run --prog
expect '--no-progress --no-pit --no-exit-records' minivmm run --no-
expect '--wait-attach' minivmm run --wa
expect '--vcpu --kind --from --to --no-decode --explain --help' minivmm show --
expect 'vmx svm kvm' minivmm explain ''
expect '--kernel' minivmm diff --ke
expect '--payload' minivmm replay --p
expect '--json --help' minivmm caps -
expect '-kernel' minivmm qemu -ke
expect 'qemu64' minivmm-qemu -cpu q
# Payload files for run (*.bin and directories), traces for show, installed payloads by name.
cd "$scratch/here" || exit 1
export MINIVMM_PAYLOAD_PATH=$scratch/pay
expect 'a.bin sub guest_one guest_two' minivmm run ''
expect 'guest_two' minivmm run --quiet guest_t
expect 'sub t.jsonl' minivmm show ''
expect 'a.sym sub' minivmm run --symbols ''
expect 'a.bin' minivmm run --mode long a
unset MINIVMM_PAYLOAD_PATH
_minivmm_payload_dir=$scratch/pay
expect 'guest_one' minivmm run guest_o
cd - >/dev/null || exit 1

# Every option `minivmm --help` and `minivmm qemu --help` name is offered.
if [[ -x $MINIVMM ]]; then
	all="$_minivmm_run_opts $_minivmm_show_opts $_minivmm_diff_opts $_minivmm_replay_opts"
	all="$all $_minivmm_caps_opts --version"
	for o in $("$MINIVMM" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		if [[ " ${all//[$'\n\t']/ } " == *" $o "* ]]; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
			echo "FAIL: minivmm --help names $o, the completion does not"
		fi
	done
	for o in $("$MINIVMM" qemu --help | grep -o -- ' -[a-z][a-z-]*' | sort -u); do
		if [[ " ${_minivmm_qemu_opts//[$'\n\t']/ } " == *" $o "* ]]; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
			echo "FAIL: minivmm qemu --help names $o, the completion does not"
		fi
	done
else
	echo "FAIL: no $MINIVMM to read the options from"
	failed=$((failed + 1))
fi

echo "completion: $passed passed, $failed failed"
[[ $failed == 0 ]]
