# syntax=docker/dockerfile:1
# CPA Manager, headless: the usage collector + panel server, no tray.
#
#   docker build -t cpa-manager .
#   docker run -d --name cpa-manager -p 127.0.0.1:18317:18317 -v cpa-manager-data:/data \
#     -e CPA_UPSTREAM_URL=http://host.docker.internal:8317 -e CPA_MANAGEMENT_KEY=... \
#     --add-host host.docker.internal:host-gateway cpa-manager
#
# No Node.js: the built panel (assets/management.html) is committed and ships inside the package.
# Multi-arch (linux/amd64, linux/arm64) images are built by .github/workflows/release.yml with buildx.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY cpa_manager_desktop ./cpa_manager_desktop
COPY assets ./assets
# A wheel first, so the runtime stage gets the installed package and none of the sources or build tools.
RUN pip wheel --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install /wheels/*.whl \
 && groupadd --system --gid 10001 cpa \
 && useradd --system --uid 10001 --gid cpa --home-dir /home/cpa --create-home --shell /usr/sbin/nologin cpa \
 && mkdir -p /data \
 && chown cpa:cpa /data \
 && chmod 0700 /data

# Containers must listen on all interfaces (the desktop default is 127.0.0.1). On a non-loopback bind the
# first-time POST /setup is open to whoever reaches the port, so publish it on 127.0.0.1 (see
# docker-compose.yml) or set CPA_UPSTREAM_URL + CPA_MANAGEMENT_KEY (or a secret at
# /run/secrets/cpa_management_key), which closes /setup to any other setup.
# config.json, usage.sqlite and logs/ all live in the /data volume.
ENV HTTP_ADDR=0.0.0.0:18317 \
    USAGE_DATA_DIR=/data \
    CPA_MANAGER_CONFIG=/data/config.json
VOLUME /data
EXPOSE 18317
USER 10001:10001
WORKDIR /home/cpa

# slim has no curl: ask /health with Python, on whatever port HTTP_ADDR names.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, sys, urllib.request as u; port = os.environ.get('HTTP_ADDR', ':18317').rsplit(':', 1)[1]; r = u.build_opener(u.ProxyHandler({})).open(f'http://127.0.0.1:{port}/health', timeout=4); sys.exit(0 if r.status == 200 else 1)"]

# SIGTERM (docker stop) commits the batch in hand and exits 0.
STOPSIGNAL SIGTERM
CMD ["cpa-manager", "--headless"]
