# C and C++ (GCC 12, Debian bookworm). Static linking needs libc6-dev (libc.a) and
# libstdc++-12-dev (libstdc++.a), both pulled in by gcc/g++.
ARG BASE=verdict/base:latest
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc g++ libc6-dev \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info
