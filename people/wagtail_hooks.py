"""Admin wiring for people: community centres, cohorts and artisans (Wagtail viewsets).

Admins manage everything. A facilitator sees only the artisans of her own
cohorts and may add them, correct their details, set or reset their PINs and
unlock them; she cannot delete them or touch centres and cohorts. Editors
(course content) see none of it. The rule lives in ``ArtisanPermissionPolicy``
and ``people.roles``; the views below only apply it.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton, ListingButton
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import admin_views
from .forms import ARTISAN_FIELDS, ArtisanForm, CohortForm
from .models import ArtisanProfile, Cohort, CommunityCentre
from .permissions import can_manage_artisan, managed_cohorts
from .roles import is_facilitator
from .services import artisan_create

FACILITATOR_ACTIONS = frozenset({"add", "change", "view"})


class ArtisanPermissionPolicy(ModelPermissionPolicy):
    """Model permissions for admins; for facilitators, add/change/view limited to their own cohorts."""

    def user_has_permission(self, user, action):
        if super().user_has_permission(user, action):
            return True
        return action in FACILITATOR_ACTIONS and is_facilitator(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if super().user_has_permission(user, action):
            return True
        return action in FACILITATOR_ACTIONS and can_manage_artisan(user, instance)

    def instances_user_has_permission_for(self, user, action):
        if super().user_has_permission(user, action):
            return self.model._default_manager.all()
        if action in FACILITATOR_ACTIONS and is_facilitator(user):
            return self.model._default_manager.filter(cohort__in=managed_cohorts(user))
        return self.model._default_manager.none()


register_permission_policy(ArtisanProfile, ArtisanPermissionPolicy(ArtisanProfile), exact_class=True)


def _managed_artisans(request):
    return ArtisanPermissionPolicy(ArtisanProfile).instances_user_has_permission_for(request.user, "change")


def _managed_cohorts(request):
    return managed_cohorts(request.user) if request is not None else Cohort.objects.none()


class ArtisanFilterSet(WagtailFilterSet):
    cohort = django_filters.ModelChoiceFilter(label=_("cohort"), queryset=_managed_cohorts)

    class Meta:
        model = ArtisanProfile
        fields = ["cohort"]


def pin_state(profile: ArtisanProfile) -> str:
    """What a facilitator needs to know at a glance: no PIN yet, locked until when, or fine."""
    try:
        credential = profile.user.pin
    except ObjectDoesNotExist:
        credential = None
    if credential is None or not credential.pin_hash:
        return str(_("No PIN yet"))
    if credential.held:
        return ngettext(
            "Waits for you to unlock it · %(n)d wrong PIN",
            "Waits for you to unlock it · %(n)d wrong PINs",
            credential.wrong_since_unlock,
        ) % {"n": credential.wrong_since_unlock}
    if credential.locked_until and credential.locked_until > timezone.now():
        when = timezone.localtime(credential.locked_until).strftime("%H:%M")
        return str(_("Locked until %(time)s")) % {"time": when}
    return str(_("PIN set"))


class ScopedToManagedArtisans:
    """Edit/history/usage/delete views: an artisan outside the user's cohorts is forbidden (403)."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not can_manage_artisan(self.request.user, obj):
            raise PermissionDenied
        return obj


class ArtisanIndexView(generic.IndexView):
    def get_base_queryset(self):
        return _managed_artisans(self.request).select_related("user__pin", "cohort__centre")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            ListingButton(
                _("Set PIN"), reverse("people_artisans:pin", args=[instance.pk]), icon_name="key", priority=15
            )
        )
        buttons.append(
            ListingButton(
                _("Unlock"), reverse("people_artisans:unlock", args=[instance.pk]), icon_name="lock-open", priority=16
            )
        )
        return buttons


class ArtisanCreateView(generic.CreateView):
    def save_instance(self):
        """Through the service: it creates her user (no password; she signs in with a PIN) and her profile."""
        instance = artisan_create(**{name: self.form.cleaned_data[name] for name in ARTISAN_FIELDS})
        log(instance=instance, action="wagtail.create", user=self.request.user, content_changed=True)
        return instance


class ArtisanEditView(ScopedToManagedArtisans, generic.EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(
            HeaderButton(_("Set PIN"), reverse("people_artisans:pin", args=[self.object.pk]), icon_name="key")
        )
        return buttons


class ArtisanHistoryView(ScopedToManagedArtisans, generic.HistoryView):
    pass


class ArtisanUsageView(ScopedToManagedArtisans, generic.UsageView):
    pass


class ArtisanDeleteView(ScopedToManagedArtisans, generic.DeleteView):
    pass


class ArtisanViewSet(ModelViewSet):
    model = ArtisanProfile
    name = "people_artisans"
    icon = "user"
    menu_label = _("Artisans")
    form_fields = ARTISAN_FIELDS
    list_display = ["preferred_name", "full_name", "cohort", Column("pin", label=_("PIN"), accessor=pin_state)]
    filterset_class = ArtisanFilterSet
    search_fields = ["full_name", "preferred_name", "external_id"]
    ordering = ["cohort", "preferred_name"]
    index_view_class = ArtisanIndexView
    add_view_class = ArtisanCreateView
    edit_view_class = ArtisanEditView
    history_view_class = ArtisanHistoryView
    usage_view_class = ArtisanUsageView
    delete_view_class = ArtisanDeleteView

    def get_form_class(self, for_update=False):
        return ArtisanForm

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("pin/<int:pk>/", admin_views.pin_set, name="pin"),
            path("unlock/<int:pk>/", admin_views.unlock, name="unlock"),
        ]


class CommunityCentreViewSet(ModelViewSet):
    model = CommunityCentre
    name = "people_centres"
    icon = "home"
    menu_label = _("Community centres")
    form_fields = ["name", "municipality", "state"]
    list_display = ["name", "municipality", "state"]
    search_fields = ["name", "municipality"]


class CohortViewSet(ModelViewSet):
    model = Cohort
    name = "people_cohorts"
    icon = "group"
    menu_label = _("Cohorts")
    list_display = ["name", "centre", "start_date", "end_date"]
    list_filter = ["centre"]
    search_fields = ["name"]

    def get_form_class(self, for_update=False):
        return CohortForm


class PeopleViewSetGroup(ModelViewSetGroup):
    menu_label = _("People")
    menu_icon = "group"
    menu_order = 300
    items = (ArtisanViewSet, CohortViewSet, CommunityCentreViewSet)


@hooks.register("register_admin_viewset")
def register_people_viewsets():
    return PeopleViewSetGroup()
