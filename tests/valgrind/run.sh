#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/valgrind/run.sh - valgrind memcheck over runs that reach every part of
# minivmm: each command must give its usual status with no memcheck error and no
# definite or indirect leak. Exits 0, 1 (a failure, named), or 77 without /dev/kvm.
#
# usage: tests/valgrind/run.sh MINIVMM OUTDIR
set -uo pipefail

[ "$#" = 2 ] || { echo "usage: tests/valgrind/run.sh MINIVMM OUTDIR" >&2; exit 1; }
mvm=$1 out=$2
command -v valgrind >/dev/null || { echo "check-valgrind: valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
[ -r /dev/kvm ] && [ -w /dev/kvm ] || { echo "check-valgrind: skip: no usable /dev/kvm"; exit 77; }
mkdir -p "$out"

failed=0 n=0
# check STATUS NAME ARGS...: minivmm ARGS under memcheck must exit STATUS.
check() {
	local want=$1 name=$2 st
	shift 2
	n=$((n + 1))
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--log-file="$out/$name.vg" "$mvm" "$@" >"$out/$name.out" 2>"$out/$name.err"
	st=$?
	if [ "$st" != "$want" ] || grep -q '^==[0-9]*== [^W ]' "$out/$name.vg"; then
		echo "check-valgrind: $name: status $st (wanted $want); see $out/$name.vg" >&2
		failed=$((failed + 1))
	fi
}

check 0 mmio run tests/guest_mmio.bin --trace "$out/mmio.trace"
check 0 mmio-jsonl run tests/guest_mmio.bin --format jsonl --trace "$out/mmio.jsonl"
check 0 dirty run tests/guest_dirty.bin --quiet --format jsonl --trace "$out/dirty.jsonl"
check 0 dirty-clear run tests/guest_dirty.bin --dirty clear --quiet --format jsonl \
	--trace "$out/dirty-clear.jsonl"
check 0 dirty-ring run tests/guest_dirty.bin --dirty ring --dirty-ring-size 16K --quiet \
	--trace "$out/dirty-ring.trace"
check 0 ipi run tests/guest_ipi.bin --quiet --trace "$out/ipi.trace"
check 0 extint-split run tests/guest_extint.bin --irqchip split --quiet --trace "$out/extint.trace"
check 0 emulate run tests/guest_emulate.bin --quiet --trace "$out/emulate.trace"
check 0 singlestep run tests/guest_hlt.bin --singlestep=64 --quiet --trace "$out/step.trace"
check 1 triplefault run tests/guest_triplefault.bin --quiet --trace "$out/tf.trace"
check 1 timeout run tests/guest_loop.bin --timeout 0.5 --quiet --trace "$out/loop.trace"
check 0 multiboot run tests/kernel_mb_info.elf --mem 64M --append "mem=64 hello multiboot" \
	--initrd tests/kernels/mb_module.txt --symbols tests/kernel_mb_info.sym --quiet \
	--trace "$out/mb.trace"
check 0 pc run tests/guest_pc.bin --machine pc --quiet --trace "$out/pc.trace"
check 2 bad-option run tests/guest_hlt.bin --timeout nope
check 2 bad-payload run tests/
check 2 no-payload run /nonexistent/guest.bin
check 0 show show "$out/mmio.jsonl"
check 1 diff diff "$out/dirty.jsonl" "$out/dirty-clear.jsonl"
check 0 replay replay "$out/mmio.jsonl"
check 0 caps caps

if [ "$failed" != 0 ]; then
	echo "check-valgrind: $failed of $n runs failed" >&2
	exit 1
fi
echo "check-valgrind: $n runs, no memcheck error, no leak"
