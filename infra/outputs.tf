output "registry" {
  description = "Where images are pushed: docker tag/push to <registry>/contrail:<sha>."
  value       = "${google_artifact_registry_repository.images.location}-docker.pkg.dev/${google_artifact_registry_repository.images.project}/${google_artifact_registry_repository.images.repository_id}"
}

output "ingest_url" {
  description = "URL of the ingest service (the push endpoint); callable only by the push service account."
  value       = google_cloud_run_v2_service.ingest.uri
}

output "query_url" {
  description = "URL of the query API (GET /records, /records/{id}, /stats, /openapi.json)."
  value       = google_cloud_run_v2_service.query.uri
}

output "query_public" {
  description = "Whether the query API is open to unauthenticated callers; if not, callers need an identity token."
  value       = var.query_public
}

output "topic" {
  description = "Short name of the topic producers publish to (gcloud pubsub topics publish <topic>)."
  value       = google_pubsub_topic.events.name
}

output "topic_id" {
  description = "Full resource name of the topic."
  value       = google_pubsub_topic.events.id
}

output "push_subscription" {
  description = "Full resource name of the push subscription to the ingest service."
  value       = google_pubsub_subscription.ingest_push.id
}

output "dead_letter_topic" {
  description = "Full resource name of the dead-letter topic."
  value       = google_pubsub_topic.dead_letter.id
}

output "dead_letter_subscription" {
  description = "Pull subscription holding dead letters (gcloud pubsub subscriptions pull <name>)."
  value       = google_pubsub_subscription.dead_letter_pull.name
}

output "push_service_account" {
  description = "Identity in the push subscription's OIDC token."
  value       = google_service_account.push_invoker.email
}

output "ingest_service_account" {
  description = "Runtime identity of the ingest service."
  value       = google_service_account.ingest_runtime.email
}

output "query_service_account" {
  description = "Runtime identity of the query service."
  value       = google_service_account.query_runtime.email
}

output "sql_connection_name" {
  description = "Cloud SQL connection name (PROJECT:REGION:INSTANCE), for the Cloud SQL Auth Proxy."
  value       = google_sql_database_instance.analytics.connection_name
}

output "database_url_secret" {
  description = "Secret Manager secret holding the services' DATABASE_URL."
  value       = google_secret_manager_secret.database_url.id
}
