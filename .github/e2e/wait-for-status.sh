#!/usr/bin/env bash
# Polls every agent pod's /status, through `kubectl port-forward` as NOTES.txt tells users
# to, until the jq condition holds for all of them or the timeout runs out.
#
#   wait-for-status.sh '<jq condition on /status>' <timeout seconds>
#
# Env: NAMESPACE (kube-system), SELECTOR (the chart's pod labels), PORT (9244).
set -euo pipefail

condition=$1
timeout=$2
namespace=${NAMESPACE:-kube-system}
selector=${SELECTOR:-app.kubernetes.io/name=hubble-tls-agent}
port=${PORT:-9244}
local_port=19244

# Prints the pod's /status JSON, or nothing when it cannot be read yet.
status_of() {
  local pod=$1
  kubectl -n "$namespace" port-forward "pod/$pod" "$local_port:$port" >/dev/null 2>&1 &
  local forward=$!
  local body=""
  for _ in $(seq 20); do
    if body=$(curl -fsS --max-time 5 "http://127.0.0.1:$local_port/status" 2>/dev/null); then
      break
    fi
    sleep 0.5
  done
  kill "$forward" 2>/dev/null || true
  wait "$forward" 2>/dev/null || true
  printf '%s' "$body"
}

deadline=$((SECONDS + timeout))
while true; do
  pods=$(kubectl -n "$namespace" get pods -l "$selector" -o jsonpath='{.items[*].metadata.name}')
  waiting=()
  for pod in $pods; do
    status=$(status_of "$pod")
    if [ -z "$status" ] || ! jq -e "$condition" >/dev/null <<<"$status"; then
      waiting+=("$pod")
      last_status=$status
    fi
  done
  if [ -n "$pods" ] && [ ${#waiting[@]} -eq 0 ]; then
    echo "every pod ($pods) meets: $condition"
    exit 0
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "timed out after ${timeout}s waiting for: $condition" >&2
    echo "pods still waiting: ${waiting[*]:-none found}" >&2
    if [ -n "${last_status:-}" ]; then
      echo "last status seen from a waiting pod:" >&2
      jq . <<<"$last_status" >&2 || printf '%s\n' "$last_status" >&2
    fi
    exit 1
  fi
  sleep 5
done
