"""Nightly reports, run with psycopg."""


def revenue_by_year(conn):
    with conn.cursor() as cur:
        cur.execute(
            "SELECT fiscal_year, revenue_cents "
            "FROM billing.revenue_by_year ORDER BY fiscal_year"
        )
        return cur.fetchall()


def invoices_of(conn, order_id):
    with conn.cursor() as cur:
        cur.execute(f"SELECT invoice_no FROM billing.invoices WHERE order_id = {order_id}")
        return cur.fetchall()
