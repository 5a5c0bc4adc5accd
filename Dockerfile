# syntax=docker/dockerfile:1
# Multi-stage: build with every dev tool, ship dist/ and production dependencies only, run as a non-root user.
# Docker does not run on the project's CI machines; tests/integration/production-start.test.ts runs the same
# steps (npm ci --omit=dev from the lock file, then the compiled server) inside npm test.
#
# Base image: Node 24, an LTS line supported until April 2028 (Node 20 reached end of life on 2026-04-30).
# Pin it by digest for reproducible, reviewable builds; the digest is not written here because it could not be
# looked up from where this file was written (no registry access), and a made-up one would be worse than none:
#   docker buildx imagetools inspect node:24-bookworm-slim --format '{{json .Manifest.Digest}}'
#   docker build --build-arg NODE_IMAGE=node:24-bookworm-slim@sha256:<that digest> -t atlas-exports .
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json ./
# Files stay owned by root: the server process (user node) can read its code but not change it.
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node directly, no npm wrapper: SIGTERM reaches the server's graceful shutdown, and memory is one process.
# A 2 MB young generation (V8 grows it to 16 MB under load and keeps it): the same flag as `npm start`.
CMD ["node", "--max-semi-space-size=2", "dist/server/main.js"]
