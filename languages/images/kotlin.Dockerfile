# Kotlin (kotlinc 2.4.20 for the JVM, from npm's kotlin-compiler package, which ships JetBrains'
# compiler distribution; Debian's kotlin is 1.3.31, from 2019), on the Java image's OpenJDK 17.
ARG BASE=verdict/java:latest
ARG ROOT=verdict/base:latest

# Build stage: npm fetches the compiler distribution into /opt/kotlinc.
FROM ${ROOT} AS kotlinc
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm ca-certificates \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
# Behind a TLS-inspecting proxy npm needs its CA (see node.Dockerfile); only this stage sees it.
# Kept: the JVM compiler and the runtime libraries; not the JS/Wasm back ends, sources or scripts for Windows.
COPY extra-ca.pem /tmp/extra-ca.pem
RUN if [ -s /tmp/extra-ca.pem ]; then export NODE_EXTRA_CA_CERTS=/tmp/extra-ca.pem; fi \
 && npm install --prefix /tmp/npm --no-audit --no-fund --no-update-notifier --omit=dev kotlin-compiler@2.4.20 \
 && mv /tmp/npm/node_modules/kotlin-compiler /opt/kotlinc \
 && cd /opt/kotlinc \
 && rm -rf bin/*.bat bin/*.js bin/kotlinc-js bin/kotlinc-wasm lib/*-sources.jar klib license build.txt package.json README.md \
 && rm -f lib/kotlin-stdlib-js* lib/kotlin-test-js* lib/kotlin-dom-api* lib/*wasm* lib/js.* lib/kotlinx-serialization-js* lib/compose-* lib/jklib-*

FROM ${BASE}
COPY --from=kotlinc /opt/kotlinc /opt/kotlinc
RUN ln -s /opt/kotlinc/bin/kotlinc /usr/local/bin/kotlinc && ln -s /opt/kotlinc/bin/kotlin /usr/local/bin/kotlin
