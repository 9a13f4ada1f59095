# Java (OpenJDK 17, Debian bookworm).
ARG BASE=verdict/base:latest
FROM ${BASE}
# openjdk's postinst registers man pages as alternatives: the directory must exist.
# `-Xshare:dump` (re)creates the default class-data-sharing archive: faster JVM start.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jdk-headless \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info \
 && java -Xshare:dump >/dev/null
