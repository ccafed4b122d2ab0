"""S1.3: the provincial default catalogue of requests and reports (rules as data; a department union or a
union overrides an item with its own row)."""

from django.db import migrations

DEFAULTS = [
    ("annual_plan", "年度工作计划", "request", "工会委员会研究后报同级党组织审议同意（计划审批链中的党组织审议即为请示）。"),
    ("budget", "年度经费预算、调整预算和决算", "request", "经审会审查后报同级党组织审定（预算审批链中的党组织审定即为请示）。"),
    ("major_expenditure", "重大经费支出", "request", "工会委员会集体研究后，审批路线未含党组织审批的，事前书面请示同级党组织。"),
    ("congress", "召开会员（代表）大会", "request", "大会召开前请示同级党组织，说明时间、议程、代表名额。"),
    ("election", "工会委员会换届选举和补选", "request", "候选人建议名单及选举办法报同级党组织审查同意。"),
    ("staff", "专职工会干部任用", "request", "按干部管理权限请示同级党组织。"),
    ("activity", "重大活动", "report", "活动方案报同级党组织阅知，活动后报告情况。"),
    ("model_selection", "劳动模范、先进集体评选推荐", "request", "推荐名单经同级党组织审核同意后上报。"),
]
TEMPLATE = "关于××××的请示\n\n机关党委：\n\n一、事由\n二、依据\n三、具体意见或方案\n\n妥否，请批示。\n\n××工会\n××××年××月××日"


def add(apps, schema_editor):
    CatalogueItem = apps.get_model("party", "CatalogueItem")
    CatalogueItem.objects.bulk_create(
        CatalogueItem(
            union=None,
            matter=matter,
            title=title,
            kind=kind,
            procedure=procedure,
            template=TEMPLATE if kind == "request" else TEMPLATE.replace("请示", "报告").replace("妥否，请批示。", "特此报告。"),
            reply_days=10 if kind == "request" else 15,
        )
        for matter, title, kind, procedure in DEFAULTS
    )


def remove(apps, schema_editor):
    apps.get_model("party", "CatalogueItem").objects.filter(union__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("party", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
