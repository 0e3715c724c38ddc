# The web app and the loader in one image; PostGIS runs in its own container (docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY gis gis
COPY layers layers
COPY etl etl
COPY webmap webmap
COPY static static
RUN pip install --no-cache-dir -e .
RUN useradd --system --home /app naeringskart
USER naeringskart
EXPOSE 8000
CMD ["naeringskart", "serve", "--workers", "2"]
