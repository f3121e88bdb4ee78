from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from mustafid.notifications import selectors
from mustafid.notifications.forms import OutboxFilterForm


@login_required
def outbox(request):
    form = OutboxFilterForm(request.GET or None)
    messages = selectors.outbox_messages(actor=request.user, **form.filters())
    page = Paginator(messages, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "notifications/outbox.html" + ("#outbox-table" if request.htmx else "")
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@login_required
def message(request, message_id: int):
    outbox_message = selectors.outbox_message(actor=request.user, message_id=message_id)
    return render(request, "notifications/message.html", {"message": outbox_message})
