"""The public site: browse by where it hurts, read advice, answers and threads."""

from kbapp.views.public.advice import advice_detail, advice_list
from kbapp.views.public.answers import answer_list
from kbapp.views.public.check import api_check, check
from kbapp.views.public.feedback import advice_vote
from kbapp.views.public.home import home
from kbapp.views.public.site import favicon, not_found, robots_txt, server_error
from kbapp.views.public.symptoms import symptom_detail
from kbapp.views.public.threads import thread_detail

__all__ = [
    "advice_detail",
    "advice_list",
    "advice_vote",
    "answer_list",
    "api_check",
    "check",
    "favicon",
    "home",
    "not_found",
    "robots_txt",
    "server_error",
    "symptom_detail",
    "thread_detail",
]
