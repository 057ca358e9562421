#!/usr/bin/env bash
# Installs the Debian 12 packages ccsplc needs, when any is missing (run as root). Usage: deps.sh [PROFILE]:
# "demo" is what the CLI alone needs to build (scripts/demo.sh); "all" (the default) adds the tests, the
# Cortex-M4 toolchain and QEMU (the mps2-an386 firmware test), Chromium (HTML report tests), tshark, the
# Wireshark plugin's development files and the optional hardware backends' libraries (MQTT, GPIO, the SoC callback: each left out of a build that lacks it)
# with the mosquitto broker their test starts.
set -euo pipefail
profile=${1:-all}
demo=(build-essential cmake pkg-config libpcap-dev libssl-dev libxml2-dev)
case "$profile" in
  demo) pkgs=("${demo[@]}") ;;
  all) pkgs=("${demo[@]}" clang python3 libcmocka-dev libxml2-utils tshark gcc-arm-none-eabi libnewlib-arm-none-eabi
             qemu-system-arm iproute2 ethtool chromium fonts-dejavu-core xxd valgrind
             libwireshark-dev libglib2.0-dev openssl  # the Wireshark plugin (wireshark/) and its test; scripts/pki.sh (TLS, docs/pnc.md)
             libmosquitto-dev mosquitto libgpiod-dev libcurl4-openssl-dev) ;;  # docs/hardware.md
  *) echo "usage: deps.sh [demo|all]" >&2; exit 2 ;;
esac
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  if [ "$(id -u)" != 0 ]; then
    echo "deps: need root to install packages (sudo $0 $profile)" >&2
    exit 1
  fi
  apt-get update -qq
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
