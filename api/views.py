"""The user's own API tokens: listed, created (the secret shown once) and revoked."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from api import services
from api.forms import TokenForm
from canlian.errors import error_text


def token_list(request):
    form = TokenForm(request.POST or None)
    secret, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token, secret = services.token_create(
                    user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
                )
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                form = TokenForm()
        if form.errors:
            status = 400
    context = {"form": form, "secret": secret, "tokens": services.tokens_of(request.user)}
    response = render(request, "api/token_list.html", context, status=status)
    # The page that shows a secret must not be kept by the browser or a proxy.
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke(request, pk: int):
    token = services.token_revoke(user=request.user, token_id=pk)
    messages.success(request, f"已撤销令牌“{token.name}”")
    return redirect("api_tokens:list")


@csrf_exempt
def api_not_found(request, rest: str = ""):
    """An address under /api/ that no route has: JSON like the API's other refusals, for
    any method (no CSRF check: there is nothing to protect, and a refused POST would answer
    the CSRF page's HTML)."""
    from django.http import JsonResponse

    return JsonResponse(
        {"code": "not_found", "message": "没有这个接口地址，请查看接口文档 /api/docs"},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
