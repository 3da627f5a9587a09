# syntax=docker/dockerfile:1
# Multi-stage build: dependencies and a typecheck in a build stage, a slim non-root runtime.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json kysely.config.ts vitest.config.ts ./
COPY src ./src
COPY db ./db
COPY tests ./tests
COPY scripts ./scripts
COPY bench ./bench
RUN npm run typecheck && npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
COPY db ./db
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SESSION_SECRET and VAULT_KEY must be provided at run time (NODE_ENV=production requires them).
CMD ["node", "--enable-source-maps", "--max-old-space-size=160", "dist/server.js"]
