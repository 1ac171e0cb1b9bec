#!/usr/bin/env bash
# Set up, start the services the tests talk to for real, run the whole test suite, stop them.
#  - a throwaway PostgreSQL server on a loopback port, its data in a temporary folder
#  - a PulseAudio server with a null sink whose monitor is the default source: the virtual
#    microphone (PortAudio's ALSA "pulse"/"default" device reaches it through libasound2-plugins)
# Extra arguments go to pytest, e.g. scripts/test.sh -k transcribe
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

run_dir=$(mktemp -d /tmp/narrative-coach-test.XXXXXX)
chmod 755 "$run_dir"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  set +e
  [ -n "${pg_bin:-}" ] && [ -d "$run_dir/pg" ] && as_pg "$pg_bin/pg_ctl" -D "$run_dir/pg" -m immediate stop >/dev/null 2>&1
  [ -n "${pulse_pid:-}" ] && kill "$pulse_pid" 2>/dev/null
  rm -rf "$run_dir"
}
trap cleanup EXIT

# PostgreSQL
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$run_dir/pg" "$run_dir/pgsock"
[ "$(id -u)" = 0 ] && chown postgres "$run_dir/pg" "$run_dir/pgsock"
as_pg "$pg_bin/initdb" -D "$run_dir/pg" -A trust -U narrative -E UTF8 >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$run_dir/pg" -l "$run_dir/pgsock/server.log" -w \
  -o "-p $pg_port -k $run_dir/pgsock -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
export NARRATIVE_COACH_TEST_PG_URL="postgresql+psycopg://narrative@127.0.0.1:$pg_port/postgres"

# PulseAudio with a virtual microphone
export XDG_RUNTIME_DIR="$run_dir/xdg"
mkdir -p "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
pulseaudio -n --daemonize=no --exit-idle-time=-1 --disallow-exit --disable-shm=yes \
  --load="module-native-protocol-unix" \
  --load="module-null-sink sink_name=nc_mic_sink rate=48000" >"$run_dir/pulse.log" 2>&1 &
pulse_pid=$!
for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
pactl set-default-sink nc_mic_sink
pactl set-default-source nc_mic_sink.monitor
export NARRATIVE_COACH_TEST_PULSE=1

export QT_QPA_PLATFORM=offscreen
export HF_HUB_OFFLINE=1
set +e
.venv/bin/python -m pytest "$@"
status=$?
# pytest's "no tests collected" (5) is a failure here too: the suite must run.
exit $status
