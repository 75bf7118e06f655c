import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from projectize.api.models import ApiRequest, WebhookDelivery


class Command(BaseCommand):
    help = (
        "Delete the record of token uses and webhook deliveries older than --days (default 180; run daily from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=180)

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        cutoff = timezone.now() - datetime.timedelta(days=max(days, 1))
        uses, _ = ApiRequest.objects.filter(at__lt=cutoff).delete()
        deliveries, _ = WebhookDelivery.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(f"{uses} token uses and {deliveries} deliveries older than {days} days deleted")
