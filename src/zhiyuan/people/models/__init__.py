from zhiyuan.people.models.volunteer import (
    Consent,
    ConsentKind,
    Gender,
    IdReveal,
    IdType,
    PhoneVerification,
    PoliticalStatus,
    ServiceCategory,
    Skill,
    Volunteer,
)

__all__ = [
    "Consent",
    "ConsentKind",
    "Gender",
    "IdReveal",
    "IdType",
    "PhoneVerification",
    "PoliticalStatus",
    "ServiceCategory",
    "Skill",
    "Volunteer",
]
