# Java (OpenJDK 17, Debian bookworm).
ARG BASE=verdict/base:latest
FROM ${BASE}
# openjdk's postinst registers man pages as alternatives: the directory must exist.
# jmods are only for jlink. `-Xshare:dump` creates the default class-data-sharing archive
# (Debian ships only the no-compressed-oops one): faster start for javac and java.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jdk-headless \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info \
 && rm -rf /usr/lib/jvm/java-17-openjdk-*/jmods \
 && java -Xshare:dump >/dev/null
