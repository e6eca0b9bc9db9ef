"""Output schemas shared by the public and officers' community endpoints."""

import datetime as dt

from ninja import Schema

from zhiyuan.community.models import CommunityEvent, HelpRequest, HelpRequestNote, News


class NoteOut(Schema):
    status: str
    status_label: str
    text: str
    created_at: dt.datetime

    @staticmethod
    def resolve_status_label(obj: HelpRequestNote) -> str:
        return str(obj.get_status_display())


class HelpStatusOut(Schema):
    """What the requester sees: their own request, the phone masked."""

    code: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    phone_masked: str
    organization_name: str
    created_at: dt.datetime
    resolved_at: dt.datetime | None
    notes: list[NoteOut]

    @staticmethod
    def resolve_kind_label(obj: HelpRequest) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj: HelpRequest) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_organization_name(obj: HelpRequest) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_notes(obj: HelpRequest) -> list[HelpRequestNote]:
        return list(obj.notes.all())


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    description: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    places_left: int
    organization_name: str

    @staticmethod
    def resolve_kind_label(obj: CommunityEvent) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_organization_name(obj: CommunityEvent) -> str:
        return obj.organization.name


class NewsOut(Schema):
    id: int
    title: str
    body: str
    source_label: str
    source_submission_id: int | None
    published_at: dt.datetime | None
    photo_urls: list[str]

    @staticmethod
    def resolve_photo_urls(obj: News) -> list[str]:
        return [f"/news/photos/{p.pk}/" for p in obj.photos.all()]
