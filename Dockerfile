# syntax=docker/dockerfile:1

# Switchboard image: api, worker and the migration runner (pick one with the command).
#   docker build -t switchboard .
#   docker run --rm -e DATABASE_URL=... -e REDIS_URL=... switchboard node dist/scripts/migrate.js
#   docker run -e DATABASE_URL=... -e REDIS_URL=... -e PLATFORM_ADMIN_KEY=... -p 3000:3000 switchboard
# The committed lock file lists every platform's optional binaries (swc, argon2, …) with their
# integrity, so `npm ci` installs exactly it on any OS. Install scripts are not needed by any
# dependency (npm 11 skips them by default) and stay off.

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS production-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/app/.data \
    PORT=3000 \
    WORKER_PORT=3001
WORKDIR /app
COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/apps/api/console ./apps/api/console
COPY --from=build /app/apps/api/widget ./apps/api/widget
COPY package.json ./
# DATA_DIR must be writable by the unprivileged user; compose mounts a volume over it.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000 3001
CMD ["node", "dist/apps/api/src/main.js"]
