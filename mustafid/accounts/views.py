from django.conf import settings
from django.shortcuts import render
from django.utils.translation import ngettext

from mustafid.accounts.forms import LoginForm


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes lockout: the login page again, with a clear message, status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = LoginForm(request, initial={"username": (credentials or {}).get("username", "")})
    message = ngettext(
        "Too many failed sign-in attempts. For your security, sign-in is paused for "
        "%(minutes)d minute. Try again later or reset your password.",
        "Too many failed sign-in attempts. For your security, sign-in is paused for "
        "%(minutes)d minutes. Try again later or reset your password.",
        minutes,
    ) % {"minutes": minutes}
    return render(
        request, "accounts/login.html", {"form": form, "locked_message": message}, status=429
    )
