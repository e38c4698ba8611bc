"""stored per-day report totals (issue 12)

Revision ID: r1a0000001
Revises: t1a0000001
Create Date: 2026-12-02 05:00:00

Existing closed days get their row with `flask --app server reports rebuild-totals`.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'r1a0000001'
down_revision = 't1a0000001'
branch_labels = None
depends_on = None

BIG = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
AMOUNTS = ('revenue_ttc', 'revenue_ht', 'sales_count', 'opening', 'inflows', 'outflows', 'expenses', 'deposits',
           'expected', 'counted', 'difference', 'credit_granted', 'credit_settled', 'vouchers_sold',
           'vouchers_redeemed', 'vouchers_expired')


def upgrade():
    op.create_table('day_totals',
    sa.Column('day_id', sa.String(length=36), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('register_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    *[sa.Column(name, BIG, nullable=False) for name in AMOUNTS],
    sa.Column('unexplained', sa.Integer(), nullable=False),
    sa.Column('by_method', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_day_totals_company_id_companies')),
    sa.ForeignKeyConstraint(['day_id'], ['days.id'], name=op.f('fk_day_totals_day_id_days')),
    sa.ForeignKeyConstraint(['register_id'], ['registers.id'], name=op.f('fk_day_totals_register_id_registers')),
    sa.PrimaryKeyConstraint('day_id', name=op.f('pk_day_totals'))
    )
    with op.batch_alter_table('day_totals', schema=None) as batch_op:
        batch_op.create_index('ix_day_totals_company_date', ['company_id', 'date'], unique=False)
        batch_op.create_index('ix_day_totals_register_date', ['register_id', 'date'], unique=False)


def downgrade():
    with op.batch_alter_table('day_totals', schema=None) as batch_op:
        batch_op.drop_index('ix_day_totals_register_date')
        batch_op.drop_index('ix_day_totals_company_date')
    op.drop_table('day_totals')
