# The clinic site as one stateless web container: gunicorn + whitenoise, settings from the environment.
# The same image runs the task worker: `python manage.py run_worker --no-reload` (compose.yaml's worker).
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files are collected at build time so every instance serves identical hashed names.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only-not-used-at-runtime-000000000000000000000 \
    DJANGO_ALLOWED_HOSTS=build python manage.py collectstatic --noinput --verbosity 0 \
 && useradd --create-home --uid 10001 clinic \
 && mkdir -p /app/media /app/.cache && chown clinic /app/media /app/.cache

USER clinic
ENV DJANGO_DEBUG=0 GUNICORN_BIND=0.0.0.0:8000 DJANGO_MEDIA_ROOT=/app/media
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz/live', timeout=4).status == 200 else 1)"
CMD ["gunicorn", "--config", "gunicorn.conf.py", "clinic_site.wsgi"]
