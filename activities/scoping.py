"""Who sees an activity besides its organiser's area: the district's and the associations'
activities are the whole district's, so every user with an area sees them (each town brings
its own persons to them). A scope provider of `canlian.scoping`, registered in
`ActivitiesConfig.ready`; it grants nothing on any other model.

The participants are not the activity's: they are person records, scoped by the person's
community through the area provider, so seeing an activity never shows another town's
persons."""

from django.db.models import Q

from canlian.scoping import user_area_prefix


def district_wide_activities(user, model) -> Q | None:
    from activities.models import DISTRICT_WIDE, Activity

    if model is not Activity or user_area_prefix(user) is None:
        return None
    return Q(organiser__in=DISTRICT_WIDE)
