from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from projectize.core.files import IMAGE_KINDS, validate_upload
from projectize.core.forms import StyledForm, StyledFormMixin, StyledModelForm
from projectize.orgs.imports import check_upload
from projectize.orgs.models import CommitteeProfile, Organization, OrgKind, Role, User
from projectize.orgs.permissions import grant_paths, scope_q
from projectize.orgs.selectors import PATH_SEPARATOR, find_by_name_or_path


class OrganizationField(forms.CharField):
    """An organization typed by name or full path; at 100,000 organizations a drop-down cannot list them."""

    def __init__(self, *args: Any, queryset: QuerySet[Organization] | None = None, **kwargs: Any) -> None:
        self.queryset = queryset if queryset is not None else Organization.objects.none()
        kwargs.setdefault("max_length", 1000)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(
            {
                "list": "org-suggestions",
                "autocomplete": "off",
                "hx-get": reverse_lazy("orgs:suggest"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#org-suggestions",
            }
        )

    def clean(self, value: Any) -> Organization | None:
        text = super().clean(value)
        if not text:
            return None
        found = find_by_name_or_path(text, self.queryset)
        if not found:
            raise forms.ValidationError(_("找不到“%(name)s”，或它不在您可选的范围内。"), params={"name": text})
        if len(found) > 1:
            raise forms.ValidationError(_("有多个组织叫“%(name)s”，请从提示中选择完整路径。"), params={"name": text})
        return found[0]


class _OfferedOrganizations(ModelChoiceIterator):
    def __init__(self, field: "SubtreeFilterField") -> None:
        super().__init__(field)
        self.queryset = field.offered


class SubtreeFilterField(forms.ModelChoiceField):
    """Narrows a list to an organization and everything below it.

    Any organization within the user's scope is accepted (dashboards link to lists with its id), but the
    drop-down offers only the user's top organizations, the level below them and the one chosen: a
    city's 100,000 names cannot be listed in a page.
    """

    def __init__(self, *, user: User, roles: Iterable[str], chosen: Any = None, **kwargs: Any) -> None:
        in_scope = Organization.objects.filter(scope_q(user, roles, field="")).order_by("path")
        top_depth = min((len(path) // Organization.steplen for path in grant_paths(user, roles)), default=1)
        nearby = Q(depth__lte=top_depth + 1)
        if str(chosen or "").isdigit():
            nearby |= Q(pk=chosen)
        self.offered = in_scope.filter(nearby)
        kwargs.setdefault("label", _("组织（含下级）"))
        kwargs.setdefault("empty_label", _("全部组织"))
        kwargs.setdefault("error_messages", {"invalid_choice": _("没有这个组织，或它不在您可查看的范围内。")})
        super().__init__(queryset=in_scope, required=False, **kwargs)
        # Forms add it after their widgets were styled: it brings its own class.
        self.widget.attrs["class"] = "form-select"

    iterator = _OfferedOrganizations

    def label_from_instance(self, obj: Organization) -> str:
        # Ideographic spaces indent units under their branch; the browser keeps them where it collapses others.
        return "\u3000" * (obj.depth - 1) + obj.name


def _no_separator(name: str) -> None:
    if PATH_SEPARATOR in name:
        raise forms.ValidationError(_("名称中不能含有“/”。"))


class OrganizationForm(StyledModelForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "secretary", "contact_name", "contact_phone", "address"]
        help_texts = {
            "name": _("全称，例如“新桥居民区党总支”。同一上级下不能重名。"),
            "kind": _("党组织按所在领域选择；不是党组织的企业、社会组织选“企业”或“社会组织”。"),
            "secretary": _("只能从本组织的“组织书记”中选择；请先在“用户”中授予角色。"),
            "contact_phone": _("座机或手机，例如 021-57680000。"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].validators.append(_no_separator)
        if self.instance.pk is None:
            del self.fields["secretary"]
        else:
            secretary = self.fields["secretary"]
            assert isinstance(secretary, forms.ModelChoiceField)
            secretary.queryset = User.objects.filter(
                grants__organization=self.instance, grants__role=Role.SECRETARY
            ).distinct()


class MoveForm(StyledForm):
    new_parent = OrganizationField(
        label=_("新的上级组织"),
        help_text=_("输入名称后从提示中选择；重名时请用完整路径，例如“新桥镇党委/社区党建服务中心党总支”。"),
    )

    def __init__(self, *args: Any, queryset: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["new_parent"]
        assert isinstance(field, OrganizationField)
        field.queryset = queryset


class OrganizationFilterForm(StyledForm):
    ACTIVE_CHOICES = [("", _("全部")), ("1", _("在用")), ("0", _("已归档"))]

    name = forms.CharField(label=_("名称"), required=False)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *OrgKind.choices])
    active = forms.ChoiceField(label=_("状态"), required=False, choices=ACTIVE_CHOICES)
    subtree = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def active_value(self) -> bool | None:
        value = self.cleaned_data.get("active") if self.is_valid() else ""
        return None if value in ("", None) else value == "1"


class ImportForm(StyledForm):
    file = forms.FileField(
        label=_("Excel 文件"),
        help_text=_("请用下载的模板填写，.xlsx 格式，每行一个组织。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload


class UserForm(StyledModelForm):
    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "mobile", "email", "is_active"]
        labels = {"last_name": _("姓"), "first_name": _("名")}
        help_texts = {
            "username": _("登录用，字母、数字或 @ . + - _，不超过 150 个字符。"),
            "mobile": _("11 位手机号，也可用它登录。"),
            "is_active": _("停用后该用户不能登录，角色保留。"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["last_name"].required = True
        self.fields["first_name"].required = True


def _password_field(label: Any) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False)


def _matching_password(form: forms.BaseForm) -> str:
    first, second = form.cleaned_data.get("password1"), form.cleaned_data.get("password2")
    if first and second and first != second:
        raise forms.ValidationError(_("两次输入的密码不一致。"))
    return second or ""


class NewUserForm(UserForm):
    password1 = _password_field(_("初始密码"))
    password2 = _password_field(_("再次输入密码"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_validators_help_text_html()

    def clean_password2(self) -> str:
        return _matching_password(self)


class SetPasswordForm(StyledForm):
    password1 = _password_field(_("新密码"))
    password2 = _password_field(_("再次输入新密码"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_validators_help_text_html()

    def clean_password2(self) -> str:
        return _matching_password(self)


class GrantForm(StyledForm):
    role = forms.ChoiceField(label=_("角色"), choices=[("", _("请选择角色")), *Role.choices])
    organization = OrganizationField(
        label=_("组织"),
        help_text=_("角色对该组织及其全部下级组织有效。输入名称后从提示中选择。"),
    )

    def __init__(self, *args: Any, queryset: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, OrganizationField)
        field.queryset = queryset


class PasswordChangeForm(StyledFormMixin, auth_forms.PasswordChangeForm):
    """Changing one's own password; a rule it breaks is shown beside the new password, under the rules."""

    def clean(self) -> dict[str, Any]:
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return self.cleaned_data


class TokenForm(StyledForm):
    token = forms.CharField(
        label=_("验证码"),
        max_length=8,
        help_text=_("打开手机上的验证器应用，输入这个账号当前显示的 6 位数字。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )


class CommitteeProfileForm(StyledModelForm):
    """A committee's public site and brand: its address, name, colours, logo, and its project numbers' prefix."""

    class Meta:
        model = CommitteeProfile
        fields = ["slug", "brand_name", "brand_colour", "accent_colour", "logo", "code_prefix"]
        widgets = {
            "brand_colour": forms.TextInput(attrs={"type": "color"}),
            "accent_colour": forms.TextInput(attrs={"type": "color"}),
            # The current logo is shown from the public site (uploads are not served as such).
            "logo": forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
        }
        help_texts = {
            "brand_colour": _("公开网站页头和按钮的颜色。"),
            "accent_colour": _("公开网站浅色底纹的颜色。"),
            "logo": _("JPEG 或 PNG，显示在公开网站页头，建议为正方形。不上传时显示品牌名称的第一个字。"),
        }

    remove_logo = forms.BooleanField(label=_("去掉现有标志"), required=False)
    field_order = ["slug", "brand_name", "brand_colour", "accent_colour", "logo", "remove_logo", "code_prefix"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.logo:
            del self.fields["remove_logo"]

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            validate_upload(logo, IMAGE_KINDS)
        return logo
