#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/nested/setup.sh - makes sure the emulated stack's parts are here: the Debian
# packages (QEMU, or Bochs and an ISO maker), and Debian's 6.1 kernel with the KVM
# modules, unpacked once into a cache folder and reused after that.
#
# usage: tests/nested/setup.sh svm|vmx KERNELDIR
# Leaves KERNELDIR/vmlinuz and KERNELDIR/*.ko. Run under a lock by run.sh, since
# `make check-nested` starts the SVM and VMX runs at the same time.
set -euo pipefail

die() {
	echo "nested setup: $*" >&2
	exit 1
}

arch=${1:?usage: setup.sh svm|vmx KERNELDIR}
kdir=${2:?usage: setup.sh svm|vmx KERNELDIR}

packages=(qemu-system-x86 busybox-static cpio)
if [ "$arch" = vmx ]; then
	packages+=(bochs bochs-term bochsbios vgabios isolinux syslinux-common genisoimage)
fi

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
for p in "${packages[@]}"; do
	installed "$p" || missing+=("$p")
done

# apt-get update at most once per run: before installing, or before looking up the
# kernel package (an old package list names a kernel the mirror no longer has).
updated=0
apt_update() {
	[ "$updated" = 1 ] && return 0
	apt-get update -qq >/dev/null 2>&1 || die "apt-get update failed"
	updated=1
}

if [ "${#missing[@]}" -gt 0 ]; then
	[ "$(id -u)" = 0 ] ||
		die "missing packages; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
	echo "nested setup: installing ${missing[*]}"
	apt_update
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
		die "apt-get install ${missing[*]} failed"
fi

# The kernel: reuse the cache when present (it is moved into place only when complete).
[ -f "$kdir/vmlinuz" ] && exit 0

[ "$(id -u)" = 0 ] && apt_update
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
[ -n "$pkg" ] || die "apt-cache depends linux-image-amd64 names no kernel package"
echo "nested setup: fetching $pkg"

tmp="$kdir.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
# apt-get download writes into the current folder; as root it warns that the _apt
# user cannot write there, which is harmless.
(cd "$tmp" && apt-get download -qq "$pkg" >/dev/null 2>&1) || die "apt-get download $pkg failed"
deb=$(echo "$tmp"/*.deb)
[ -f "$deb" ] || die "apt-get download $pkg left no .deb in $tmp"

# Only vmlinuz and the five modules are needed: the whole tree is 400 MB.
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './boot/vmlinuz-*' \
	'*/virt/lib/irqbypass.ko' '*/arch/x86/kvm/kvm*.ko' '*/drivers/crypto/ccp/ccp.ko' ||
	die "cannot unpack $deb"
for m in irqbypass kvm kvm-amd kvm-intel ccp; do
	f=$(find "$tmp/lib/modules" -name "$m.ko" | head -n 1)
	[ -n "$f" ] || die "$pkg has no $m.ko (modules compressed? busybox insmod needs .ko)"
	mv "$f" "$tmp/$m.ko"
done
echo "$pkg" >"$tmp/PACKAGE"
mv "$tmp"/boot/vmlinuz-* "$tmp/vmlinuz"
rm -rf "${tmp:?}/boot" "${tmp:?}/lib" "$deb" "$kdir"
mv "$tmp" "$kdir"
