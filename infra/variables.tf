variable "project_id" {
  description = "Google Cloud project that hosts everything."
  type        = string
}

variable "region" {
  description = "Region of the Cloud Run services, the Cloud SQL instance and the Artifact Registry repository."
  type        = string
  default     = "europe-west1"
}

variable "image" {
  description = "Container image both Cloud Run services run, e.g. REGION-docker.pkg.dev/PROJECT/contrail/contrail:SHA. Pin it by commit SHA or digest, never by a moving tag."
  type        = string
}

variable "repository_id" {
  description = "Artifact Registry repository for the container images."
  type        = string
  default     = "contrail"
}

variable "labels" {
  description = "Labels added to every resource that takes them."
  type        = map(string)
  default     = {}
}

variable "alert_email" {
  description = "Email address every alert policy notifies, through a notification channel created for it. Required: without a channel the alert policies fire into nobody's inbox."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alert_email))
    error_message = "alert_email must be an email address (set TF_VAR_alert_email, or the ALERT_EMAIL repository variable for the pipeline)."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the Cloud Run services and the Cloud SQL instance. Set to false before `terraform destroy`."
  type        = bool
  default     = true
}

# Pub/Sub
#
# The defaults of topic_name, ack_deadline_seconds, retry_minimum_backoff, retry_maximum_backoff and
# max_delivery_attempts are the trigger the reference app declares for ingest (Functions.ingestTrigger), the one
# `contrail dev` creates; Tests/infra/test_declared_triggers.py fails when the two differ, so change them together.
# A deployment that overrides one of them runs other settings than the code declares and dev reproduces.

variable "topic_name" {
  description = "Topic the producers publish to."
  type        = string
  default     = "events"
}

variable "ack_deadline_seconds" {
  description = "Push subscription ack deadline, which Pub/Sub also uses as the push request timeout; the ingest service's request timeout is set to the same value."
  type        = number
  default     = 60

  validation {
    condition     = var.ack_deadline_seconds >= 10 && var.ack_deadline_seconds <= 600
    error_message = "ack_deadline_seconds must be between 10 and 600."
  }
}

variable "retry_minimum_backoff" {
  description = "Minimum delay before Pub/Sub redelivers a nacked message (duration, e.g. \"10s\")."
  type        = string
  default     = "10s"
}

variable "retry_maximum_backoff" {
  description = "Maximum delay before Pub/Sub redelivers a nacked message (duration, at most \"600s\")."
  type        = string
  default     = "600s"
}

variable "max_delivery_attempts" {
  description = "Deliveries of one message to the ingest service before it goes to the dead-letter topic."
  type        = number
  default     = 10

  validation {
    condition     = var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100
    error_message = "max_delivery_attempts must be between 5 and 100."
  }
}

variable "message_retention_duration" {
  description = "How long the subscriptions keep unacknowledged messages (duration, 10 minutes to 31 days)."
  type        = string
  default     = "604800s"
}

variable "dead_letter_retention_duration" {
  description = "How long the dead-letter pull subscription keeps dead letters for inspection and replay."
  type        = string
  default     = "2678400s"
}

# Cloud Run

variable "ingest_ingress" {
  description = "Ingress of the ingest service: INGRESS_TRAFFIC_INTERNAL_ONLY (Pub/Sub pushes from the same project count as internal) or INGRESS_TRAFFIC_ALL (still behind IAM)."
  type        = string
  default     = "INGRESS_TRAFFIC_INTERNAL_ONLY"

  validation {
    condition     = contains(["INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_ALL"], var.ingest_ingress)
    error_message = "ingest_ingress must be INGRESS_TRAFFIC_INTERNAL_ONLY or INGRESS_TRAFFIC_ALL."
  }
}

variable "query_public" {
  description = "Serve the query API to everyone (allUsers gets roles/run.invoker). When false, only query_invokers may call it."
  type        = bool
  default     = false
}

variable "query_invokers" {
  description = "IAM members (e.g. \"serviceAccount:ci@PROJECT.iam.gserviceaccount.com\" for the smoke test) allowed to call the query service when it is not public."
  type        = list(string)
  default     = []
}

variable "ingest_min_instances" {
  description = "Instances of the ingest service kept warm (0 allows scaling to zero, at the cost of cold starts)."
  type        = number
  default     = 0
}

variable "ingest_max_instances" {
  description = "Upper bound on ingest instances; with concurrency it bounds the connections to Cloud SQL."
  type        = number
  default     = 10
}

variable "ingest_concurrency" {
  description = "Concurrent requests per ingest instance; concurrent deliveries share one commit, so higher is cheaper."
  type        = number
  default     = 80
}

variable "query_min_instances" {
  description = "Instances of the query service kept warm."
  type        = number
  default     = 0
}

variable "query_max_instances" {
  description = "Upper bound on query instances."
  type        = number
  default     = 10
}

variable "ingest_database_pool_size" {
  description = "Most connections each ingest instance opens to Cloud SQL (DATABASE_POOL_SIZE). One commit is in flight per instance, so a few cover it and the health checks; ingest_max_instances times this counts against the instance's connection limit."
  type        = number
  default     = 3

  validation {
    condition     = var.ingest_database_pool_size >= 1 && var.ingest_database_pool_size <= 1000
    error_message = "ingest_database_pool_size must be between 1 and 1000."
  }
}

variable "query_concurrency" {
  description = "Concurrent requests per query instance."
  type        = number
  default     = 80
}

variable "query_database_pool_size" {
  description = "Most connections each query instance opens to Cloud SQL (DATABASE_POOL_SIZE). A request beyond them waits up to 5 s for one; query_max_instances times this counts against the instance's connection limit."
  type        = number
  default     = 5

  validation {
    condition     = var.query_database_pool_size >= 1 && var.query_database_pool_size <= 1000
    error_message = "query_database_pool_size must be between 1 and 1000."
  }
}

variable "cpu" {
  description = "CPU limit of each instance of either service."
  type        = string
  default     = "1"
}

variable "memory" {
  description = "Memory limit of each instance of either service."
  type        = string
  default     = "512Mi"
}

variable "query_timeout_seconds" {
  description = "Request timeout of the query service."
  type        = number
  default     = 30
}

variable "log_level" {
  description = "LOG_LEVEL of both services (trace, debug, info, notice, warning, error, critical)."
  type        = string
  default     = "info"
}

# Cloud SQL

variable "sql_instance_name" {
  description = "Name of the Cloud SQL for PostgreSQL instance holding the analytics store."
  type        = string
  default     = "contrail-analytics"
}

variable "sql_database_version" {
  description = "PostgreSQL major version of the Cloud SQL instance."
  type        = string
  default     = "POSTGRES_18"
}

variable "sql_tier" {
  description = "Machine tier of the Cloud SQL instance (Enterprise edition)."
  type        = string
  default     = "db-custom-1-3840"
}

variable "sql_max_connections" {
  description = "max_connections of the Cloud SQL instance. null keeps Cloud SQL's default for the tier's memory (local.sql_default_max_connections); a number also sets the flag. Both services' pools must fit under it."
  type        = number
  default     = null
}

variable "sql_availability_type" {
  description = "ZONAL, or REGIONAL for a standby in a second zone."
  type        = string
  default     = "ZONAL"
}

variable "sql_disk_size_gb" {
  description = "Initial disk size of the Cloud SQL instance; it grows automatically."
  type        = number
  default     = 10
}

variable "database_name" {
  description = "Database that holds the records."
  type        = string
  default     = "contrail"
}

variable "database_user" {
  description = "PostgreSQL user both services connect as."
  type        = string
  default     = "contrail"
}
