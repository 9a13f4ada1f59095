# Go (1.19, Debian bookworm). The runner sets GOCACHE/GOPATH under /tmp and GO111MODULE=off.
ARG BASE=verdict/base:latest
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends golang-go \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info
