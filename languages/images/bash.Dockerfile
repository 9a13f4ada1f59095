# Bash (5.2, Debian bookworm) with the tools shell solutions use: coreutils, grep, sed and mawk
# (in the base already), gawk and bc.
ARG BASE=verdict/base:latest
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends gawk bc \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info
