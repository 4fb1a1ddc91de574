"""Checking a platform's id_token: signature, algorithm, issuer, audience, times, claims.

Only RS256 is accepted (LTI 1.3 requires it): ``alg: none`` and HS256 (a classic trick where the
platform's *public* key is used as an HMAC secret) are refused before any key is looked at. Keys
come from the platform's JWKS, cached by kid; an unknown kid re-fetches the JWKS once (the platform
may have rotated; at most once per ``REFETCH_INTERVAL``), and is refused if still unknown.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import jwt
from django.utils import timezone

from pathways.apps.lti import http
from pathways.apps.lti.models import Platform

ALGORITHMS = ["RS256"]
LEEWAY_SECONDS = 60
MAX_AGE_SECONDS = 3600  # an id_token issued longer ago than this is stale, whatever its exp
REFETCH_INTERVAL = timedelta(seconds=10)

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = LTI + "message_type"
VERSION = LTI + "version"
DEPLOYMENT_ID = LTI + "deployment_id"
ROLES = LTI + "roles"
RESOURCE_LINK = LTI + "resource_link"
CONTEXT = LTI + "context"
CUSTOM = LTI + "custom"
LIS = LTI + "lis"
TARGET_LINK_URI = LTI + "target_link_uri"
DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"

RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
MESSAGE_TYPES = (RESOURCE_LINK_REQUEST, DEEP_LINKING_REQUEST)


class LaunchRefused(Exception):
    """A launch we will not honour; ``status``: 400 (bad message) or 403 (no such person here)."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


def _find_key(jwks: dict[str, Any], kid: str) -> dict[str, Any] | None:
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    for key in keys if isinstance(keys, list) else []:
        if isinstance(key, dict) and key.get("kid") == kid:
            return key
    return None


def refresh_jwks(platform: Platform) -> None:
    """Fetch the platform's JWKS (with a timeout) and cache it on the registration."""
    if not platform.jwks_url:
        return
    try:
        fetched = http.get_json(platform.jwks_url)
    except http.PlatformUnreachable as error:
        raise LaunchRefused(f"the platform's keys could not be fetched ({error.reason})") from None
    if not isinstance(fetched, dict) or not isinstance(fetched.get("keys"), list):
        raise LaunchRefused("the platform's keyset is not a JWKS")
    platform.jwks = fetched
    platform.jwks_fetched_at = timezone.now()
    platform.save(update_fields=["jwks", "jwks_fetched_at"])


def _may_refetch(platform: Platform) -> bool:
    # Forged launches with made-up kids must not make us hammer the platform: one fetch per
    # REFETCH_INTERVAL at most (a real rotation is picked up on the first launch after it).
    fetched = platform.jwks_fetched_at
    return fetched is None or timezone.now() - fetched >= REFETCH_INTERVAL


def platform_key(platform: Platform, kid: str) -> jwt.PyJWK:
    """The platform's public key ``kid``: from the cache, else after one re-fetch of its JWKS."""
    found = _find_key(platform.jwks, kid)
    if found is None and _may_refetch(platform):
        refresh_jwks(platform)
        found = _find_key(platform.jwks, kid)
    if found is None:
        raise LaunchRefused(
            f"the id_token was signed with a key the platform does not publish ({kid})"
        )
    if found.get("kty") != "RSA":
        raise LaunchRefused("the platform's key is not an RSA key")
    try:
        return jwt.PyJWK(found, algorithm="RS256")
    except jwt.PyJWTError:
        raise LaunchRefused("the platform's key could not be read") from None


def validate_id_token(platform: Platform, id_token: str) -> dict[str, Any]:
    """The id_token's claims once signature, algorithm, iss, aud/azp, exp/iat and LTI claims hold.

    The caller checks the nonce and deployment (they need the launch state and registration).
    """
    try:
        header = jwt.get_unverified_header(id_token)
    except jwt.PyJWTError:
        raise LaunchRefused("the id_token is not a JWT") from None
    if header.get("alg") not in ALGORITHMS:
        raise LaunchRefused(f"signing algorithm {header.get('alg')!r} is not allowed (RS256 only)")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise LaunchRefused("the id_token names no key (kid)")
    key = platform_key(platform, kid)
    try:
        claims: dict[str, Any] = jwt.decode(
            id_token,
            key.key,
            algorithms=ALGORITHMS,
            audience=platform.client_id,
            issuer=platform.issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "iss", "aud", "sub", "nonce"]},
        )
    except jwt.ExpiredSignatureError:
        raise LaunchRefused("the id_token has expired") from None
    except jwt.ImmatureSignatureError:
        raise LaunchRefused("the id_token was issued in the future (iat/nbf)") from None
    except jwt.InvalidAudienceError:
        raise LaunchRefused("the id_token is not addressed to Pathways (aud)") from None
    except jwt.InvalidIssuerError:
        raise LaunchRefused("the id_token comes from another issuer (iss)") from None
    except jwt.InvalidSignatureError:
        raise LaunchRefused("the id_token's signature does not verify") from None
    except jwt.PyJWTError as error:
        raise LaunchRefused(f"the id_token is not valid ({error})") from None
    _check_times_and_party(claims, platform)
    _check_lti_claims(claims)
    return claims


def _check_times_and_party(claims: dict[str, Any], platform: Platform) -> None:
    now = timezone.now().timestamp()
    iat = claims["iat"]
    if not isinstance(iat, int | float) or iat > now + LEEWAY_SECONDS:
        raise LaunchRefused("the id_token was issued in the future (iat)")
    if iat < now - MAX_AGE_SECONDS:
        raise LaunchRefused("the id_token is too old (iat)")
    aud = claims["aud"]
    if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != platform.client_id:
        raise LaunchRefused("the id_token has several audiences and azp is not Pathways")
    if "azp" in claims and claims["azp"] != platform.client_id:
        raise LaunchRefused("the id_token's authorized party (azp) is not Pathways")


def _check_lti_claims(claims: dict[str, Any]) -> None:
    if claims.get(MESSAGE_TYPE) not in MESSAGE_TYPES:
        raise LaunchRefused(f"message type {claims.get(MESSAGE_TYPE)!r} is not supported")
    if claims.get(VERSION) != "1.3.0":
        raise LaunchRefused(f"LTI version {claims.get(VERSION)!r} is not 1.3.0")
    if not isinstance(claims.get(DEPLOYMENT_ID), str) or not claims[DEPLOYMENT_ID]:
        raise LaunchRefused("the id_token has no deployment id")
    roles = claims.get(ROLES)
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise LaunchRefused("the id_token's roles claim is missing or not a list")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise LaunchRefused("the id_token names no person (sub)")
    if claims[MESSAGE_TYPE] == RESOURCE_LINK_REQUEST:
        link = claims.get(RESOURCE_LINK)
        if not isinstance(link, dict) or not isinstance(link.get("id"), str) or not link["id"]:
            raise LaunchRefused("a resource link launch needs a resource_link id")
    else:
        settings_claim = claims.get(DEEP_LINKING_SETTINGS)
        if not isinstance(settings_claim, dict) or not isinstance(
            settings_claim.get("deep_link_return_url"), str
        ):
            raise LaunchRefused("a deep linking request needs deep_link_return_url")
