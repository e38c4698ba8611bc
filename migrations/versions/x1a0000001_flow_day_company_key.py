"""a movement's day and company form one key to the day's; pulls read movements by (company, version)

Revision ID: x1a0000001
Revises: r1a0000001
Create Date: 2026-12-03 08:30:00

Two foreign keys of `flows` (day_id -> days.id, company_id -> companies.id) become one,
(day_id, company_id) -> days (id, company_id): a movement cannot belong to another company's day, and
an insert checks one key instead of two. The indexes on company_id and on version become one on
(company_id, version), the pull's filter. An existing movement whose company is not its day's stops the
upgrade (there should be none: the application never wrote one).
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'x1a0000001'
down_revision = 'r1a0000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('days', schema=None) as batch_op:
        batch_op.create_unique_constraint(op.f('uq_days_id_company'), ['id', 'company_id'])
    with op.batch_alter_table('flows', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_flows_company_id_companies'), type_='foreignkey')
        batch_op.drop_constraint(op.f('fk_flows_day_id_days'), type_='foreignkey')
        batch_op.drop_index(op.f('ix_flows_company_id'))
        batch_op.drop_index(op.f('ix_flows_version'))
        batch_op.create_foreign_key(op.f('fk_flows_day_company'), 'days', ['day_id', 'company_id'],
                                    ['id', 'company_id'])
        batch_op.create_index('ix_flows_company_version', ['company_id', 'version'], unique=False)


def downgrade():
    with op.batch_alter_table('flows', schema=None) as batch_op:
        batch_op.drop_index('ix_flows_company_version')
        batch_op.drop_constraint(op.f('fk_flows_day_company'), type_='foreignkey')
        batch_op.create_index(op.f('ix_flows_version'), ['version'], unique=False)
        batch_op.create_index(op.f('ix_flows_company_id'), ['company_id'], unique=False)
        batch_op.create_foreign_key(op.f('fk_flows_day_id_days'), 'days', ['day_id'], ['id'])
        batch_op.create_foreign_key(op.f('fk_flows_company_id_companies'), 'companies', ['company_id'], ['id'])
    with op.batch_alter_table('days', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('uq_days_id_company'), type_='unique')
