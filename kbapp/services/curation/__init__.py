"""Every write editors make: tags, hiding, evidence, reply structure, the advice workflow.

Keyword-only arguments, one transaction each. Thread and AdviceEntry carry a `version`:
a save from a form claims it with ``UPDATE ... WHERE version = n``, so the second of two
editors who started from the same version is refused instead of silently overwriting
the first. Writes that do not come from a form (bulk actions, buttons) still bump it,
so a form opened before them is refused too.
"""

from kbapp.services.curation.advice import (
    create_advice_from_replies,
    freeze_sources,
    publish,
    revert_advice,
    save_advice,
    set_status,
    submit_for_review,
)
from kbapp.services.curation.common import (
    ConcurrentEdit,
    CurationError,
    bump_threads,
    can_publish,
    claim_version,
    concurrent_edit_message,
    last_change,
    save_versioned,
)
from kbapp.services.curation.rules import (
    NotPublishable,
    Problem,
    check_publishable,
    default_review_due,
    publishing_problems,
)
from kbapp.services.curation.structure import merge_into_previous, paragraphs, split_reply
from kbapp.services.curation.threads import (
    Confirmed,
    Picked,
    add_tags,
    confirm_evidence,
    confirm_suggestions,
    quote_in_text,
    record_evidence,
    save_evidence,
    save_reply,
    save_reply_evidence,
    save_thread,
    save_thread_rows,
    set_hidden,
)

__all__ = [
    "Confirmed",
    "Picked",
    "ConcurrentEdit",
    "CurationError",
    "NotPublishable",
    "Problem",
    "add_tags",
    "check_publishable",
    "default_review_due",
    "publishing_problems",
    "save_evidence",
    "save_reply",
    "save_reply_evidence",
    "save_versioned",
    "bump_threads",
    "can_publish",
    "claim_version",
    "concurrent_edit_message",
    "confirm_evidence",
    "confirm_suggestions",
    "create_advice_from_replies",
    "freeze_sources",
    "last_change",
    "merge_into_previous",
    "paragraphs",
    "publish",
    "quote_in_text",
    "record_evidence",
    "revert_advice",
    "save_advice",
    "save_thread",
    "save_thread_rows",
    "set_hidden",
    "set_status",
    "split_reply",
    "submit_for_review",
]
