#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# install.sh - `make install DESTDIR=... PREFIX=/usr` as a packager runs it: every file is
# where the man page says, the man page renders without a warning and names every option
# of --help, a payload builds out of tree against the installed SDK alone and passes,
# and an installed payload runs by its bare name.
#
#	tests/install/install.sh ./minivmm [OUTDIR]
#
# Exit 0 pass, 1 fail, 77 when something could not be tried (no /dev/kvm; neither man
# nor groff) and nothing failed.
set -u
cd "$(dirname "$0")/../.."
MINIVMM=${1:-./minivmm}
OUT=${2:-build/tests/out/install}
MAKE=${MAKE:-make}
passed=0 failed=0 skipped=0

ok()
{
	passed=$((passed + 1))
}

fail()
{
	failed=$((failed + 1))
	echo "FAIL: $*"
}

skip()
{
	skipped=$((skipped + 1))
	echo "SKIP: $*"
}

# The file each path names must exist under the DESTDIR.
expect_files()
{
	for f in "$@"; do
		if [[ -f $dest/usr/$f ]]; then ok; else fail "make install did not install /usr/$f"; fi
	done
}

rm -rf "$OUT" && mkdir -p "$OUT" || exit 1
OUT=$(cd "$OUT" && pwd)
dest=$OUT/dest
# SANITIZE= : the install is of the plain build, whichever minivmm this run tests.
if ! $MAKE --no-print-directory install DESTDIR="$dest" PREFIX=/usr SANITIZE= \
	>"$OUT/make-install.log" 2>&1; then
	tail -20 "$OUT/make-install.log"
	echo "FAIL: make install DESTDIR=$dest PREFIX=/usr (log: $OUT/make-install.log)"
	exit 1
fi

expect_files bin/minivmm share/man/man1/minivmm.1 share/doc/minivmm/README.md \
	share/doc/minivmm/docs/abi.md share/doc/minivmm/docs/labs/README.md \
	share/doc/minivmm/docs/bpftrace/README.md \
	share/doc/minivmm/docs/bpftrace/kvm_run_syscall.bt \
	share/bash-completion/completions/minivmm share/minivmm/payloads/guest_mmio.bin \
	share/minivmm/payloads/guest_mmio.sym share/minivmm/payloads/guest_mmio.elf \
	share/minivmm/payloads/kernel_pic.elf share/minivmm/sdk/minivmm-sdk.mk \
	include/minivmm/mvm_guest.h include/minivmm/minivmm_abi.h include/minivmm/mvm_x86.h \
	lib/minivmm/entry_real.o lib/minivmm/entry_long.o lib/minivmm/guest.ld \
	lib/minivmm/16/libmvm.a lib/minivmm/32/libmvm.a lib/minivmm/64/libmvm.a
if [[ -L $dest/usr/bin/minivmm-qemu ]]; then ok; else fail "no minivmm-qemu link"; fi
# Installed texts name the installed directories, never the source's defaults.
for f in share/man/man1/minivmm.1 share/bash-completion/completions/minivmm \
	share/minivmm/sdk/minivmm-sdk.mk; do
	if grep -q '/usr/local/\|@[A-Z]*@' "$dest/usr/$f"; then
		fail "/usr/$f still names /usr/local or a @PLACEHOLDER@"
	else
		ok
	fi
done
if grep -q '^MINIVMM_SDK ?= /usr$' "$dest/usr/share/minivmm/sdk/minivmm-sdk.mk"; then
	ok
else
	fail "minivmm-sdk.mk does not default MINIVMM_SDK to the PREFIX /usr"
fi

# The man page, from where it was installed: rendered without a warning, every option
# of `minivmm --help` in it.
page=$dest/usr/share/man/man1/minivmm.1
if command -v groff >/dev/null; then
	groff -mandoc -Tutf8 -ww "$page" >"$OUT/man.txt" 2>"$OUT/man.err"
	if [[ $? == 0 && ! -s $OUT/man.err ]]; then ok; else fail "groff -ww: $(head -3 "$OUT/man.err")"; fi
fi
if command -v man >/dev/null; then
	MANWIDTH=80 man -l "$page" >"$OUT/man.txt" 2>"$OUT/man.err"
	if [[ $? == 0 && ! -s $OUT/man.err ]]; then ok; else fail "man -l: $(head -3 "$OUT/man.err")"; fi
