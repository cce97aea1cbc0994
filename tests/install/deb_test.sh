#!/usr/bin/env bash
# deb_test.sh: the Debian packages (cmake/package.cmake) as a user gets them: `cpack -G DEB` in the build
# directory; the runtime package's control fields (Depends: from dpkg-shlibdeps, naming the shared libraries
# the binary links) and contents (binary, man pages, completions; no headers); then installed with dpkg into
# an empty root of its own, run from there (`trailwatch version`, the sample replay, the man page, the bash
# completion), and removed with dpkg, leaving no file behind.
# Usage: deb_test.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
build=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work/packages"
fail=0
check() {  # check NAME GOT WANT
  if [ "$2" != "$3" ]; then
    echo "FAIL $1: got [$2], want [$3]" >&2
    fail=1
  else
    echo "ok   $1"
  fi
}
has() {  # has NAME TEXT NEEDLE
  if grep -qF -- "$3" <<<"$2"; then echo "ok   $1"; else echo "FAIL $1: no [$3] in [$2]" >&2; fail=1; fi
}

(cd "$build" && cpack -G DEB -B "$work/packages" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log" >&2; exit 1; }
deb=$(ls "$work"/packages/trailwatch_*.deb)
dev=$(ls "$work"/packages/trailwatch-dev_*.deb)
check "two packages" "$(ls "$work"/packages/*.deb | wc -l)" 2

# control fields
check "Package" "$(dpkg-deb -f "$deb" Package)" trailwatch
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libstdc++6 libre2 libsimdjson libboost-program-options libyaml-cpp libicu libdeflate0 zlib1g; do
  has "Depends names $lib" "$depends" "$lib"
done
has "trailwatch-dev Depends on the -dev packages" "$(dpkg-deb -f "$dev" Depends)" "libsimdjson-dev"

# contents
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/trailwatch ./usr/share/man/man1/trailwatch.1.gz ./usr/share/man/man1/trailwatch-replay.1.gz \
         ./usr/share/man/man1/trailwatch-logs-test-metric-filter.1.gz \
         ./usr/share/bash-completion/completions/trailwatch ./usr/share/zsh/vendor-completions/_trailwatch; do
  has "contains $f" "$contents" "$f"
done
check "no headers or libraries in the runtime package" "$(grep -cE '\.(h|a)$' <<<"$contents" || true)" 0
has "trailwatch-dev contains the CMake package" "$(dpkg-deb -c "$dev")" "trailwatchConfig.cmake"

# install into an empty root (its own dpkg database; the libraries come from this system, hence
# --force-depends), run, remove
root=$work/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/log"
touch "$root/var/lib/dpkg/status"
dpkg_root() { dpkg --root="$root" --force-not-root --force-depends --log="$work/dpkg.log" "$@"; }
dpkg_root -i "$deb" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; exit 1; }
check "dpkg -s: installed" "$(dpkg --root="$root" -s trailwatch 2>/dev/null | sed -n 's/^Status: //p')" \
      "install ok installed"
tw=$root/usr/bin/trailwatch
check "installed trailwatch version" "$("$tw" version | head -1)" "trailwatch $(dpkg-deb -f "$deb" Version)"
replay=$("$tw" replay "$src/samples/console-login/setup.yaml" "$src/samples/console-login/events/AWSLogs" 2>&1)
has "installed trailwatch replays the sample" "$replay" "16 records from 6 file(s)"
if command -v man >/dev/null; then
  has "installed man page" "$(MANWIDTH=100 man -l "$root/usr/share/man/man1/trailwatch-replay.1.gz" 2>/dev/null | col -b)" \
      "--fail-on high|medium|low|never"
fi
check "installed bash completion loads" \
      "$(bash --norc --noprofile -c "source '$root/usr/share/bash-completion/completions/trailwatch' && complete -p trailwatch")" \
      "complete -F _trailwatch trailwatch"
dpkg_root -r trailwatch >"$work/remove.log" 2>&1 || { cat "$work/remove.log" >&2; exit 1; }
check "removed: no file left outside dpkg's database" "$(find "$root" -not -type d -not -path "$root/var/*" | wc -l)" 0
check "dpkg -s: removed" "$(dpkg --root="$root" -s trailwatch >/dev/null 2>&1 && echo installed || echo gone)" gone
exit $fail
