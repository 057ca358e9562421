#!/usr/bin/env bash
# Deployment on a device (docs/raspberry-pi.md): `cmake --install --component bin` into a temporary prefix puts
# the CLI, its man page, the example INI and a sandboxed systemd unit per role there; the installed binary says
# its version, reads the example INI, and `systemd-analyze verify` accepts the units where it is available.
set -u
: "${CCS_SOURCE_DIR:?}" "${CCS_BUILD_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
p=$tmp/prefix
cmake --install "$CCS_BUILD_DIR" --prefix "$p" --component bin >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "install"; }
for f in bin/ccsplc share/man/man1/ccsplc.1 etc/ccsplc/ccsplc.ini share/doc/ccsplc/raspberry-pi.md \
         share/doc/ccsplc/hardware.md lib/systemd/system/ccsplc-evse.service lib/systemd/system/ccsplc-pev.service; do
    [ -f "$p/$f" ] || fail "$f not installed"
done
echo "ok: the binary, the man page, the example INI, the docs and both units installed under the prefix"

version=$(sed -n 's/^project(ccsplc VERSION \([0-9.]*\).*/\1/p' "$CCS_SOURCE_DIR/CMakeLists.txt")
"$p/bin/ccsplc" --version | head -1 | grep -qx "ccsplc $version" || fail "--version is not ccsplc $version"
"$p/bin/ccsplc" --version | grep -q "^hardware backends: plant serial" || fail "--version does not list the backends"
timeout 30 "$p/bin/ccsplc" pev --sim -c "$p/etc/ccsplc/ccsplc.ini" --stop-after slac >"$tmp/ini.out" 2>"$tmp/ini.err" ||
    { cat "$tmp/ini.err"; fail "the example INI is not accepted"; }
echo "ok: ccsplc --version says $version; the example INI is read"

if command -v man >/dev/null; then
    MANWIDTH=80 man -l "$p/share/man/man1/ccsplc.1" 2>"$tmp/man.err" | grep -q "^SYNOPSIS" || fail "the man page does not render"
    [ ! -s "$tmp/man.err" ] || { cat "$tmp/man.err"; fail "the man page renders with warnings"; }
    echo "ok: man -l renders the man page"
fi

for role in evse pev; do
    u=$p/lib/systemd/system/ccsplc-$role.service
    grep -qx "ExecStart=$p/bin/ccsplc $role -c $p/etc/ccsplc/ccsplc.ini" "$u" || fail "$role: ExecStart not the installed paths"
    for want in CapabilityBoundingSet=CAP_NET_RAW AmbientCapabilities=CAP_NET_RAW ProtectSystem=strict \
                NoNewPrivileges=yes DynamicUser=yes ProtectHome=yes DevicePolicy=closed; do
        grep -qx "$want" "$u" || fail "$role: no $want"
    done
    [ "$(grep -c '^CapabilityBoundingSet=' "$u")" = 1 ] || fail "$role: more than one capability line"
done
echo "ok: both units run the installed binary with the installed INI, sandboxed with CAP_NET_RAW only"
if ! command -v systemd-analyze >/dev/null; then
    echo "skip: systemd-analyze verify: systemd-analyze is not installed"
    exit 0
fi
systemd-analyze verify --man=no "$p"/lib/systemd/system/ccsplc-{evse,pev}.service >"$tmp/verify.log" 2>&1 ||
    { cat "$tmp/verify.log"; fail "systemd-analyze verify refused the units"; }
! grep -q "$p/lib/systemd/system" "$tmp/verify.log" || { cat "$tmp/verify.log"; fail "systemd-analyze verify warned"; }
echo "ok: systemd-analyze verify accepts both units"
