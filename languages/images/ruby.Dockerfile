# Ruby (3.1, Debian bookworm).
ARG BASE=verdict/base:latest
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends ruby \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info
