"""The parsed Terraform of infra/, shared by the wiring tests."""

import pytest

from terraform_model import INFRA, Terraform


@pytest.fixture(scope="session")
def tf() -> Terraform:
    return Terraform(INFRA)
