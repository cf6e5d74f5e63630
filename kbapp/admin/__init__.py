"""The editors' workplace: threads, replies, evidence and advice, curated in the admin.

Every write goes through kbapp.services.curation; these modules only register the
model admins and their views.
"""

from django.contrib import admin

from kbapp.admin import advice, evidence, feedback, importing, replies, taxonomy, threads

admin.site.site_header = "Runners' aches and pains · editors"
admin.site.site_title = "Runners' aches and pains"
admin.site.index_title = "Editors' dashboard"

__all__ = ["advice", "evidence", "feedback", "importing", "replies", "taxonomy", "threads"]
