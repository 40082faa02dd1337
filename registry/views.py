from django.http import HttpResponse


def person_list(request):
    return HttpResponse("todo")


person_export = person_create = person_detail = person_edit = person_reveal = person_event = person_list
