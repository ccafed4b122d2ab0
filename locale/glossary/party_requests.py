"""S1.3's pages: the catalogue of requests and reports, the union's requests for instructions and reports,
drafting, the page of one, and how its reply was carried out."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # the catalogue
    "Catalogue of requests and reports": "请示报告目录",
    "Catalogue of requests and reports of %(name)s": "%(name)s请示报告目录",
    "The matters on which the union asks its same-level Party organisation for instructions or reports to it. The province sets the default; a department union's item applies to the unions below it, and a union's own item comes before both.": "工会须向同级党组织请示或报告的事项。全省设默认目录；厅局直属机关工会设定的事项适用于其下属工会；本工会自行设定的事项优先于二者。",
    "reply time limit": "答复时限",
    "set by": "设定单位",
    "actions": "操作",
    "request for instructions": "请示",
    "this union": "本工会",
    "the union above": "上级工会",
    "Draft": "起草",
    "Set for this union": "本工会设定",
    "The catalogue of this union lists no matter.": "本工会的目录中没有事项。",
    "Not in this union's catalogue:": "不在本工会目录中的事项：",
    "Set an item for this union": "为本工会设定事项",
    "Saved as this union's own item for the matter: it comes before the default and the union above's, and applies to the unions below this one unless they set their own. Untick “in use” to leave the matter out.": "保存为本工会对该事项的设定：优先于全省默认和上级工会的设定，并适用于本工会的下属工会（下属工会另行设定的除外）。取消勾选“启用”即不再列入目录。",
    "Only the union's office staff or its chair may change its catalogue of requests and reports.": "只有本工会办公室工作人员或主席可以修改请示报告目录。",
    "Choose one of the matters of the catalogue.": "请选择目录中的一类事项。",
    "The catalogue item was saved for this union.": "已为本工会保存该目录事项。",
    # the list
    "Requests for instructions and reports": "请示报告",
    "Requests for instructions and reports of %(name)s": "%(name)s的请示报告",
    "The union asks its same-level Party organisation for instructions, or reports to it, on the matters of its catalogue: one matter per document, signed by the chair.": "工会就目录所列事项向同级党组织请示或报告：一文一事，由工会主席签发。",
    "Draft a request or report": "起草请示报告",
    "reply overdue": "答复已逾期",
    "No request or report yet.": "尚无请示报告。",
    # drafting
    "Edit the request or report": "修改请示报告",
    "Matters this request (report) concerns": "本请示（报告）涉及的事项",
    "One matter per document: tick one item. The kind (request or report) follows from it.": "一文一事：只勾选一项。请示还是报告由所选事项决定。",
    "Saved as a draft: it goes to the chair for signing only when you send it from its page.": "保存为草稿；在文件页面点击送签后才送主席签发。",
    "Saved as a draft. Read it through, then send it to the chair.": "已保存为草稿。请核对后送主席签发。",
    "The request or report was saved.": "请示报告已保存。",
    # its page
    "drafted by": "起草人",
    "Edit the text": "修改正文",
    "Send to the chair for signing": "送主席签发",
    "Sent to the chair for signing.": "已送主席签发。",
    "Withdraw this request or report?": "确定撤回该请示报告吗？",
    "The request or report was withdrawn.": "请示报告已撤回。",
    "%(days)s day after it reaches the Party organisation": "送达党组织后%(days)s天内",
    "instructions": "指示",
    "after the due date": "超过答复期限",
    "Record and file": "记录并归档",
    "What was done following the reply and its instructions.": "按照批复及其指示所做的工作。",
    "How it was carried out was recorded; the request is filed.": "落实情况已记录，请示已归档。",
    # its history
    "drafted it": "起草",
    "recorded how the reply was carried out": "记录了批复落实情况",
    "the chain ended": "流程结束",
    "the reply was taken": "批复已登记",
}
