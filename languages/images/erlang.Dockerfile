# Erlang/OTP 25 and Elixir 1.14 (Debian bookworm): one image, Elixir runs on Erlang's VM.
ARG BASE=verdict/base:latest
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends erlang-base elixir \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info
