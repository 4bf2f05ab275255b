import GRPCCore
import PubSubProtocol
import SwiftProtobuf

/// `google.pubsub.v1.SchemaService`: not offered yet, so each RPC says so by name at once.
struct SchemaService: Google_Pubsub_V1_SchemaService.SimpleServiceProtocol {
    func createSchema(
        request: Google_Pubsub_V1_CreateSchemaRequest,
        context: ServerContext
    ) async throws
        -> Google_Pubsub_V1_Schema
    {
        throw UnbuiltRPC.error("CreateSchema")
    }

    func getSchema(
        request: Google_Pubsub_V1_GetSchemaRequest,
        context: ServerContext
    ) async throws
        -> Google_Pubsub_V1_Schema
    {
        throw UnbuiltRPC.error("GetSchema")
    }

    func listSchemas(
        request: Google_Pubsub_V1_ListSchemasRequest,
        context: ServerContext
    ) async throws
        -> Google_Pubsub_V1_ListSchemasResponse
    {
        throw UnbuiltRPC.error("ListSchemas")
    }

    func deleteSchema(
        request: Google_Pubsub_V1_DeleteSchemaRequest,
        context: ServerContext
    ) async throws
        -> Google_Protobuf_Empty
    {
        throw UnbuiltRPC.error("DeleteSchema")
    }

    func validateSchema(
        request: Google_Pubsub_V1_ValidateSchemaRequest,
        context: ServerContext
    ) async throws
        -> Google_Pubsub_V1_ValidateSchemaResponse
    {
        throw UnbuiltRPC.error("ValidateSchema")
    }

    func validateMessage(
        request: Google_Pubsub_V1_ValidateMessageRequest,
        context: ServerContext
    ) async throws
        -> Google_Pubsub_V1_ValidateMessageResponse
    {
        throw UnbuiltRPC.error("ValidateMessage")
    }
}
