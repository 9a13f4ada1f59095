# Nim (1.6.10, Debian bookworm), on the C/C++ image: nim compiles through GCC.
ARG BASE=verdict/gcc:latest
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends nim \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info
