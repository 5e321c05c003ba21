from __future__ import annotations

import subprocess
import sys


def test_exports_never_import_the_registry() -> None:
    """The exporters are pure functions of a snapshot; the registry builds the snapshot, not the other way round."""
    check = "import sys, exports; print(sorted(m for m in sys.modules if m.split('.')[0] == 'registry'))"
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
