#!/usr/bin/env bash
# Installs what the station needs into ./.venv (idempotent; quick when nothing changed).
# Usage: scripts/setup.sh [pip extras, e.g. dev]
set -euo pipefail
cd "$(dirname "$0")/.."

# System libraries: zbar for pyzbar, CJK fonts for Chinese text, and what Qt's xcb platform plugin links
# against. That list comes from `ldd` on PySide6's plugins/platforms/libqxcb.so and the Qt libraries it loads
# (each library mapped to its package with `dpkg -S`), not from trial: a desktop missing libxcb-icccm4 or
# libxcb-keysyms1 aborted the window at start. The check after the install below says if a Qt update needs more.
# Windows and macOS wheels bundle what they need; on Debian/Ubuntu we install it.
SYSTEM_PACKAGES="libzbar0 fonts-noto-cjk libgl1 libegl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
  libx11-6 libx11-xcb1 libxcb1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1
  libxcb-util1 libxcb-xfixes0 libxcb-xkb1"
APT=""
if command -v dpkg >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then APT=yes; fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
APT_FRESH=""  # apt-get update has run in this script
apt_update() {
  if [ -z "$APT_FRESH" ]; then $SUDO apt-get update -qq; APT_FRESH=yes; fi
}
apt_has() {  # whether apt knows the package; a fresh image has no package lists yet: they are made first then
  apt-cache show "$1" >/dev/null 2>&1 && return 0
  compgen -G "/var/lib/apt/lists/*_Packages*" >/dev/null && return 1  # (not at every start where it is unknown)
  apt_update && apt-cache show "$1" >/dev/null 2>&1
}
apt_install() {  # the Debian/Ubuntu packages named, those not installed yet; "a|b": either (the first apt has)
  local missing="" p alt found names=""
  for p in "$@"; do  # removed but not purged, a package still has a status (deinstall ok config-files); Ubuntu 24.04
    # and Debian 13 renamed libraries for 64-bit time (libzbar0 is libzbar0t64 there: apt installs it for the old name)
    found=""
    for alt in ${p//|/ }; do
      case "$(dpkg-query -W -f='${Status}\n' "$alt" "${alt}t64" 2>/dev/null || true)" in
        *"install ok installed"*) found=yes ;;
      esac
    done
    [ -n "$found" ] || missing="$missing $p"
  done
  [ -n "$missing" ] || return 0
  if [ -n "$SUDO" ] && ! command -v sudo >/dev/null 2>&1; then  # a Debian set up with a root password has no sudo
    for p in $missing; do names="$names ${p%%|*}"; done
    echo "system packages are missing and there is no sudo to install them:$names" >&2
    echo "  install them as root (su -, then: apt-get install$names), then run this again" >&2
    exit 1
  fi
  apt_update
  for p in $missing; do  # Debian's chromium is Ubuntu's chromium-browser; with none known apt says so
    found="${p%%|*}"
    for alt in ${p//|/ }; do
      if apt_has "$alt"; then found="$alt"; break; fi
    done
    names="$names $found"
  done
  echo "installing system packages:$names"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $names >/dev/null
}
# STATION_EXTRA_PACKAGES: more for the same check (scripts/test.sh: PostgreSQL, Xvfb, openbox, Chromium)
if [ -n "$APT" ]; then apt_install $SYSTEM_PACKAGES ${STATION_EXTRA_PACKAGES:-}; fi

find_python() {
  local c
  for c in python3.11 python3 python; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      echo "$c"; return
    fi
  done
}
PY="${PYTHON:-$(find_python)}"
# Debian 12's python3 is 3.11 and Ubuntu 22.04 has python3.11 in its archive; neither installs the venv module
# (ensurepip) with Python itself, and a desktop install leaves it out. Elsewhere apt has no python3.11 (below).
if [ -n "$APT" ] && { [ -z "$PY" ] || ! "$PY" -c 'import ensurepip' 2>/dev/null; }; then
  if apt_has python3.11-venv; then apt_install python3.11 python3.11-venv || true; fi
  PY="${PYTHON:-$(find_python)}"
fi
# Ubuntu 24.04 and Debian 13 package no Python 3.11 (and mediapipe 0.10.21 has no wheel for Debian 13's 3.13):
# uv, installed from PyPI into a small venv of the system's own python3, fetches a standalone CPython 3.11 build
# into ./.python (python-build-standalone, from GitHub). Nothing outside the project folder changes.
fetch_python() {
  local tools=.python/uv-tools
  export UV_PYTHON_INSTALL_DIR="$PWD/.python"
  {
    if [ ! -x "$tools/bin/uv" ]; then
      if [ -n "$APT" ]; then apt_install python3-venv || return 1; fi
      rm -rf "$tools"
      python3 -m venv "$tools" && "$tools/bin/python" -m pip install -q --disable-pip-version-check "uv==$UV_VERSION" ||
        return 1
    fi
    if ! "$tools/bin/uv" python find --managed-python 3.11 >/dev/null 2>&1; then
      echo "Python 3.11 is not packaged here: fetching a standalone build with uv $UV_VERSION into ./.python"
      "$tools/bin/uv" python install 3.11 || return 1
    fi
  } >&2
  "$tools/bin/uv" python find --managed-python 3.11
}
UV_VERSION=0.13.9
if [ -z "$PY" ] && command -v python3 >/dev/null 2>&1; then
  PY=$(fetch_python) || PY=""
fi
if [ -z "$PY" ]; then
  echo "Python 3.11 is required and could not be found or fetched (the messages above say why)." >&2
  echo "  Install Python 3.11 (python.org, or on Ubuntu the deadsnakes PPA: python3.11 and python3.11-venv)," >&2
  echo "  then run again with it named: PYTHON=/path/to/python3.11 bash scripts/run.sh --demo" >&2
  exit 1
fi

# a .venv left half made (a venv without pip, from an interrupted or failed first run) is made again
if [ ! -f .venv/pyvenv.cfg ] || ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
  rm -rf .venv
  "$PY" -m venv .venv || { echo "could not make ./.venv with $PY: the messages above say why" >&2; exit 1; }
fi
extras="${1:-}"
target="."; [ -n "$extras" ] && target=".[$extras]"
# The install is checked with pip only when pyproject.toml or constraints.txt changed since the last install that worked
# (or other extras are asked for): pip's no-op check took 7 s at every start, and needs the package index, so a station
# started offline (a gym without internet) stopped here with "the install failed" instead of opening.
# constraints.txt holds the versions last tested: a dependency's new release cannot break a fresh machine's first run.
stamp=.venv/installed-from
wanted="$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)"
installed=$(cat "$stamp" 2>/dev/null || true)
if [ -x .venv/bin/photo-station ] && [ "${installed%% *}" = "$wanted" ] &&
   { [ -z "$extras" ] || [ "${installed#* }" = "$extras" ]; }; then
  echo "the install in ./.venv is up to date (pyproject.toml and constraints.txt unchanged since it was installed)"
else
  # pip's and the build backend's chatter (setuptools' generic editable-install notice, index warnings) goes to a
  # log a person can read; on a failure the whole log is shown, then the error stops the script.
  log=.venv/install.log
  echo "checking the install in ./.venv (the first time installs everything: several minutes; details in $log)"
  { .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip &&
    .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e "$target"; } >"$log" 2>&1 &
  installing=$!
  # a first install is silent for minutes: say every half minute that it is still going, so it is not taken for a hang
  waited=0
  while kill -0 "$installing" 2>/dev/null; do
    sleep 1
    waited=$((waited + 1))
    if [ $((waited % 30)) -eq 0 ]; then echo "  still installing ($((waited / 60)) min $((waited % 60)) s so far)"; fi
  done
  if ! wait "$installing"; then
    cat "$log" >&2
    echo "the install failed: the messages above (also in $log) say why" >&2
    exit 1
  fi
  echo "$wanted ${extras}" >"$stamp"
fi

# The window needs every library of Qt's xcb plugin: name any the system still lacks, with the fix.
plugin=$(.venv/bin/python -c 'import PySide6, pathlib; print(pathlib.Path(PySide6.__file__).parent / "Qt/plugins/platforms/libqxcb.so")')
if [ -f "$plugin" ] && command -v ldd >/dev/null 2>&1; then
  missing_libs=$(ldd "$plugin" | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')
  if [ -n "$missing_libs" ]; then
    echo "warning: Qt's xcb display plugin cannot find: $missing_libs" >&2
    echo "         install the packages that provide them (apt-file search NAME), or the window will not open" >&2
  fi
fi
