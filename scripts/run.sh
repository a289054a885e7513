#!/usr/bin/env bash
# Installs everything, then starts the station. With no camera attached, use --demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/photo-station "$@"
