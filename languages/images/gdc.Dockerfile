# D (GDC 12, the GCC front end: D 2.100 language and Phobos, Debian bookworm), on the C/C++ image.
ARG BASE=verdict/gcc:latest
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends gdc \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info
