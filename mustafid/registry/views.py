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
from mustafid.registry.duplicates import likely_duplicates, record_different_person
from mustafid.registry.forms import HouseholdForm, MemberForm
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
