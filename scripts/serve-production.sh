#!/usr/bin/env bash
# The production profile (`make serve`, docs/deploy.md): gunicorn, the task worker and the scheduler side
# by side; no demo data. Refuses to start without its environment or with any `check --deploy` warning.
# If one of the three processes dies the others are stopped too, so a supervisor (systemd) restarts all.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

missing=()
for name in SECRET_KEY DATABASE_URL ALLOWED_HOSTS; do
    [ -n "${!name:-}" ] || missing+=("$name")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "zhiyuan serve: refusing to start: ${missing[*]} not set (see docs/deploy.md)" >&2
    exit 2
fi
export ZHIYUAN_PROFILE=production
export DEBUG="${DEBUG:-0}"
PORT="${PORT:-8000}"
BIND="${BIND:-127.0.0.1:$PORT}"

if ! "$BIN/zhiyuan" check --deploy --fail-level WARNING; then
    echo "zhiyuan serve: refusing to start: fix the warnings above (docs/deploy.md)" >&2
    exit 3
fi
"$BIN/zhiyuan" migrate --noinput
"$BIN/zhiyuan" createcachetable
"$BIN/zhiyuan" collectstatic --noinput -v 0

pids=()
stop() {
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

for _ in $(seq "${ZHIYUAN_TASK_WORKERS:-1}"); do
    "$BIN/zhiyuan" db_worker --interval 2 --no-reload &
    pids+=($!)
done
# claims each periodic job slot once and queues it; also sweeps tasks whose worker died
"$BIN/zhiyuan" scheduler --interval "${ZHIYUAN_SCHEDULER_INTERVAL:-30}" &
pids+=($!)
# WEB_CONCURRENCY (gunicorn's own variable) sets the number of web workers
"$BIN/gunicorn" zhiyuan.config.wsgi:application \
    --bind "$BIND" \
    --workers "${WEB_CONCURRENCY:-2}" \
    --threads "${GUNICORN_THREADS:-4}" \
    --timeout "${GUNICORN_TIMEOUT:-60}" \
    --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1,::1}" \
    --access-logfile - \
    --access-logformat '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms' &
pids+=($!)
# the first of them to end ends the profile (exit code kept)
set +e
wait -n "${pids[@]}"
exit $?
