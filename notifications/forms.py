"""Forms of the notification preferences and the union's group robots (issue 6)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import ChannelPreference, UnionWebhook, WebhookPreset

WEBHOOK_DUPLICATE = _("This union already sends to this address.")
WEBHOOK_TEMPLATE_INVALID = _(
    "The JSON template does not give valid JSON once {title}, {body}, {url} and {id} are filled in: %(error)s"
)
WEBHOOK_TEMPLATE_NOT_OBJECT = _("The JSON template must give a JSON object ({…}).")


class ChannelPreferenceForm(forms.ModelForm):
    class Meta:
        model = ChannelPreference
        fields = ["email", "daily_digest"]
        widgets = {
            "email": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "daily_digest": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }
        help_texts = {
            "email": _("Reminders, escalations and urges also reach your e-mail address."),
            "daily_digest": _(
                "On working days at 09:00: your open tasks and nearest deadlines in one message."
            ),
        }


class UnionWebhookForm(forms.ModelForm):
    class Meta:
        model = UnionWebhook
        fields = ["preset", "url", "template"]
        widgets = {
            "preset": forms.RadioSelect(attrs={"class": "form-check-input"}),
            "url": forms.URLInput(
                attrs={
                    "class": "form-control",
                    "placeholder": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
                    "autocomplete": "off",
                }
            ),
            "template": forms.Textarea(
                attrs={
                    "class": "form-control font-monospace",
                    "rows": 4,
                    "placeholder": '{"msgtype": "text", "text": {"content": "{title} {url}"}}',
                }
            ),
        }
        help_texts = {
            "url": _(
                "The robot's address from the group settings (WeCom: "
                "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…; DingTalk: "
                "oapi.dingtalk.com/robot/send?access_token=…), or an intranet message gateway."
            ),
        }

    def __init__(self, *args, union, **kwargs):
        super().__init__(*args, **kwargs)
        self.union = union
        self.instance.union = union
        self.fields["preset"].choices = WebhookPreset.choices

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        if UnionWebhook.objects.filter(union=self.union, url=url).exists():
            raise forms.ValidationError(WEBHOOK_DUPLICATE)
        return url

    def clean(self):
        data = super().clean()
        if data.get("preset") != WebhookPreset.GENERIC:
            # the group robots have a fixed format; a template applies to the generic format only
            data["template"] = ""
            return data
        template = (data.get("template") or "").strip()
        data["template"] = template
        if template:
            from notifications.channels.webhook import payload_for

            probe = UnionWebhook(union=self.union, preset=WebhookPreset.GENERIC, template=template)
            try:
                payload = payload_for(probe, title="t", body="b", url="https://example.org/", message_id="m")
            except ValueError as exc:
                self.add_error("template", WEBHOOK_TEMPLATE_INVALID % {"error": exc})
            else:
                if not isinstance(payload, dict):
                    self.add_error("template", WEBHOOK_TEMPLATE_NOT_OBJECT)
        return data
