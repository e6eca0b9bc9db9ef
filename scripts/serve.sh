#!/usr/bin/env bash
# The web server and the background task worker side by side; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${PORT:-8000}"
"$BIN/zhiyuan" db_worker --interval 2 --no-reload &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
"$BIN/zhiyuan" runserver "127.0.0.1:$PORT" --noreload
