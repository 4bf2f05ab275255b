resource "google_pubsub_topic" "events" {
  #checkov:skip=CKV_GCP_83:Google-managed encryption; a customer-managed key would add a KMS key ring to operate for no requirement we have.
  name   = var.topic_name
  labels = local.labels
}

resource "google_pubsub_topic" "dead_letter" {
  #checkov:skip=CKV_GCP_83:Google-managed encryption, as for the source topic.
  name   = "${var.topic_name}-dead-letter"
  labels = local.labels
}

# The trigger `ingest` declares (Functions.ingestTrigger, printed by `contrail describe`), written out here and
# checked against it by Tests/infra/test_declared_triggers.py.
resource "google_pubsub_subscription" "ingest_push" {
  name   = "ingest-push"
  topic  = google_pubsub_topic.events.id
  labels = local.labels

  # Also the push request timeout: the ingest service's own timeout is set to the same value, so a slow commit
  # is neither cut short by Cloud Run nor delivered twice by Pub/Sub while it is still running.
  ack_deadline_seconds       = var.ack_deadline_seconds
  message_retention_duration = var.message_retention_duration

  push_config {
    # Served at every path under FUNCTION_TARGET=ingest, so the service URL itself is the endpoint.
    push_endpoint = google_cloud_run_v2_service.ingest.uri

    # Cloud Run checks this token (audience = the service URL, by default) against run.invoker on the ingest
    # service; the container then reads its claims (PUSH_AUTH=platform).
    oidc_token {
      service_account_email = google_service_account.push_invoker.email
    }
  }

  retry_policy {
    minimum_backoff = var.retry_minimum_backoff
    maximum_backoff = var.retry_maximum_backoff
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter.id
    max_delivery_attempts = var.max_delivery_attempts
  }

  # A subscription without activity would otherwise be deleted after 31 days, silently dropping the pipeline.
  expiration_policy {
    ttl = ""
  }

  # Pub/Sub checks these grants when messages flow, not when the subscription is created; creating them first
  # avoids a window in which the first pushes are refused or dead letters are lost.
  depends_on = [
    google_cloud_run_v2_service_iam_member.ingest_push_invoker,
    google_service_account_iam_member.pubsub_agent_token_creator,
    google_pubsub_topic_iam_member.dead_letter_publisher,
  ]
}

# Dead letters are only kept while a subscription holds them: without this one they would be discarded.
resource "google_pubsub_subscription" "dead_letter_pull" {
  name   = "${var.topic_name}-dead-letter-pull"
  topic  = google_pubsub_topic.dead_letter.id
  labels = local.labels

  ack_deadline_seconds       = 60
  message_retention_duration = var.dead_letter_retention_duration
  retain_acked_messages      = false

  expiration_policy {
    ttl = ""
  }
}
