"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 01:11:26.555136
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('geocode_cache',
    sa.Column('query_hash', sa.String(length=64), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('precision', sa.String(length=10), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('query_hash')
    )
    op.create_table('providers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name2', sa.String(length=200), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('street2', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=2), nullable=False),
    sa.Column('zip', sa.String(length=10), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.Column('geocode_precision', sa.String(length=10), nullable=False),
    sa.Column('geocell', sa.Integer(), nullable=False),
    sa.Column('offers_telehealth', sa.Boolean(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('intake_phone', sa.String(length=40), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('medications', sa.BigInteger(), nullable=False),
    sa.Column('medication_forms', sa.BigInteger(), nullable=False),
    sa.Column('settings', sa.BigInteger(), nullable=False),
    sa.Column('payment', sa.BigInteger(), nullable=False),
    sa.Column('insurance_plans', sa.Text(), nullable=False),
    sa.Column('languages', sa.BigInteger(), nullable=False),
    sa.Column('services', sa.BigInteger(), nullable=False),
    sa.Column('populations', sa.BigInteger(), nullable=False),
    sa.Column('walk_in', sa.Boolean(), nullable=True),
    sa.Column('same_day_start', sa.Boolean(), nullable=True),
    sa.Column('accepts_outside_moud', sa.Boolean(), nullable=True),
    sa.Column('hours', sa.Text(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('current_report_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('providers', schema=None) as batch_op:
        batch_op.create_index('ix_providers_cell_lat_lon', ['geocell', 'latitude', 'longitude'], unique=False)
        batch_op.create_index('ix_providers_lat_lon', ['latitude', 'longitude'], unique=False)
        batch_op.create_index('ix_providers_state_telehealth', ['state', 'offers_telehealth'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=True),
    sa.Column('staff_name', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_table('provider_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=60), nullable=False),
    sa.Column('source_id', sa.String(length=120), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source', 'source_id', name='uq_provider_sources_source_id')
    )
    with op.batch_alter_table('provider_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provider_sources_provider_id'), ['provider_id'], unique=False)

    op.create_table('availability_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('accepting_new_patients', sa.Boolean(), nullable=True),
    sa.Column('wait_days', sa.Integer(), nullable=True),
    sa.Column('walk_in', sa.Boolean(), nullable=True),
    sa.Column('same_day_start', sa.Boolean(), nullable=True),
    sa.Column('note', sa.String(length=280), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reporter_kind', sa.String(length=12), nullable=False),
    sa.Column('token_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['token_id'], ['api_tokens.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('availability_reports', schema=None) as batch_op:
        batch_op.create_index('ix_reports_provider_time', ['provider_id', 'reported_at'], unique=False)

    # providers and availability_reports point at each other: the second key comes last.
    with op.batch_alter_table('providers', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_provider_current_report', 'availability_reports',
                                    ['current_report_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('providers', schema=None) as batch_op:
        batch_op.drop_constraint('fk_provider_current_report', type_='foreignkey')
    with op.batch_alter_table('availability_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_reports_provider_time')

    op.drop_table('availability_reports')
    with op.batch_alter_table('provider_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provider_sources_provider_id'))

    op.drop_table('provider_sources')
    op.drop_table('api_tokens')
    with op.batch_alter_table('providers', schema=None) as batch_op:
        batch_op.drop_index('ix_providers_state_telehealth')
        batch_op.drop_index('ix_providers_lat_lon')
        batch_op.drop_index('ix_providers_cell_lat_lon')

    op.drop_table('providers')
    op.drop_table('geocode_cache')
