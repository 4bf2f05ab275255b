terraform {
  required_version = ">= 1.6"

  required_providers {
    # Exact versions: the configuration was checked against these, and a range would take whatever is newest at
    # each `init`. The pipeline's first `init` writes .terraform.lock.hcl with their checksums; commit it (see
    # README.md, "Provider versions").
    google = {
      source  = "hashicorp/google"
      version = "= 6.50.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "= 3.7.2"
    }
  }

  # Partial configuration: the bucket (and prefix) come from `terraform init -backend-config=...`, so the same
  # code deploys to any project without edits.
  backend "gcs" {}
}

provider "google" {
  project = var.project_id
  region  = var.region
}

# The project number names the Pub/Sub service agent, which needs IAM for OIDC tokens and dead-lettering.
data "google_project" "this" {
  project_id = var.project_id
}

locals {
  pubsub_service_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
  labels = merge(var.labels, {
    app = "contrail"
  })
}
