resource "google_artifact_registry_repository" "images" {
  #checkov:skip=CKV_GCP_84:Images hold no secrets; Google-managed encryption is enough and a customer-managed key would add a KMS key ring to operate.
  project       = var.project_id
  location      = var.region
  repository_id = var.repository_id
  description   = "Contrail container images, tagged by commit SHA."
  format        = "DOCKER"
  labels        = local.labels

  # Deployments pin an image by commit SHA: a tag that could be moved would make a deployment unreproducible.
  docker_config {
    immutable_tags = true
  }

  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 20
    }
  }

  cleanup_policies {
    id     = "delete-old"
    action = "DELETE"
    condition {
      older_than = "2592000s"
    }
  }
}
