"""The possible-duplicates worklist, the side-by-side comparison, merging and reverting
(issue 4 item 6; P-CH, P-PROC-2). Thin views: selectors read, services decide."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mustafid.accounts.permissions import can
from mustafid.core import forms as core_forms
from mustafid.core.errors import DomainError
from mustafid.registry import duplicates, merge, selectors
from mustafid.registry.models import DuplicateStatus, Relation

PAGE_SIZE = 25
TABS = {
    "open": DuplicateStatus.OPEN,
    "dismissed": DuplicateStatus.DISMISSED,
    "merged": DuplicateStatus.MERGED,
}


class DismissForm(core_forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("What told you they are different people."),
    )


class MergeForm(core_forms.Form):
    survivor = forms.ChoiceField(
        label=gettext_lazy("Which file survives?"),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text=gettext_lazy(
            "Everything in the other file moves into it; the other file is closed and its "
            "number leads to the surviving one."
        ),
    )
    head_relation = forms.ChoiceField(
        label=gettext_lazy("Relation of the merged file's head in the surviving household"),
        choices=[(value, label) for value, label in Relation.choices if value != Relation.HEAD],
        initial=Relation.OTHER,
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I compared both households: they are the same household."),
        error_messages={"required": gettext_lazy("Confirm that you compared both households.")},
    )

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.files = {"a": candidate.file_a, "b": candidate.file_b}
        self.fields["survivor"].choices = [
            ("a", candidate.file_a.number),
            ("b", candidate.file_b.number),
        ]
        # The older file usually holds the history: it survives unless the user says not.
        self.fields["survivor"].initial = "a"


class RevertForm(core_forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Put every moved record back and reopen the merged file."),
        error_messages={"required": gettext_lazy("Confirm that you want to revert the merge.")},
    )


@login_required
@permission_required("registry.view_duplicatecandidate", raise_exception=True)
def worklist(request):
    """Open pairs across the files the user may see, highest score first; the reviewed
    ones and the merges in their own tabs. Paginated, a fixed number of queries."""
    tab = request.GET.get("tab", "open")
    if tab not in TABS:
        tab = "open"
    if tab == "merged":
        rows = duplicates.merges_for_worklist(actor=request.user)
    else:
        rows = duplicates.candidates_for_worklist(actor=request.user, status=TABS[tab])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "tab": tab,
        "page": page,
        "can_see_merges": request.user.has_perm("registry.view_filemerge"),
    }
    template = "registry/duplicates/worklist.html" + ("#rows" if request.htmx else "")
    return render(request, template, context)


def _record_counts(file_a, file_b) -> list[dict]:
    """How many rows of each related model each file holds (documents, consents, timeline
    events...): one query per model, whatever the number of rows."""
    counts = []
    for model, field in merge.file_links():
        rows = (
            model._base_manager.filter(**{f"{field.name}__in": [file_a.pk, file_b.pk]})
            .order_by()
            .values(field.attname)
            .annotate(n=Count("pk"))
        )
        by_file = {row[field.attname]: row["n"] for row in rows}
        counts.append(
            {
                "name": model._meta.verbose_name_plural,
                "a": by_file.get(file_a.pk, 0),
                "b": by_file.get(file_b.pk, 0),
            }
        )
    return counts


def _compare_context(request, candidate, **forms_) -> dict:
    user = request.user
    file_a, file_b = candidate.file_a, candidate.file_b
    open_ = candidate.status == DuplicateStatus.OPEN and not (
        file_a.merged_into_id or file_b.merged_into_id
    )
    perm = "registry.change_duplicatecandidate"
    return {
        "candidate": candidate,
        "sides": [
            {"key": "a", "file": file_a, "head": selectors.head_of(file_a)},
            {"key": "b", "file": file_b, "head": selectors.head_of(file_b)},
        ],
        "matched": {candidate.person_a_id, candidate.person_b_id} - {None},
        "counts": _record_counts(file_a, file_b),
        "can_dismiss": open_ and any(can(user, perm, branch=f.branch) for f in (file_a, file_b)),
        "can_merge": open_
        and all(can(user, "registry.add_filemerge", branch=f.branch) for f in (file_a, file_b)),
        "dismiss_form": forms_.get("dismiss_form") or DismissForm(),
        "merge_form": forms_.get("merge_form") or MergeForm(candidate=candidate),
    }


@login_required
def compare(request, pk: int):
    """The two households side by side, with "Different people" and "Merge"."""
    candidate = duplicates.candidate_for(actor=request.user, pk=pk)
    return render(request, "registry/duplicates/compare.html", _compare_context(request, candidate))


@login_required
@require_POST
def dismiss(request, pk: int):
    candidate = duplicates.candidate_for(actor=request.user, pk=pk)
    form = DismissForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            duplicates.dismiss_candidate(
                actor=request.user, candidate=candidate, note=form.cleaned_data["note"]
            )
        except DomainError as err:
            form.add_error(None, str(err))
            status = err.http_status
        else:
            messages.success(
                request,
                _("Recorded: %(a)s and %(b)s are different people.")
                % {"a": candidate.file_a.number, "b": candidate.file_b.number},
            )
            return redirect("registry:duplicates")
    context = _compare_context(request, candidate, dismiss_form=form)
    return render(request, "registry/duplicates/compare.html", context, status=status)


@login_required
@require_POST
def merge_pair(request, pk: int):
    candidate = duplicates.candidate_for(actor=request.user, pk=pk)
    form = MergeForm(request.POST, candidate=candidate)
    status = 400
    if form.is_valid():
        target = form.files[form.cleaned_data["survivor"]]
        source = candidate.file_b if target is candidate.file_a else candidate.file_a
        try:
            record = merge.merge_files(
                actor=request.user,
                source=source,
                target=target,
                head_relation=form.cleaned_data["head_relation"],
            )
        except DomainError as err:
            form.add_error(None, str(err))
            status = err.http_status
        else:
            messages.success(
                request,
                _("%(source)s is merged into %(target)s.")
                % {"source": source.number, "target": target.number},
            )
            return redirect(record)
    context = _compare_context(request, candidate, merge_form=form)
    return render(request, "registry/duplicates/compare.html", context, status=status)


def _merge_context(request, record, revert_form=None) -> dict:
    user = request.user
    return {
        "merge": record,
        "moved": merge.moved_counts(record),
        "can_revert": record.reverted_at is None
        and all(
            can(user, "registry.revert_filemerge", branch=file.branch)
            for file in (record.source, record.target)
        ),
        "show_history": user.has_perm("core.view_auditentry"),
        "revert_form": revert_form or RevertForm(),
    }


@login_required
def merge_page(request, pk: int):
    """One merge: which files, who, when, what moved; "Revert" while it stands."""
    record = duplicates.merge_for(actor=request.user, pk=pk)
    return render(request, "registry/duplicates/merge.html", _merge_context(request, record))


@login_required
@require_POST
def revert(request, pk: int):
    record = duplicates.merge_for(actor=request.user, pk=pk)
    form = RevertForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            merge.revert_merge(actor=request.user, merge=record)
        except DomainError as err:
            form.add_error(None, str(err))
            status = err.http_status
        else:
            messages.success(
                request,
                _("The merge is reverted: %(source)s is a separate file again.")
                % {"source": record.source.number},
            )
            return redirect("registry:merge", pk=record.pk)
    context = _merge_context(request, record, revert_form=form)
    return render(request, "registry/duplicates/merge.html", context, status=status)
