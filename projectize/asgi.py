import os

from django.core.asgi import get_asgi_application

from projectize.core.checks import refuse_insecure_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projectize.settings")
application = get_asgi_application()
# With DEBUG off a server never starts on the development secret key.
refuse_insecure_start()
