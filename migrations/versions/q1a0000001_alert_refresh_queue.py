"""alert refresh queue: the days whose alerts wait for an evaluation outside the write

Revision ID: q1a0000001
Revises: s1a0000001
Create Date: 2026-12-02 05:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'q1a0000001'
down_revision = 's1a0000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('alert_refresh_queue',
    sa.Column('register_id', sa.Integer(), nullable=False),
    sa.Column('day_date', sa.Date(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('queued_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_alert_refresh_queue_company_id_companies')),
    sa.ForeignKeyConstraint(['register_id'], ['registers.id'], name=op.f('fk_alert_refresh_queue_register_id_registers')),
    sa.PrimaryKeyConstraint('register_id', 'day_date', name=op.f('pk_alert_refresh_queue'))
    )
    with op.batch_alter_table('alert_refresh_queue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_refresh_queue_company_id'), ['company_id'], unique=False)


def downgrade():
    with op.batch_alter_table('alert_refresh_queue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_refresh_queue_company_id'))
    op.drop_table('alert_refresh_queue')
