"""Default obligation rules (the seed's table of deadlines). Pure data, also read by migrations."""

LAST = 0  # day 0 = last day of the month
END_OF_FEBRUARY_NEXT_YEAR = [{"period": "", "month": 2, "day": LAST, "year_offset": 1}]
END_OF_YEAR = [{"period": "", "month": 12, "day": LAST, "year_offset": 0}]

# The provincial defaults (seed's table of deadlines). Editable in the admin; a department
# union may override them for its unions and each union for itself.
DEFAULT_RULES: dict[str, dict] = {
    "S3.5": {"periods": END_OF_FEBRUARY_NEXT_YEAR},
    # S3.3 approved with the finance report by the end of February of the budget year.
    "S3.3": {"periods": [{"period": "", "month": 2, "day": LAST, "year_offset": 0}]},
    "S2.2": {"periods": [{"period": "", "month": 2, "day": LAST, "year_offset": 0}]},
    "S2.3": {"periods": END_OF_FEBRUARY_NEXT_YEAR},
    "S3.4-analysis": {
        "periods": [
            {"period": "H1", "month": 7, "day": 31, "year_offset": 0},
            {"period": "H2", "month": 1, "day": 31, "year_offset": 1},
        ]
    },
    "S3.4-adjustment": {
        "periods": [{"period": "", "month": 9, "day": 30, "year_offset": 0}],
        "generated": False,
    },
    "S1.2": {"periods": END_OF_YEAR},
    "S4.1-union_committee": {
        "periods": [{"period": f"Q{q}", "month": q * 3, "day": LAST, "year_offset": 0} for q in (1, 2, 3, 4)]
    },
    "S4.1-audit_committee": {
        "periods": [
            {"period": "H1", "month": 6, "day": 30, "year_offset": 0},
            {"period": "H2", "month": 12, "day": 31, "year_offset": 0},
        ]
    },
    "S4.1-women_committee": {
        "periods": [
            {"period": "H1", "month": 6, "day": 30, "year_offset": 0},
            {"period": "H2", "month": 12, "day": 31, "year_offset": 0},
        ]
    },
    "S4.3-study": {"periods": END_OF_YEAR},
    "S4.3-training": {"periods": END_OF_YEAR, "min_members": 300, "kinds": "department"},
    "S5.2": {"periods": END_OF_YEAR},
}
