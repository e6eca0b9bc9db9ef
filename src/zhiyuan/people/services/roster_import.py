"""Importing a roster (人员名单) from XLSX: every row checked first, then all written or nothing.

Re-importing the same file creates nothing new: a row whose ID number already belongs to a volunteer is
counted as existing (and only their team membership is added if missing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from zhiyuan.core import access, crypto, spreadsheets
from zhiyuan.core.models import User
from zhiyuan.core.permissions import grantable_roles
from zhiyuan.core.search import search_text
from zhiyuan.organizations.models import Kind, Membership, Organization
from zhiyuan.people.models import Consent, ConsentKind, RosterImport, ServiceCategory, Skill, Volunteer
from zhiyuan.people.services import roster_columns as cols
from zhiyuan.people.services.identity import Identity, identity_parse
from zhiyuan.people.services.volunteers import _office_of, volunteer_numbers

PROGRESS_EVERY = 500
CHUNK = 900  # stays under SQLite's bound-parameter limit in IN (…) lookups


@dataclass
class Row:
    number: int
    identity: Identity
    home: Organization
    profile: dict[str, Any]
    skills: list[Skill]
    categories: list[ServiceCategory]
    team: Organization | None
    role: str
    title: str


@dataclass
class Outcome:
    errors: list[dict[str, Any]] = field(default_factory=list)
    created_volunteers: int = 0
    created_memberships: int = 0
    unchanged: int = 0


class _Context:
    """Everything a row is resolved against, loaded once per file."""

    def __init__(self, job: RosterImport) -> None:
        self.job = job
        org = job.organization
        self.default_home = _office_of(org)
        offices = Organization.objects.filter(kind=Kind.OFFICE).only("id", "name", "aliases", "path", "kind")
        self.offices = {o.name: o for o in offices}
        self.teams: dict[str, list[Organization]] = {}
        for o in Organization.objects.filter(path__startswith=org.path).only("id", "name", "path", "kind"):
            self.teams.setdefault(o.name, []).append(o)
        self.skills = {s.name: s for s in Skill.objects.all()}
        self.categories = {c.name: c for c in ServiceCategory.objects.all()}
        self.grantable = set(grantable_roles(access.perms_at(job.created_by, org)))


def _cell(values: list[Any], index: dict[str, int], key: str) -> str:
    i = index.get(key)
    return spreadsheets.text(values[i]) if i is not None and i < len(values) else ""


def _parse_row(
    number: int, values: list[Any], index: dict[str, int], ctx: _Context, out: Outcome
) -> Row | None:
    raw = {key: _cell(values, index, key) for key in index}
    errors: dict[str, list[str]] = {}

    def fail(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    for key, value in raw.items():
        if spreadsheets.looks_like_formula(value) and (key in cols.TEXT_KEYS or value.startswith("=")):
            fail(key, _("不能以 = + - @ 开头（疑似公式）"))
    id_type = cols.ID_TYPES.get(raw.get("id_type") or "居民身份证", "")
    if not id_type:
        fail("id_type", _("证件类型无效"))
    birth: date | None = None
    if raw.get("birth_date"):
        try:
            birth = date.fromisoformat(raw["birth_date"].replace("/", "-")[:10])
        except ValueError:
            fail("birth_date", _("日期格式应为 1990-01-31"))
    identity = identity_parse(
        full_name=raw.get("full_name", ""),
        mobile=raw.get("mobile", ""),
        id_type=id_type,
        id_number=raw.get("id_number", ""),
        gender=cols.GENDERS.get(raw.get("gender", ""), ""),
        birth_date=birth,
        errors=errors,
    )
    home = ctx.offices.get(raw["home"]) if raw.get("home") else ctx.default_home
    if home is None:
        fail("home", _("找不到名为“%(v)s”的文明办") % {"v": raw.get("home", "")})
    political = cols.POLITICAL.get(raw.get("political_status") or "群众")
    if political is None:
        fail("political_status", _("政治面貌无效"))
    skills = [ctx.skills.get(name) for name in cols.split_list(raw.get("skills", ""))]
    if None in skills:
        fail("skills", _("未知技能：%(v)s") % {"v": raw.get("skills")})
    categories = [ctx.categories.get(name) for name in cols.split_list(raw.get("service_categories", ""))]
    if None in categories:
        fail("service_categories", _("未知服务类别：%(v)s") % {"v": raw.get("service_categories")})
    team = None
    if raw.get("team"):
        found = ctx.teams.get(raw["team"], [])
        if len(found) != 1:
            fail(
                "team",
                _("找不到队伍“%(v)s”") % {"v": raw["team"]}
                if not found
                else _("队伍名称不唯一：%(v)s") % {"v": raw["team"]},
            )
        else:
            team = found[0]
    role = cols.ROLES.get(raw.get("role") or "志愿者")
    if role is None or role not in ctx.grantable:
        fail("role", _("角色无效或超出您的权限"))
    emergency_phone = raw.get("emergency_phone", "")
    for key, messages in errors.items():
        header = next((c.header for c in cols.COLUMNS if c.key == key), key)
        for message in messages:
            out.errors.append({"row": number, "column": header, "message": message})
    if errors or identity is None or home is None or role is None:
        return None
    profile = {
        "residence": raw.get("residence", ""),
        "political_status": political,
        "emergency_name": raw.get("emergency_name", ""),
        "emergency_phone": emergency_phone,
    }
    return Row(
        number,
        identity,
        home,
        profile,
        [s for s in skills if s],
        [c for c in categories if c],
        team,
        role,
        raw.get("title", ""),
    )


def _chunks(items: list[Any]) -> list[list[Any]]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]


def _check_uniqueness(parsed: list[Row], out: Outcome) -> tuple[list[Row], dict[str, Volunteer]]:
    """In-file duplicates and conflicts with the register, in a query per 900 rows."""
    seen_digest: dict[str, int] = {}
    seen_mobile: dict[str, int] = {}
    unique: list[Row] = []
    for row in parsed:
        first = seen_digest.get(row.identity.id_digest) or seen_mobile.get(row.identity.mobile)
        if first:
            out.errors.append(
                {"row": row.number, "column": "证件号码", "message": _("与第%(n)s行重复") % {"n": first}}
            )
            continue
        seen_digest[row.identity.id_digest] = seen_mobile[row.identity.mobile] = row.number
        unique.append(row)
    existing: dict[str, Volunteer] = {}
    mobile_owner: dict[str, str] = {}
    for chunk in _chunks(unique):
        for v in Volunteer.objects.filter(id_digest__in=[r.identity.id_digest for r in chunk]).select_related(
            "user"
        ):
            existing[v.id_digest] = v
        for mobile, digest in Volunteer.objects.filter(
            user__mobile__in=[r.identity.mobile for r in chunk]
        ).values_list("user__mobile", "id_digest"):
            mobile_owner[mobile] = digest
    for row in unique:
        owner = mobile_owner.get(row.identity.mobile)
        if owner and owner != row.identity.id_digest:
            out.errors.append(
                {"row": row.number, "column": "手机号码", "message": _("该手机号已注册为其他志愿者")}
            )
    return unique, existing


def _write(rows: list[Row], existing: dict[str, Volunteer], job: RosterImport, out: Outcome) -> None:
    new_rows = [r for r in rows if r.identity.id_digest not in existing]
    accounts: dict[str, User] = {}
    for chunk in _chunks(new_rows):
        for user in User.objects.filter(mobile__in=[r.identity.mobile for r in chunk]):
            accounts[user.mobile] = user
    needing = [r for r in new_rows if r.identity.mobile not in accounts]
    taken_names: set[str] = set()
    for chunk in _chunks(needing):
        names = [r.identity.mobile for r in chunk]
        taken_names |= set(User.objects.filter(username__in=names).values_list("username", flat=True))
    fresh = [
        User(
            username=r.identity.mobile
            if r.identity.mobile not in taken_names
            else f"{r.identity.mobile}-{r.number}",
            mobile=r.identity.mobile,
            full_name=r.identity.full_name,
            search=search_text(r.identity.full_name),
            password="!",  # unusable: they log in once they set a password
        )
        for r in needing
    ]
    for user in User.objects.bulk_create(fresh, batch_size=500):
        accounts[user.mobile] = user
    numbers = volunteer_numbers(len(new_rows)) if new_rows else []
    volunteers = Volunteer.objects.bulk_create(
        [
            Volunteer(
                user=accounts[r.identity.mobile],
                number=number,
                gender=r.identity.gender,
                birth_date=r.identity.birth_date,
                id_type=r.identity.id_type,
                id_cipher=crypto.encrypt(r.identity.id_number),
                id_digest=r.identity.id_digest,
                id_masked=r.identity.id_masked,
                home_organization=r.home,
                entered_by=job.organization,
                **r.profile,
            )
            for r, number in zip(new_rows, numbers, strict=True)
        ],
        batch_size=500,
    )
    if volunteers and volunteers[0].pk is None:  # a backend without RETURNING: read the ids back
        ids_by_number = dict(Volunteer.objects.filter(number__in=numbers).values_list("number", "pk"))
        for v in volunteers:
            v.pk = ids_by_number[v.number]
    by_digest_new = {v.id_digest: v for v in volunteers}
    skill_links, category_links, consents = [], [], []
    for r in new_rows:
        v = by_digest_new[r.identity.id_digest]
        skill_links += [Volunteer.skills.through(volunteer_id=v.pk, skill_id=s.pk) for s in r.skills]
        category_links += [
            Volunteer.service_categories.through(volunteer_id=v.pk, servicecategory_id=c.pk)
            for c in r.categories
        ]
        for kind in (ConsentKind.ENTRY_BY_ORGANIZATION, ConsentKind.PRIVACY):
            consents.append(
                Consent(
                    volunteer=v,
                    kind=kind,
                    version=settings.ZHIYUAN_PRIVACY_VERSION,
                    given_by=job.created_by,
                    evidence=job.consent_evidence,
                )
            )
    Volunteer.skills.through.objects.bulk_create(skill_links, batch_size=1000)
    Volunteer.service_categories.through.objects.bulk_create(category_links, batch_size=1000)
    Consent.objects.bulk_create(consents, batch_size=1000)
    out.created_volunteers = len(volunteers)
    out.unchanged = len(rows) - len(new_rows)
    wanted = [
        (r, (existing.get(r.identity.id_digest) or by_digest_new[r.identity.id_digest]).user_id)
        for r in rows
        if r.team is not None
    ]
    have = set(
        Membership.objects.filter(organization__path__startswith=job.organization.path).values_list(
            "user_id", "organization_id", "role"
        )
    )
    memberships = [
        Membership(user_id=uid, organization=r.team, role=r.role, title=r.title)
        for r, uid in wanted
        if r.team and (uid, r.team.pk, r.role) not in have
    ]
    Membership.objects.bulk_create(memberships, batch_size=1000)
    out.created_memberships = len(memberships)


def roster_import_start(
    *, by: User, organization: Organization, upload: Any, consent_evidence: str
) -> RosterImport:
    """Check the upload is a reasonable XLSX, store it, and queue the import."""
    from django.core.exceptions import ValidationError

    from zhiyuan.organizations.roles import Perm
    from zhiyuan.people.tasks import roster_import_run

    access.require(by, Perm.VOLUNTEER_CHANGE, organization)
    errors: dict[str, list[str]] = {}
    try:
        spreadsheets.check_xlsx(upload, size=upload.size)
    except ValidationError as exc:
        errors["file"] = exc.messages
    if not consent_evidence.strip():
        errors["consent_evidence"] = [_("导入名单须记录志愿者本人同意由单位代为登记的方式（办法第六条）。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        job = RosterImport.objects.create(
            organization=organization,
            file=upload,
            original_name=upload.name[:200],
            consent_evidence=consent_evidence.strip(),
            created_by=by,
        )
        # the worker may only see the job once the row is committed
        transaction.on_commit(lambda: roster_import_run.enqueue(job.pk))
    return job


def roster_import_process(*, job: RosterImport) -> Outcome:
    """Check every row, then write everything in one transaction, or nothing if any row is bad."""
    out = Outcome()
    ctx = _Context(job)
    header: dict[str, int] | None = None
    parsed: list[Row] = []
    total = 0
    declared, stream = spreadsheets.read(job.file.path)
    RosterImport.objects.filter(pk=job.pk).update(total_rows=max(declared - 1, 0), processed_rows=0)
    for number, values in stream:
        if header is None:
            names = [spreadsheets.text(v) for v in values]
            header = {cols.HEADERS[n].key: i for i, n in enumerate(names) if n in cols.HEADERS}
            missing = [c.header for c in cols.COLUMNS if c.required and c.key not in header]
            if missing:
                out.errors.append(
                    {
                        "row": number,
                        "column": "",
                        "message": _("缺少必填列：%(c)s") % {"c": "、".join(missing)},
                    }
                )
                return out
            continue
        row = _parse_row(number, values, header, ctx, out)
        if row is not None:
            parsed.append(row)
        if number % PROGRESS_EVERY == 0:
            RosterImport.objects.filter(pk=job.pk).update(processed_rows=number - 1)
        total = number - 1
    RosterImport.objects.filter(pk=job.pk).update(total_rows=total, processed_rows=total)
    if header is None:
        out.errors.append({"row": 1, "column": "", "message": _("文件是空的。")})
        return out
    rows, existing = _check_uniqueness(parsed, out)
    if out.errors:
        out.errors.sort(key=lambda e: e["row"])
        return out
    with transaction.atomic():
        _write(rows, existing, job, out)
    return out


FINISHED = (RosterImport.Status.DONE, RosterImport.Status.REJECTED, RosterImport.Status.FAILED)


def roster_file_discard(*, job: RosterImport) -> None:
    """Delete an import's uploaded file once the import is over: it holds ID numbers in clear text, and
    the import keeps what it needs (counts, row errors) in its own row."""
    if job.file.name:
        job.file.storage.delete(job.file.name)
        RosterImport.objects.filter(pk=job.pk).update(file="")


def roster_files_purge() -> int:
    """Delete the files of every finished import still holding one (imports from before files were
    discarded, or one whose worker died at the wrong moment); run nightly and on a data-rights deletion."""
    jobs = list(RosterImport.objects.filter(status__in=FINISHED).exclude(file=""))
    for job in jobs:
        roster_file_discard(job=job)
    return len(jobs)
