#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/nested/init.sh - the /init of the nested tests' initramfs (busybox sh, PID 1).
# Loads KVM with nested=1, runs each payload twice under the static minivmm, and
# prints every result to the serial console between marker lines:
#	@@MVM-BEGIN <file> status=<n>@@ ... @@MVM-END <file>@@
# which tests/nested/collect.awk turns back into files on the host. The serial
# console is the only way out: the initramfs has no disk to write to.
export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
# Kernel messages would land in the middle of a trace: keep them off the console
# (dmesg.txt below has the ones that matter).
dmesg -n 1
echo "@@MVM-INIT@@"

# section NAME STATUS FILE: prints FILE between markers; a missing FILE prints nothing,
# so the host sees it is missing.
section() {
	[ -f "$3" ] || return 0
	echo "@@MVM-BEGIN $1 status=$2@@"
	cat "$3"
	# A last line without its newline would swallow the END marker.
	[ -z "$(tail -c 1 "$3")" ] || echo
	echo "@@MVM-END $1@@"
}

# /modules/order lists the modules in load order, with their parameters (mkinitrd.sh).
st=0
while read -r mod params; do
	echo "insmod $mod $params" >>/tmp/insmod.txt
	# shellcheck disable=SC2086 # params is a list of words
	insmod "/modules/$mod" $params >>/tmp/insmod.txt 2>&1 || st=1
done </modules/order
section insmod.txt "$st" /tmp/insmod.txt

# kvm_amd says "Nested Virtualization enabled" in dmesg, kvm_intel says nothing:
# its module parameters tell. The test program reads some of them (tdp_mmu, vls,
# enable_shadow_vmcs decide which L0 functions a nested payload can drive).
dmesg | grep -i -E 'nested|kvm' >/tmp/dmesg.txt
for p in kvm/parameters/tdp_mmu kvm_amd/parameters/nested kvm_amd/parameters/npt \
	kvm_amd/parameters/vgif kvm_amd/parameters/vls kvm_intel/parameters/nested \
	kvm_intel/parameters/ept kvm_intel/parameters/unrestricted_guest \
	kvm_intel/parameters/enable_shadow_vmcs kvm_intel/parameters/pml \
	kvm_intel/parameters/enable_apicv kvm_amd/parameters/avic; do
	[ -r "/sys/module/$p" ] && grep -H . "/sys/module/$p" >>/tmp/dmesg.txt
done
section dmesg.txt 0 /tmp/dmesg.txt

minivmm caps >/tmp/caps.txt 2>&1
section caps.txt "$?" /tmp/caps.txt

# Extra run arguments from the host (MVM_NESTED_RUN_ARGS, via mkinitrd.sh), split
# into words as the shell splits them (quotes keep a word with spaces whole); none
# when the file is missing, so the command is the plain one.
set --
[ -f /payloads/args ] && eval "set -- $(cat /payloads/args)"

# Each payload twice, so the host can see whether a trace repeats.
while read -r name; do
	for i in 1 2; do
		echo "@@MVM-RUN $name.$i@@"
		minivmm run "/payloads/$name.bin" --trace "/tmp/$name.$i.trace" --quiet "$@" \
			>"/tmp/$name.$i.out" 2>&1
		st=$?
		section "$name.$i.trace" "$st" "/tmp/$name.$i.trace"
		section "$name.$i.out" "$st" "/tmp/$name.$i.out"
	done
done </payloads/list

echo "@@MVM-DONE@@"
# The emulated UART drains slowly (Bochs above all): lines still queued at power-off
# are lost.
sync
sleep 2
poweroff -f
