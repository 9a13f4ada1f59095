# PHP (8.2 CLI, Debian bookworm).
ARG BASE=verdict/base:latest
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends php-cli \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info
