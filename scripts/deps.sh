#!/usr/bin/env bash
# Installs the Debian 12 packages ccsplc needs to build and test, when any is missing (run as root).
set -euo pipefail
pkgs=(build-essential cmake pkg-config clang python3 libcmocka-dev libpcap-dev libssl-dev libxml2-dev
      libxml2-utils tshark gcc-arm-none-eabi libnewlib-arm-none-eabi iproute2 ethtool chromium fonts-dejavu-core xxd
      valgrind
      libwireshark-dev libglib2.0-dev openssl)  # the Wireshark plugin (wireshark/) and its test
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  if [ "$(id -u)" != 0 ]; then
    echo "deps: need root to install packages (sudo $0)" >&2
    exit 1
  fi
  apt-get update -qq
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
