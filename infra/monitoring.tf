# Cloud Monitoring: the SLOs of monitoring/SLO.md and their alert policies, built on the metrics Cloud Run and
# Pub/Sub report by themselves, so nothing here depends on collecting the services' own /_/metrics. Where those
# built-in metrics measure something other than the local SLI, monitoring/SLO.md says how and why.

variable "notification_channels" {
  description = "Ids of further notification channels (projects/PROJECT/notificationChannels/ID, e.g. a pager) that every alert policy notifies besides alert_email."
  type        = list(string)
  default     = []
}

# Every policy notifies at least this channel: alert_email has no default, so no deployment has silent alerts.
resource "google_monitoring_notification_channel" "alert_email" {
  display_name = "Contrail alerts (${var.alert_email})"
  type         = "email"
  labels = {
    email_address = var.alert_email
  }
  user_labels = local.labels
}

locals {
  alert_notification_channels = concat(
    [google_monitoring_notification_channel.alert_email.id], var.notification_channels,
  )

  # Rolling 30 days, as in the Prometheus rules: a calendar month would reset the budget on the 1st whatever
  # happened on the 31st.
  slo_rolling_period_days = 30

  query_requests = join(" AND ", [
    "resource.type=\"cloud_run_revision\"",
    "resource.labels.service_name=\"${google_cloud_run_v2_service.query.name}\"",
    "resource.labels.location=\"${google_cloud_run_v2_service.query.location}\"",
    "metric.type=\"run.googleapis.com/request_count\"",
  ])
  ingest_requests = join(" AND ", [
    "resource.type=\"cloud_run_revision\"",
    "resource.labels.service_name=\"${google_cloud_run_v2_service.ingest.name}\"",
    "resource.labels.location=\"${google_cloud_run_v2_service.ingest.location}\"",
    "metric.type=\"run.googleapis.com/request_count\"",
  ])
  ingest_subscription = "resource.type=\"pubsub_subscription\" AND resource.labels.subscription_id=\"${google_pubsub_subscription.ingest_push.name}\""

  # Google SRE workbook, multi-window multi-burn-rate: each long window is paired with a short one of 1/12 its length
  # so the alert clears soon after the burn stops. Cloud Monitoring cannot OR two ANDed pairs in one policy, so each
  # pair is its own policy.
  burn_rate_alerts = {
    page-1h   = { long = "3600s", short = "300s", burn_rate = 14.4, severity = "CRITICAL", kind = "page" }
    page-6h   = { long = "21600s", short = "1800s", burn_rate = 6, severity = "CRITICAL", kind = "page" }
    ticket-1d = { long = "86400s", short = "7200s", burn_rate = 3, severity = "WARNING", kind = "ticket" }
    ticket-3d = { long = "259200s", short = "21600s", burn_rate = 1, severity = "WARNING", kind = "ticket" }
  }
  slos = {
    query-availability = google_monitoring_slo.query_availability
    query-latency      = google_monitoring_slo.query_latency
    ingest-freshness   = google_monitoring_slo.ingest_freshness
  }
  slo_burn_rate_alerts = {
    for pair in setproduct(keys(local.slos), keys(local.burn_rate_alerts)) :
    "${pair[0]}-${pair[1]}" => merge(local.burn_rate_alerts[pair[1]], { slo = pair[0] })
  }
}

# --- services -------------------------------------------------------------------------------------------------------

resource "google_monitoring_service" "query" {
  project      = var.project_id
  service_id   = "contrail-query-${var.region}"
  display_name = "Contrail query API"
  user_labels  = local.labels

  basic_service {
    service_type = "CLOUD_RUN"
    service_labels = {
      service_name = google_cloud_run_v2_service.query.name
      location     = google_cloud_run_v2_service.query.location
    }
  }
}

# Freshness belongs to the pipeline (Pub/Sub subscription and ingest together), not to one Cloud Run service.
resource "google_monitoring_custom_service" "ingest_pipeline" {
  project      = var.project_id
  service_id   = "contrail-ingest-${var.region}"
  display_name = "Contrail ingest pipeline"
  user_labels  = local.labels
}

# --- SLOs -----------------------------------------------------------------------------------------------------------

resource "google_monitoring_slo" "query_availability" {
  project             = var.project_id
  service             = google_monitoring_service.query.service_id
  slo_id              = "query-availability"
  display_name        = "99.9% of query requests are not answered 5xx (rolling 30 days)"
  goal                = 0.999
  rolling_period_days = local.slo_rolling_period_days
  user_labels         = local.labels

  # 4xx are the caller's mistake and count as good, as in the Prometheus rules.
  request_based_sli {
    good_total_ratio {
      total_service_filter = local.query_requests
      bad_service_filter   = "${local.query_requests} AND metric.labels.response_code_class=\"5xx\""
    }
  }
}

