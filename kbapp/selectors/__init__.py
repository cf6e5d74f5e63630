"""Reads for the public site and the API, by subject: support counts, advice, facets,
symptom pages, threads and answers.

Every helper runs a fixed number of queries whatever the amount of data, so each public
page stays inside its query budget (see tests/test_views_budgets.py). The taxonomy is in
kbapp/taxonomy.py, pages and page numbers in kbapp/paging.py.
"""

from kbapp.selectors.advice import (
    AdviceLocation,
    AdviceRemedy,
    AdviceSource,
    advice_queryset,
    advice_support,
    attach_tags,
    cited_replies,
    related_advice,
)
from kbapp.selectors.drafting import advice_prefill
from kbapp.selectors.facets import advice_facets, answer_facets
from kbapp.selectors.support import RemedySupport, remedy_support
from kbapp.selectors.symptoms import (
    advice_about,
    places_with_content,
    red_flags_for,
    red_flags_in,
    threads_with_counts,
)
from kbapp.selectors.threads import ThreadPage, answer_replies, attach_claims, thread_page

__all__ = [
    "AdviceLocation",
    "AdviceRemedy",
    "AdviceSource",
    "RemedySupport",
    "ThreadPage",
    "advice_facets",
    "advice_prefill",
    "answer_facets",
    "advice_queryset",
    "advice_support",
    "answer_replies",
    "attach_claims",
    "attach_tags",
    "cited_replies",
    "places_with_content",
    "advice_about",
    "red_flags_for",
    "red_flags_in",
    "related_advice",
    "remedy_support",
    "thread_page",
    "threads_with_counts",
]
