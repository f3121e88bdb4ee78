from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mustafid.accounts.models import Branch
from mustafid.accounts.permissions import branch_ids, can
from mustafid.core.errors import DomainError
from mustafid.documents import selectors as documents_selectors
from mustafid.privacy import selectors as privacy_selectors
from mustafid.registry import duplicates, selectors, services
from mustafid.registry.categories import can_set_category
from mustafid.registry.duplicates import likely_duplicates, record_different_person
from mustafid.registry.forms import (
    HouseholdForm,
    IncomeFormSet,
    MemberForm,
    PersonDetailsForm,
    ProfileForm,
)
from mustafid.timeline import selectors as timeline_selectors


@login_required
@permission_required("registry.view_beneficiaryfile", raise_exception=True)
def search(request):
    """One search box; with htmx the results refresh as the officer types."""
    query = request.GET.get("q", "").strip()
    people = selectors.search_people(actor=request.user, query=query) if query else []
    template = "registry/search.html" + ("#results" if request.htmx else "")
    return render(request, template, {"query": query, "people": people})


#: The apps whose sections appear on the file page, each with ``file_context``.
FILE_SECTIONS = (
    documents_selectors,
    privacy_selectors,
    duplicates,
    timeline_selectors,
)


@login_required
def file_page(request, number: str):
    """The beneficiary 360 page (issue 4 item 7): header and flags, household, profile,
    documents, consent and the timeline; a bounded number of queries whatever the size."""
    file = selectors.file_for(actor=request.user, number=number)
    if file.number != number:  # a merged file's old number: go to the surviving file
        return redirect(file)
    if request.htmx and request.GET.get("timeline"):
        page = timeline_selectors.file_context(
            actor=request.user, file=file, page=request.GET["timeline"]
        )
        return render(request, "timeline/_file_section.html#events", {"file": file, **page})
    services.record_file_opened(actor=request.user, file=file)
    sections: dict = {}
    flags = []
    for section in FILE_SECTIONS:
        extra = {"page": request.GET.get("timeline", 1)} if section is timeline_selectors else {}
        found = section.file_context(actor=request.user, file=file, **extra)
        flags += found.pop("flags", [])
        sections.update(found)
    context = {
        **sections,
        "flags": flags,
        "file": file,
        "head": selectors.head_of(file),
        "members": file.members.all(),
        "incomes": file.incomes.all(),
        "per_capita_income": services.per_capita_income(file=file),
        "show_sensitive": request.user.has_perm("registry.view_sensitive"),
        "show_history": request.user.has_perm("core.view_auditentry"),
        "can_add_member": can(request.user, "registry.change_beneficiaryfile", branch=file.branch),
        "can_edit": can(request.user, "registry.change_beneficiaryfile", branch=file.branch),
        "can_edit_people": can(request.user, "registry.change_person", branch=file.branch),
        "can_edit_incomes": can(request.user, "registry.change_incomesource", branch=file.branch),
    }
    return render(request, "registry/file.html", context)


def _branches_for_registration(user):
    """Branches where the user may register households."""
    if not user.has_perm("registry.add_beneficiaryfile"):
        return Branch.objects.none()
    return Branch.objects.filter(pk__in=branch_ids(user), is_active=True)


@login_required
@permission_required("registry.add_beneficiaryfile", raise_exception=True)
def create(request):
    """Register a household with its head (P-PROC-2, P-PROC-6): Saudi formats checked,
    the same ID refused, likely duplicates shown before saving (issue 4 item 6)."""
    branches = _branches_for_registration(request.user)
    form = HouseholdForm(request.POST or None, branches=branches)
    suggestions = []
    if request.method == "POST" and form.is_valid():
        head = form.person_data()
        suggestions = likely_duplicates(actor=request.user, person=head)
        if not suggestions or form.cleaned_data["different_person"]:
            try:
                file = services.create_file(
                    actor=request.user,
                    branch=form.cleaned_data["branch"],
                    channel=form.cleaned_data["channel"],
                    city=form.cleaned_data["city"],
                    district=form.cleaned_data["district"],
                    short_address=form.cleaned_data["short_address"],
                    mobile=head["mobile"],
                    head=head,
                )
            except DomainError as err:
                form.add_error(
                    "national_id" if err.code == "duplicate_national_id" else None, str(err)
                )
            else:
                if suggestions:
                    record_different_person(actor=request.user, file=file, suggestions=suggestions)
                messages.success(
                    request,
                    _("The household is registered as file %(number)s.") % {"number": file.number},
                )
                return redirect(file)
    return render(request, "registry/create.html", {"form": form, "suggestions": suggestions})


