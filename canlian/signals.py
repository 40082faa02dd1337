"""Signals between apps that do not depend on each other.

`records_changed` is sent inside the transaction of a write that changes figures that other
apps summarise: a payroll batch approved (its money is paid), a registry import, a person's
status event, a person record written or voided (`canlian.records`, once per transaction
and year). `source` says which kind of record changed ("registry", "payroll", or a record's
app such as "rehab"), `year` which year's figures. The `targets` app refreshes the indicators built on that source once
the transaction commits, and those of other sources that read the sender's model (`Indicator.reads`: the family-doctor
share reads the registry's persons); the sender knows nothing of indicators. A sender may name the 12-digit `areas`
of the rows it changed (the registry's person writes: the person's community, both after a move) without `days`: the
other sources' stocks over those rows are then recomputed in those towns only. Empty `days` say that no dated record
of the source changed (a person's 独居 flag, which no registry figure counts): only the readers are refreshed.
"""

from django.dispatch import Signal

records_changed = Signal()
