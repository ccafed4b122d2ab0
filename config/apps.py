from django.contrib.staticfiles.apps import StaticFilesConfig


class WuyiStaticFilesConfig(StaticFilesConfig):
    # viewflow ships front-end sources under node_modules/ whose CSS points at fonts it does not
    # include; collectstatic with the manifest storage would fail on them.
    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "node_modules"]
