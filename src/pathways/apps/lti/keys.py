"""Pathways' own RSA keys: made, encrypted at rest, rotated, published as a JWKS, used to sign.

The private key is stored encrypted (Fernet, with a key derived from ``SECRET_KEY`` by HKDF), so
a database dump alone does not let anyone sign as Pathways. Changing ``SECRET_KEY`` makes the
stored keys unreadable: run ``pathways lti rotate-key`` afterwards (see docs/domains/lti.md).
"""

from __future__ import annotations

import base64
import secrets
import time
import uuid
from datetime import timedelta
from typing import Any

import jwt
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pathways.apps.lti.models import ToolKey

# Platforms cache our JWKS; a retired key stays published this long so what it signed still checks.
RETIRED_KEY_GRACE = timedelta(days=14)
KEY_BITS = 2048


class ToolKeyUnreadable(Exception):
    """The stored private key cannot be decrypted (``SECRET_KEY`` changed since it was made)."""


def _fernet() -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"pathways-lti", info=b"tool-private-key"
    ).derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def _public_jwk(public_key: rsa.RSAPublicKey, kid: str) -> dict[str, Any]:
    jwk: dict[str, Any] = jwt.algorithms.RSAAlgorithm.to_jwk(public_key, as_dict=True)
    return {**jwk, "kid": kid, "alg": "RS256", "use": "sig"}


@transaction.atomic
def rotate_key() -> ToolKey:
    """Make a new signing key; the previous active keys retire (still published for a while)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    kid = f"{timezone.now():%Y%m%d}-{secrets.token_hex(6)}"
    ToolKey.objects.filter(retired_at__isnull=True).update(retired_at=timezone.now())
    return ToolKey.objects.create(
        kid=kid,
        private_key=_fernet().encrypt(pem),
        public_jwk=_public_jwk(private.public_key(), kid),
    )


def signing_key() -> ToolKey:
    """The active key (made on first use, so a fresh install can launch at once)."""
    key = ToolKey.objects.filter(retired_at__isnull=True).order_by("-created_at", "-pk").first()
    return key if key is not None else rotate_key()


def public_jwks() -> dict[str, Any]:
    """The keys platforms check our signatures with: public halves only, active and recent."""
    signing_key()
    cutoff = timezone.now() - RETIRED_KEY_GRACE
    keys = ToolKey.objects.exclude(retired_at__lt=cutoff).order_by("-created_at", "-pk")
    return {"keys": [dict(k.public_jwk) for k in keys]}


def sign(claims: dict[str, Any], *, lifetime: int = 300) -> str:
    """An RS256 JWT over ``claims`` (plus iat, exp and jti), with our key's kid in the header."""
    key = signing_key()
    try:
        pem = _fernet().decrypt(bytes(key.private_key))
    except InvalidToken:
        raise ToolKeyUnreadable(
            f"tool key {key.kid} was encrypted under another SECRET_KEY: run "
            "`pathways lti rotate-key`"
        ) from None
    now = int(time.time())
    payload = {"iat": now, "exp": now + lifetime, "jti": str(uuid.uuid4()), **claims}
    return jwt.encode(payload, pem, algorithm="RS256", headers={"kid": key.kid})
