# Wuyi application image (web, worker and beat all run from it; see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    WUYI_VAR_DIR=/app/var

WORKDIR /app

# The official PDFs: Pango for WeasyPrint, HarfBuzz's subsetter, and the substitute fonts
# (README: "Fonts of the official documents"; an organ's licensed fonts go in FONTS_DIR)
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming \
    && rm -rf /var/lib/apt/lists/*

# Runtime dependencies only (pinned); psycopg-binary brings its own libpq.
COPY requirements/lock.txt requirements/lock.txt
RUN pip install -r requirements/lock.txt

COPY . .

RUN useradd --system --create-home --home-dir /home/wuyi --uid 10001 wuyi \
    && mkdir -p /app/var/media /app/var/static /app/var/celery \
    && chown -R wuyi:wuyi /app/var

USER wuyi

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
