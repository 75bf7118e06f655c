"""Excel import: template, preview of every row with its errors, all-or-nothing confirm."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import load_workbook

from projectize.core.models import ActivityLog, Job, JobStatus, Notification
from projectize.orgs.models import Organization
from tests.orgs.excel import confirm_import, import_file, job_from, run, xlsx

pytestmark = pytest.mark.django_db

GOOD_ROWS: list[list[object]] = [
    ["新桥第三居民区党支部", "居民区党组织", "社区党建服务中心党总支", "周卫东", "021-57680099", "示例路 3 号"],
    ["第三居民区第一党小组", "居民区党组织", "新桥第三居民区党支部", "", 13812345678, ""],
    ["新桥示例企业党支部", "enterprise_party", "新桥镇党委", "", "", ""],
]


def upload(client, file):
    return client.post("/orgs/import/", {"file": file})


def test_the_template_has_headers_and_an_example_row(town, as_user):
    response = as_user(town["admin"]).get("/orgs/import/template/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("名称", "类型", "上级组织（名称或路径）", "联系人", "联系电话", "地址")
    assert rows[1][1] == "居民区党组织" and rows[1][2].startswith("新桥镇党委/")


def test_the_upload_answers_before_the_file_is_read_and_the_worker_reads_it(town, as_user):
    client = as_user(town["admin"])
    job = job_from(upload(client, xlsx(GOOD_ROWS)))
    # The request only stored the file and queued the job: no row has been read yet.
    assert job.status == JobStatus.QUEUED and "rows" not in job.params and job.owner == town["admin"]
    page = client.get(job.get_absolute_url())
    assert "排队中" in page.text and 'hx-trigger="every 1s"' in page.text
    assert run(job).status == JobStatus.DONE and job.progress == 100
    assert len(job.params["rows"]) == 3 and "file" not in job.params  # the stored upload is deleted
    # The person may have left the page: a notification leads back to the job, the job list names it.
    assert Notification.objects.get(recipient=town["admin"]).url == job.get_absolute_url()
    assert job.title in client.get("/jobs/").text
    fragment = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert f'href="/orgs/import/{job.pk}/"' in fragment.text and "查看结果" in fragment.text
    # Another town admin's import does not exist for them.
    from projectize.orgs.models import Role
    from tests.factories import user_with_role

    colleague = as_user(user_with_role(Role.TOWN_ADMIN, town["root"], username="admin2"))
    assert colleague.get(f"/orgs/import/{job.pk}/").status_code == 404


def test_a_good_file_is_previewed_then_written_in_one_go(town, as_user):
    client = as_user(town["admin"])
    preview = import_file(client, xlsx(GOOD_ROWS))
    assert preview.context["error_count"] == 0
    assert [row.number for row in preview.context["rows"]] == [2, 3, 4]
    assert preview.context["rows"][1].parent_path == "新桥镇党委/社区党建服务中心党总支/新桥第三居民区党支部"
    assert Organization.objects.count() == 4  # nothing written by the preview
    done = confirm_import(client, preview)
    assert done.context["created"] == 3 and 'data-testid="confirm-import"' not in done.text
    third = Organization.objects.get(name="新桥第三居民区党支部")
    assert Organization.objects.get_parent(third) == town["branch"] and third.contact_name == "周卫东"
    group = Organization.objects.get(name="第三居民区第一党小组")
    assert Organization.objects.get_parent(group) == third and group.contact_phone == "13812345678"
    assert Organization.objects.get(name="新桥示例企业党支部").kind == "enterprise_party"
    assert ActivityLog.objects.filter(action="organization.create").count() == 3
    assert ActivityLog.objects.get(action="organization.import").sentence == "Excel 导入 3 个组织"
    # Confirming the same preview again writes nothing twice: the rows are checked again.
    again = confirm_import(client, preview)
    assert again.context["created"] is None and again.context["error_count"] == 3
    assert ActivityLog.objects.filter(action="organization.create").count() == 3


def test_a_bad_file_shows_every_row_with_its_errors_and_writes_nothing(town, as_user):
    client = as_user(town["admin"])
    rows: list[list[object]] = [
        GOOD_ROWS[0],
        ["", "居民区党组织", "新桥镇党委", "", "", ""],
        ["某党支部", "不存在的类型", "不存在的上级", "", "电话号码", ""],
        ["春申居民区党总支", "居民区党组织", "社区党建服务中心党总支", "", "", ""],
        ["重复党支部", "居民区党组织", "新桥镇党委", "", "", ""],
        ["重复党支部", "居民区党组织", "新桥镇党委", "", "", ""],
    ]
    preview = import_file(client, xlsx(rows))
    errors = {row.number: row.errors for row in preview.context["rows"]}
    assert errors[2] == []
    assert errors[3] == ["请填写名称。"]
    assert "类型“不存在的类型”无效" in errors[4][0]
    assert any("联系电话“电话号码”不是手机号码或固定电话" in e for e in errors[4])
    assert any("找不到上级组织“不存在的上级”" in e for e in errors[4])
    assert "下已有名为“春申居民区党总支”的组织" in errors[5][0]
    assert errors[6] == [] and "下已有名为“重复党支部”的组织" in errors[7][0]
    assert preview.context["error_count"] == 4
    page = preview.content.decode()
    assert page.count('data-testid="row-errors"') == 4 and 'data-testid="confirm-import"' not in page
    refused = client.post(preview.wsgi_request.path, {"confirm": "1"})
    assert refused.status_code == 200 and Job.objects.count() == 1  # no write job queued
    assert Organization.objects.count() == 4 and not ActivityLog.objects.exists()


def test_rows_are_checked_again_on_confirm(town, as_user):
    client = as_user(town["admin"])
    preview = import_file(client, xlsx(GOOD_ROWS[:1]))
    # Someone creates the same organization between preview and confirm.
    from tests.factories import make_org

    make_org(town["branch"], "新桥第三居民区党支部")
    response = confirm_import(client, preview)
    assert response.context["error_count"] == 1 and response.context["created"] is None
    assert Organization.objects.filter(name="新桥第三居民区党支部").count() == 1


def test_cancel_forgets_the_file(town, as_user):
    client = as_user(town["admin"])
    preview = import_file(client, xlsx(GOOD_ROWS))
    cancelled = client.post(preview.wsgi_request.path, {"cancel": "1"})
    assert cancelled["Location"] == "/orgs/import/"
    assert Organization.objects.count() == 4 and Job.objects.count() == 1


def test_a_parent_outside_the_admins_subtree_is_not_found(town, as_user):
    from projectize.orgs.models import Role
    from tests.factories import user_with_role

    branch_admin = user_with_role(Role.TOWN_ADMIN, town["xinqiao"])
    client = as_user(branch_admin)
    preview = import_file(client, xlsx([["新党支部", "居民区党组织", "春申居民区党总支", "", "", ""]]))
    errors = preview.context["rows"][0].errors
    assert "不在您的管理范围内" in errors[0]


def test_a_file_that_is_not_excel_by_content_is_refused_beside_the_field(town, as_user):
    client = as_user(town["admin"])
    fake = SimpleUploadedFile("组织.xlsx", b"name,kind\n\xe6\x96\xb0,x\n")
    response = upload(client, fake)
    assert response.status_code == 200
    assert "不是允许的格式" in response.context["form"].errors["file"][0]
    assert 'data-testid="error-file"' in response.content.decode()
    zipped = SimpleUploadedFile("组织.xlsx", b"PK\x03\x04" + b"[Content_Types].xml" + b"\x00" * 200)
    response = upload(client, zipped)
    assert "无法读取该文件" in response.context["form"].errors["file"][0]


@override_settings(UPLOAD_MAX_BYTES=1000)
def test_a_file_that_is_too_large_is_refused(town, as_user):
    response = upload(as_user(town["admin"]), xlsx(GOOD_ROWS))
    assert "太大" in response.context["form"].errors["file"][0]


def test_an_empty_sheet_is_refused_on_the_jobs_page(town, as_user):
    client = as_user(town["admin"])
    job = run(job_from(upload(client, xlsx([]))))
    assert job.status == JobStatus.FAILED and "没有数据行" in job.error
    assert "没有数据行" in client.get(job.get_absolute_url()).text


def test_only_town_admins_import(town, as_user):
    client = as_user(town["secretary"])
    assert client.get("/orgs/import/").status_code == 403
    assert client.get("/orgs/import/template/").status_code == 403
    assert upload(client, xlsx(GOOD_ROWS)).status_code == 403
