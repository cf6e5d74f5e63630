"""The WSGI entry point (gunicorn kbapp.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from kbapp.startup import load_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kbapp.settings")

application = load_application(get_wsgi_application)
