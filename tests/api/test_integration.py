"""The issue's done-when: a token made on the staff page submits a need through the API; staff see it on their
list with its log entry; a workflow step is taken through the API; the integration's webhook receives the
signed event."""

import hashlib
import hmac
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from projectize.api.models import ApiRequest, DeliveryResult, WebhookDelivery
from projectize.core.jobs import jobs_run_pending
from projectize.core.models import ActivityLog
from projectize.needs.models import Need, NeedStatus
from tests.api.conftest import token_client
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


class Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver():
    Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hooks/projectize"
    server.shutdown()
    server.server_close()


def test_a_token_submits_a_need_takes_a_step_and_the_webhook_is_signed(client, admin, town, category, receiver):
    client.login(username="admin", password=PASSWORD)

    # Staff make a read-write token on the page; the key is shown once.
    page = client.post(
        "/integrations/tokens/", {"name": "区网格化管理平台", "organization": town.pk, "can_write": "on"}, follow=True
    )
    key = _find(r"pz_[0-9a-f]{8}_[\w-]+", page.content.decode())
    token_page = client.get("/integrations/tokens/")
    assert key not in token_page.content.decode()
    token_url = _find(r'href="(/integrations/tokens/\d+/)"', token_page.content.decode(), 1)

    # ... and subscribe it to new needs; the secret is shown once, as a message.
    answer = client.post(token_url, {"url": receiver, "events": ["need.received"]}, follow=True)
    secret = _find(r"[0-9a-f]{64}", answer.content.decode())

    api = token_client(key)
    created = api.post(
        "/api/v1/needs/",
        {
            "organization": town.pk,
            "title": "网格员上报：路灯不亮",
            "description": "春申路口路灯连续三晚不亮。",
            "category": category.pk,
            "channel": "grassroots",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    need = Need.objects.get(pk=created.json()["id"])
    assert need.channel == "grassroots" and need.reported_by == admin

    # The staff's list shows it, and the log has its entry, by the token's account.
    assert "网格员上报：路灯不亮" in client.get("/needs/").content.decode()
    entry = ActivityLog.objects.get(action="need.create", target_id=str(need.pk))
    assert entry.actor == admin
    log_page = client.get("/activity/?action=need.create").content.decode()
    assert "网格员上报：路灯不亮" in log_page

    # A workflow step, through the same table as the page's button.
    stepped = api.post(f"/api/v1/workflow/needs.need/{need.pk}/accept/", {"note": ""}, format="json")
    assert stepped.status_code == 200, stepped.content
    need.refresh_from_db()
    assert need.status == NeedStatus.ACCEPTED
    assert ActivityLog.objects.filter(action="need.accept", target_id=str(need.pk), actor=admin).exists()

    # Every use of the token is logged.
    assert list(ApiRequest.objects.order_by("id").values_list("method", "status")) == [("POST", 201), ("POST", 200)]

    # The background worker sends the signed event.
    assert jobs_run_pending() >= 1
    ((headers, body),) = Receiver.received
    timestamp = _find(r"t=(\d+),", headers["X-Projectize-Signature"], 1)
    signature = _find(r"v1=([0-9a-f]{64})$", headers["X-Projectize-Signature"], 1)
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(signature, expected)
    event = json.loads(body)
    assert event["event"] == "need.received" and event["object"] == {
        "type": "needs.need",
        "id": need.pk,
        "status": "received",
        "url": f"/api/v1/needs/{need.pk}/",
    }
    assert "submitter_mobile" not in body.decode()
    delivery = WebhookDelivery.objects.get()
    assert delivery.result == DeliveryResult.DELIVERED and delivery.response_status == 204
    # The staff's delivery list shows the result.
    assert "已送达" in client.get("/integrations/deliveries/").content.decode()


def _find(pattern: str, text: str, group: int = 0) -> str:
    found = re.search(pattern, text)
    assert found is not None, pattern
    return found.group(group)
