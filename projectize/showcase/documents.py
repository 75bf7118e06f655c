"""Award certificates (荣誉证书) as A4 PDF, laid out as Chinese official certificates are."""

from django.template.loader import render_to_string
from django.utils import timezone

from projectize.showcase.models import Award


def certificate_pdf(award: Award) -> bytes:
    from weasyprint import HTML  # heavy: imported only when a PDF is built

    showcase = award.nomination.showcase
    html = render_to_string(
        "showcase/certificate.html",
        {
            "award": award,
            "nomination": award.nomination,
            "showcase": showcase,
            "issued": timezone.localdate(showcase.published_at or award.created_at),
        },
    )
    return HTML(string=html).write_pdf()
