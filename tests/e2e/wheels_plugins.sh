# Sourced by wheels.sh: each plugin's package data, checked from the installed wheels.
# Uses $ch, $py, $work and check() from wheels.sh.
if [[ ",$installed," == *",self_assessment,"* ]]; then
  check "self_assessment ships its three forms" bash -c "COREHUB_LOAD_PLUGINS=self_assessment '$ch' --workspace '$work/demo' forms list --json | '$py' -c 'import json,sys; ids={f[\"id\"] for f in json.load(sys.stdin)}; assert len(ids) >= 3, ids'"
fi
if [[ ",$installed," == *",training_tracker,"* ]]; then
  check "training_tracker ships its catalogue" bash -c "COREHUB_LOAD_PLUGINS=training_tracker '$ch' --workspace '$work/demo' training courses --json | '$py' -c 'import json,sys; assert len(json.load(sys.stdin)) >= 9'"
fi
if [[ ",$installed," == *",feedback,"* ]]; then
  check "feedback registers its kinds" bash -c "COREHUB_LOAD_PLUGINS=feedback '$ch' --workspace '$work/demo' feedback kinds --json | '$py' -c 'import json,sys; ids={k[\"id\"] for k in json.load(sys.stdin)}; assert {\"praise\",\"pulse\",\"customer\"} <= ids, ids'"
fi
pdf_has() {  # pdf_has FILE TEXT...: every TEXT appears in the PDF's text
  "$py" - "$@" <<'PY'
import sys
from pypdf import PdfReader
text = " ".join(page.extract_text() for page in PdfReader(sys.argv[1]).pages)
missing = [words for words in sys.argv[2:] if words not in text]
assert not missing, missing
PY
}
lucia=$(ls "$work"/demo/output/*/lucia-gomez-herrera_mad-01.pdf 2>/dev/null | head -1)
check "demo packets are in each person's language (Lucía's in Spanish)" \
  pdf_has "$lucia" "Lucía Gómez Herrera" "Autoevaluación y evaluación del responsable" "Firma"
check "a packet in English on request carries every plugin's sections" bash -c "
  '$ch' --workspace '$work/demo' render packet --cycle '2026 H2' --person mad-01 --locale en -o '$work/lucia-en.pdf' >/dev/null &&
  $(declare -f pdf_has); py='$py' pdf_has '$work/lucia-en.pdf' 'Self-assessment and manager review' 'Training' 'Customer satisfaction' 'Sign-off'"
for name in ${installed//,/ }; do
  check "demo runs with the core and $name alone" env COREHUB_LOAD_PLUGINS=$name "$ch" demo "$work/demo-$name" --no-render
done
if [[ ",$installed," == *",quality,"* ]]; then
  check "quality ships its written and phone scorecards" bash -c "COREHUB_LOAD_PLUGINS=quality '$ch' --workspace '$work/demo' quality scorecards --json | '$py' -c 'import json,sys; ids={c[\"id\"] for c in json.load(sys.stdin)}; assert {\"written\",\"phone\"} <= ids, ids'"
  check "the English packet carries the quality section" pdf_has "$work/lucia-en.pdf" "Quality of customer conversations"
  check "quality ships its compiled catalogs and templates" "$py" -c 'import importlib.resources as r; root = r.files("corehub_quality"); assert (root / "locale" / "es" / "LC_MESSAGES" / "corehub_quality.mo").is_file(); assert (root / "templates" / "corehub_quality" / "quality.html").is_file(); assert (root / "templates" / "corehub_quality" / "web" / "task.html").is_file()'
fi