resource "google_monitoring_slo" "query_latency" {
  project             = var.project_id
  service             = google_monitoring_service.query.service_id
  slo_id              = "query-latency"
  display_name        = "99% of query requests are served within 250 ms (rolling 30 days)"
  goal                = 0.99
  rolling_period_days = local.slo_rolling_period_days
  user_labels         = local.labels

  # Cloud Run measures at its front end, so this includes cold starts the handler histogram never sees.
  request_based_sli {
    distribution_cut {
      distribution_filter = join(" AND ", [
        "resource.type=\"cloud_run_revision\"",
        "resource.labels.service_name=\"${google_cloud_run_v2_service.query.name}\"",
        "resource.labels.location=\"${google_cloud_run_v2_service.query.location}\"",
        "metric.type=\"run.googleapis.com/request_latencies\"",
      ])
      range {
        max = 250 # milliseconds
      }
    }
  }
}

# Pub/Sub reports no per-message publish-to-commit lag, but ingest acknowledges only after the commit, so while the
# oldest unacknowledged message is at most 60 s old every message has become queryable within 60 s. A minute is
# good when that holds; the objective counts minutes, not messages (see SLO.md).
resource "google_monitoring_slo" "ingest_freshness" {
  project             = var.project_id
  service             = google_monitoring_custom_service.ingest_pipeline.service_id
  slo_id              = "ingest-freshness"
  display_name        = "99% of minutes with no message unqueryable for over 60 s (rolling 30 days)"
  goal                = 0.99
  rolling_period_days = local.slo_rolling_period_days
  user_labels         = local.labels

  windows_based_sli {
    window_period = "60s"
    metric_mean_in_range {
      time_series = "metric.type=\"pubsub.googleapis.com/subscription/oldest_unacked_message_age\" AND ${local.ingest_subscription}"
      range {
        max = 60 # seconds
      }
    }
  }
}

# --- burn-rate alerts -----------------------------------------------------------------------------------------------

