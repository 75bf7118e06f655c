"""Every write to organizations, people and role grants.

Each function checks the actor's right (a town admin over the organization's subtree), runs in a
transaction and writes the activity log with what changed.
"""

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import verify_token as otp_verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from projectize.core.activity import as_choice, as_phrase
from projectize.core.services import log_activity
from projectize.orgs.models import (
    ABOVE_TOWN_KINDS,
    COMMITTEE_KINDS,
    TOWN_KINDS,
    CommitteeProfile,
    Organization,
    OrgKind,
    PasswordRecord,
    Role,
    RoleGrant,
    User,
)
from projectize.orgs.permissions import ABOVE_TOWN_ROLES, OVERSEER_ROLES, forget_grants, has_role
from projectize.orgs.selectors import committees_run_by, full_path

# How an organization's state reads in the log.
IN_USE, ARCHIVED = gettext_lazy("在用"), gettext_lazy("已归档")

ORG_FIELDS = ("name", "kind", "secretary", "contact_name", "contact_phone", "address")
USER_FIELDS = ("username", "last_name", "first_name", "mobile", "email", "is_active")


def _require_admin(actor: User, organization: Organization) -> None:
    if not has_role(actor, [Role.TOWN_ADMIN], organization):
        raise PermissionDenied(_("您无权管理“%(org)s”。") % {"org": organization})


def _require_user_admin(actor: User, account: User) -> None:
    if not actor.has_perm("orgs.change_user", account):
        raise PermissionDenied(_("您无权管理用户“%(user)s”。") % {"user": account})


def _home(actor: User) -> Organization | None:
    """The committee an admin's changes to accounts are filed under in the activity log, so that the staff of
    that committee read them and another town's do not (a superuser's are filed under none)."""
    return None if actor.is_superuser else committees_run_by(actor).first()


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def _organization_snapshot(organization: Organization) -> dict[str, Any]:
    # The kind is logged by its code and shown by its label in the reader's language.
    return {**_snapshot(organization, ORG_FIELDS), "kind": as_choice(organization, "kind")}


def _changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in changed}, {key: after[key] for key in changed}


def _check_sibling_name(parent: Organization, name: str, exclude: Organization | None = None) -> None:
    siblings = Organization.objects.get_children(parent).filter(name=name)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    if siblings.exists():
        raise ValidationError(
            {"name": _("“%(parent)s”下已有名为“%(name)s”的组织。") % {"parent": parent, "name": name}}
        )


def _check_kind_place(parent: Organization | None, kind: str, field: str = "kind") -> None:
    """Committees stack in one order: a city above its districts, a district above its towns, a town above
    its own organizations. A committee inside a town would take part of the town away from it."""
    parent_kind = parent.kind if parent is not None else None
    if kind == OrgKind.CITY:
        allowed = parent is None
    elif kind == OrgKind.DISTRICT:
        allowed = parent_kind in (None, OrgKind.CITY)
    elif kind in TOWN_KINDS:
        allowed = parent_kind is None or parent_kind in ABOVE_TOWN_KINDS
    else:
        allowed = parent is not None
    if not allowed:
        message = (
            _("“%(kind)s”不能设在“%(parent)s”之下：市委、区委、镇（街道）党委须按层级从上到下设置。")
            % {"kind": OrgKind(kind).label, "parent": parent}
            if parent is not None
            else _("顶层组织须为党委（市委、区委或镇、街道党委）。")
        )
        raise ValidationError({field: message})


# Organizations --------------------------------------------------------------------------------


