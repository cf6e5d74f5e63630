"""The editors' workplace: threads, replies, evidence and advice, curated in the admin.

Every write goes through kbapp.services.curation; these modules only register the
model admins and their views.
"""

from kbapp.admin import advice, evidence, importing, replies, taxonomy, threads

__all__ = ["advice", "evidence", "importing", "replies", "taxonomy", "threads"]
