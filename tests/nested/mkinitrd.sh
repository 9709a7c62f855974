#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/nested/mkinitrd.sh - builds the initramfs of a nested boot: busybox, the KVM
# modules of KERNELDIR in load order, the static minivmm, the payloads, and init.sh
# as /init.
#
# usage: tests/nested/mkinitrd.sh svm|vmx KERNELDIR MINIVMM OUT.cpio.gz PAYLOAD.bin...
# A non-empty MVM_NESTED_RUN_ARGS is written to /payloads/args, which init.sh adds to
# every `minivmm run`; without it there is no such file.
set -euo pipefail

die() {
	echo "nested mkinitrd: $*" >&2
	exit 1
}

[ "$#" -ge 4 ] || die "usage: mkinitrd.sh svm|vmx KERNELDIR MINIVMM OUT.cpio.gz PAYLOAD.bin..."
arch=$1 kdir=$2 minivmm=$3 out=$4
shift 4

# busybox insmod does not resolve dependencies: kvm needs irqbypass; kvm-amd needs
# kvm and ccp (its .modinfo says depends=kvm,ccp); kvm-intel needs kvm.
case "$arch" in
# MVM_NESTED_MODULE_PARAMS: more parameters for the vendor module (enable_shadow_vmcs=0).
svm) modules=("irqbypass.ko" "kvm.ko" "ccp.ko" "kvm-amd.ko nested=1 ${MVM_NESTED_MODULE_PARAMS:-}") ;;
vmx) modules=("irqbypass.ko" "kvm.ko" "kvm-intel.ko nested=1 ${MVM_NESTED_MODULE_PARAMS:-}") ;;
*) die "unknown arch '$arch' (svm or vmx)" ;;
esac

# busybox-static's (setup.sh installs it): the initramfs has no libc.
busybox=/bin/busybox
root="$out.root"
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,modules,payloads}
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
cp "$minivmm" "$root/bin/minivmm"
install -m 0755 "$(dirname "$0")/init.sh" "$root/init"

for m in "${modules[@]}"; do
	cp "$kdir/${m%% *}" "$root/modules/" 2>/dev/null || die "$kdir/${m%% *} missing"
	echo "$m" >>"$root/modules/order"
done
: >"$root/payloads/list"
for p in "$@"; do
	cp "$p" "$root/payloads/" 2>/dev/null || die "cannot copy $p"
	# Its symbols beside it, where minivmm run looks for them.
	if [ -e "${p%.bin}.sym" ]; then
		cp "${p%.bin}.sym" "$root/payloads/" 2>/dev/null || die "cannot copy ${p%.bin}.sym"
	fi
	basename "$p" .bin >>"$root/payloads/list"
done
if [ -n "${MVM_NESTED_RUN_ARGS:-}" ]; then
	printf '%s\n' "$MVM_NESTED_RUN_ARGS" >"$root/payloads/args"
fi

# Sorted names and root ownership make the archive depend only on its contents.
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -n -6 >"$out" ||
	die "cpio failed"
rm -rf "$root"
