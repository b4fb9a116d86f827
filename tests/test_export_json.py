import json
from importlib import resources

import jsonschema

from verifier.cli import main
from verifier.store import Store


def schema():
    return json.loads(resources.files("verifier").joinpath("schemas/export-v1.schema.json").read_text())


def test_export_validates_and_carries_verdicts(sample_db, tmp_path, capsys):
    store = Store(sample_db, readonly=True)
    cid = next(c.id for c in store.iter_claims() if "€25 million" in c.text)
    main(["tag", cid, "disputed", "--note", "figure differs from EU release", "--evidence", "https://eeas.example"])
    out = tmp_path / "export.json"
    assert main(["export", "--format", "json", "-o", str(out)]) == 0
    doc = json.loads(out.read_text())
    jsonschema.validate(doc, schema())
    assert doc["schema"] == "verifier-export/1"
    assert len(doc["posts"]) == 9
    claim = next(c for c in doc["claims"] if c["id"] == cid)
    assert claim["verdict"]["status"] == "disputed"
    assert claim["verdict"]["evidence"] == ["https://eeas.example"]
    assert claim["verdict"]["updated_at"]
    assert {"value": 25000000.0, "unit": "EUR", "text": "€25 million", "qualifier": None,
            "kind": "money"} in claim["numbers"]
    # every field is present, null when not filled
    for c in doc["claims"]:
        assert "cluster_id" in c and "quote" in c and "channel" in c
    capsys.readouterr()
    assert main(["export"]) == 0
    assert json.loads(capsys.readouterr().out)["claims"]


def test_core_does_not_import_textual():
    import subprocess
    import sys
    code = ("import sys, verifier.cli, verifier.pipeline, verifier.export.json_export, verifier.store;"
            "assert 'textual' not in sys.modules, 'core imported textual'")
    subprocess.run([sys.executable, "-c", code], check=True)
