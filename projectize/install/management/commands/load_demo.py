from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from projectize.core.models import Job
from projectize.orgs.selectors import town_exists

# Each app that has demo data defines `demo.load(stdout)`; they run in this order because later
# apps build on earlier ones (projects need organizations, claims need targets, ...).
DEMO_MODULES = [
    "projectize.orgs.demo",
    "projectize.reviews.demo",
    "projectize.projects.demo",
    "projectize.needs.demo",
    "projectize.programmes.demo",
    "projectize.claims.demo",
    "projectize.supervision.demo",
    "projectize.funds.demo",
    "projectize.showcase.demo",
]


class Command(BaseCommand):
    help = "Load the demo: Xinqiao Town, a second town and their district (illustrative names). Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any organization exists.")
        parser.add_argument(
            "--i-know-this-is-a-demo",
            action="store_true",
            dest="demo_confirmed",
            help="Load it although DEBUG is off: the demo's accounts all share a published password.",
        )

    def handle(self, *args: Any, if_empty: bool = False, demo_confirmed: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not demo_confirmed:
            raise CommandError(
                "DEBUG is off: this looks like a production installation, and the demo creates 76 accounts "
                "(admin included) with the published password demo-pass-2026. Set up a real town with "
                "`manage.py setup_town`; to load the demo anyway pass --i-know-this-is-a-demo, and remove "
                "its accounts later with `manage.py remove_demo`."
            )
        if if_empty and town_exists():
            self.stdout.write("Database already has data; demo not loaded.")
        else:
            last_job = Job.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            for name in DEMO_MODULES:
                with transaction.atomic():
                    import_module(name).load(self.stdout)
            # The demo's people have made-up addresses: the e-mails its story queued are never sent.
            Job.objects.filter(pk__gt=last_job, kind="email").delete()
            self.stdout.write(self.style.SUCCESS("Demo data loaded (names are illustrative)."))
        self.stdout.write(DEMO_LOGINS)


DEMO_LOGINS = """
Demo logins (password for all: demo-pass-2026) · 演示账号（密码均为 demo-pass-2026）
  admin      镇党委管理员 town admin (or mobile 13800000001)
  leader1    党委领导 committee leader
  expert1    评审专家 reviewer
  sec01      组织书记 secretary of 新桥居民区党总支
  staff01    组织联络员 organization staff of 新桥居民区党总支
  unit11     认领单位联系人 claiming-unit contact (区交警支队新桥中队党支部)
  finance    经费管理员 finance
  district   区委组织部工作人员 district staff (松江区委, above both towns)
  dleader    区委领导 district leader (reads every town)
  sjadmin    镇党委管理员 town admin of the second town (泗泾镇党委)
"""
