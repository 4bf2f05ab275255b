# One identity per job, each holding only what that job needs.

resource "google_service_account" "push_invoker" {
  account_id   = "contrail-push-invoker"
  display_name = "Contrail: Pub/Sub push to the ingest service"
  description  = "Identity in the OIDC token of the ingest-push subscription; may only invoke the ingest service."
}

resource "google_service_account" "ingest_runtime" {
  account_id   = "contrail-ingest"
  display_name = "Contrail: ingest service runtime"
  description  = "Runs the ingest service: connects to Cloud SQL and reads the DATABASE_URL secret."
}

resource "google_service_account" "query_runtime" {
  account_id   = "contrail-query"
  display_name = "Contrail: query service runtime"
  description  = "Runs the query service: connects to Cloud SQL and reads the DATABASE_URL secret."
}

locals {
  runtime_service_accounts = {
    ingest = google_service_account.ingest_runtime.member
    query  = google_service_account.query_runtime.member
  }
}

# The push identity invokes the ingest service and nothing else.
resource "google_cloud_run_v2_service_iam_member" "ingest_push_invoker" {
  project  = google_cloud_run_v2_service.ingest.project
  location = google_cloud_run_v2_service.ingest.location
  name     = google_cloud_run_v2_service.ingest.name
  role     = "roles/run.invoker"
  member   = google_service_account.push_invoker.member
}

resource "google_cloud_run_v2_service_iam_member" "query_public" {
  #checkov:skip=CKV_GCP_102:The query API is public only when var.query_public says so; it is read-only and validates every parameter.
  count = var.query_public ? 1 : 0

  project  = google_cloud_run_v2_service.query.project
  location = google_cloud_run_v2_service.query.location
  name     = google_cloud_run_v2_service.query.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_run_v2_service_iam_member" "query_invokers" {
  for_each = toset(var.query_public ? [] : var.query_invokers)

  project  = google_cloud_run_v2_service.query.project
  location = google_cloud_run_v2_service.query.location
  name     = google_cloud_run_v2_service.query.name
  role     = "roles/run.invoker"
  member   = each.value
}

# The Pub/Sub service agent signs the push tokens as the push identity...
resource "google_service_account_iam_member" "pubsub_agent_token_creator" {
  service_account_id = google_service_account.push_invoker.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_service_agent
}

# ...forwards undeliverable messages to the dead-letter topic...
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  topic  = google_pubsub_topic.dead_letter.id
  role   = "roles/pubsub.publisher"
  member = local.pubsub_service_agent
}

# ...and acknowledges them on the source subscription once forwarded.
resource "google_pubsub_subscription_iam_member" "ingest_push_dead_letter_subscriber" {
  subscription = google_pubsub_subscription.ingest_push.id
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}

# Cloud SQL grants connection rights only at project level; the connection still needs the database password.
resource "google_project_iam_member" "runtime_cloudsql_client" {
  for_each = local.runtime_service_accounts

  project = var.project_id
  role    = "roles/cloudsql.client"
  member  = each.value
}

resource "google_secret_manager_secret_iam_member" "runtime_database_url" {
  for_each = local.runtime_service_accounts

  project   = google_secret_manager_secret.database_url.project
  secret_id = google_secret_manager_secret.database_url.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = each.value
}
