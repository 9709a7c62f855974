# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# common.sh - what the benchmark scripts share: sourced, never run.
#
#   . "$(dirname "$0")/common.sh"
#   bench_needs NAME [valgrind]    exits 77 with one line when this host cannot run NAME
#   bench_tmpdir                   sets $dir to a fresh directory removed at exit

bench_needs() {
	if ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
		echo "$1: /dev/kvm is not usable here; nothing to measure"
		exit 77
	fi
	if [ "${2:-}" = valgrind ] && ! command -v valgrind >/dev/null 2>&1; then
		echo "$1: valgrind is not installed; nothing to measure"
		exit 77
	fi
}

bench_tmpdir() {
	dir=$(mktemp -d)
	trap 'rm -rf "$dir"' EXIT
}
