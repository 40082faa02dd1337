from django.http import HttpResponse


def import_start(request, pk=None):
    return HttpResponse("todo")


import_template = import_status = import_rejected = person_export = import_start
