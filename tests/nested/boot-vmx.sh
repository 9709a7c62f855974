#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/nested/boot-vmx.sh - boots the nested initramfs in Bochs, whose Haswell model
# emulates VMX with EPT (see shared/NESTED.md).
#
# usage: tests/nested/boot-vmx.sh VMLINUZ INITRD WORKDIR CONSOLE_LOG SECONDS
# Exits 0 when Bochs stopped by itself, 1 on a setup or Bochs error, 2 when SECONDS
# ran out (run.sh says so, with what it knows of where the boot was).
# MVM_NESTED_BOCHS_CPU, when set, names another Bochs CPU model (bochs's cpudb names,
# e.g. corei7_skylake_x); the goldens are made with the default.
set -euo pipefail

[ "$#" = 5 ] || { echo "usage: boot-vmx.sh VMLINUZ INITRD WORKDIR CONSOLE_LOG SECONDS" >&2; exit 1; }
kernel=$1 initrd=$2 work=$3 log=$4 limit=$5
model=${MVM_NESTED_BOCHS_CPU:-corei7_haswell_4770}
case "$model" in
*[!a-z0-9_]* | "") echo "MVM_NESTED_BOCHS_CPU: not a Bochs CPU model name: '$model'" >&2; exit 1 ;;
esac

# Bochs cannot load a 64-bit bzImage itself: it boots an isolinux CD.
iso=$work/iso
rm -rf "$iso"
mkdir -p "$iso/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$iso/isolinux/"
cp "$kernel" "$iso/vmlinuz"
cp "$initrd" "$iso/initrd.gz"
# quiet and 115200 baud: Bochs' UART is slow, and this saves ~30 s.
cat >"$iso/isolinux/isolinux.cfg" <<'EOF'
DEFAULT linux
LABEL linux
	KERNEL /vmlinuz
	APPEND initrd=/initrd.gz console=ttyS0,115200 panic=-1 rdinit=/init quiet
EOF
genisoimage -quiet -R -o "$work/boot.iso" -b isolinux/isolinux.bin -c isolinux/boot.cat \
	-no-emul-boot -boot-load-size 4 -boot-info-table "$iso" ||
	{ echo "genisoimage failed" >&2; exit 1; }
rm -rf "$iso"

rm -f "$log"
cat >"$work/bochsrc" <<EOF
cpu: model=$model, count=1, ips=100000000, reset_on_triple_fault=0, ignore_bad_msrs=1
memory: guest=512, host=512
romimage: file=/usr/share/bochs/BIOS-bochs-latest, options=fastboot
vgaromimage: file=/usr/share/vgabios/vgabios.bin
pci: enabled=1, chipset=i440fx
ata0-master: type=cdrom, path=$work/boot.iso, status=inserted
boot: cdrom
clock: sync=none, time0=local
com1: enabled=1, mode=file, dev=$log
display_library: term
log: $work/bochs.log
EOF
# Debian's Bochs has its debugger built in and stops at its prompt: continue, and
# quit when the guest powers off.
printf 'c\nquit\n' >"$work/dbgcmds"

# Bochs has no headless display here: the term one needs a terminal, which script
# provides, with a TERM that curses knows whatever the caller has (CI may have none).
# Bochs ignores SIGTERM, hence KILL; the inner timeout is the one that matters
# (script puts Bochs in a session of its own, out of the outer one's reach).
st=0
TERM=vt100 timeout -s KILL "$((limit + 10))" script -qfec \
	"timeout -s KILL $limit bochs -q -f $work/bochsrc -rc $work/dbgcmds" /dev/null \
	</dev/null >"$work/bochs.tty" 2>&1 || st=$?

# Bochs treats the guest's ACPI power-off as a panic and quits with status 1; now and
# then it also crashes (SIGSEGV, 139) while quitting. Either way the guest had finished:
# it powers off only after /init's last run, and run.sh checks the console's end marker.
if [ "$st" != 0 ] && [ "$st" != 137 ] && grep -q 'ACPI control: soft power off' "$work/bochs.log"; then
	[ "$st" = 1 ] || echo "Bochs quit with status $st after the guest powered off" >&2
	st=0
fi

case "$st" in
0) ;;
137) exit 2 ;;
*) echo "Bochs failed with status $st: $(tail -n 1 "$work/bochs.log" 2>/dev/null)" >&2; exit 1 ;;
esac
