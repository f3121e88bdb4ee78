"""Staff accounts and the association's branches."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Branch(models.Model):
    """A branch office of the association; staff and, later, records belong to branches."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    city = models.CharField(_("city"), max_length=80)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_ar if (get_language() or "ar").startswith("ar") else self.name_en


class User(AbstractUser):
    """A member of staff (or, later, a volunteer or integrator's service account)."""

    mobile = models.CharField(_("mobile"), max_length=16, blank=True)
    branches = models.ManyToManyField(
        Branch, verbose_name=_("branches"), related_name="staff", blank=True
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def role_codes(self) -> set[str]:
        """The codes of this user's roles (cached on the instance for the request)."""
        if not hasattr(self, "_role_codes"):
            self._role_codes = set(self.groups.values_list("name", flat=True))
        return self._role_codes

    def has_role(self, role: str) -> bool:
        return self.is_active and role in self.role_codes()
