#!/usr/bin/env bash
# The runtime the worker's image runs on, built here because no base image can be pulled on these machines:
#   bash scripts/image-runtime.sh OUT_DIR
# OUT_DIR/opt/java is a jlinked JRE from the build's JDK (JAVA_HOME, 21+), and OUT_DIR/lib* hold the few shared
# libraries of the build machine (Debian's libc6: libc, libm, libdl, libpthread, librt and the loader) that the
# JRE's native code links against, found with ldd. OUT_DIR/tmp is the JVM's temporary directory. Jib adds OUT_DIR to a
# `scratch` image under `/` (worker/pom.xml, profile `image`).
set -euo pipefail

out="${1:?usage: $0 OUT_DIR}"
java_home="${JAVA_HOME:?JAVA_HOME must name the JDK to take the runtime from}"
# java.se: every standard module the worker or its libraries may load; jdk.unsupported (Netty, Hikari),
# jdk.management (Micrometer's JVM metrics), jdk.jfr (Netty's and Micronaut's events), jdk.naming.dns, jdk.zipfs,
# jdk.charsets.
modules="java.se,jdk.unsupported,jdk.management,jdk.jfr,jdk.naming.dns,jdk.zipfs,jdk.charsets"

rm -rf "$out"
mkdir -p "$out/opt" "$out/tmp"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --output "$out/opt/java"

# The libraries the runtime's executables and shared objects need from libc6 (and zlib, if the JDK links it),
# copied to the same path; java.desktop's X11 and ALSA libraries are left out, as the worker draws nothing.
find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
    | xargs -0 ldd 2>/dev/null \
    | awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }' \
    | grep -E '/(ld-linux[^/]*|lib(c|m|dl|pthread|rt|z)\.so[^/]*)$' \
    | sort -u \
    | while read -r lib; do
        mkdir -p "$out$(dirname "$lib")"
        cp -L "$lib" "$out$lib"
    done
if ! [[ -f "$out/lib64/ld-linux-x86-64.so.2" || -f "$out/lib/ld-linux-aarch64.so.1" ]]; then
    echo "no dynamic loader found for the runtime in $out" >&2
    exit 1
fi
echo "runtime: $(du -sh "$out" | cut -f1) in $out"
