# The analytics store. Cloud Run reaches it through its built-in Cloud SQL connection (a unix socket under
# /cloudsql, tunnelled over TLS and authorised by the runtime identity's cloudsql.client role), so the instance
# accepts no direct connections from any network.
resource "google_sql_database_instance" "analytics" {
  #checkov:skip=CKV2_GCP_13:log_duration would log one line per statement, i.e. per ingested message; slow statements are visible in Query Insights instead.
  #checkov:skip=CKV_GCP_110:pgAudit would repeat log_statement=ddl (DDL, ROLE classes) or log message payloads (READ, WRITE); infra/README.md gives the reasoning.
  #checkov:skip=CKV_GCP_60:The public IP only serves the Cloud SQL connector (IAM-authorised, TLS); no authorised networks are configured. A private IP would need a VPC, private services access and VPC egress from Cloud Run.
  name                = var.sql_instance_name
  region              = var.region
  database_version    = var.sql_database_version
  deletion_protection = var.deletion_protection

  settings {
    # Enterprise Plus is the default for recent PostgreSQL versions and costs several times more.
    edition           = "ENTERPRISE"
    tier              = var.sql_tier
    availability_type = var.sql_availability_type
    disk_type         = "PD_SSD"
    disk_size         = var.sql_disk_size_gb
    disk_autoresize   = true
    user_labels       = local.labels

    ip_configuration {
      ipv4_enabled = true
      # The Cloud SQL connector presents a client certificate, so nothing else can connect.
      ssl_mode = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
    }

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      start_time                     = "02:00"
      transaction_log_retention_days = 7

      backup_retention_settings {
        retained_backups = 14
      }
    }

    maintenance_window {
      day          = 7
      hour         = 3
      update_track = "stable"
    }

    insights_config {
      query_insights_enabled  = true
      record_application_tags = false
      record_client_address   = false
    }

    # Audit trail of connections, locks, errors and schema or role changes (log_statement = ddl) in Cloud
    # Logging; other statements are not logged, as they would carry message payloads. pgAudit stays off: its
    # DDL and ROLE classes would repeat log_statement = ddl, and its READ and WRITE classes would log payloads.
    database_flags {
      name  = "log_checkpoints"
      value = "on"
    }
    database_flags {
      name  = "log_connections"
      value = "on"
    }
    database_flags {
      name  = "log_disconnections"
      value = "on"
    }
    database_flags {
      name  = "log_lock_waits"
      value = "on"
    }
    database_flags {
      name  = "log_min_messages"
      value = "error"
    }
    database_flags {
      name  = "log_min_error_statement"
      value = "error"
    }
    database_flags {
      name  = "log_temp_files"
      value = "0"
    }
    database_flags {
      name  = "log_min_duration_statement"
      value = "-1"
    }
    database_flags {
      name  = "log_statement"
      value = "ddl"
    }
    database_flags {
      name  = "log_hostname"
      value = "on"
    }
    dynamic "database_flags" {
      for_each = var.sql_max_connections == null ? [] : [var.sql_max_connections]
      content {
        name  = "max_connections"
        value = tostring(database_flags.value)
      }
    }
  }

  lifecycle {
    # Past the limit, new connections are refused ("remaining connection slots are reserved"): the services fail
    # health checks while scaling out, exactly when the load is highest.
    precondition {
      condition     = local.sql_max_connections > 0
      error_message = "No default connection limit is known for sql_tier ${var.sql_tier}: set sql_max_connections."
    }
    precondition {
      condition     = local.sql_pool_connections + local.sql_reserved_connections < local.sql_max_connections
      error_message = "The services' pools may open ${local.sql_pool_connections} connections (max instances x DATABASE_POOL_SIZE, both services) plus ${local.sql_reserved_connections} reserved, but the instance allows ${local.sql_max_connections}: lower the pool sizes or max instances, or raise the tier."
    }
  }
}

locals {
  # Cloud SQL for PostgreSQL's default max_connections by the tier's memory, from its "Quotas and limits" page:
  # a dedicated-core tier with at least memory_mib gets connections. The shared-core tiers are named there.
  sql_default_max_connections = [
    { memory_mib = 122880, connections = 1000 },
    { memory_mib = 61440, connections = 800 },
    { memory_mib = 30720, connections = 600 },
    { memory_mib = 15360, connections = 500 },
    { memory_mib = 7680, connections = 400 },
    { memory_mib = 6144, connections = 200 },
    { memory_mib = 3840, connections = 100 },
  ]
  sql_shared_core_max_connections = {
    db-f1-micro = 25
    db-g1-small = 50
  }
  # db-custom-<vCPUs>-<memory MiB>; 0 for a tier the table does not cover, which the precondition refuses.
  sql_tier_memory_mib = try(tonumber(regex("^db-custom-[0-9]+-([0-9]+)$", var.sql_tier)[0]), 0)
  sql_max_connections = coalesce(
    var.sql_max_connections,
    lookup(local.sql_shared_core_max_connections, var.sql_tier, null),
    try([
      for row in local.sql_default_max_connections : row.connections if local.sql_tier_memory_mib >= row.memory_mib
    ][0], 0),
  )
  # Connections outside the pools: PostgreSQL's superuser_reserved_connections (3, unusable by the contrail
  # user), the migration connection each starting instance opens before its pool, and an operator's psql.
  sql_reserved_connections = 10
  sql_pool_connections = (
    var.ingest_max_instances * var.ingest_database_pool_size + var.query_max_instances * var.query_database_pool_size
  )
}

resource "google_sql_database" "analytics" {
  name     = var.database_name
  instance = google_sql_database_instance.analytics.name
}

# Letters and digits only: the password goes into a URL and stays valid without percent-encoding.
resource "random_password" "database" {
  length  = 40
  special = false
}

resource "google_sql_user" "contrail" {
  name     = var.database_user
  instance = google_sql_database_instance.analytics.name
  password = random_password.database.result

  # PostgreSQL refuses to drop a role that still owns the schema; the instance's deletion removes it anyway.
  deletion_policy = "ABANDON"
}

# The whole DATABASE_URL is the secret, so the services read it as one value and the password never appears in
# a service definition. The state holds it too: the state bucket must be as private as the secret.
resource "google_secret_manager_secret" "database_url" {
  #checkov:skip=CKV_GCP_124:Google-managed encryption; the only reader is the two runtime identities granted below.
  secret_id = "contrail-database-url"
  labels    = local.labels

  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "database_url" {
  secret      = google_secret_manager_secret.database_url.id
  secret_data = "postgres://${google_sql_user.contrail.name}:${random_password.database.result}@/${google_sql_database.analytics.name}?host=/cloudsql/${google_sql_database_instance.analytics.connection_name}"
}
