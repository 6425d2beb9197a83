#!/usr/bin/env bash
# Install the built wheels into a fresh virtualenv, as users install corehub, and run a
# short end-to-end there: editable installs hide missing package data (templates, YAML,
# fonts), a real install does not. Usage: tests/e2e/wheels.sh DIST_DIR
set -euo pipefail
dist=$(cd "${1:?usage: wheels.sh DIST_DIR}" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --upgrade pip >/dev/null
"$work/venv/bin/pip" install --quiet "$dist"/*.whl >"$work/pip.log" 2>&1 || { cat "$work/pip.log"; exit 1; }
cd "$work"   # nowhere near the source tree: only the installed wheels can answer
ch="$work/venv/bin/corehub"
py="$work/venv/bin/python"
passed=0
failed=0
check() {  # check "what" command...
  local what=$1; shift
  if out=$("$@" 2>&1); then
    passed=$((passed + 1)); echo "ok   $what"
  else
    failed=$((failed + 1)); echo "FAIL $what"; echo "$out" | tail -20 | sed 's/^/     /'
  fi
}

plugins_json() { COREHUB_LOAD_PLUGINS="$1" "$ch" plugins --json; }
expect_plugins() {  # expect_plugins LOAD_LIST EXPECTED_SORTED_NAMES
  local got
  got=$(plugins_json "$1" | "$py" -c 'import json,sys; print(",".join(sorted(p["name"] for p in json.load(sys.stdin)["plugins"])))')
  [[ "$got" == "$2" ]] || { echo "loaded [$got], expected [$2]"; return 1; }
}

installed=$(ls "$dist" | sed -n 's/^corehub_\([a-z_]*\)-.*\.whl$/\1/p' | sort | paste -sd, -)
check "corehub --version" "$ch" --version
check "core alone loads no plugin" expect_plugins "" ""
for name in ${installed//,/ }; do
  check "plugin $name loads alone, by entry point name" expect_plugins "$name" "$name"
  dist_name="corehub-${name//_/-}"
  check "plugin $name loads alone, by distribution name" expect_plugins "$dist_name" "$name"
done
if [[ -n "$installed" ]]; then
  check "all plugins load together" expect_plugins "$(echo "$installed" | tr , ,)" "$installed"
fi

# The main job on the embedded SQLite default, with every installed plugin.
check "corehub demo (all plugins)" "$ch" demo "$work/demo"
check "demo database passes its checks" "$ch" --workspace "$work/demo" db check
# And with the core alone.
check "corehub demo (core alone)" env COREHUB_LOAD_PLUGINS= "$ch" demo "$work/demo-core"

# Package data each distribution must carry.
check "demo people CSV ships in the corehub wheel" "$py" -c 'from corehub.demo import people_csv; assert people_csv().is_file()'
# A sign-in invitation in the person's language: the invitation templates and the compiled
# catalogs ship in the corehub wheel.
danish_invitation() {
  "$ch" --workspace "$work/demo" people invite --person cph-02 --send >/dev/null
  "$py" - "$work/demo/outbox" <<'PY'
import email, sys
from email import policy
from pathlib import Path
[path] = Path(sys.argv[1]).glob("*invitation.eml")
message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
body = message.get_body(("plain",)).get_content()
assert message["Subject"].startswith("Dit login-link til"), message["Subject"]
assert "Det virker én gang" in body and "/sign-in/" in body, body
PY
}
check "a Danish person's invitation is in Danish" danish_invitation
# The web app's pages and a plugin's pages: their templates ship in the wheels.
web_pages() {
  "$py" - "$work/demo" <<'PY'
import sys
from corehub import Hub
from corehub.web.app import create_app
app = create_app(lambda: Hub(sys.argv[1]))
client = app.test_client()
page = client.get("/sign-in")
assert page.status_code == 200 and b"<main" in page.data, page.status_code
PY
}
check "the web app's pages ship in the corehub wheel" web_pages
if [[ -x "$root/tests/e2e/wheels_plugins.sh" ]]; then
  source "$root/tests/e2e/wheels_plugins.sh"
fi

echo "e2e: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
