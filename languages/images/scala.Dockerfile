# Scala (2.11.12, Debian bookworm's: the newest Scala a reachable registry has), on the Java image's
# OpenJDK 17.
ARG BASE=verdict/java:latest
FROM ${BASE}
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends scala \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info
