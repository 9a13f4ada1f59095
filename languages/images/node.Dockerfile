# JavaScript (Node.js 18, Debian bookworm) and TypeScript (tsc 5.9 from npm, run on the same Node).
ARG BASE=verdict/base:latest

# Build stage: npm fetches TypeScript and the Node type definitions into /opt/typescript.
FROM ${BASE} AS typescript
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm ca-certificates \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
# Behind a TLS-inspecting proxy npm needs its CA: the builder puts NODE_EXTRA_CA_CERTS's file (or an
# empty one) in the context as extra-ca.pem; only this throw-away stage sees it.
# Only the command-line compiler is kept: no localized messages, no language-service API.
COPY extra-ca.pem /tmp/extra-ca.pem
RUN if [ -s /tmp/extra-ca.pem ]; then export NODE_EXTRA_CA_CERTS=/tmp/extra-ca.pem; fi \
 && npm install --prefix /opt/typescript --no-audit --no-fund --no-update-notifier --omit=dev \
      typescript@5.9.3 @types/node@18.19.130 \
 && cd /opt/typescript/node_modules/typescript/lib \
 && find . -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} + \
 && rm -f typescript.js typescript.d.ts tsserverlibrary.* _tsserver.js tsserver.js _typingsInstaller.js typingsInstaller.js \
 && rm -f /opt/typescript/package.json /opt/typescript/package-lock.json

FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info
COPY --from=typescript /opt/typescript /opt/typescript
RUN ln -s /opt/typescript/node_modules/typescript/bin/tsc /usr/local/bin/tsc
