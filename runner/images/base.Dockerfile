# The base of every language image: the Debian root file system (pulled, or made with debootstrap),
# the sandbox supervisor (built statically here, so nothing of the compiler stays), the unprivileged
# user every program runs as, and /box, the mount point of a submission's files.
ARG ROOTFS=verdict/rootfs:bookworm
FROM ${ROOTFS} AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev libseccomp-dev && rm -rf /var/lib/apt/lists/*
COPY supervisor/ /src/
RUN gcc -O2 -Wall -Wextra -Werror -static -o /verdict-supervisor /src/*.c -lseccomp

FROM ${ROOTFS}
COPY --from=build /verdict-supervisor /usr/lib/verdict/verdict-supervisor
# Language recipes run `apt-get update` themselves: no stale package lists or .debs in every image.
RUN mkdir -p /box && useradd --uid 10001 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin verdict \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
