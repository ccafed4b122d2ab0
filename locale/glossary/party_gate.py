"""The catalogue gate on major expenditure and the chains that cover their matter (S1.3), and planning
together with Party building on the annual plan (S1.2)."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # S1.3: the chains whose Party step is the request (DocumentKind.extra, the catalogue's note)
    "the annual plan's chain has the Party organisation's consent: that step is the request": "年度工作计划审批链条中有同级党组织审议同意环节，该环节即为请示",
    "the budget's chain has the Party organisation's approval: that step is the request": "经费预算审批链条中有同级党组织审定环节，该环节即为请示",
    "a budget adjustment's chain has the Party organisation's approval: that step is the request": "预算调整审批链条中有同级党组织审定环节，该环节即为请示",
    "covered when the request's route includes the Party organisation's approval": "经费支出申请的审批路线含同级党组织审批的，该审批即为请示",
    # S1.3: the catalogue gate on major expenditure
    "the agreed request for instructions": "已获同意的请示",
    "A major expenditure whose route does not include the Party organisation's approval is sent only on a request for instructions the Party organisation has agreed.": "审批路线不含党组织审批的重大经费支出，须凭同级党组织已同意的请示方可送审。",
    "%(title)s · agreed on %(date)s %(reference)s": "%(title)s · %(date)s同意 %(reference)s",
    "agreed on": "同意日期",
    "Choose one of the union's requests for instructions on major expenditure that the Party organisation has agreed and no other expenditure has used.": "请从本工会党组织已同意、且尚未被其他经费支出使用的重大经费支出请示中选择。",
    # S1.2: planning together (一起研究、一起部署)
    "deployed with Party building": "与党建一起部署",
    "A Party document reference is given for a task deployed together with Party building: tick that box, or clear the reference.": "只有与党建工作一起部署的任务才填写党组织文件文号：请勾选“与党建工作一起部署”，或清空文号。",
    "The Party document reference of “%(title)s” is longer than %(max)s characters.": "“%(title)s”的党组织文件文号超过%(max)s个字符。",
}
