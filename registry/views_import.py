from django.http import HttpResponse


def import_start(request):
    return HttpResponse("todo")


import_template = import_status = import_rejected = import_start
