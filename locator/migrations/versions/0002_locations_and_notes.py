"""where a provider's point came from, listing notes, and geocoding attempts

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02

Each step checks what exists first: a database made by `create_schema` before this revision is
adopted at 0001 and upgraded, and its tables have the new columns already.
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    existing = _columns("providers")
    with op.batch_alter_table('providers') as batch:
        if "location_source" not in existing:
            batch.add_column(sa.Column('location_source', sa.String(length=120), nullable=False, server_default=''))
        if "data_notes" not in existing:
            batch.add_column(sa.Column('data_notes', sa.Text(), nullable=False, server_default=''))
    if "geocode_attempts" not in sa.inspect(op.get_bind()).get_table_names():
        op.create_table('geocode_attempts',
        sa.Column('provider_id', sa.Integer(), nullable=False),
        sa.Column('address_key', sa.String(length=64), nullable=False),
        sa.Column('outcome', sa.String(length=12), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('geocoder', sa.String(length=60), nullable=False),
        sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('provider_id')
        )


def downgrade() -> None:
    op.drop_table('geocode_attempts')
    with op.batch_alter_table('providers') as batch:
        batch.drop_column('data_notes')
        batch.drop_column('location_source')