def organization_create(
    *,
    actor: User,
    parent: Organization,
    name: str,
    kind: str,
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
) -> Organization:
    _require_admin(actor, parent)
    if not parent.is_active:
        raise ValidationError(_("“%(org)s”已归档，不能在其下新建组织。") % {"org": parent})
    with transaction.atomic():
        locked_parent = Organization.objects.select_for_update().get(pk=parent.pk)
        _check_kind_place(locked_parent, kind)
        _check_sibling_name(locked_parent, name)
        organization: Organization = Organization.objects.add_child(
            locked_parent,
            {
                "name": name,
                "kind": kind,
                "contact_name": contact_name,
                "contact_phone": contact_phone,
                "address": address,
            },
        )
        log_activity(
            actor=actor,
            action="organization.create",
            target=organization,
            after={"parent": full_path(locked_parent), "name": name, "kind": OrgKind(kind)},
        )
    if kind in COMMITTEE_KINDS:
        forget_grants(actor)  # a new committee below the actor's own ends their reach as its admin
    return organization


def organization_update(
    *,
    actor: User,
    organization: Organization,
    name: str,
    kind: str,
    secretary: User | None,
    contact_name: str,
    contact_phone: str,
    address: str,
) -> Organization:
    _require_admin(actor, organization)
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        parent = Organization.objects.get_parent(locked)
        if parent is not None and name != locked.name:
            _check_sibling_name(parent, name, exclude=locked)
        if (kind in COMMITTEE_KINDS) != locked.is_committee:
            raise ValidationError({"kind": _("党委与普通组织之间不能互相改类型：它决定了下级组织归哪个党委管理。")})
        if kind != locked.kind:
            _check_kind_place(parent, kind)
        if secretary is not None and not locked.grants.filter(user=secretary, role=Role.SECRETARY).exists():
            raise ValidationError({"secretary": _("书记须先在本组织被授予“组织书记”角色。")})
        before = _organization_snapshot(locked)
        locked.name, locked.kind, locked.secretary = name, kind, secretary
        locked.contact_name, locked.contact_phone, locked.address = contact_name, contact_phone, address
        locked.save()
        old, new = _changes(before, _organization_snapshot(locked))
        if new:
            log_activity(
                actor=actor,
                action="organization.update",
                target=locked,
                before=old,
                after=new,
            )
    return locked


def organization_move(*, actor: User, organization: Organization, new_parent: Organization) -> Organization:
    """Move an organization with its whole subtree under another organization."""
    _require_admin(actor, organization)
    _require_admin(actor, new_parent)
    with transaction.atomic():
        node = Organization.objects.select_for_update().get(pk=organization.pk)
        target = Organization.objects.select_for_update().get(pk=new_parent.pk)
        if node.is_root():
            raise ValidationError({"new_parent": _("顶层组织不能移动。")})
        if target.path.startswith(node.path):
            raise ValidationError({"new_parent": _("不能移到本组织或其下级组织之下。")})
        old_parent = Organization.objects.get_parent(node)
        if old_parent is not None and old_parent.pk == target.pk:
            raise ValidationError({"new_parent": _("该组织已在“%(org)s”之下。") % {"org": target}})
        if not target.is_active:
            raise ValidationError({"new_parent": _("“%(org)s”已归档，不能移入。") % {"org": target}})
        _check_kind_place(target, node.kind, field="new_parent")
        _check_sibling_name(target, node.name)
        before = full_path(old_parent) if old_parent is not None else ""
        Organization.objects.move(node, target, "sorted-child")
        node.refresh_from_db()
        log_activity(
            actor=actor,
            action="organization.move",
            target=node,
            before={"parent": before},
            after={"parent": full_path(target)},
        )
    return node


def organization_set_active(*, actor: User, organization: Organization, active: bool) -> int:
    """Archive or restore an organization together with its subtree; returns how many changed.

    Role grants in an archived subtree stop giving rights (permissions skip inactive organizations).
    """
    _require_admin(actor, organization)
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        if locked.is_active == active:
            message = _("该组织已在使用中。") if active else _("该组织已归档。")
            raise ValidationError(message)
        parent = Organization.objects.get_parent(locked)
        if active and parent is not None and not parent.is_active:
            raise ValidationError(_("上级组织“%(org)s”已归档，请先恢复上级。") % {"org": parent})
        changed = Organization.objects.filter(path__startswith=locked.path, is_active=not active).update(
            is_active=active
        )
        log_activity(
            actor=actor,
            action="organization.restore" if active else "organization.archive",
            target=locked,
            params={"count": changed},
            before={"is_active": as_phrase(ARCHIVED if active else IN_USE)},
            after={"is_active": as_phrase(IN_USE if active else ARCHIVED)},
        )
    return changed


