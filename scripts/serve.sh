#!/usr/bin/env bash
# The web server, the background task worker and the periodic scheduler side by side; Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${PORT:-8000}"
"$BIN/zhiyuan" db_worker --interval 2 --no-reload &
worker=$!
# claims each periodic job slot (reminders, escalation) once and queues it for the worker
"$BIN/zhiyuan" scheduler --interval 30 &
scheduler=$!
trap 'kill "$worker" "$scheduler" 2>/dev/null || true' EXIT INT TERM
"$BIN/zhiyuan" runserver "127.0.0.1:$PORT" --noreload
