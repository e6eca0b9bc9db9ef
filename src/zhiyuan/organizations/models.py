"""The organisation tree, the roles people hold in it, and each unit's contact sheet (attachment 2)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core import phones
from zhiyuan.core.models import TimeStampedModel
from zhiyuan.core.search import search_text
from zhiyuan.organizations.roles import Role


class Kind(models.TextChoices):
    OFFICE = "office", _("文明办")
    AGENCY = "agency", _("主管单位")
    UNIT = "unit", _("单位/科室")
    WORKSTATION = "workstation", _("工作站")
    BRIGADE = "brigade", _("志愿服务支队")
    SQUADRON = "squadron", _("志愿服务中队")
    TEAM = "team", _("志愿服务队")
    GRID = "grid", _("网格")
    BUILDING = "building", _("楼栋")
    FLOOR = "floor", _("楼层")


# Volunteer bodies that answer to a 主管单位 (e.g. 巾帼志愿服务支队 → 市妇联).
LED_KINDS = {Kind.BRIGADE, Kind.SQUADRON, Kind.TEAM}
AGENCY_KINDS = {Kind.OFFICE, Kind.AGENCY, Kind.UNIT, Kind.WORKSTATION}
# The grid network is strict: a 楼栋 sits in a 网格, a 楼层 in a 楼栋.
REQUIRED_PARENT_KIND = {Kind.BUILDING: Kind.GRID, Kind.FLOOR: Kind.BUILDING}


class Organization(TimeStampedModel):
    """One node of the tree. `path` ("/1/5/23/") is the materialised chain of ids from the root.

    Access scoping asks "is this row in the subtree of one of my organisations?" for every list; with the
    path that is a plain indexed `LIKE '/5/%'` that works inside any join, at any tree size.
    """

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    parent_agency = models.ForeignKey(
        "self",
        verbose_name=_("主管单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_bodies",
        help_text=_("志愿服务支队、中队或服务队的主管（牵头）单位"),
    )
    co_agencies = models.ManyToManyField(
        "self",
        verbose_name=_("共同主管单位"),
        symmetrical=False,
        blank=True,
        related_name="co_led_bodies",
    )
    aliases = models.TextField(_("别名"), blank=True, help_text=_("文件中出现的其他写法，每行一个"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    description = models.TextField(_("说明"), blank=True)
    seal = models.ImageField(
        _("证明用章图片"), upload_to="seals/", blank=True, help_text=_("出具志愿服务证明时印在证明上")
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    search = models.CharField(max_length=400, editable=False, blank=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["search", "path"])

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["name"]
        indexes = [models.Index(fields=["parent", "name"])]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="organization_unique_name_in_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]

    def is_descendant_of(self, other: Organization) -> bool:
        return bool(other.path) and self.path.startswith(other.path) and self.pk != other.pk

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.parent_id:
            parent = Organization.objects.only("path", "kind").get(pk=self.parent_id)
            if self.pk and (parent.pk == self.pk or (self.path and parent.path.startswith(self.path))):
                errors["parent"] = gettext("不能把组织移到它自己或它的下级组织之下。")
            required = REQUIRED_PARENT_KIND.get(Kind(self.kind)) if self.kind else None
            if required and parent.kind != required:
                errors["parent"] = gettext("%(kind)s的上级组织必须是%(parent)s。") % {
                    "kind": Kind(self.kind).label,
                    "parent": Kind(required).label,
                }
        elif self.kind in REQUIRED_PARENT_KIND:
            errors["parent"] = gettext("请选择上级组织。")
        if self.parent_agency_id:
            if self.kind not in LED_KINDS:
                errors["parent_agency"] = gettext("只有志愿服务支队、中队和服务队有主管单位。")
            elif self.parent_agency_id == self.pk:
                errors["parent_agency"] = gettext("主管单位不能是它自己。")
            elif (
                Organization.objects.filter(pk=self.parent_agency_id).exclude(kind__in=AGENCY_KINDS).exists()
            ):
                errors["parent_agency"] = gettext("主管单位必须是文明办、主管单位、单位/科室或工作站。")
        if self.phone:
            try:
                self.phone = phones.normalise_any(self.phone)
            except ValidationError as exc:
                errors["phone"] = exc.messages[0]
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = self.name.strip()
        self.search = search_text(self.name, *self.aliases.splitlines())
        with transaction.atomic():
            super().save(*args, **kwargs)
            self._sync_path()

    def _sync_path(self) -> None:
        """Recompute this node's path and, after a move, rewrite its subtree's paths."""
        parent_path = "/"
        if self.parent_id:
            parent_path = Organization.objects.values_list("path", flat=True).get(pk=self.parent_id)
        new_path = f"{parent_path}{self.pk}/"
        old_path = self.path
        if new_path == old_path:
            return
        if old_path and new_path.startswith(old_path):
            raise ValueError("cycle in the organisation tree")  # clean() reports this to people first
        Organization.objects.filter(pk=self.pk).update(path=new_path)
        if old_path:
            moved = list(Organization.objects.filter(path__startswith=old_path).exclude(pk=self.pk))
            for node in moved:
                node.path = new_path + node.path[len(old_path) :]
            Organization.objects.bulk_update(moved, ["path"], batch_size=500)
        self.path = new_path


class Membership(TimeStampedModel):
    """A person holding a role in an organisation; the role reaches the organisation's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    title = models.CharField(_("职务"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("成员角色")
        verbose_name_plural = _("成员角色")
        ordering = ["organization", "role", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_unique_role"),
        ]
        indexes = [models.Index(fields=["organization", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"


class ContactCategory(models.TextChoices):
    """The four rows of attachment 2, in its order."""

    LEADER_IN_CHARGE = "leader_in_charge", _("主管领导")
    PERSON_IN_CHARGE = "person_in_charge", _("具体负责人")
    LIAISON = "liaison", _("联络员")
    REPORTER = "reporter", _("信息上报人员")


CATEGORY_ORDER = {value: index for index, value in enumerate(ContactCategory.values)}


class UnitContact(TimeStampedModel):
    """One row of a unit's information sheet (附件2): 类别 × 姓名 / 职务 / 办公电话 / 手机."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="contacts"
    )
    category = models.CharField(_("类别"), max_length=30, choices=ContactCategory.choices)
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    office_phone = models.CharField(_("办公电话"), max_length=20, blank=True)
    mobile = models.CharField(_("手机"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("对应用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="unit_contacts",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("单位联系人")
        verbose_name_plural = _("单位联系人")
        constraints = [
            models.UniqueConstraint(fields=["organization", "category"], name="unitcontact_one_per_category"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_category_display()} · {self.name}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.name = "".join(self.name.split())
        if not self.name:
            errors["name"] = gettext("请填写姓名。")
        if self.office_phone:
            try:
                self.office_phone = phones.normalise_landline(self.office_phone)
            except ValidationError as exc:
                errors["office_phone"] = exc.messages[0]
        if self.mobile:
            try:
                self.mobile = phones.normalise_mobile(self.mobile)
            except ValidationError as exc:
                errors["mobile"] = exc.messages[0]
        if (
            not self.office_phone
            and not self.mobile
            and "office_phone" not in errors
            and "mobile" not in errors
        ):
            errors["mobile"] = gettext("办公电话和手机至少填写一项。")
        if errors:
            raise ValidationError(errors)
