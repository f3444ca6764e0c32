#!/usr/bin/env bash
# Runs Schemathesis (pinned in scripts/schemathesis/requirements.txt, installed into a virtual
# environment of its own, .venv-schemathesis/, never into the user's Python) with all its phases
# against the sandbox, the Prism mock, and the sandbox behind `live-platform proxy` (which must be
# as transparent to it as no proxy at all), each started here on a free port and stopped on exit.
#
#   scripts/schemathesis.sh [--max-examples N] [--seed S] [--target sandbox|mock|proxy|both|all] [--junit-dir DIR]
#   (both: sandbox and mock; all, the default: the three)
#   scripts/schemathesis.sh --install-only   (what `npm run bench` calls: the venv, no run)
#
# Exit 0 when every run ends with no failure; every exclusion is named in spec/README.md
# ("Schemathesis") and lives in scripts/schemathesis/hooks.py or on the command lines below.
# `npm test` never runs this: it needs Python 3.9+ with venv and pip, which only CI is sure to have.
set -uo pipefail
cd "$(dirname "$0")/.."

max_examples=100
seed=20
target=all
install_only=0
junit_dir=
while (($#)); do
  case "$1" in
    --max-examples) max_examples="${2:?--max-examples needs a number}"; shift 2 ;;
    --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
    --target) target="${2:?--target needs sandbox, mock, proxy, both or all}"; shift 2 ;;
    --junit-dir) junit_dir="${2:?--junit-dir needs a folder}"; shift 2 ;;
    --install-only) install_only=1; shift ;;
    *) echo "schemathesis.sh: unknown option $1 (use --max-examples N, --seed S, --target sandbox|mock|proxy|both|all, --junit-dir DIR, --install-only)" >&2; exit 2 ;;
  esac
done

venv=.venv-schemathesis
requirements=scripts/schemathesis/requirements.txt
if ! command -v python3 >/dev/null 2>&1; then
  echo "schemathesis.sh: python3 is not installed; install Python 3.9+ with venv and pip, then run this again." >&2
  exit 2
fi
# Reinstall only when the pinned list changed since the last install.
if ! cmp -s "$requirements" "$venv/.requirements" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv" || { echo "schemathesis.sh: python3 -m venv failed; install python3-venv." >&2; exit 2; }
  "$venv/bin/pip" install --quiet --disable-pip-version-check --require-virtualenv -r "$requirements" ||
    { echo "schemathesis.sh: pip could not install $requirements (is PyPI reachable?)." >&2; exit 2; }
  cp "$requirements" "$venv/.requirements"
fi
((install_only)) && exit 0
[[ -f dist/cli/main.js ]] || npm run -s build || exit 2

logs=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$logs"
}
trap cleanup EXIT

# Starts `live-platform <what>` on a free port and sets $url once it listens (30 s at most). Not
# in a command substitution: the pid must reach this shell's `pids`, so that cleanup stops it.
url=
start() {
  local what=$1 log="$logs/$1-${#pids[@]}.log"
  shift
  node bin/live-platform.js "$what" --port 0 "$@" >"$log" 2>&1 &
  pids+=($!)
  url=
  for _ in $(seq 300); do
    url=$(grep -o -m1 'listening on http://[0-9.:]*' "$log" | sed 's/^listening on //')
    [[ -n $url ]] && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "schemathesis.sh: live-platform $what did not start:" >&2
  cat "$log" >&2
  return 1
}

st_run() {
  local name=$1 url=$2
  shift 2
  # JUnit only when asked for, and never into test-results/: that folder holds vitest's reports
  # alone, which is what .ci/run and CI read the test counts from.
  local junit=()
  [[ -n $junit_dir ]] && junit=(--report junit --report-junit-path "$junit_dir/schemathesis-$name.xml")
  echo "::group::schemathesis against the $name ($url)"
  LP_ST_TARGET="$name" SCHEMATHESIS_HOOKS=scripts.schemathesis.hooks PYTHONPATH=. \
    "$venv/bin/st" run generated/openapi.json --url "$url" \
    -H "Authorization: Bearer sandbox-token" \
    --phases examples,coverage,fuzzing,stateful --checks all \
    --max-examples "$max_examples" --seed "$seed" --workers 1 \
    --request-timeout 10 --generation-database none --no-color \
    "${junit[@]}" "$@" 2>&1 | sed -E 's/^=+ (.*[^ ]) =+$/-- \1 --/'
  # (pipefail keeps st's exit code.) Its "==== No issues found in 7.35s ====" banners have the shape
  # of pytest's closing line, which CI reads as a test runner ending on no test executed; they are
  # printed as "-- ... --" so that the one closing line CI reads is .ci/run's vitest count.
  local rc=$?
  echo "::endgroup::"
  echo "schemathesis against the $name: exit $rc"
  return $rc
}

[[ -n $junit_dir ]] && { mkdir -p "$junit_dir" || exit 2; }
failed=0
case $target in sandbox | mock | proxy | both | all) ;; *)
  echo "schemathesis.sh: --target takes sandbox, mock, proxy, both or all, not $target" >&2
  exit 2
  ;;
esac
wants() { [[ $target == "$1" || $target == all || ($target == both && $1 != proxy) ]]; }
if wants sandbox; then
  # Tasks finish in 50 ms so stateful sequences see them end within a run.
  start sandbox --task-duration 50 || exit 1
  st_run sandbox "$url" || failed=1
fi
if wants proxy; then
  # A sandbox of its own behind the proxy: the proxy's own answers (a body over 64 KiB, one that is
  # not UTF-8) must be the contract's too, and every other answer the sandbox's, unchanged.
  start sandbox --task-duration 50 || exit 1
  start proxy --upstream "$url" --quiet || exit 1
  st_run proxy "$url" || failed=1
fi
if wants mock; then
  start mock || exit 1
  # Exclusions "mock-any-token" (the mock accepts every bearer token by design) and
  # "prism-violation-header" (Prism 5.14 exits when a refused member's name holds a character a
  # header cannot carry, so the mock is run with schema-valid data only): spec/README.md.
  st_run mock "$url" --exclude-checks ignored_auth --mode positive || failed=1
fi
exit $failed
