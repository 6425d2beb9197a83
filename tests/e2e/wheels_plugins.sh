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
check "demo packets are PDFs with every plugin's sections" bash -c "ls '$work'/demo/output/*/*.pdf >/dev/null && '$py' - '$work'/demo/output/*/lucia-gomez-herrera_mad-01.pdf <<'PY'
import sys
from pypdf import PdfReader
text = ' '.join(page.extract_text() for page in PdfReader(sys.argv[1]).pages)
for words in ('Lucía Gómez Herrera', 'Self-assessment and manager review', 'Training', 'Customer satisfaction', 'Sign-off'):
    assert words in text, words
PY"
for name in ${installed//,/ }; do
  check "demo runs with the core and $name alone" env COREHUB_LOAD_PLUGINS=$name "$ch" demo "$work/demo-$name" --no-render
done
