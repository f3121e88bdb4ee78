from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from mustafid.registry import selectors, services


@login_required
@permission_required("registry.view_beneficiaryfile", raise_exception=True)
def search(request):
    """One search box; with htmx the results refresh as the officer types."""
    query = request.GET.get("q", "").strip()
    people = selectors.search_people(actor=request.user, query=query) if query else []
    template = "registry/search.html" + ("#results" if request.htmx else "")
    return render(request, template, {"query": query, "people": people})


@login_required
def file_page(request, number: str):
    file = selectors.file_for(actor=request.user, number=number)
    services.record_file_opened(actor=request.user, file=file)
    context = {
        "file": file,
        "head": selectors.head_of(file),
        "members": file.members.all(),
        "incomes": file.incomes.all(),
        "per_capita_income": services.per_capita_income(file=file),
        "show_sensitive": request.user.has_perm("registry.view_sensitive"),
        "show_history": request.user.has_perm("core.view_auditentry"),
    }
    return render(request, "registry/file.html", context)
