# JavaScript (Node.js 18, Debian bookworm) and TypeScript (tsc 5.9 from npm, run on the same Node).
ARG BASE=verdict/base:latest

# Build stage: TypeScript and the Node type definitions, fetched as the npm registry's tarballs (each
# checked against its pinned SHA-512) into /opt/typescript/node_modules. Debian's npm is not used:
# installing it brings ~350 packages and took most of this image's build (6 minutes of a build from
# scratch, docs/languages.md).
FROM ${BASE} AS typescript
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ca-certificates \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
# Behind a TLS-inspecting proxy the fetch needs its CA: the builder puts VERDICT_EXTRA_CA_CERTS's file
# (or the host's CA bundle) in the context as extra-ca.pem; only this throw-away stage sees it.
COPY extra-ca.pem /tmp/extra-ca.pem
# Only the command-line compiler is kept: no localized messages, no language-service API.
RUN set -e; \
    fetch() { \
      curl -fsSL --retry 3 $( [ -s /tmp/extra-ca.pem ] && echo --cacert /tmp/extra-ca.pem ) -o /tmp/package.tgz "https://registry.npmjs.org/$1"; \
      echo "$3  /tmp/package.tgz" | sha512sum -c --quiet -; \
      mkdir -p "/opt/typescript/node_modules/$2"; \
      tar -xzf /tmp/package.tgz --no-same-owner --strip-components=1 -C "/opt/typescript/node_modules/$2"; \
      rm /tmp/package.tgz; \
    }; \
    fetch typescript/-/typescript-5.9.3.tgz typescript 8e5d6f6733c38a72ebf5e52ddc9feded5e8580d130f508ef04f772b33f4a7d00c3e357d0ac2d98e2f290762694a454f86d795bd511e12e9a7cc2d9ba3394e04b; \
    fetch @types/node/-/node-18.19.130.tgz @types/node 191697431ea319f2fcb0a7da2030fa3aea5b20706bf63bfb2676a697db41ee5e2fd3af0f00e5ea7dcba330ca393e16c8b3a8204755ce0c42ea6a14f647cbf47e; \
    fetch undici-types/-/undici-types-5.26.5.tgz undici-types 26508c3be7a174420aaa517193a21f568014566833edc53bcc3fe1f57674ab37a8b121e650954ecd242fbd84985979055c2f887cb29221f7e1bf4b1566ea7aa4; \
    cd /opt/typescript/node_modules/typescript/lib; \
    find . -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +; \
    rm -f typescript.js typescript.d.ts tsserverlibrary.* _tsserver.js tsserver.js _typingsInstaller.js typingsInstaller.js

FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info
COPY --from=typescript /opt/typescript /opt/typescript
RUN ln -s /opt/typescript/node_modules/typescript/bin/tsc /usr/local/bin/tsc