fi
if [[ -s $OUT/man.txt ]]; then
	grep -q '^NAME' "$OUT/man.txt" && ok || fail "the rendered man page has no NAME section"
	for o in $("$MINIVMM" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		# groff may break a long option at its hyphens; compare without line breaks.
		if tr -d '\n' <"$OUT/man.txt" | sed 's/‐/-/g' | grep -q -- "$o\b"; then
			ok
		else
			fail "minivmm --help names $o, the man page does not"
		fi
	done
else
	skip "neither man nor groff renders the man page here"
fi

# A payload of its own, built against the installed SDK only: two sources (C and
# assembly), two start modes, and one that fails a report on purpose.
src=$OUT/hello
mkdir -p "$src"
cat >"$src/hello.c" <<'EOF'
#include "mvm_guest.h"

int answer(void);

int main(void)
{
	mvm_printf("hello from %d-bit code\n", MVM_BITS);
	report(answer() == 42, "answer from assembly");
#ifdef BROKEN
	report(0, "broken on purpose");
#endif
	mvm_exit(report_summary(), "hello done");
}
EOF
cat >"$src/answer.S" <<'EOF'
	.text
	.globl	answer
answer:
	mov	$42, %eax
	ret
EOF
cat >"$src/Makefile" <<'EOF'
include $(MINIVMM_SDK)/share/minivmm/sdk/minivmm-sdk.mk
$(eval $(call minivmm_payload,hello,long,hello.c answer.S))
$(eval $(call minivmm_payload,hello32,prot32,hello.c answer.S))
$(eval $(call minivmm_payload,broken,long,hello.c answer.S))
build/broken/hello.o: MINIVMM_CFLAGS += -DBROKEN
all: hello.bin hello.sym hello32.bin hello32.sym broken.bin
EOF
# No -I or -L into the source tree: MINIVMM_SDK alone says where the SDK is.
if (cd "$src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL $MAKE MINIVMM_SDK="$dest/usr" >"$OUT/sdk-build.log" 2>&1); then
	ok
else
	tail -20 "$OUT/sdk-build.log"
	fail "the out-of-tree payload did not build against the installed SDK"
fi
if grep -q "$PWD/\(guest\|include\)" "$OUT/sdk-build.log"; then
	fail "the out-of-tree build used the source tree"
else
	ok
fi

# run NAME STATUS ARGS...: minivmm ARGS ends with STATUS; its trace is $OUT/NAME.trace.
run()
{
	local name=$1 want=$2 got

	shift 2
	"$@" --trace "$OUT/$name.trace" >"$OUT/$name.out" 2>"$OUT/$name.err"
	got=$?
	if [[ $got == "$want" ]]; then
		ok
	else
		fail "$*: wanted status $want, got $got ($(head -2 "$OUT/$name.err"))"
	fi
}

# expect_in FILE TEXT: FILE holds TEXT.
expect_in()
{
	if grep -qF -- "$2" "$1"; then ok; else fail "$1 does not hold '$2'"; fi
}

if ! [[ -c /dev/kvm && -r /dev/kvm && -w /dev/kvm ]]; then
	skip "no usable /dev/kvm: the payloads were built, not run"
else
	run hello 0 "$MINIVMM" run "$src/hello.bin"
	expect_in "$OUT/hello.out" "PASS: answer from assembly"
	expect_in "$OUT/hello.out" "hello from 64-bit code"
	expect_in "$OUT/hello.trace" "<report+"
	expect_in "$OUT/hello.trace" "end reason=exit verdict=pass status=0"
	run hello32 0 "$MINIVMM" run "$src/hello32.bin"
	expect_in "$OUT/hello32.trace" "mode=prot32"
	expect_in "$OUT/hello32.out" "hello from 32-bit code"
	run broken 1 "$MINIVMM" run "$src/broken.bin"
	expect_in "$OUT/broken.out" "FAIL: broken on purpose"
	# Bare names: from MINIVMM_PAYLOAD_PATH, with the .sym beside the file found.
	run bare 0 env MINIVMM_PAYLOAD_PATH="$OUT/none:$src" "$MINIVMM" run hello
	expect_in "$OUT/bare.trace" "<report+"
	run installed 0 env MINIVMM_PAYLOAD_PATH="$dest/usr/share/minivmm/payloads" \
		"$dest/usr/bin/minivmm" run guest_mmio
	expect_in "$OUT/installed.trace" "<main+"
fi
# Nothing found: status 2 and one line naming the places looked in, the compiled-in
# payload directory of PREFIX=/usr last. No KVM needed: nothing runs.
"$dest/usr/bin/minivmm" run no_such_payload >"$OUT/missing.out" 2>"$OUT/missing.err"
s=$?
if [[ $s == 2 && $(wc -l <"$OUT/missing.err") == 1 ]]; then ok; else fail "run no_such_payload: status $s, stderr: $(cat "$OUT/missing.err")"; fi
expect_in "$OUT/missing.err" "no_such_payload.bin in /usr/share/minivmm/payloads"

# uninstall takes back every file install put there.
if $MAKE --no-print-directory uninstall DESTDIR="$dest" PREFIX=/usr SANITIZE= \
	>"$OUT/make-uninstall.log" 2>&1 && [[ -z $(find "$dest" -type f -o -type l) ]]; then
	ok
else
	fail "make uninstall left: $(find "$dest" -type f -o -type l | head -5)"
fi

echo "install: $passed passed, $failed failed, $skipped skipped"
[[ $failed == 0 ]] || exit 1
[[ $skipped == 0 ]] || exit 77
exit 0
