# Fortran (GNU Fortran 12, Debian bookworm), on the C/C++ image: gfortran shares GCC 12's driver,
# binutils and libc, so only its own front end and runtime are added.
ARG BASE=verdict/gcc:latest
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends gfortran \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info
