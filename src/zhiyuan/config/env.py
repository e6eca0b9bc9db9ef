"""Environment-driven configuration values and the project's `var/` directory."""

import os
import secrets
from pathlib import Path

# src/zhiyuan/config/env.py -> the checkout root; var/ holds the SQLite file, keys and media for the demo.
PROJECT_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(os.environ.get("ZHIYUAN_VAR_DIR", PROJECT_DIR / "var"))


def flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def listing(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret(name: str, filename: str) -> str:
    """The secret from the environment, else one generated once into var/ and reused afterwards."""
    value = os.environ.get(name)
    if value:
        return value
    path = VAR_DIR / filename
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        # Written with 0600 so another local user cannot read the key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()
