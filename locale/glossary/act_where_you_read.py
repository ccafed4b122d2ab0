"""Act where you read (issue 25): the viewer's step on every document page, the inbox rows opening the
document, 批量同意, and the questions asked before the dangerous actions (core/confirm.py)."""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

ZH = {
    # --- templates/workflows/_document_actions.html ----------------------------------------------------
    "Your step on this document": "您在本文件上的待办",
    # --- templates/workflows/_inbox_todo.html, workflows/views_bulk.py, workflows/services/bulk.py --------
    "Opinion requests with no opinion to add and added-signer steps you agree to: tick them, then": "征求意见无意见、加签同意的事项可勾选后",
    "Agree to the ticked": "批量同意",
    "Agree to “%(title)s” with the others ticked": "将《%(title)s》与其他勾选事项一并同意",
    "Agree in bulk": "批量同意",
    "Agree to these %(count)s steps at once?": "确定一次同意以下 %(count)s 项吗？",
    "%(title)s · %(step)s · %(answer)s": "《%(title)s》 · %(step)s · %(answer)s",
    "Agree to all of them": "全部同意",
    "Agreed.": "同意。",
    "Answered %(count)s: %(titles)s.": "已办理 %(count)s 项：%(titles)s。",
    "Not answered again, already closed: %(title)s (%(reason)s)": "《%(title)s》已办结，未再次办理（%(reason)s）",
    "Not answered: %(title)s (%(reason)s)": "《%(title)s》未能办理（%(reason)s）",
    "Tick at least one opinion request or added-signer step of yours to agree to them together.": "请至少勾选一项您的征求意见或加签事项，再批量同意。",
    # --- core/views.py, templates/core/union_detail.html: 结束任期 -------------------------------------
    "End the term of %(person)s (%(role)s, %(where)s) on %(date)s?": "确定于 %(date)s 结束%(person)s（%(where)s %(role)s）的任期吗？",
    "After that day they no longer act for this seat: the tasks they claimed go back to the body's queue and the chair is told.": "此后其不再以该职务办理事项：其已签收的待办退回机构待办，并告知主席。",
    "End the term of %(person)s?": "确定结束%(person)s的任期吗？",
    # --- workflows/document_pages.py: 撤回 -----------------------------------------------------------
    "Its open steps are cancelled and it goes no further. This cannot be undone.": "撤回后，其未办结的环节全部取消，文件不再流转，且不能恢复。",
    # --- workflows/reports/views_report.py, templates/workflows/reports/report_detail.html: 报送 --------
    "Submit “%(title)s” to %(unions)s?": "确定将《%(title)s》报送%(unions)s吗？",
    "Version %(number)s is sent. It cannot be changed afterwards unless the upper-level union returns it for correction.": "报送的是第 %(number)s 版。报送后不能再修改，除非上级工会退回修改。",
    "Submit this report to the upper-level union? It cannot be changed afterwards unless it is returned.": "确定报送上一级工会吗？报送后不能再修改，除非被退回。",
    # --- workflows/views_decisions.py, templates/workflows/meeting_form.html: 不足法定人数 ---------------
    "Only %(attendees)s of %(seats)s members attend; %(needed)s are needed for a quorum. A meeting without quorum is recorded but decides nothing: the documents stay before the %(body)s. Record it anyway?": "应到 %(seats)s 人，实到 %(attendees)s 人，不足法定人数（至少 %(needed)s 人）。不足法定人数的会议照常记录，但不作出任何决定，文件仍待%(body)s审议。仍要记录吗？",
    "Record it without quorum": "仍然记录（不足法定人数）",
}
