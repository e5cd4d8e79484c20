"""Patent records to the paper's Table 2: reading, checking and aggregating them (DuckDB), the derived table."""
