"""Set a password from a one-time link (rostered people never have an imported password)."""

from __future__ import annotations

from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from pathways.apps.accounts.models import User
from pathways.apps.accounts.services import account_by_id


def _account(uidb64: str, token: str) -> User | None:
    try:
        user_id = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = account_by_id(user_id)
    if user is None or not user.is_active or not default_token_generator.check_token(user, token):
        return None
    return user


def set_password(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link works once: setting the password changes the hash the token was made from."""
    user = _account(uidb64, token)
    if user is None:
        return render(request, "web/set_password.html", {"invalid": True})
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        return render(request, "web/set_password.html", {"done": True})
    return render(request, "web/set_password.html", {"form": form, "account": user})
