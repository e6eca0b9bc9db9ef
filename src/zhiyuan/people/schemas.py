"""API shapes for volunteers. Personal data leaves masked: the ID number only through /reveal."""

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from zhiyuan.core.api import Strict
from zhiyuan.core.phones import mask_mobile
from zhiyuan.people.models import Volunteer


class VolunteerOut(Schema):
    number: str
    full_name: str
    gender: str
    age: int
    is_minor: bool
    id_type: str
    id_masked: str
    mobile: str
    mobile_verified: bool
    home_organization_id: int
    home_organization_name: str
    residence: str
    political_status: str
    skills: list[str]
    availability: list[str]
    status: str
    created_at: datetime

    @staticmethod
    def resolve_full_name(obj: Volunteer) -> str:
        return obj.user.display_name

    @staticmethod
    def resolve_mobile(obj: Volunteer) -> str:
        return mask_mobile(obj.user.mobile)

    @staticmethod
    def resolve_mobile_verified(obj: Volunteer) -> bool:
        return obj.mobile_verified_at is not None

    @staticmethod
    def resolve_home_organization_name(obj: Volunteer) -> str:
        return obj.home_organization.name

    @staticmethod
    def resolve_skills(obj: Volunteer) -> list[str]:
        return [s.code for s in obj.skills.all()]


class ProfileIn(Strict):
    residence: str | None = Field(None, max_length=100)
    political_status: str | None = None
    availability: list[str] | None = None
    emergency_name: str | None = Field(None, max_length=50)
    emergency_phone: str | None = Field(None, max_length=30)
    guardian_name: str | None = Field(None, max_length=50)
    guardian_phone: str | None = Field(None, max_length=30)
    skills: list[str] | None = Field(None, description="技能代码，如 medical、legal")
    service_categories: list[str] | None = None


class IdentityIn(Strict):
    full_name: str = Field(min_length=1, max_length=50)
    mobile: str = Field(max_length=30)
    id_type: str = "resident"
    id_number: str = Field(max_length=30)
    gender: str = ""
    birth_date: date | None = None
    home_organization_id: int | None = None
    residence: str = Field("", max_length=100)
    political_status: str = "masses"
    availability: list[str] = []
    emergency_name: str = Field("", max_length=50)
    emergency_phone: str = Field("", max_length=30)
    guardian_name: str = Field("", max_length=50)
    guardian_phone: str = Field("", max_length=30)
    guardian_consent: bool = False
    skills: list[str] = []
    service_categories: list[str] = []


class EntryIn(IdentityIn):
    organization_id: int
    consent_evidence: str = Field(max_length=200, description="志愿者本人同意代为登记的方式和时间")


class RegisterIn(IdentityIn):
    code: str = Field(max_length=10)
    password: str = Field(max_length=128)
    privacy_consent: bool
    location_consent: bool = False


class MobileIn(Strict):
    mobile: str = Field(max_length=30)


class RevealIn(Strict):
    reason: str = Field(min_length=1, max_length=200)


class RevealOut(Schema):
    number: str
    id_number: str


class DeletionIn(Strict):
    reason: str = Field("", max_length=200)
