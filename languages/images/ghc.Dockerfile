# Haskell (GHC 9.0.2, Debian bookworm) with the libraries GHC ships (base, containers, array,
# bytestring, text, mtl, transformers, ...). Profiling libraries and documentation are not installed.
ARG BASE=verdict/base:latest
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends ghc \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info
