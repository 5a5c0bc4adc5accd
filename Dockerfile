# syntax=docker/dockerfile:1
# Multi-stage: build with every dev tool, ship dist/ and production dependencies only, run as a non-root user.
# Docker does not run on the project's CI machines; tests/integration/production-start.test.ts runs the same
# steps (npm ci --omit=dev from the lock file, then the compiled server) inside npm test.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-bookworm-slim
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
