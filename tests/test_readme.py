"""Every environment variable the settings read is documented in README.md's environment table."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV_CALL = re.compile(r"""\benv_(?:str|bool|int|list)\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def test_every_setting_env_var_is_in_the_readme_table():
    settings_source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    names = sorted(set(ENV_CALL.findall(settings_source)))
    assert names, "no env_*() calls found in config/settings.py"

    readme = ROOT / "README.md"
    assert readme.exists(), "README.md is missing"
    lines = readme.read_text(encoding="utf-8").splitlines()
    table_rows = [line for line in lines if line.lstrip().startswith("|")]
    documented = {name for name in names if any(re.search(rf"\b{name}\b", row) for row in table_rows)}
    missing = [name for name in names if name not in documented]
    assert not missing, f"README.md's environment table does not mention: {', '.join(missing)}"
