"""The workbench on the fixed sample database, for snapshot tests."""

from pathlib import Path

from verifier.tui.app import VerifierApp

app = VerifierApp(str(Path(__file__).parent / "snapshot-db" / "claims.json"))

if __name__ == "__main__":
    app.run()
