# Two services from the one image: FUNCTION_TARGET picks the function each serves at every path.

locals {
  container_port = 8080
  cloudsql_mount = "/cloudsql"
  health_path    = "/_/health"
}

resource "google_cloud_run_v2_service" "ingest" {
  name                = "ingest"
  location            = var.region
  ingress             = var.ingest_ingress
  deletion_protection = var.deletion_protection
  labels              = local.labels

  template {
    service_account                  = google_service_account.ingest_runtime.email
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN2"
    max_instance_request_concurrency = var.ingest_concurrency
    # Pub/Sub gives up on a push after the ack deadline; running longer would only produce a duplicate.
    timeout = "${var.ack_deadline_seconds}s"

    scaling {
      min_instance_count = var.ingest_min_instances
      max_instance_count = var.ingest_max_instances
    }

    volumes {
      name = "cloudsql"
      cloud_sql_instance {
        instances = [google_sql_database_instance.analytics.connection_name]
      }
    }

    containers {
      image = var.image

      ports {
        container_port = local.container_port
      }

      resources {
        limits = {
          cpu    = var.cpu
          memory = var.memory
        }
        # Request-based billing: CPU only while a request is in flight. Ingest commits before it answers, so no
        # work is left for after the response; an ingest that acknowledged first and committed later would need
        # CPU always allocated (false), and would pay for every idle second of every instance.
        cpu_idle = true
      }

      env {
        name  = "FUNCTION_TARGET"
        value = "ingest"
      }
      # Cloud Run IAM has verified the push token (audience, signature, run.invoker) and strips its signature;
      # the container checks the remaining claims: the sender must be the push identity.
      env {
        name  = "PUSH_AUTH"
        value = "platform"
      }
      env {
        name  = "PUSH_SERVICE_ACCOUNTS"
        value = google_service_account.push_invoker.email
      }
      env {
        name  = "CLOUD_RUN_TIMEOUT_SECONDS"
        value = tostring(var.ack_deadline_seconds)
      }
      env {
        name  = "GOOGLE_CLOUD_PROJECT"
        value = var.project_id
      }
      env {
        name  = "LOG_LEVEL"
        value = var.log_level
      }
      # Apart from DATABASE_URL, one secret for both services, because each service's pool is sized for its own
      # share of the instance's connections (local.sql_pool_connections).
      env {
        name  = "DATABASE_POOL_SIZE"
        value = tostring(var.ingest_database_pool_size)
      }
      env {
        name = "DATABASE_URL"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.database_url.secret_id
            version = google_secret_manager_secret_version.database_url.version
          }
        }
      }

      volume_mounts {
        name       = "cloudsql"
        mount_path = local.cloudsql_mount
      }

      # Not ready until the store is migrated and reachable: a revision that cannot write never takes traffic.
      startup_probe {
        period_seconds    = 3
        timeout_seconds   = 2
        failure_threshold = 40
        http_get {
          path = local.health_path
          port = local.container_port
        }
      }

      # Restarts an instance only after a sustained failure, not for a blip of the store.
      liveness_probe {
        period_seconds    = 30
        timeout_seconds   = 5
        failure_threshold = 3
        http_get {
          path = local.health_path
          port = local.container_port
        }
      }
    }
  }

  depends_on = [
    google_project_iam_member.runtime_cloudsql_client,
    google_secret_manager_secret_iam_member.runtime_database_url,
  ]
}

resource "google_cloud_run_v2_service" "query" {
  name                = "query"
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_ALL"
  deletion_protection = var.deletion_protection
  labels              = local.labels

  template {
    service_account                  = google_service_account.query_runtime.email
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN2"
    max_instance_request_concurrency = var.query_concurrency
    timeout                          = "${var.query_timeout_seconds}s"

    scaling {
      min_instance_count = var.query_min_instances
      max_instance_count = var.query_max_instances
    }

    volumes {
      name = "cloudsql"
      cloud_sql_instance {
        instances = [google_sql_database_instance.analytics.connection_name]
      }
    }

    containers {
      image = var.image

      ports {
        container_port = local.container_port
      }

      resources {
        limits = {
          cpu    = var.cpu
          memory = var.memory
        }
        # Request-based billing: a query is answered in full before the response ends, so nothing runs between
        # requests that needs CPU.
        cpu_idle = true
      }

      env {
        name  = "FUNCTION_TARGET"
        value = "query"
      }
      env {
        name  = "CLOUD_RUN_TIMEOUT_SECONDS"
        value = tostring(var.query_timeout_seconds)
      }
      env {
        name  = "GOOGLE_CLOUD_PROJECT"
        value = var.project_id
      }
      env {
        name  = "LOG_LEVEL"
        value = var.log_level
      }
      env {
        name  = "DATABASE_POOL_SIZE"
        value = tostring(var.query_database_pool_size)
      }
      env {
        name = "DATABASE_URL"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.database_url.secret_id
            version = google_secret_manager_secret_version.database_url.version
          }
        }
      }

      volume_mounts {
        name       = "cloudsql"
        mount_path = local.cloudsql_mount
      }

      startup_probe {
        period_seconds    = 3
        timeout_seconds   = 2
        failure_threshold = 40
        http_get {
          path = local.health_path
          port = local.container_port
        }
      }

      liveness_probe {
        period_seconds    = 30
        timeout_seconds   = 5
        failure_threshold = 3
        http_get {
          path = local.health_path
          port = local.container_port
        }
      }
    }
  }

  depends_on = [
    google_project_iam_member.runtime_cloudsql_client,
    google_secret_manager_secret_iam_member.runtime_database_url,
  ]
}
