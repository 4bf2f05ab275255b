#!/usr/bin/env bash
# Regenerates Runtime/PubSubProtocol/Generated from google/pubsub/v1/pubsub.proto as the google-cloud-pubsub wheel
# pinned in Tests/requirements.txt knows it: its messages from the client's own types, its services from the proto
# file the wheel bundles (see scripts/pubsub-descriptors.py for why). The generated Swift is committed, so that no
# build runs a protoc plugin.
#
# Needs: protoc (apt-get install protobuf-compiler) and the wheel (pip install -r Tests/requirements.txt). The
# Swift and gRPC plugins are built here from the versions the package resolves (a few minutes, once).
#
# The google.api annotations (HTTP bindings, field behaviour, resource names) steer Google's client generators,
# not the wire format, and their protos do not ship in the wheel: they are removed before protoc reads the files.
set -euo pipefail
cd "$(dirname "$0")/.."

proto_dir=$(python3 -c 'import os, google.cloud.pubsub_v1 as p; print(os.path.join(os.path.dirname(p.__file__), "proto"))')
wheel_version=$(python3 -c 'from importlib.metadata import version; print(version("google-cloud-pubsub"))')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/google/pubsub/v1"
for name in pubsub schema; do
    python3 scripts/strip-google-api-annotations.py <"$proto_dir/$name.proto" >"$work/google/pubsub/v1/$name.proto"
done
protoc -I "$work" --include_imports --descriptor_set_out="$work/bundled.pb" google/pubsub/v1/pubsub.proto
python3 scripts/pubsub-descriptors.py "$work/bundled.pb" "$work/pubsub.pb"

# PLUGINS names a folder that already holds both plugins, to skip building them.
plugins=${PLUGINS:-}
if [ -z "$plugins" ]; then
    swift package resolve >/dev/null
    plugins="$work/plugins"
    mkdir -p "$plugins"
    for spec in swift-protobuf:protoc-gen-swift grpc-swift-protobuf:protoc-gen-grpc-swift-2; do
        scratch="$work/build-${spec%%:*}"
        swift build -c release --package-path ".build/checkouts/${spec%%:*}" --scratch-path "$scratch" \
            --product "${spec##*:}" >&2
        cp "$scratch/release/${spec##*:}" "$plugins/"
    done
fi

out=Runtime/PubSubProtocol/Generated
rm -rf "$out"
mkdir -p "$out"
# Messages and services of both files, the services' server side only.
protoc --descriptor_set_in="$work/pubsub.pb" --plugin=protoc-gen-swift="$plugins/protoc-gen-swift" \
    --swift_opt=Visibility=Public --swift_out="$out" \
    google/pubsub/v1/pubsub.proto google/pubsub/v1/schema.proto
protoc --descriptor_set_in="$work/pubsub.pb" --plugin=protoc-gen-grpc-swift="$plugins/protoc-gen-grpc-swift-2" \
    --grpc-swift_opt=Visibility=Public,Client=false,Server=true --grpc-swift_out="$out" \
    google/pubsub/v1/pubsub.proto google/pubsub/v1/schema.proto
echo "generated from google-cloud-pubsub $wheel_version" >"$out/SOURCE"
echo "Wrote $out (google-cloud-pubsub $wheel_version)"