@login_required
def add_member(request, number: str):
    file = selectors.file_for(actor=request.user, number=number)
    if not can(request.user, "registry.change_beneficiaryfile", branch=file.branch):
        raise Http404
    form = MemberForm(request.POST or None)
    suggestions = []
    if request.method == "POST" and form.is_valid():
        member = form.person_data()
        suggestions = [
            s
            for s in likely_duplicates(actor=request.user, person=member)
            if s.person.file_id != file.pk
        ]
        if not suggestions or request.POST.get("different_person"):
            try:
                person = services.add_member(actor=request.user, file=file, member=member)
            except DomainError as err:
                form.add_error(
                    "national_id" if err.code == "duplicate_national_id" else None, str(err)
                )
            else:
                if suggestions:
                    record_different_person(actor=request.user, file=file, suggestions=suggestions)
                messages.success(
                    request, _("%(name)s is added to the household.") % {"name": person.full_name}
                )
                return redirect(file)
    return render(
        request,
        "registry/add_member.html",
        {"form": form, "file": file, "suggestions": suggestions},
    )


def _editable_file(request, number: str, perm: str):
    """The file, if the user may see it (else 404) and change it here (else 404 too: a
    file outside one's scope is not acknowledged)."""
    file = selectors.file_for(actor=request.user, number=number)
    if not can(request.user, perm, branch=file.branch):
        raise Http404
    return file


def _stale_or_domain_error(form, err: DomainError) -> None:
    field = getattr(err, "field", None)
    if err.code == "duplicate_national_id":
        field = "national_id"
    form.add_error(field if field in form.fields else None, str(err))


@login_required
def edit_profile(request, number: str):
    """Contact, national address, housing, debts, bank and status (issue 4 item 2); the
    second of two concurrent saves is refused with what changed (optimistic locking)."""
    file = _editable_file(request, number, "registry.change_beneficiaryfile")
    may_categorise = can_set_category(request.user)
    form = ProfileForm(
        request.POST or None,
        initial=ProfileForm.initial_for(file),
        can_set_category=may_categorise,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_file(
                actor=request.user,
                file=file,
                version=form.cleaned_data["version"],
                **form.changes(file),
            )
        except DomainError as err:
            _stale_or_domain_error(form, err)
        else:
            messages.success(request, _("The file is saved."))
            return redirect(file)
    return render(request, "registry/edit_profile.html", {"form": form, "file": file})


@login_required
def edit_member(request, number: str, person_id: int):
    """A member's identity and social details; sensitive ones only for those allowed."""
    file = _editable_file(request, number, "registry.change_person")
    try:
        person = services.member_of(file=file, person_id=person_id)
    except DomainError:
        raise Http404 from None
    show_sensitive = request.user.has_perm("registry.view_sensitive")
    form = PersonDetailsForm(
        request.POST or None,
        initial=PersonDetailsForm.initial_for(person, version=file.version),
        person=person,
        show_sensitive=show_sensitive,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(
                actor=request.user,
                person=person,
                version=form.cleaned_data["version"],
                **form.person_data(),
            )
        except DomainError as err:
            _stale_or_domain_error(form, err)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": person.full_name})
            return redirect(file)
    return render(
        request, "registry/edit_member.html", {"form": form, "file": file, "person": person}
    )


@login_required
def edit_incomes(request, number: str):
    """The household's income sources; per-capita income and category follow (P-OBJ-1)."""
    file = _editable_file(request, number, "registry.change_incomesource")
    initial = [
        {"kind": i.kind, "monthly_amount": i.monthly_amount, "note": i.note}
        for i in file.incomes.all()
    ]
    formset = IncomeFormSet(request.POST or None, initial=initial, prefix="income")
    version = request.POST.get("version", file.version)
    error = None
    if request.method == "POST" and formset.is_valid():
        incomes = [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            services.set_incomes(
                actor=request.user, file=file, version=int(version), incomes=incomes
            )
        except (DomainError, ValueError) as err:
            error = str(err)
        else:
            messages.success(request, _("The income sources are saved."))
            return redirect(file)
    return render(
        request,
        "registry/edit_incomes.html",
        {"formset": formset, "file": file, "version": version, "error": error},
    )
