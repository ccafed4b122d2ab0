"""Scale dataset and benchmarks (issue 10): ``bench/generate.py`` builds, ``bench/run.py`` measures."""
