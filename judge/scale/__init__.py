"""Scale-out runners (Ray)."""
