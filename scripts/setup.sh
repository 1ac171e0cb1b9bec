#!/usr/bin/env bash
# Set up everything Narrative Coach needs on a Debian/Ubuntu machine: system packages (with
# apt-get when run as root, otherwise the exact command to run is printed), the virtual
# environment in .venv and the package itself. Safe to run again: it only does what is missing.
#   scripts/setup.sh          what the app needs
#   scripts/setup.sh --test   what the app and its test suite need
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--test" ] && want_tests=1

app_pkgs=(libportaudio2 libsndfile1 libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1
  libxcb-image0 libxcb-render-util0 libxcb-xinerama0 libxcb-shape0 libxcb-randr0 libegl1 libgl1
  libfontconfig1 libdbus-1-3 fonts-dejavu-core)
test_pkgs=(espeak-ng sox xvfb xdotool pulseaudio pulseaudio-utils libasound2-plugins postgresql)
pkgs=("${app_pkgs[@]}")
[ "$want_tests" = 1 ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

python_bin=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    python_bin=$(command -v "$candidate"); break
  fi
done
[ -z "$python_bin" ] && missing+=(python3 python3-venv)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: these system packages are missing. Install them, then run this again:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
if [ -z "$python_bin" ]; then
  python_bin=$(command -v python3)
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $python_bin"
  "$python_bin" -m venv .venv
fi

extra=""
[ "$want_tests" = 1 ] && extra="[test]"
stamp=".venv/.installed$extra-$(cat pyproject.toml | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$extra"
  rm -f .venv/.installed*
  touch "$stamp"
fi