@dataclass
class NewOrganization:
    """One organization to create from an import row; the parent is either existing or an earlier row."""

    name: str
    kind: str
    parent: Organization | None
    parent_row: int | None
    contact_name: str = ""
    contact_phone: str = ""
    address: str = ""


def organizations_import(*, actor: User, rows: list[NewOrganization]) -> list[Organization]:
    """Create every row, or none: one transaction, rights checked for each parent."""
    created: list[Organization] = []
    with transaction.atomic():
        for row in rows:
            parent = created[row.parent_row] if row.parent_row is not None else row.parent
            assert parent is not None  # the import validated every row before calling here
            created.append(
                organization_create(
                    actor=actor,
                    parent=parent,
                    name=row.name,
                    kind=row.kind,
                    contact_name=row.contact_name,
                    contact_phone=row.contact_phone,
                    address=row.address,
                )
            )
        log_activity(actor=actor, action="organization.import", params={"count": len(created)})
    return created


# People and roles -----------------------------------------------------------------------------


def user_create(
    *,
    actor: User,
    username: str,
    last_name: str,
    first_name: str,
    password: str,
    mobile: str | None = None,
    email: str = "",
    is_active: bool = True,
) -> User:
    if not has_role(actor, [Role.TOWN_ADMIN]):
        raise PermissionDenied(_("只有镇党委管理员可以新建用户。"))
    account = User(username=username, last_name=last_name, first_name=first_name, mobile=mobile or None, email=email)
    account.is_active = is_active
    validate_password(password, account)
    account.set_password(password)
    with transaction.atomic():
        account.save()
        log_activity(
            actor=actor,
            action="user.create",
            organization=_home(actor),
            target=account,
            after={key: value for key, value in _snapshot(account, USER_FIELDS).items() if value not in (None, "")},
        )
    return account


def user_update(
    *,
    actor: User,
    account: User,
    username: str,
    last_name: str,
    first_name: str,
    mobile: str | None,
    email: str,
    is_active: bool,
) -> User:
    _require_user_admin(actor, account)
    if account.pk == actor.pk and not is_active:
        raise ValidationError({"is_active": _("不能停用自己的账号。")})
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=account.pk)
        before = _snapshot(locked, USER_FIELDS)
        locked.username, locked.last_name, locked.first_name = username, last_name, first_name
        locked.mobile, locked.email, locked.is_active = mobile or None, email, is_active
        locked.save()
        old, new = _changes(before, _snapshot(locked, USER_FIELDS))
        if new:
            log_activity(
                actor=actor, action="user.update", target=locked, organization=_home(actor), before=old, after=new
            )
    return locked


def user_set_password(*, actor: User, account: User, password: str) -> None:
    _require_user_admin(actor, account)
    validate_password(password, account)
    with transaction.atomic():
        account.set_password(password)
        account.save(update_fields=["password"])
        log_activity(actor=actor, action="user.set_password", target=account, organization=_home(actor))


def user_set_active(*, actor: User, account: User, active: bool) -> User:
    return user_update(
        actor=actor,
        account=account,
        username=account.username,
        last_name=account.last_name,
        first_name=account.first_name,
        mobile=account.mobile,
        email=account.email,
        is_active=active,
    )


