"""A real OpenID Connect provider (tests/oidc_provider: django-oauth-toolkit) in a process of its own on a
loopback port, and the desk's settings that point at it."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
CALLBACK = "/oidc/callback/"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_provider(tmp_path: Path, redirect_uris: list[str]):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (tmp_path / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_"))} | {
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings", "PROVIDER_DB": str(tmp_path / "provider.sqlite3"),
        "PROVIDER_KEY": str(tmp_path / "key.pem"), "PYTHONPATH": str(ROOT),
    }
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "timeout": 120}
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v0"], **run)
    subprocess.run([sys.executable, "-m", "tests.oidc_provider.seed", " ".join(redirect_uris)], **run)
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/o/.well-known/openid-configuration", timeout=2).status_code == 200:
                return process, base
        except requests.ConnectionError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the OpenID Connect provider did not start")


def point_the_desk_at(settings, base: str) -> None:
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "service-desk", "desk-secret-1"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{base}/o/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{base}/o/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{base}/o/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{base}/o/.well-known/jwks.json"
    settings.OIDC_GROUP_MAP = {"sd-payroll-leads": "payroll:lead", "sd-payroll": "payroll",
                               "sd-privacy": "role:data_protection", "sd-reception": "role:front_desk"}
