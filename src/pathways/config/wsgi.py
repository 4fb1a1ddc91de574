"""WSGI entry point (gunicorn pathways.config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathways.config.settings")
application = get_wsgi_application()
