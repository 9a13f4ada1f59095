# Kotlin (kotlinc 2.4.20 for the JVM, from npm's kotlin-compiler package, which ships JetBrains'
# compiler distribution; Debian's kotlin is 1.3.31, from 2019), on the Java image's OpenJDK 17.
ARG BASE=verdict/java:latest
ARG ROOT=verdict/base:latest

# Build stage: the registry's tarball (checked against its pinned SHA-512) unpacked into /opt/kotlinc.
# The same first step as node.Dockerfile's build stage, so the two share that layer.
FROM ${ROOT} AS kotlinc
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ca-certificates \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
# Behind a TLS-inspecting proxy the fetch needs its CA (see node.Dockerfile); only this stage sees it.
# Kept: the JVM compiler and the runtime libraries; not the JS/Wasm back ends, sources or scripts for Windows.
COPY extra-ca.pem /tmp/extra-ca.pem
RUN set -e; \
    curl -fsSL --retry 3 $( [ -s /tmp/extra-ca.pem ] && echo --cacert /tmp/extra-ca.pem ) -o /tmp/kotlin.tgz \
      https://registry.npmjs.org/kotlin-compiler/-/kotlin-compiler-2.4.20.tgz; \
    echo "205e4854cecba4f840fe7b47410a5a56dd72c6969a428bed11560bcaa58cb9a2ebd177a52cf3e6effb0ce872e1b5c4638e3a12b0aec8ee53f693360990ccbbdf  /tmp/kotlin.tgz" | sha512sum -c --quiet -; \
    mkdir -p /opt/kotlinc; \
    tar -xzf /tmp/kotlin.tgz --no-same-owner --strip-components=1 -C /opt/kotlinc; \
    rm /tmp/kotlin.tgz; \
    cd /opt/kotlinc; \
    rm -rf bin/*.bat bin/*.js bin/kotlinc-js bin/kotlinc-wasm lib/*-sources.jar klib license build.txt package.json README.md; \
    rm -f lib/kotlin-stdlib-js* lib/kotlin-test-js* lib/kotlin-dom-api* lib/*wasm* lib/js.* lib/kotlinx-serialization-js* lib/compose-* lib/jklib-*; \
    chmod 755 bin/*

FROM ${BASE}
COPY --from=kotlinc /opt/kotlinc /opt/kotlinc
RUN ln -s /opt/kotlinc/bin/kotlinc /usr/local/bin/kotlinc && ln -s /opt/kotlinc/bin/kotlin /usr/local/bin/kotlin
