"""Saudi numbers shown as people write them (saudi.md §2, §3)."""

from django.template import Context, Template


def render(text: str, **context) -> str:
    return Template("{% load saudi %}" + text).render(Context(context))


def test_a_mobile_is_shown_in_the_national_form():
    assert render("{{ m|mobile }}", m="+966501234567") == "050 123 4567"
    assert render("{{ m|mobile }}", m="") == ""
    assert render("{{ m|mobile }}", m="not a number") == "not a number"


def test_an_iban_is_shown_in_groups_of_four():
    shown = render("{{ i|iban }}", i="SA0380000000608010167519")
    assert shown == "SA03 8000 0000 6080 1016 7519"
    assert render("{{ i|iban }}", i="XX") == "XX"
