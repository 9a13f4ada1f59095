# Python 3 (CPython 3.11, Debian bookworm) with NumPy 1.24 (python3-numpy), as Kattis and most
# contest judges provide it.
ARG BASE=verdict/base:latest
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-numpy \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info \
 && find /usr/lib/python3/dist-packages/numpy -type d -name tests -prune -exec rm -rf {} +
