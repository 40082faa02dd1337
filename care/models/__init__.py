"""Care (托养服务): the institutions, who belongs to them, and the work recorded there.

One module per concern, re-exported here so that `care.models` is what Django and the other
modules import:

- `institutions`: the institutions (社区康园中心, adult day care, boarding, sheltered
  workshops), their staff users, and the admission rule of each kind;
- `membership`: enrolments (入托) and the waiting list;
- `attendance`: the daily attendance of day-care members, its corrections, and the
  member-days the attendance rate is computed over.

A later concern (mental-health cases, watches, drills, boarding and home care) is a module
of its own beside these.
"""

from care.models.attendance import Attendance, AttendanceChange, MemberDay
from care.models.cases import (
    CareCase,
    CaseFollowUp,
    CloseReason,
    ContactKind,
    RiskInterval,
    RiskLevel,
    WatchDevice,
    WatchEnd,
    WatchIssue,
    WatchRule,
)
from care.models.institutions import (
    DAY_CARE_KINDS,
    WEEKDAYS,
    AdmissionRule,
    Institution,
    InstitutionKind,
)
from care.models.membership import Enrolment, LeaveReason, WaitingEntry
from care.models.places import (
    CheckItem,
    CheckSection,
    Drill,
    Placement,
    PlacementKind,
    ReopenCheck,
    ReopenCheckItem,
)

__all__ = [
    "DAY_CARE_KINDS",
    "WEEKDAYS",
    "AdmissionRule",
    "Attendance",
    "AttendanceChange",
    "CheckItem",
    "CheckSection",
    "Drill",
    "CareCase",
    "CaseFollowUp",
    "CloseReason",
    "ContactKind",
    "Enrolment",
    "Institution",
    "InstitutionKind",
    "LeaveReason",
    "MemberDay",
    "Placement",
    "PlacementKind",
    "ReopenCheck",
    "ReopenCheckItem",
    "RiskInterval",
    "RiskLevel",
    "WaitingEntry",
    "WatchDevice",
    "WatchEnd",
    "WatchIssue",
    "WatchRule",
]
