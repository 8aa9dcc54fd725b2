# One image for the headless host in every role: the single host (the default command), or a
# cluster's writer or edge (`--role writer|edge --redis URL`, compose.yaml). Multi-stage: the build
# stage compiles the server and the pages; the final stage holds only the compiled server, the
# built pages and the production dependencies, and runs as a user without privileges.
#   docker build -t mindweb-host .                 (Node 24 slim from Docker Hub)
#   docker build --build-arg BASE=my-base .        (any Debian-like base with Node 24 and npm)
ARG BASE=node:24-slim

FROM ${BASE} AS build
WORKDIR /src
ENV npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
COPY package.json package-lock.json ./
# No install scripts: better-sqlite3 ships its binary in the package, and Electron's binary is not needed.
RUN npm ci --ignore-scripts
COPY . .
RUN npx tsc -p tsconfig.server.json && npx vite build --logLevel warn && npm prune --omit=dev --ignore-scripts

FROM ${BASE}
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules node_modules
COPY --from=build /src/out/server out/server
COPY --from=build /src/dist/renderer dist/renderer
RUN mkdir -p /data && chown 10001:10001 /data
VOLUME /data
ENV MINDWEB_DATA_DIR=/data PORT=8000 HOST=0.0.0.0
EXPOSE 8000
USER 10001:10001
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "out/server/start.js"]
