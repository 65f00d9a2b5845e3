"""PostgreSQL for several dynos: DATABASE_URL read in full, and a bounded, fork-safe pool per process."""
