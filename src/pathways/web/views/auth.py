"""Sign-in, sign-out and the home redirect."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from pathways.apps.access.roles import home_role
from pathways.apps.accounts import services as accounts
from pathways.web.forms import SignInForm
from pathways.web.views._common import ROLE_HOME, actor


def signin(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.sign_in(
                request, form.cleaned_data["username"], form.cleaned_data["password"], channel="web"
            )
        except accounts.SignInThrottled as error:
            form.add_error(None, str(error))
            status = 429
        except accounts.SignInError as error:
            form.add_error(None, str(error))
            status = 401
        else:
            login(request, user)  # rotates the session key: no session fixation
            target = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = reverse("web:home")
            return HttpResponseRedirect(target or reverse("web:home"))
    context = {"form": form, "next": request.GET.get("next", request.POST.get("next", ""))}
    return render(request, "web/signin.html", context, status=status)


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:signin")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = home_role(actor(request))
    if role is None:
        return render(request, "web/no_role.html")
    return redirect(ROLE_HOME[role][0])
