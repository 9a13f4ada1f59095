# JavaScript (Node.js 18, Debian bookworm) and TypeScript (tsc 5.9 from npm, run on the same Node).
ARG BASE=verdict/base:latest
FROM ${BASE} AS typescript
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN npm install --prefix /opt/typescript --no-audit --no-fund --omit=dev typescript@5.9.3 @types/node@18 \
 && rm -rf /opt/typescript/node_modules/typescript/lib/*/ \
 && rm -f /opt/typescript/package.json /opt/typescript/package-lock.json

FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info
COPY --from=typescript /opt/typescript /opt/typescript
RUN ln -s /opt/typescript/node_modules/typescript/bin/tsc /usr/local/bin/tsc