def _check_role_place(role: str, organization: Organization) -> None:
    """District roles belong to committees above the towns, and only they may be granted there: a town's
    roles granted at a district would reach into every town below it."""
    above_town = organization.kind in ABOVE_TOWN_KINDS
    if role in OVERSEER_ROLES and not above_town:
        raise ValidationError({"role": _("“%(role)s”只能在区委或市委授予。") % {"role": Role(role).label}})
    if above_town and role not in ABOVE_TOWN_ROLES:
        allowed = "、".join(str(Role(value).label) for value in ABOVE_TOWN_ROLES)
        raise ValidationError(
            {"role": _("在区委或市委只能授予以下角色：%(roles)s。镇里的角色请在镇党委授予。") % {"roles": allowed}}
        )


def role_grant(*, actor: User, account: User, role: str, organization: Organization) -> RoleGrant:
    _require_admin(actor, organization)
    _require_user_admin(actor, account)
    _check_role_place(role, organization)
    with transaction.atomic():
        grant, created = RoleGrant.objects.get_or_create(user=account, role=role, organization=organization)
        if not created:
            raise ValidationError(_("该用户已在“%(org)s”担任此角色。") % {"org": organization})
        log_activity(
            actor=actor,
            action="role.grant",
            target=account,
            organization=organization,
            after={"role": Role(role), "organization": full_path(organization)},
        )
    return grant


def role_revoke(*, actor: User, grant: RoleGrant) -> None:
    _require_admin(actor, grant.organization)
    if grant.user_id == actor.pk and grant.role == Role.TOWN_ADMIN:
        raise ValidationError(_("不能撤销自己的管理员角色，请由其他管理员操作。"))
    with transaction.atomic():
        organization = grant.organization
        if organization.secretary_id == grant.user_id and grant.role == Role.SECRETARY:
            Organization.objects.filter(pk=organization.pk).update(secretary=None)
        grant.delete()
        log_activity(
            actor=actor,
            action="role.revoke",
            target=grant.user,
            organization=organization,
            before={"role": Role(grant.role), "organization": full_path(organization)},
        )


def password_record(*, user: User) -> None:
    """Remember the password just set (its hash), keeping only as many as the history setting needs.

    Called by Django whenever a password is saved, so every way of setting one is counted.
    """
    with transaction.atomic():
        PasswordRecord.objects.create(user=user, password=user.password)
        keep = max(settings.PASSWORD_HISTORY, 1)
        stale = user.password_records.values_list("pk", flat=True)[keep:]
        PasswordRecord.objects.filter(pk__in=list(stale)).delete()


def password_change(*, user: User, password: str) -> None:
    """A person changes their own password (already checked by the policy's validators)."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        log_activity(actor=user, action="user.change_password", target=user)


def totp_matches(device: TOTPDevice, token: str) -> bool:
    """Whether the code is the device's current one (or one step either side, for a slow typist)."""
    token = token.strip()
    if not token.isdigit():
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return bool(totp.verify(int(token), device.tolerance))


def totp_enable(*, user: User, key: str, token: str) -> TOTPDevice:
    """Turn on the second factor with the key the person's authenticator app scanned.

    The app must show a matching code first, so a key scanned wrongly cannot lock anyone out.
    Replaces an earlier authenticator. Raises ValidationError (key "token") on a wrong code.
    """
    device = TOTPDevice(user=user, key=key, name="TOTP", confirmed=True)
    if not totp_matches(device, token):
        raise ValidationError({"token": _("验证码不正确。请输入验证器里这个账号当前显示的 6 位数字。")})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device.save()
        log_activity(actor=user, action="user.totp_enable", target=user)
    return device


def user_totp_reset(*, actor: User, account: User) -> None:
    """A town admin takes away a person's authenticator (a lost phone); they set up a new one."""
    _require_user_admin(actor, account)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=account).delete()
        log_activity(actor=actor, action="user.totp_reset", target=account, organization=_home(actor))


