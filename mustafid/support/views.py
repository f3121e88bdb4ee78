from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from mustafid.registry import selectors as registry_selectors
from mustafid.support import selectors
from mustafid.support.checklist import missing_items


@login_required
def checklist(request, number: str):
    """What the household's file lacks for each kind of support request, with the
    support-policy guide (P-PROC-2, P-TOOL-3): the first step of intake. Another
    branch's file is a 404 (issue 4 item 9)."""
    file = registry_selectors.file_for(actor=request.user, number=number)
    types = list(selectors.active_request_types())
    chosen = next((t for t in types if t.code == request.GET.get("type")), None)
    missing = missing_items(request_type=chosen, file=file) if chosen else None
    template = "support/checklist.html" + ("#result" if request.htmx else "")
    context = {"file": file, "types": types, "chosen": chosen, "missing": missing}
    return render(request, template, context)
