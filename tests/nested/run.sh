#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/nested/run.sh - runs L1-hypervisor payloads where this host's KVM cannot:
# inside an emulator (QEMU TCG for SVM, Bochs for VMX) that boots Debian's 6.1
# kernel, loads KVM with nested=1 and runs the static minivmm on each payload twice.
#
# usage: tests/nested/run.sh svm|vmx OUTDIR NAME...
#	NAME is a payload name: tests/NAME.bin is run, with tests/NAME.sym beside it
#	so that its RIPs are named. Builds them and build/static/minivmm
#	with make when they are missing or stale; installs the emulator with apt-get
#	and fetches the kernel into build/nested/kernel when they are missing.
#	With no NAME it only boots and runs `minivmm caps`.
#	MVM_NESTED_MODULE_PARAMS, when set, is added to the vendor module's insmod
#	line (kvm-intel.ko nested=1 enable_shadow_vmcs=0, say).
#	MVM_NESTED_RUN_ARGS, when set, is added to every `minivmm run` inside the
#	emulator, split into words as the shell does (quotes keep spaces in a word:
#	"--kprobe 'f x=%di'"), e.g. MVM_NESTED_RUN_ARGS="--format jsonl":
#	the traces keep their names below but hold what the arguments ask for. Unset or
#	empty, each run is the plain `minivmm run NAME.bin --trace FILE --quiet`.
# Writes to OUTDIR:
#	NAME.1.trace NAME.2.trace   the traces of the two runs
#	NAME.status                 their two exit statuses, "S1 S2"
#	NAME.1.out NAME.2.out       what minivmm printed (errors only: --quiet)
#	caps.txt                    `minivmm caps` inside the emulator
#	dmesg.txt                   the kernel's KVM lines, kvm_* module parameters
#	insmod.txt                  the modules loaded, and what insmod said
#	console.log                 the whole serial console
#	boot/                       the initramfs and the emulator's own files
# Exits 0 when the boot completed and every payload left both traces (whatever
# their statuses: judging them is the test program's job), else 1 with one line
# saying why. MVM_NESTED_TIMEOUT (seconds) overrides the boot's time limit.
set -euo pipefail

die() {
	echo "nested $arch: $*" >&2
	exit 1
}

arch=${1:-}
case "$arch" in
svm) limit=${MVM_NESTED_TIMEOUT:-600} ;;
vmx) limit=${MVM_NESTED_TIMEOUT:-1200} ;;
*) arch='?'; die "usage: tests/nested/run.sh svm|vmx OUTDIR NAME..." ;;
esac
[ "$#" -ge 2 ] || die "usage: tests/nested/run.sh svm|vmx OUTDIR NAME..."
mkdir -p "$2" 2>/dev/null || die "cannot create $2"
out=$(cd "$2" && pwd)
shift 2
names=("$@")

cd "$(dirname "$0")/../.."
here=tests/nested
minivmm=build/static/minivmm
cache=build/nested
bins=()
syms=()
for n in "${names[@]}"; do
	bins+=("tests/$n.bin")
	syms+=("tests/$n.sym")
done

# Old results must not pass for new ones (the patterns are the files listed above).
rm -rf "${out:?}/boot"
rm -f "$out/console.log" "$out/caps.txt" "$out/dmesg.txt" "$out/insmod.txt" \
	"$out"/*.[12].trace "$out"/*.[12].out "$out"/*.status
mkdir -p "$out/boot" "$cache"

# SVM and VMX runs may start together: one builds, installs and fetches while the
# other waits for the lock.
{
	flock 9
	# Build (or bring up to date) what goes into the initramfs: a plain `make` does
	# not build the static minivmm, and a stale one would test old code. Under `make
	# check-nested` all is built already, and the parent's MAKEFLAGS (jobserver)
	# would only make this make complain.
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory "$minivmm" \
		"${bins[@]}" "${syms[@]}" >"$out/boot/make.log" 2>&1 ||
		die "make failed: $(grep -m 1 -E 'rror|No rule' "$out/boot/make.log"); see $out/boot/make.log"
	# It prints its own one-line reason, as mkinitrd.sh does.
	"$here/setup.sh" "$arch" "$cache/kernel" || exit 1
} 9>"$cache/setup.lock"
"$here/mkinitrd.sh" "$arch" "$cache/kernel" "$minivmm" "$out/boot/initrd.gz" "${bins[@]}" ||
	exit 1

start=$(date +%s)
st=0
"$here/boot-$arch.sh" "$cache/kernel/vmlinuz" "$out/boot/initrd.gz" "$out/boot" \
	"$out/console.log" "$limit" || st=$?
secs=$(($(date +%s) - start))
[ "$st" = 1 ] && exit 1 # the emulator failed, and boot-$arch.sh said how

found=$(awk -v out="$out" -f "$here/collect.awk" "$out/console.log" 2>/dev/null) ||
	die "no console log ($out/console.log)"
if [ "$st" != 0 ] || ! grep -qx 'done' <<<"$found"; then
	last=$(sed -n 's/^run //p' <<<"$found" | tail -n 1)
	why="boot did not complete"
	[ "$st" = 2 ] && why="boot timed out after $secs s"
	[ -n "$last" ] && why="$why during $last"
	grep -qx '@@MVM-INIT@@' <(tr -d '\r' <"$out/console.log") || why="$why before /init ran"
	die "$why; see $out/console.log"
fi

status() {
	sed -n "s/^section ${1//./\\.} //p" <<<"$found"
}
summary=
for n in "${names[@]}"; do
	for i in 1 2; do
		[ -n "$(status "$n.$i.trace")" ] ||
			die "$n run $i left no trace (minivmm status $(status "$n.$i.out")); see $out/$n.$i.out"
	done
	echo "$(status "$n.1.trace") $(status "$n.2.trace")" >"$out/$n.status"
	summary="$summary $n=$(tr ' ' / <"$out/$n.status")"
done
echo "nested $arch: boot completed in $secs s; statuses:$summary"
