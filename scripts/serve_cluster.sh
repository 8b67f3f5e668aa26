#!/usr/bin/env bash
# serve-cluster: one Chroma server + N independent `qa serve` workers on loopback ports, ready to
# sit behind a load balancer (see docs/scaling.md). Every worker shares the vectors (Chroma
# server, QA_CHROMA_URL) and the registry (SQLite under QA_DATA_DIR, same machine); each loads its
# own e5 model and BM25 copy, and reloads BM25 when another process ingests.
#
#   scripts/serve_cluster.sh [WORKERS=2] [BASE_PORT=8001] [CHROMA_PORT=8000]
#   QA_DATA_DIR=data/index scripts/serve_cluster.sh 4 9001 9000
#
# Ingest through the same settings while it runs (one writer at a time, enforced by a lock):
#   QA_DATA_DIR=data/index QA_CHROMA_URL=http://127.0.0.1:8000 .venv/bin/qa ingest data/sample
# Ctrl-C (or SIGTERM) stops every process this script started.
set -euo pipefail

WORKERS="${1:-2}"
BASE_PORT="${2:-8001}"
CHROMA_PORT="${3:-8000}"
HOST="${QA_CLUSTER_HOST:-127.0.0.1}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${QA_BIN:-$ROOT/.venv/bin}"
export QA_DATA_DIR="${QA_DATA_DIR:-$ROOT/data/index}"
export QA_CHROMA_URL="http://$HOST:$CHROMA_PORT"
export HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false ANONYMIZED_TELEMETRY=False
# Share the cores out: each worker's e5 gets cores/workers OpenMP threads (at least one).
CORES="$(nproc 2>/dev/null || echo 2)"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(( CORES / WORKERS > 0 ? CORES / WORKERS : 1 ))}"
CHROMA_PATH="${QA_CHROMA_PATH:-$QA_DATA_DIR/chroma-server}"
mkdir -p "$QA_DATA_DIR" "$CHROMA_PATH"

PIDS=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

wait_http() {  # url, seconds
  local url="$1" deadline=$((SECONDS + $2))
  until "$BIN/python" -c "import httpx,sys; sys.exit(httpx.get('$url', timeout=1).status_code != 200)" 2>/dev/null; do
    if ((SECONDS > deadline)); then echo "timed out waiting for $url" >&2; exit 1; fi
    sleep 0.3
  done
}

"$BIN/chroma" run --path "$CHROMA_PATH" --host "$HOST" --port "$CHROMA_PORT" >"$QA_DATA_DIR/chroma-server.log" 2>&1 &
PIDS+=("$!")
wait_http "$QA_CHROMA_URL/api/v2/heartbeat" 60
echo "chroma   $QA_CHROMA_URL  (data: $CHROMA_PATH, log: $QA_DATA_DIR/chroma-server.log)"

for ((i = 0; i < WORKERS; i++)); do
  port=$((BASE_PORT + i))
  "$BIN/qa" serve --host "$HOST" --port "$port" >"$QA_DATA_DIR/worker-$port.log" 2>&1 &
  PIDS+=("$!")
done
for ((i = 0; i < WORKERS; i++)); do
  port=$((BASE_PORT + i))
  wait_http "http://$HOST:$port/readyz" 300
  echo "worker   http://$HOST:$port  (log: $QA_DATA_DIR/worker-$port.log)"
done

echo
echo "# nginx upstream for these workers (health: GET /readyz):"
echo "upstream qa_workers {"
echo "    least_conn;"
for ((i = 0; i < WORKERS; i++)); do echo "    server $HOST:$((BASE_PORT + i)) max_fails=3 fail_timeout=10s;"; done
echo "}"
echo "# ready; Ctrl-C stops all"
wait -n "${PIDS[@]}" || true
echo "a process exited; stopping the cluster" >&2
