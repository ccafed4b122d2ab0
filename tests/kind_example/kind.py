from workflows.registry import DocumentKind

from .flows import CHAIN, STEPS, NoticeFlow
from .services import notice_create

OBLIGATION = "T1-notice"  # a rule row the test writes, as a union would (ObligationRule is data)

KIND = DocumentKind(
    document_type="notice",
    label="通知",
    model="kind_example.Notice",
    flow=NoticeFlow,
    steps=STEPS,
    chain=tuple(CHAIN),
    urls="tests.kind_example.urls",
    detail_url="kind_example:detail",
    obligation_code=OBLIGATION,
    create=notice_create,
)
