# syntax=docker/dockerfile:1
#
# One image for every role; the command picks it (ENTRYPOINT is node behind dumb-init):
#   gateway   dist/apps/gateway/src/main.js                    (default CMD, port 3000)
#   worker    dist/apps/worker/src/main.js                     (health/metrics port 3001)
#   sandbox   dist/apps/sandbox/src/main.js                    (port 4000; set SANDBOX_HOST=0.0.0.0)
#   migrate   dist/libs/persistence/src/migrate/migrate.cli.js (reads DATABASE_URL, exits)
# e.g. `docker run --rm -e DATABASE_URL=… psp-gateway dist/libs/persistence/src/migrate/migrate.cli.js`
#
# Runs as uid 10001 on a read-only root filesystem: nothing is written outside /tmp (mount an
# emptyDir there), the application files belong to root and cannot be changed by the process.
#
# Health: no HEALTHCHECK, on purpose. One image serves four roles (one of them exits when done), and
# Kubernetes ignores HEALTHCHECK; the orchestrator probes instead (the chart does):
#   gateway  GET :3000/health/live (liveness, startup)  GET :3000/health/ready (readiness)
#   worker   GET :3001/health/live                      GET :3001/health/ready
#   sandbox  GET :4000/health
# Build without a Docker engine: scripts/build-image.sh (Debian's buildah). Rules this file keeps
# (pinned base, npm ci, no dev dependencies at run time, non-root): `npm run image:check`.

# Node.js 24 (LTS), pinned by digest: a tag can move, a digest cannot. To update, look up the tag's
# current digest and replace it here (and the version in package.json engines/.ci if the major moves):
#   skopeo inspect --format '{{.Digest}}' docker://docker.io/library/node:24-bookworm-slim
#   (or: docker buildx imagetools inspect node:24-bookworm-slim, the "Digest:" line)
ARG NODE_IMAGE=docker.io/library/node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d

# ---- deps: every dependency, exactly as package-lock.json says -----------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV CI=true \
    npm_config_update_notifier=false \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    CHECKPOINT_DISABLE=1
COPY package.json package-lock.json .npmrc ./
# Install scripts are skipped: the only ones in the tree download Prisma's native schema engine
# (never used: migrations run through our own runner), print notices, or rebuild an optional native
# add-on whose prebuilt binary is already an installed package.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

# ---- build: Prisma client + TypeScript → dist/ ---------------------------------------------------
FROM deps AS build
COPY tsconfig.json tsconfig.build.json prisma.config.ts ./
COPY prisma prisma
COPY scripts scripts
COPY libs libs
COPY apps apps
# prisma-generate.sh points Prisma at a stub schema engine (generate does not need one).
RUN bash scripts/prisma-generate.sh \
 && npm run build \
 && test -f dist/apps/gateway/src/main.js \
 && test -f dist/apps/worker/src/main.js \
 && test -f dist/apps/sandbox/src/main.js \
 && test -f dist/libs/persistence/src/migrate/migrate.cli.js \
 && test -f dist/console/index.html

# ---- prod-deps: the same tree without devDependencies ---------------------------------------------
# --omit=optional as well: the Prisma CLI and TypeScript are optional peers of @prisma/client, which
# npm keeps otherwise (~250 MB). The only runtime optionals it drops are pg-cloudflare (Workers only)
# and msgpackr-extract (a native speed-up; msgpackr falls back to JavaScript).
FROM deps AS prod-deps
RUN npm prune --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/.cache \
 && find node_modules -mindepth 1 -maxdepth 2 -type d -empty -delete

# ---- runtime ---------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="psp-gateway" \
      org.opencontainers.image.description="MobilePay Online PSP gateway: gateway, worker, sandbox, migrations" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="UNLICENSED"

# dumb-init as PID 1: forwards SIGTERM to node (graceful drain) and reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends dumb-init \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 psp \
 && useradd --system --uid 10001 --gid 10001 --home-dir /tmp --no-create-home \
      --shell /usr/sbin/nologin psp

WORKDIR /app
ENV NODE_ENV=production \
    HOME=/tmp \
    TMPDIR=/tmp \
    npm_config_cache=/tmp/.npm \
    npm_config_update_notifier=false

# Owned by root, read-only for the app user.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist/apps ./dist/apps
COPY --from=build /app/dist/libs ./dist/libs
COPY package.json ./
# The migration runner finds prisma/migrations upwards from dist/libs/persistence/src/migrate.
COPY prisma/migrations ./prisma/migrations
# The sandbox validates requests against these OpenAPI files (found next to package.json).
COPY apps/sandbox/spec ./apps/sandbox/spec

USER 10001:10001
EXPOSE 3000 3001 4000
# Probed by the orchestrator per role (see the top of this file).
HEALTHCHECK NONE
ENTRYPOINT ["dumb-init", "--", "node"]
CMD ["dist/apps/gateway/src/main.js"]
