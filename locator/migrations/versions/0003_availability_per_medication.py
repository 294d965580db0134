"""availability per medication: a report's medication, first dose at the first visit, walk-in
hours and counselling; the provider's low-barrier facts; pointers to the newest report naming
each medication

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

The new text columns get a server default of '' here only so that existing rows can be filled
(the models give the same default on insert, from Python). Every report written before this
revision is for all of its provider's medications (medication NULL), so the provider's
`current_report_id` keeps its meaning and no pointer row is needed.
Like 0002, each step checks what exists first, for a database `create_schema` made.
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    existing = _columns("availability_reports")
    with op.batch_alter_table('availability_reports') as batch:
        if "medication" not in existing:
            batch.add_column(sa.Column('medication', sa.String(length=20), nullable=True))
        if "first_dose_at_first_visit" not in existing:
            batch.add_column(sa.Column('first_dose_at_first_visit', sa.Boolean(), nullable=True))
        if "walk_in_hours" not in existing:
            batch.add_column(sa.Column('walk_in_hours', sa.String(length=100), nullable=False, server_default=''))
        if "counseling_required_to_start" not in existing:
            batch.add_column(sa.Column('counseling_required_to_start', sa.Boolean(), nullable=True))
    existing = _columns("providers")
    with op.batch_alter_table('providers') as batch:
        if "counseling_required_to_start" not in existing:
            batch.add_column(sa.Column('counseling_required_to_start', sa.Boolean(), nullable=True))
        if "dosing_hours" not in existing:
            batch.add_column(sa.Column('dosing_hours', sa.String(length=200), nullable=False, server_default=''))
    if "medication_reports" not in sa.inspect(op.get_bind()).get_table_names():
        op.create_table('medication_reports',
        sa.Column('provider_id', sa.Integer(), nullable=False),
        sa.Column('medication', sa.String(length=20), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['report_id'], ['availability_reports.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('provider_id', 'medication')
        )


def downgrade() -> None:
    op.drop_table('medication_reports')
    with op.batch_alter_table('providers') as batch:
        batch.drop_column('dosing_hours')
        batch.drop_column('counseling_required_to_start')
    with op.batch_alter_table('availability_reports') as batch:
        batch.drop_column('counseling_required_to_start')
        batch.drop_column('walk_in_hours')
        batch.drop_column('first_dose_at_first_visit')
        batch.drop_column('medication')
