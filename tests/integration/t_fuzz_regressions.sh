#!/bin/sh
# The fuzz targets' kept crashes (tests/fuzz/regressions/<target>/) and
# their seed corpora, replayed once each under ASan and UBSan: every
# crash the fuzzers found stays fixed.  Builds the targets with clang
# (make fuzz-build, into build/fuzz/); skips, saying so, when clang or its
# libFuzzer runtime is missing.  Fuzzing itself is `make fuzz`.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
CC_FUZZ=${FUZZ_CC:-clang}

if ! command -v "$CC_FUZZ" >/dev/null 2>&1; then
	echo "SKIP: $CC_FUZZ is not installed (apt-get install clang): the" \
	    "fuzz regressions were not replayed"
	exit 0
fi
probe=$(mktemp -d "${TMPDIR:-/tmp}/idtsd-fuzzprobe.XXXXXX")
trap 'rm -rf "$probe"' EXIT INT TERM
printf 'int LLVMFuzzerTestOneInput(const char *d, long n);\n%s\n' \
    'int LLVMFuzzerTestOneInput(const char *d, long n) { (void)d; (void)n; return 0; }' \
    > "$probe/p.c"
if ! "$CC_FUZZ" -fsanitize=fuzzer,address,undefined -o "$probe/p" \
    "$probe/p.c" >/dev/null 2>&1; then
	echo "SKIP: $CC_FUZZ has no libFuzzer runtime: the fuzz regressions" \
	    "were not replayed"
	exit 0
fi

# A make of its own: not the jobs or variables (SAN, BUILD) of a make
# check that runs this.
cd "$top"
env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -j2 fuzz-build \
    >"$probe/build.log" 2>&1 || {
	tail -30 "$probe/build.log"
	echo "FAIL: the fuzz targets do not build"
	exit 1
}
env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s fuzz-regress
echo "fuzz regressions: all replayed clean"