def totp_verify(*, user: User, token: str) -> TOTPDevice:
    """Check the code of the person's authenticator at sign-in; a used code is not accepted twice.

    Raises ValidationError (key "token") on a wrong code, or when too many wrong ones came too fast.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            raise ValidationError({"token": _("错误次数过多，请稍等片刻再输入。")})
    verified = otp_verify_token(user, device.persistent_id, token.strip()) if device else None
    if verified is None:
        raise ValidationError({"token": _("验证码不正确或已过期，请输入验证器当前显示的 6 位数字。")})
    return verified


# A new installation ----------------------------------------------------------------------------


def first_admin_create(
    *, username: str, last_name: str, first_name: str, email: str = "", mobile: str | None = None
) -> tuple[User, str]:
    """The first administrator of a new installation and a one-time password, to be changed at the first
    sign-in. Nobody is there yet to act through `user_create`: the account is logged with no actor."""
    password = secrets.token_urlsafe(12) + "-Aa1"
    with transaction.atomic():
        admin = User(username=username, last_name=last_name, first_name=first_name, email=email, mobile=mobile or None)
        admin.set_password(password)
        admin.save()
        # Dated long ago, so the account policy asks for a new password at the first sign-in.
        admin.password_records.update(set_at=timezone.make_aware(datetime.datetime(2000, 1, 1)))
        log_activity(actor=None, action="user.create", target=admin)
    return admin, password


def town_create(*, name: str, address: str, admin: User) -> Organization:
    """A new town: its committee as the root of the tree, and `admin` its first town admin.

    The root and its first administrator have no one above them to act through the services: they are
    written here, logged with no actor, and everything after goes through the services as that admin."""
    with transaction.atomic():
        fields = {"name": name, "kind": OrgKind.COMMITTEE, "address": address}
        root: Organization = Organization.objects.add_root(fields)
        log_activity(actor=None, action="organization.create", target=root, after={"name": root.name})
        RoleGrant.objects.create(user=admin, role=Role.TOWN_ADMIN, organization=root)
        log_activity(actor=None, action="role.grant", target=admin, organization=root, after={"role": Role.TOWN_ADMIN})
    forget_grants(admin)  # so the admin acts with the new grant at once
    return root


def district_create(*, name: str, address: str, admin: User, above: list[Organization] | None = None) -> Organization:
    """A district committee as the new root, `admin` its first district staff member, and the towns
    `above` (roots until now) moved under it with their whole trees: a district above its towns is a new
    root, not a rewrite. Written with no actor, as `town_create` is."""
    with transaction.atomic():
        district: Organization = Organization.objects.add_root(
            {"name": name, "kind": OrgKind.DISTRICT, "address": address}
        )
        log_activity(actor=None, action="organization.create", target=district, after={"name": name})
        for town in above or []:
            node = Organization.objects.select_for_update().get(pk=town.pk)
            if not node.is_root() or node.kind not in TOWN_KINDS:
                raise ValidationError(_("只有作为顶层组织的镇（街道）党委可以移到区委之下：%(org)s") % {"org": node})
            Organization.objects.move(node, Organization.objects.get(pk=district.pk), "sorted-child")
            node.refresh_from_db()
            log_activity(actor=None, action="organization.move", target=node, after={"parent": full_path(district)})
        RoleGrant.objects.create(user=admin, role=Role.DISTRICT_STAFF, organization=district)
        log_activity(
            actor=None, action="role.grant", target=admin, organization=district, after={"role": Role.DISTRICT_STAFF}
        )
    forget_grants(admin)
    district.refresh_from_db()
    return district


def town_add(
    *,
    actor: User,
    district: Organization,
    name: str,
    admin: User,
    kind: str = OrgKind.COMMITTEE,
    address: str = "",
) -> Organization:
    """A new town committee under a district, created by the district's staff, with `admin` its first town
    admin. The district's staff do not act inside the town afterwards: its admin grant is written here and
    logged as theirs."""
    if district.kind not in ABOVE_TOWN_KINDS:
        raise ValidationError({"district": _("新的镇（街道）党委须建在区委或市委之下。")})
    if kind not in TOWN_KINDS:
        raise ValidationError({"kind": _("请选择镇党委或街道党工委。")})
    with transaction.atomic():
        town = organization_create(actor=actor, parent=district, name=name, kind=kind, address=address)
        RoleGrant.objects.create(user=admin, role=Role.TOWN_ADMIN, organization=town)
        log_activity(
            actor=actor,
            action="role.grant",
            target=admin,
            organization=town,
            after={"role": Role.TOWN_ADMIN, "organization": full_path(town)},
        )
    forget_grants(admin)
    return town


def account_create_with_one_time_password(
    *, actor: User, username: str, last_name: str, first_name: str, mobile: str | None = None, email: str = ""
) -> tuple[User, str]:
    """A new account with a one-time password, to be changed at its first sign-in (a town's first admin)."""
    password = secrets.token_urlsafe(12) + "-Aa1"
    with transaction.atomic():
        account = user_create(
            actor=actor,
            username=username,
            last_name=last_name,
            first_name=first_name,
            password=password,
            mobile=mobile,
            email=email,
        )
        # Dated long ago, so the account policy asks for a new password at the first sign-in.
        account.password_records.update(set_at=timezone.make_aware(datetime.datetime(2000, 1, 1)))
    return account, password


# What a committee shows of itself ---------------------------------------------------------------

PROFILE_FIELDS = ("slug", "brand_name", "brand_colour", "accent_colour", "code_prefix")


def committee_profile_save(
    *,
    actor: User,
    organization: Organization,
    slug: str,
    brand_name: str = "",
    brand_colour: str = "",
    accent_colour: str = "",
    code_prefix: str = "",
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
) -> CommitteeProfile:
    """Set a committee's public brand (with a new logo, or none) and its project-number prefix. Its own admins
    set it (for a district, its staff); a town's profile is first set by the district's staff as they create
    the town (`install.services.town_onboard`)."""
    _require_admin(actor, organization)
    return _profile_write(
        actor=actor,
        organization=organization,
        values={
            "slug": slug,
            "brand_name": brand_name,
            "brand_colour": brand_colour,
            "accent_colour": accent_colour,
            "code_prefix": code_prefix,
        },
        logo=logo,
        remove_logo=remove_logo,
    )


def town_profile_create(*, actor: User, town: Organization, **values: str) -> CommitteeProfile:
    """The first profile of a town just created by `actor` (its district's staff, who checked the town's
    place when creating it): `committee_profile_save` afterwards, by the town's own admins."""
    parent = Organization.objects.get_parent(town)
    if parent is None or not has_role(actor, [Role.TOWN_ADMIN], parent) or hasattr(town, "profile"):
        raise PermissionDenied(_("您无权管理“%(org)s”。") % {"org": town})
    return _profile_write(actor=actor, organization=town, values=values)


def _profile_write(
    *,
    actor: User,
    organization: Organization,
    values: dict[str, str],
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
) -> CommitteeProfile:
    if not organization.is_committee:
        raise ValidationError(_("只有党委才有网址标识和品牌。"))
    with transaction.atomic():
        profile = CommitteeProfile.objects.select_for_update().filter(organization=organization).first()
        created = profile is None
        profile = profile or CommitteeProfile(organization=organization)
        before = _profile_snapshot(profile)
        for name, value in values.items():
            if name not in PROFILE_FIELDS:
                raise TypeError(name)
            if value or name not in ("brand_colour", "accent_colour"):
                setattr(profile, name, value.strip())
        if logo is not None or remove_logo:
            replaced = profile.logo.name
            profile.logo = logo or ""
            if replaced:
                # The old file goes once the new profile is saved for good.
                transaction.on_commit(lambda: profile.logo.storage.delete(replaced))
        profile.full_clean()
        profile.save()
        old, new = _changes({} if created else before, _profile_snapshot(profile))
        if new:
            log_activity(actor=actor, action="organization.update", target=profile, before=old, after=new)
    return profile


def _profile_snapshot(profile: CommitteeProfile) -> dict[str, str]:
    return {**{name: getattr(profile, name) for name in PROFILE_FIELDS}, "logo": profile.logo.name or ""}
