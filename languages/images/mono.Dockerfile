# C# (Mono 6.8: mcs compiler and runtime, Debian bookworm). System.Core (LINQ) and
# System.Numerics (BigInteger) are included.
ARG BASE=verdict/base:latest
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends mono-mcs mono-runtime libmono-system-core4.0-cil libmono-system-numerics4.0-cil \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info
