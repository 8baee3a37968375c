"""Helpers shared by the benchmarks: a PostgreSQL database of their own, made when missing."""


def ensure_database(url: str) -> None:
    """Create the database named at the end of a postgres:// URL if it does not exist yet."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
