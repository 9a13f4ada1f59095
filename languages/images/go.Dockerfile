# Go (1.19, Debian bookworm; the standard library comes precompiled). The definition sets
# GOCACHE/GOPATH under /tmp and GO111MODULE=off. Tests and test data of the Go sources are dropped.
ARG BASE=verdict/base:latest
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends golang-go \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info \
 && cd /usr/share/go-1.*/ \
 && rm -rf test \
 && find src -depth -type d -name testdata -exec rm -rf {} + \
 && find src -type f -name '*_test.go' -delete
