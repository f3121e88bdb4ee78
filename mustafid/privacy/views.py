"""Consent on the file page, who viewed a family, and the retention review (PDPL)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mustafid.accounts.permissions import can
from mustafid.core.errors import DomainError
from mustafid.privacy import selectors, services
from mustafid.privacy.forms import AnonymiseForm, ConsentForm, WithdrawalForm
from mustafid.registry.selectors import file_for, files_visible_to

SECTION = "privacy/_file_section.html#consent-section"


def _section_response(request, file, **forms):
    """The consent section alone, for htmx, with the forms just submitted."""
    section = selectors.consent_section(actor=request.user, file=file, **forms)
    return render(request, SECTION, {"file": file, "privacy": section})


def _back_to_file(file):
    return redirect(file.get_absolute_url() + "#consent")


@login_required
def record_consent(request, number: str):
    """Record a consent from the file page (htmx) or its own page (plain POST)."""
    file = file_for(actor=request.user, number=number)
    if not can(request.user, "privacy.add_consent", branch=file.branch):
        raise PermissionDenied
    form = ConsentForm(request.POST or None, file=file, prefix="consent")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_consent(
                actor=request.user,
                file=file,
                purpose=data["purpose"],
                channel=data["channel"],
                person=data["person"],
                given_at=data["given_on"],
                note=data["note"],
            )
        except DomainError as err:
            form.add_error(None, str(err))  # keep everything the officer typed
        else:
            if request.htmx:
                return _section_response(request, file)
            messages.success(request, _("The consent is recorded."))
            return _back_to_file(file)
    if request.htmx:
        return _section_response(request, file, consent_form=form)
    return render(request, "privacy/record_consent.html", {"file": file, "form": form})


@login_required
def withdraw_consent(request, number: str, consent_id: int):
    """Record that the household withdrew a consent (PDPL Art. 5: at any time)."""
    file = file_for(actor=request.user, number=number)
    consent = selectors.consent_for(actor=request.user, file=file, consent_id=consent_id)
    if not can(request.user, "privacy.change_consent", branch=file.branch):
        raise PermissionDenied
    prefix = selectors.withdrawal_prefix(consent)
    form = WithdrawalForm(request.POST or None, prefix=prefix)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_consent(
                actor=request.user,
                consent=consent,
                channel=form.cleaned_data["channel"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            if request.htmx:
                return _section_response(request, file)
            messages.success(request, _("The withdrawal is recorded."))
            return _back_to_file(file)
    if request.htmx:
        refusal = " ".join(form.non_field_errors())
        return _section_response(
            request, file, withdrawal_form=form, withdrawing=consent.pk, alert=refusal
        )
    return render(
        request,
        "privacy/withdraw_consent.html",
        {"file": file, "consent": consent, "form": form},
    )


@login_required
def file_views(request, number: str):
    """Who viewed this family: every opening of the file and its documents, newest first."""
    file, entries = selectors.file_openings(actor=request.user, number=number)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "privacy/file_views.html", {"file": file, "page": page})


@login_required
def retention(request):
    """Closed files past the retention period, for the administrator to review."""
    files = selectors.files_due_for_anonymisation(actor=request.user)
    page = Paginator(files, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "years": settings.RETENTION_YEARS,
        "cutoff": selectors.retention_cutoff(),
        "can_anonymise": request.user.has_perm("privacy.add_anonymisation"),
    }
    return render(request, "privacy/retention.html", context)


@login_required
@require_POST
def anonymise(request):
    """Anonymise the chosen files, after the administrator confirms (PDPL Art. 18)."""
    selectors.files_due_for_anonymisation(actor=request.user)  # 404 without the right
    if not request.user.has_perm("privacy.add_anonymisation"):
        raise PermissionDenied
    candidates = files_visible_to(actor=request.user).select_related("branch", "category")
    form = AnonymiseForm(request.POST, files=candidates)
    if not form.is_valid():
        for error in form.errors.get("numbers", []):
            messages.error(request, error)
        return redirect("privacy:retention")
    files = sorted(form.cleaned_data["numbers"], key=lambda file: file.number)
    if not form.cleaned_data["confirm"]:
        if request.POST.get("confirming"):
            form.add_error("confirm", _("Tick the box to confirm."))
        return render(request, "privacy/anonymise_confirm.html", {"form": form, "files": files})
    done, refused = services.anonymise_files(actor=request.user, files=files)
    if done:
        text = ngettext(
            "%(count)s file is anonymised.", "%(count)s files are anonymised.", len(done)
        )
        messages.success(request, text % {"count": len(done)})
    for file, error in refused:
        messages.error(
            request, _("%(number)s: %(reason)s") % {"number": file.number, "reason": error}
        )
    return redirect("privacy:retention")