resource "google_monitoring_alert_policy" "slo_burn_rate" {
  for_each = local.slo_burn_rate_alerts

  project               = var.project_id
  display_name          = "Contrail ${each.value.slo}: error budget burning at ${each.value.burn_rate}x (${each.value.kind})"
  combiner              = "AND"
  severity              = each.value.severity
  notification_channels = local.alert_notification_channels
  user_labels = merge(local.labels, {
    slo      = each.value.slo
    severity = each.value.kind
  })

  conditions {
    display_name = "burn rate over ${each.value.long} above ${each.value.burn_rate}"
    condition_threshold {
      filter          = "select_slo_burn_rate(\"${local.slos[each.value.slo].name}\", \"${each.value.long}\")"
      comparison      = "COMPARISON_GT"
      threshold_value = each.value.burn_rate
      duration        = "0s"
    }
  }

  conditions {
    display_name = "burn rate over ${each.value.short} above ${each.value.burn_rate}"
    condition_threshold {
      filter          = "select_slo_burn_rate(\"${local.slos[each.value.slo].name}\", \"${each.value.short}\")"
      comparison      = "COMPARISON_GT"
      threshold_value = each.value.burn_rate
      duration        = "0s"
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "The ${each.value.slo} SLO (infra/monitoring/SLO.md) is spending its 30-day error budget ${each.value.burn_rate} times faster than it can afford, over both the last ${each.value.long} and the last ${each.value.short}."
  }
}

# --- pipeline alerts ------------------------------------------------------------------------------------------------

# A stalled ingest stores nothing, so it produces no late messages for the freshness SLO to count; the age of the
# oldest unacknowledged message is the signal that grows while it is stuck. One poison message ages the same way
# while Pub/Sub backs off between its attempts (tens of minutes before the dead letter), so the page also asks that
# ingest answered no push with a 2xx for 10 minutes, and a stuck message among flowing ones is a ticket.
resource "google_monitoring_alert_policy" "ingest_stalled" {
  project               = var.project_id
  display_name          = "Contrail ingest: stalled, nothing committed while messages age past 10 minutes (page)"
  combiner              = "AND"
  severity              = "CRITICAL"
  notification_channels = local.alert_notification_channels
  user_labels = merge(local.labels, {
    severity = "page"
  })

  conditions {
    display_name = "oldest unacknowledged message older than 600 s for 5 minutes"
    condition_threshold {
      filter          = "metric.type=\"pubsub.googleapis.com/subscription/oldest_unacked_message_age\" AND ${local.ingest_subscription}"
      comparison      = "COMPARISON_GT"
      threshold_value = 600
      duration        = "300s"
      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  conditions {
    display_name = "no 2xx from ingest for 10 minutes"
    condition_absent {
      filter   = "${local.ingest_requests} AND metric.labels.response_code_class=\"2xx\""
      duration = "600s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "Ingest is committing nothing from the push subscription: no message is becoming queryable. Check ingest's 5xx and the store."
  }
}

resource "google_monitoring_alert_policy" "ingest_message_stuck" {
  project               = var.project_id
  display_name          = "Contrail ingest: a message has been unacknowledged for over 10 minutes (ticket)"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = local.alert_notification_channels
  user_labels = merge(local.labels, {
    severity = "ticket"
  })

  conditions {
    display_name = "oldest unacknowledged message older than 600 s for 5 minutes"
    condition_threshold {
      filter          = "metric.type=\"pubsub.googleapis.com/subscription/oldest_unacked_message_age\" AND ${local.ingest_subscription}"
      comparison      = "COMPARISON_GT"
      threshold_value = 600
      duration        = "300s"
      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "Ingest keeps failing some message (often one it cannot parse or store); Pub/Sub will dead-letter it after its last attempt."
  }
}

# Dead-lettered messages are kept, not lost, but never become queryable unless someone replays them.
resource "google_monitoring_alert_policy" "ingest_dead_letters" {
  project               = var.project_id
  display_name          = "Contrail ingest: messages were dead-lettered (ticket)"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = local.alert_notification_channels
  user_labels = merge(local.labels, {
    severity = "ticket"
  })

  conditions {
    display_name = "messages forwarded to the dead-letter topic"
    condition_threshold {
      filter          = "metric.type=\"pubsub.googleapis.com/subscription/dead_letter_message_count\" AND ${local.ingest_subscription}"
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_SUM"
      }
    }
  }

  alert_strategy {
    auto_close = "1800s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "Messages exhausted their delivery attempts and went to the dead-letter topic (${google_pubsub_topic.dead_letter.name}). Find the cause, then replay them."
  }
}

# Retries hide ingest failures from the freshness SLO until the backlog ages; this names them while they persist.
resource "google_monitoring_alert_policy" "ingest_errors" {
  project               = var.project_id
  display_name          = "Contrail ingest: over 10% of pushes answered 5xx for 15 minutes (ticket)"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = local.alert_notification_channels
  user_labels = merge(local.labels, {
    severity = "ticket"
  })

  conditions {
    display_name = "ingest 5xx ratio above 10%"
    condition_threshold {
      filter             = "${local.ingest_requests} AND metric.labels.response_code_class=\"5xx\""
      denominator_filter = local.ingest_requests
      comparison         = "COMPARISON_GT"
      threshold_value    = 0.1
      duration           = "900s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
      }
      denominator_aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "Ingest is refusing or failing pushes (Pub/Sub will redeliver them). A 5xx from ingest usually means the store is unreachable."
  }
}

# The measurable half of "no acknowledged message is lost" with built-in metrics only: Pub/Sub must never count more
# acknowledged pushes than ingest answered 2xx, and ingest answers 2xx only after the commit. Whether a committed row
# stays in the store is not visible here; SLO.md describes the reconciliation that covers it. Both sides are
# shifted back 5 minutes, since Pub/Sub's metrics arrive a few minutes late and Cloud Run's sooner.
resource "google_monitoring_alert_policy" "ingest_acks_without_commit" {
  project               = var.project_id
  display_name          = "Contrail ingest: Pub/Sub acknowledged pushes that ingest did not answer 2xx (page)"
  combiner              = "OR"
  severity              = "CRITICAL"
  notification_channels = local.alert_notification_channels
  user_labels = merge(local.labels, {
    slo      = "ingest-no-loss"
    severity = "page"
  })

  conditions {
    display_name = "acknowledged pushes exceed ingest 2xx responses"
    condition_prometheus_query_language {
      query               = <<-EOT
        sum(increase(pubsub_googleapis_com:subscription_push_request_count{monitored_resource="pubsub_subscription",subscription_id="${google_pubsub_subscription.ingest_push.name}",response_class="ack"}[15m] offset 5m))
        -
        (sum(increase(run_googleapis_com:request_count{monitored_resource="cloud_run_revision",service_name="${google_cloud_run_v2_service.ingest.name}",response_code_class="2xx"}[15m] offset 5m)) or vector(0))
        > 0.5
      EOT
      duration            = "300s"
      evaluation_interval = "60s"
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "Pub/Sub counted pushes to ingest as acknowledged that Cloud Run did not see ingest answer 2xx: something other than a commit acknowledged them. See the ingest-no-loss SLO in infra/monitoring/SLO.md."
  }
}
