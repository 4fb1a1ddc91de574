"""Token sign-in for the API: POST /auth/login, POST /auth/logout, and the bearer check."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.security import HttpBearer

from pathways.api.v1.schemas import Error, LoginIn, TokenOut, ValidationErrorOut
from pathways.apps.accounts import services as accounts

router = Router(tags=["auth"])


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``; the person becomes ``request.auth``."""

    def authenticate(self, request: HttpRequest, token: str) -> object | None:
        user = accounts.user_for_token(token)
        if user is None:
            return None
        request.api_token = token  # type: ignore[attr-defined]
        return user


@router.post(
    "/login",
    auth=None,
    response={200: TokenOut, 400: Error, 401: Error, 422: ValidationErrorOut, 429: Error},
    summary="Sign in",
)
def login(request: HttpRequest, response: HttpResponse, body: LoginIn) -> Status[object]:
    """Exchange a username and password for a bearer token (rate-limited per account)."""
    try:
        user = accounts.sign_in(request, body.username, body.password, channel="api")
    except accounts.SignInThrottled as error:
        response.headers["Retry-After"] = str(error.retry_after_seconds)
        return Status(429, {"detail": str(error)})
    except accounts.SignInError as error:
        return Status(401, {"detail": str(error)})
    issued = accounts.issue_token(user)
    return Status(200, {"token": issued.token, "expires_at": issued.expires_at})


@router.post(
    "/logout", response={204: None, 401: Error}, summary="Revoke the token used for this request"
)
def logout(request: HttpRequest) -> Status[None]:
    accounts.revoke_token(request.api_token)  # type: ignore[attr-defined]
    return Status(204, None)
