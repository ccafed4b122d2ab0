"""A notice (通知): drafted by an officer, approved by the union committee, then in force."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from viewflow.workflow.models import Process

from workflows.models import Document


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", "起草"
    COMMITTEE_APPROVAL = "committee_approval", "工会委员会审议"
    RETURNED = "returned", "退回修改"
    IN_FORCE = "in_force", "已生效"
    WITHDRAWN = "withdrawn", "已撤回"


class Notice(Document):
    status = models.CharField(max_length=30, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    process = models.OneToOneField(
        Process, null=True, blank=True, on_delete=models.PROTECT, related_name="notice"
    )
    current_version = models.ForeignKey(
        "NoticeVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )


class NoticeVersion(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.notice} v{self.number}"
