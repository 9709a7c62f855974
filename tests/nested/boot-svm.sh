#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/nested/boot-svm.sh - boots the nested initramfs in QEMU TCG, whose `-cpu max`
# is an AMD CPU with SVM, NPT and VGIF (see shared/NESTED.md).
#
# usage: tests/nested/boot-svm.sh VMLINUZ INITRD WORKDIR CONSOLE_LOG SECONDS
# Exits 0 when QEMU stopped by itself, 1 on a QEMU error, 2 when SECONDS ran out
# (run.sh says so, with what it knows of where the boot was).
set -euo pipefail

[ "$#" = 5 ] || { echo "usage: boot-svm.sh VMLINUZ INITRD WORKDIR CONSOLE_LOG SECONDS" >&2; exit 1; }
kernel=$1 initrd=$2 work=$3 log=$4 limit=$5

# The serial port goes to a file, not stdio: QEMU's own messages stay out of the
# log, and no terminal is needed (CI has no standard input). -no-reboot turns the
# reboot that panic=-1 asks for into an exit. --foreground leaves QEMU in the
# caller's process group, so a Ctrl-C at make stops it too.
st=0
timeout --foreground -s KILL "$limit" qemu-system-x86_64 -accel tcg -cpu max -smp 1 -m 1024 \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 rdinit=/init quiet" \
	-display none -no-reboot -nodefaults -monitor none -serial "file:$log" \
	</dev/null >"$work/qemu.out" 2>&1 || st=$?

case "$st" in
0) ;;
137) exit 2 ;;
*) echo "QEMU failed with status $st: $(head -n 1 "$work/qemu.out")" >&2; exit 1 ;;
esac
