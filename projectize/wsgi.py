import os

from django.core.wsgi import get_wsgi_application

from projectize.core.checks import refuse_insecure_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projectize.settings")
application = get_wsgi_application()
# With DEBUG off a server never starts on the development secret key.
refuse_insecure_start()
