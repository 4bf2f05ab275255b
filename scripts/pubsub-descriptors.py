"""Writes a FileDescriptorSet of google/pubsub/v1/{pubsub,schema}.proto as the installed official client knows them.

google-cloud-pubsub sends what its own types describe (proto-plus messages, compiled into the wheel); the
pubsub.proto file it also bundles is older and lacks fields the client sends (exactly-once delivery, a
subscription's state, BigQuery and Cloud Storage settings). So the messages come from the client's types, and the
services, which those types do not carry, from the bundled proto (stripped of google.api options by
strip-google-api-annotations.py and compiled with protoc). Usage: pubsub-descriptors.py SERVICES_SET OUT_SET
"""

import sys

from google.protobuf import descriptor_pb2, duration_pb2, empty_pb2, field_mask_pb2, struct_pb2, timestamp_pb2
from google.pubsub_v1.types import pubsub, schema

RENAMED = {
    "google/pubsub_v1/types/pubsub.proto": "google/pubsub/v1/pubsub.proto",
    "google/pubsub_v1/types/schema.proto": "google/pubsub/v1/schema.proto",
}


def file_proto(descriptor) -> descriptor_pb2.FileDescriptorProto:
    proto = descriptor_pb2.FileDescriptorProto()
    descriptor.CopyToProto(proto)
    proto.name = RENAMED.get(proto.name, proto.name)
    dependencies = [RENAMED.get(name, name) for name in proto.dependency]
    del proto.dependency[:]
    proto.dependency.extend(dependencies)
    return proto


def main(services_path: str, out_path: str):
    bundled = descriptor_pb2.FileDescriptorSet()
    with open(services_path, "rb") as source:
        bundled.ParseFromString(source.read())
    services = {file.name: file.service for file in bundled.file}

    messages = file_proto(pubsub.Topic.pb().DESCRIPTOR.file)
    messages.service.extend(services["google/pubsub/v1/pubsub.proto"])
    schemas = file_proto(schema.Schema.pb().DESCRIPTOR.file)
    schemas.service.extend(services["google/pubsub/v1/schema.proto"])
    for file in (messages, schemas):
        if "google/protobuf/empty.proto" not in file.dependency:
            file.dependency.append("google/protobuf/empty.proto")

    output = descriptor_pb2.FileDescriptorSet()
    for module in (timestamp_pb2, struct_pb2, duration_pb2, field_mask_pb2, empty_pb2):
        output.file.append(file_proto(module.DESCRIPTOR))
    output.file.append(schemas)
    output.file.append(messages)
    with open(out_path, "wb") as sink:
        sink.write(output.SerializeToString())


if __name__ == "__main__":
    main(*sys.argv[1:])
