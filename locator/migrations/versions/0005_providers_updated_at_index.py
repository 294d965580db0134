"""an index on providers.updated_at, for the HSDS API's modified_after

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    indexes = {i["name"] for i in sa.inspect(op.get_bind()).get_indexes("providers")}
    if "ix_providers_updated_at" not in indexes:
        op.create_index('ix_providers_updated_at', 'providers', ['updated_at'])


def downgrade() -> None:
    op.drop_index('ix_providers_updated_at', table_name='providers')
