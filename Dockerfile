FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    QUALITY_WAREHOUSE=/data/quality.duckdb

RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 quality && mkdir /data && chown quality /data
WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock
COPY --chown=quality . .
RUN pip install --no-deps -e .

USER quality
VOLUME ["/data"]
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health').status == 200 else 1)"
CMD ["sh", "-c", "python -m etl demo --if-missing && streamlit run app/serve.py --server.address=0.0.0.0 --server.port=8501 --server.headless=true --browser.gatherUsageStats=false"]
