"""The employment app's models, one module per concern: the "1+3+N" service network, a
person's employment status and vocational assessment, training courses and enrolments,
start-up support, employers with vacancies, placements and quota employment, and the
partner county's records."""

from employment.models.employers import Employer, EmployerKind, JobPlacement, QuotaEmployment, Vacancy
from employment.models.network import Level, PlatformKind, ServiceKind, ServicePoint, Setting
from employment.models.partner import PartnerDevice, PartnerPlacement
from employment.models.startup import (
    BusinessState,
    Milestone,
    StartupFollowUp,
    StartupKind,
    StartupState,
    StartupSupport,
)
from employment.models.status import (
    EMPLOYED,
    Assessment,
    AssessmentResult,
    EmploymentEvent,
    EmploymentStatus,
    RecommendedPath,
)
from employment.models.training import Course, CourseEnrolment

__all__ = [
    "EMPLOYED",
    "Assessment",
    "AssessmentResult",
    "BusinessState",
    "Course",
    "CourseEnrolment",
    "Employer",
    "EmployerKind",
    "EmploymentEvent",
    "EmploymentStatus",
    "JobPlacement",
    "Level",
    "Milestone",
    "PartnerDevice",
    "PartnerPlacement",
    "PlatformKind",
    "QuotaEmployment",
    "RecommendedPath",
    "ServiceKind",
    "ServicePoint",
    "Setting",
    "StartupFollowUp",
    "StartupKind",
    "StartupState",
    "StartupSupport",
    "Vacancy",
]
