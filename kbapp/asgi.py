"""The ASGI entry point (for example uvicorn kbapp.asgi:application)."""

import os

from django.core.asgi import get_asgi_application

from kbapp.startup import load_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kbapp.settings")

application = load_application(get_asgi_application)
