from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from projectize.core.forms import StyledForm
from projectize.orgs.imports import check_upload
from projectize.orgs.models import Organization, OrgKind, code_prefix_validator, mobile_validator
from projectize.orgs.selectors import mobile_taken, username_taken


class TownForm(StyledForm):
    name = forms.CharField(
        label=gettext_lazy("镇党委名称"), max_length=100, help_text=gettext_lazy("例如：新桥镇党委。它是组织树的根。")
    )
    address = forms.CharField(label=gettext_lazy("地址"), max_length=200, required=False)


class NewTownForm(StyledForm):
    """A new town under a district: its committee, its brand, its first admin and its organizations file."""

    district = forms.ModelChoiceField(
        label=gettext_lazy("所属区委"), queryset=Organization.objects.none(), empty_label=None
    )
    name = forms.CharField(
        label=gettext_lazy("镇（街道）党委名称"), max_length=100, help_text=gettext_lazy("例如：泖港镇党委。")
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("类型"),
        choices=[
            (OrgKind.COMMITTEE.value, OrgKind.COMMITTEE.label),
            (OrgKind.SUBDISTRICT.value, OrgKind.SUBDISTRICT.label),
        ],
    )
    address = forms.CharField(label=gettext_lazy("地址"), max_length=200, required=False)
    slug = forms.SlugField(
        label=gettext_lazy("网址标识"),
        max_length=40,
        help_text=gettext_lazy("小写字母、数字或连字符，公开网站用它区分各镇，例如 maogang。"),
    )
    brand_name = forms.CharField(
        label=gettext_lazy("品牌名称"),
        max_length=50,
        required=False,
        help_text=gettext_lazy("本镇区域化党建品牌，例如“家新桥”，以后可改。"),
    )
    code_prefix = forms.CharField(
        label=gettext_lazy("项目编号前缀"),
        max_length=6,
        validators=[code_prefix_validator],
        help_text=gettext_lazy("1 到 6 个大写字母，写在本镇项目编号之前，例如 MG-2026-CX-001。"),
    )
    admin_username = forms.CharField(
        label=gettext_lazy("管理员用户名"),
        max_length=150,
        help_text=gettext_lazy("本镇第一位镇党委管理员的登录名；系统生成一次性密码，首次登录时须改。"),
    )
    admin_last_name = forms.CharField(label=gettext_lazy("管理员姓"), max_length=150)
    admin_first_name = forms.CharField(label=gettext_lazy("管理员名"), max_length=150)
    admin_mobile = forms.CharField(
        label=gettext_lazy("管理员手机号码"), max_length=11, required=False, validators=[mobile_validator]
    )
    organizations = forms.FileField(
        label=gettext_lazy("组织 Excel 文件"),
        required=False,
        help_text=gettext_lazy(
            "可选。用“组织与用户 → Excel 导入”的模板填写本镇的各级组织；有错误的行会逐行列出，镇不会建立。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args: Any, districts: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = districts

    def clean_admin_username(self) -> str:
        username: str = self.cleaned_data["admin_username"].strip()
        if username_taken(username):
            raise forms.ValidationError(gettext_lazy("该用户名已被使用。"))
        return username

    def clean_admin_mobile(self) -> str | None:
        mobile: str = self.cleaned_data["admin_mobile"].strip()
        if mobile and mobile_taken(mobile):
            raise forms.ValidationError(gettext_lazy("该手机号码已被其他账号使用。"))
        return mobile or None

    def clean_code_prefix(self) -> str:
        return str(self.cleaned_data["code_prefix"]).strip().upper()

    def clean_organizations(self) -> Any:
        upload = self.cleaned_data["organizations"]
        if upload:
            check_upload(upload)
        return upload
