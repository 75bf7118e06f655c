from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from projectize.claims.urls import public_urlpatterns as claims_public
from projectize.core import views as core_views
from projectize.needs.urls import public_urlpatterns as needs_public
from projectize.orgs.sites import TOWN_NAMESPACE
from projectize.programmes.urls import public_urlpatterns as programmes_public

# A committee's own public site, /t/<slug>/: the residents' pages, showing that town's (or district's) alone.
# TownSiteMiddleware takes the slug out before the views; links stay inside with {% town_url %}.
town_site = [
    path("", include("projectize.portal.urls")),
    path("needs/", include((needs_public, "needs"))),
    path("programmes/", include((programmes_public, "programmes"))),
    path("programmes/", include((claims_public, "claims"))),
]

urlpatterns = [
    # Django's set_language, which also remembers a signed-in person's choice for their e-mails.
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("accounts/", include("projectize.orgs.auth_urls")),
    path("orgs/setup/", include("projectize.install.urls")),
    path("orgs/", include("projectize.orgs.urls")),
    path("reviews/", include("projectize.reviews.urls")),
    path("projects/", include("projectize.projects.urls")),
    path("needs/", include("projectize.needs.urls")),
    path("programmes/", include("projectize.programmes.urls")),
    path("claims/", include("projectize.claims.urls")),
    path("supervision/", include("projectize.supervision.urls")),
    path("funds/", include("projectize.funds.urls")),
    path("showcase/", include("projectize.showcase.urls")),
    path("reports/", include("projectize.reports.urls")),
    path("public/", include("projectize.portal.urls")),
    path("t/<slug:town>/", include((town_site, TOWN_NAMESPACE))),
    path("api/v1/", include("projectize.api.urls")),
    path("integrations/", include("projectize.api.staff_urls")),
    path("", include("projectize.core.urls")),
]

# Shown with DEBUG off; the 500 handler answers 503 when the database cannot be reached.
handler500 = "projectize.core.errors.server_error"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
