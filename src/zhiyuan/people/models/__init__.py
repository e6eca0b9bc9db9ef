from zhiyuan.people.models.recruitment import Application, Recruitment
from zhiyuan.people.models.roster import RosterImport
from zhiyuan.people.models.training import (
    TrainingAttendance,
    TrainingCompletion,
    TrainingCourse,
    TrainingMaterial,
    TrainingSession,
)
from zhiyuan.people.models.volunteer import (
    Consent,
    ConsentKind,
    DeletionRequest,
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
    "Application",
    "Consent",
    "ConsentKind",
    "DeletionRequest",
    "Gender",
    "IdReveal",
    "IdType",
    "PhoneVerification",
    "PoliticalStatus",
    "Recruitment",
    "RosterImport",
    "ServiceCategory",
    "Skill",
    "TrainingAttendance",
    "TrainingCompletion",
    "TrainingCourse",
    "TrainingMaterial",
    "TrainingSession",
    "Volunteer",
]
