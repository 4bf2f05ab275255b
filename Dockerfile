# syntax=docker/dockerfile:1

# Build: the same toolchain and Debian release as the runtime stage below, so the system libraries the binary
# links against are the ones the runtime stage installs. The tag no longer receives rebuilds, and needs none:
# nothing of its Debian layer reaches the image (the Swift runtime comes from the 6.3.1 toolchain itself, and
# glibc, SQLite and libcurl from the runtime stage, which is rebuilt with Debian's updates). Moving it to a newer
# Debian would move the runtime stage with it, since the binary needs a glibc no newer than the runtime's.
FROM swift:6.3.1-bookworm AS build

# GRDB builds against the system SQLite. The build stage is thrown away, so its unpinned versions never reach
# the image.
# hadolint ignore=DL3008
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -q \
    && apt-get install -y -q --no-install-recommends libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build

# Dependencies in their own layer: it is rebuilt only when the manifest or the pins change. A Package.resolved in
# the build context fixes every version (an application repository commits one); without it they are resolved
# within Package.swift's ranges. Either way the versions built are recorded in the image, below.
COPY Package.* ./
RUN swift package resolve --scratch-path .build-release

COPY . .
RUN swift build -c release --static-swift-stdlib --product contrail --scratch-path .build-release

# The binary, the resource bundles it loads beside itself (the query API's OpenAPI document) and the
# backtracer that prints a backtrace when it crashes. A statically linked runtime looks for the backtracer beside
# the executable under the name swift-backtrace; under any other name it disables backtracing.
WORKDIR /staging
RUN bin="$(swift build -c release --static-swift-stdlib --scratch-path /build/.build-release \
        --package-path /build --show-bin-path)" \
    && cp "$bin/contrail" ./ \
    && find -L "$bin/" -maxdepth 1 -name '*.resources' -exec cp -Ra {} ./ \; \
    && cp /usr/libexec/swift/linux/swift-backtrace-static ./swift-backtrace \
    && cp /build/Package.resolved ./Package.resolved

# Runtime: what the binary links beyond the base image (SQLite; the Swift runtime and Foundation are linked
# statically), libcurl for functions that use URLSession through FoundationNetworking, the CA roots for outgoing
# TLS (the OIDC keys) and the time zone database. Tests/container checks this list against the binary.
FROM debian:bookworm-slim

# Versions follow the bookworm point release the base image tracks; pinning exact Debian revisions would break
# the build at every security update.
# hadolint ignore=DL3008
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -q \
    && apt-get install -y -q --no-install-recommends libsqlite3-0 libcurl4 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/*

# The binary is root-owned and read-only to the service user; only the working directory (the default SQLite
# store when DATABASE_URL is unset) is writable by it.
RUN useradd --system --user-group --uid 10001 --home-dir /var/lib/contrail --create-home --skel /dev/null \
        --shell /usr/sbin/nologin contrail

COPY --from=build /staging /app

ENV SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,cache=no \
    PORT=8080

# Numeric, so that runtimes enforcing runAsNonRoot can check it without reading /etc/passwd.
USER 10001:10001
WORKDIR /var/lib/contrail
EXPOSE 8080

# Exec form: contrail is PID 1 and receives Cloud Run's SIGTERM itself.
ENTRYPOINT ["/app/contrail", "serve"]
