from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers; touches no database, so it is also the speed ceiling."""
    return HttpResponse("ok", content_type="text/plain")
