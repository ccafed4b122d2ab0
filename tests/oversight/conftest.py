from tests.workflows.conftest import cast, draft_budget, submitted_budget  # noqa: F401
